import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  Effect,
  type IGrantable,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { HmacKey } from '../lambdas/contract/function-access.ts';
import { KEY_ADMINISTRATION, tokenSigningAliases } from '../lambdas/contract/key-policy.ts';

export interface KeysProps {
  /** The stage's name: the token signing keys' aliases carry it. */
  readonly stageName: string;
  /** The HMAC keys and the data key as multi-Region primary keys (replicable to a recovery region). @default false */
  readonly multiRegion?: boolean;
  /**
   * Keys a former stack of the stage retained (or replicas in a recovery region), used instead of
   * new ones: members' lookup keys and code hashes only work with the keys they were made with.
   * Their policies still name the former roles: `npm run ops -- adopt-keys` writes the new ones.
   * @default new keys
   */
  readonly adopted?: { readonly [K in 'nirLookup' | 'codePepper' | 'refreshToken' | 'letterCode' | 'data']: string };
}

/**
 * Secrets held outside the code, the table and the environment: five KMS HMAC keys that never
 * leave KMS — the NIR lookup key, the code pepper, the refresh-token key (session-refresh), the
 * letter-code key (the letter export) and the passkey-challenge key (the passkey sign-in) — whose key policies let only the named function roles (and
 * the operators' role) compute MACs; a key for the table. Access tokens are signed by a KMS
 * asymmetric key (ECC_NIST_P256) that `npm run ops -- rotate-signing-key` creates and rotates under
 * two aliases (the current key, and the one it replaced, still published): its own key policy lets
 * only the functions that issue tokens sign; every function may read the public halves.
 */
export class Keys extends Construct {
  readonly nirLookup: IKey;
  readonly codePepper: IKey;
  readonly refreshToken: IKey;
  readonly letterCode: IKey;
  /** MACs the anonymous passkey challenges: a key of its own, never adopted (it protects 5 minutes). */
  readonly passkeyChallenge: IKey;
  readonly data: IKey;
  /** Who may compute MACs with each HMAC key: what `adopt-keys` writes into adopted keys' policies. */
  readonly macUsers = new Map<HmacKey, IPrincipal[]>();
  /** The aliases of the token signing keys (created by the CLI, not the stack: rotation needs no deploy). */
  readonly tokenSigningAliases: { readonly current: string; readonly previous: string };

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    this.tokenSigningAliases = tokenSigningAliases(props.stageName);
    const { adopted } = props;
    const hmac = (name: string, description: string, adoptedArn: string | undefined, ephemeral = false) =>
      adoptedArn
        ? Key.fromKeyArn(this, name, adoptedArn)
        : new Key(this, name, {
            keySpec: KeySpec.HMAC_256,
            keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
            description,
            multiRegion: ephemeral ? false : (props.multiRegion ?? false),
            // Losing one makes every member unreachable (lookup) or every code unverifiable (pepper);
            // an ephemeral one (challenges of minutes) goes with its stack.
            removalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
            policy: new PolicyDocument({
              statements: [
                new PolicyStatement({
                  sid: 'KeyAdministration',
                  effect: Effect.ALLOW,
                  principals: [new AccountRootPrincipal()],
                  actions: [...KEY_ADMINISTRATION],
                  resources: ['*'],
                }),
              ],
            }),
          });
    this.nirLookup = hmac(
      'NirLookupKey',
      'HMAC key: lookup key of a NIR (the NIR is never stored)',
      adopted?.nirLookup,
    );
    this.codePepper = hmac('CodePepperKey', 'HMAC key: pepper applied to codes before argon2id', adopted?.codePepper);
    this.refreshToken = hmac('RefreshTokenKey', "HMAC key: derives a refresh token's successor", adopted?.refreshToken);
    this.letterCode = hmac(
      'LetterCodeKey',
      "HMAC key: derives a letter's temporary code from its id",
      adopted?.letterCode,
    );
    this.passkeyChallenge = hmac(
      'PasskeyChallengeKey',
      'HMAC key: MACs the anonymous passkey sign-in challenges (5 minutes)',
      undefined,
      true,
    );
    this.data = adopted
      ? Key.fromKeyArn(this, 'DataKey', adopted.data)
      : new Key(this, 'DataKey', {
          enableKeyRotation: true,
          multiRegion: props.multiRegion ?? false,
          description: 'Encrypts the member-portal-auth table, its backups and the failed-jobs queue',
          removalPolicy: RemovalPolicy.RETAIN,
        });
  }

  /**
   * `sign`: kms:Sign and kms:GetPublicKey (the functions that issue tokens; the key's own policy must
   * name their roles too, which the CLI writes from the stack output TokenSignerRoleArns);
   * `verify`: kms:GetPublicKey only. Limited to the keys under the stage's two aliases: the keys are
   * the CLI's, so their ARNs are not known to the template.
   */
  allowTokenKeys(grantee: IGrantable, use: 'sign' | 'verify'): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: use === 'sign' ? ['kms:Sign', 'kms:GetPublicKey'] : ['kms:GetPublicKey'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          'ForAnyValue:StringEquals': {
            'kms:ResourceAliases': [this.tokenSigningAliases.current, this.tokenSigningAliases.previous],
          },
        },
      }),
    );
  }

  hmacKey(name: HmacKey): IKey {
    return {
      'nir-lookup': this.nirLookup,
      'code-pepper': this.codePepper,
      'refresh-token': this.refreshToken,
      'letter-code': this.letterCode,
      'passkey-challenge': this.passkeyChallenge,
    }[name];
  }

  /** `kms:GenerateMac` on one HMAC key: in the key's own policy (nothing else of the account may) and the grantee's. */
  allowMac(name: HmacKey, grantee: IGrantable): void {
    const key = this.hmacKey(name);
    this.macUsers.set(name, [...(this.macUsers.get(name) ?? []), grantee.grantPrincipal]);
    // An adopted key's policy is not the stack's to change (CloudFormation does not own it): adopt-keys writes it.
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
