import { RemovalPolicy } from 'aws-cdk-lib';
import { acknowledge } from './nag-acknowledgements.ts';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * Secrets held outside the code, the table and the environment: two KMS HMAC keys that never
 * leave KMS (NIR lookup key, code pepper), a key for the table, and the JWT signing key pair in
 * Secrets Manager (`{"current": <private EC P-256 JWK>, "previous": [<public JWK>…]}`).
 */
export class Keys extends Construct {
  readonly nirLookup: Key;
  readonly codePepper: Key;
  /** Derives a refresh token's successor (session-refresh only): no refresh token stored in clear. */
  readonly refreshToken: Key;
  /** Derives a letter's temporary code from its id (the letter export only). */
  readonly letterCode: Key;
  readonly data: Key;
  readonly signingSecret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const hmac = (name: string, description: string) =>
      new Key(this, name, {
        keySpec: KeySpec.HMAC_256,
        keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
        description,
        // Losing either key makes every member unreachable (lookup) or every code unverifiable (pepper).
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.nirLookup = hmac('NirLookupKey', 'HMAC key: lookup key of a NIR (the NIR is never stored)');
    this.codePepper = hmac('CodePepperKey', 'HMAC key: pepper applied to codes before argon2id');
    this.refreshToken = hmac('RefreshTokenKey', "HMAC key: derives a refresh token's successor");
    this.letterCode = hmac('LetterCodeKey', "HMAC key: derives a letter's temporary code from its id");
    this.data = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'Encrypts the member-portal-auth table',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signingSecret = new Secret(this, 'JwtSigningKey', {
      description: 'JWT signing key (EC P-256 JWK). Set with the rotation procedure in the README before first use.',
      encryptionKey: this.data,
    });
    acknowledge(this.signingSecret, {
      'AwsSolutions-SMG4':
        'An EC key pair rotated by the documented procedure (README, Deploy to AWS), which keeps the previous public key in the JWKS until its tokens expire; Secrets Manager rotation Lambdas do not generate JWKs.',
    });
  }
}
