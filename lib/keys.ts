import { RemovalPolicy } from 'aws-cdk-lib';
import { AccountRootPrincipal, Effect, type IGrantable, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { HmacKey } from '../lambdas/contract/function-access.ts';
import { acknowledge } from './nag-acknowledgements.ts';

/** Managing a key, never using it: no principal of the account computes MACs through IAM alone. */
const KEY_ADMINISTRATION = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * Secrets held outside the code, the table and the environment: four KMS HMAC keys that never
 * leave KMS — the NIR lookup key, the code pepper, the refresh-token key (session-refresh) and the
 * letter-code key (the letter export) — whose key policies let only the named function roles (and
 * the operators' role) compute MACs; a key for the table; the JWT signing key in Secrets Manager
 * (`{"current": <private EC P-256 JWK>, "previous": [<public JWK>…]}`) and its public keys apart,
 * in an SSM parameter, for the functions that only verify tokens.
 */
export class Keys extends Construct {
  readonly nirLookup: Key;
  readonly codePepper: Key;
  readonly refreshToken: Key;
  readonly letterCode: Key;
  readonly data: Key;
  readonly signingSecret: Secret;
  readonly publicKeys: StringParameter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const hmac = (name: string, description: string) =>
      new Key(this, name, {
        keySpec: KeySpec.HMAC_256,
        keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
        description,
        // Losing one makes every member unreachable (lookup) or every code unverifiable (pepper).
        removalPolicy: RemovalPolicy.RETAIN,
        policy: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'KeyAdministration',
              effect: Effect.ALLOW,
              principals: [new AccountRootPrincipal()],
              actions: KEY_ADMINISTRATION,
              resources: ['*'],
            }),
          ],
        }),
      });
    this.nirLookup = hmac('NirLookupKey', 'HMAC key: lookup key of a NIR (the NIR is never stored)');
    this.codePepper = hmac('CodePepperKey', 'HMAC key: pepper applied to codes before argon2id');
    this.refreshToken = hmac('RefreshTokenKey', "HMAC key: derives a refresh token's successor");
    this.letterCode = hmac('LetterCodeKey', "HMAC key: derives a letter's temporary code from its id");
    this.data = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'Encrypts the member-portal-auth table, the signing key secret and the failed-jobs queue',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signingSecret = new Secret(this, 'JwtSigningKey', {
      description: 'JWT signing key (EC P-256 JWK): created and rotated with `npm run ops -- rotate-signing-key`.',
      encryptionKey: this.data,
      // A JSON placeholder that holds no key, which the first rotation recognises and replaces
      // (a bare generated string would make rotate-signing-key, the documented first step, fail).
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ previous: [] }),
        generateStringKey: 'placeholder',
        excludePunctuation: true,
      },
    });
    acknowledge(this.signingSecret, {
      'AwsSolutions-SMG4':
        'An EC key pair rotated by `npm run ops -- rotate-signing-key` (README, Deploy to AWS), which keeps the previous public key published until its tokens expire; Secrets Manager rotation Lambdas do not generate JWKs.',
    });
    this.publicKeys = new StringParameter(this, 'JwtPublicKeys', {
      description: 'Public keys of the JWT signing key (JWKS): what the functions that only verify tokens read.',
      stringValue: '{"keys":[]}',
    });
  }

  hmacKey(name: HmacKey): Key {
    return {
      'nir-lookup': this.nirLookup,
      'code-pepper': this.codePepper,
      'refresh-token': this.refreshToken,
      'letter-code': this.letterCode,
    }[name];
  }

  /** `kms:GenerateMac` on one HMAC key: in the key's own policy (nothing else of the account may) and the grantee's. */
  allowMac(name: HmacKey, grantee: IGrantable): void {
    const key = this.hmacKey(name);
    key.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [grantee.grantPrincipal],
        actions: ['kms:GenerateMac'],
        resources: ['*'],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateMac'], resources: [key.keyArn] }),
    );
  }
}
