import { createPublicKey } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  type KMSClient,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { derToJose } from 'ecdsa-sig-formatter';
import { base64url, calculateJwkThumbprint, type JWK } from 'jose';
import { signingKeyPolicy } from '../../contract/key-policy.ts';
import { NO_SIGNING_KEY_YET, type SigningKey } from '../../domain/signing-keys.ts';

export interface TokenKeyAliases {
  readonly current: string;
  readonly previous: string;
}

const absentIfNotFound = <T>(call: Promise<T>): Promise<T | undefined> =>
  call.catch((error: unknown) => {
    if (error instanceof NotFoundException) return undefined;
    throw error;
  });

/**
 * Access tokens signed by a KMS key (ECC_NIST_P256, SIGN_VERIFY) whose private half never leaves
 * KMS: the functions that issue tokens ask it for signatures (`kms:Sign`, by their role in the key's
 * own policy), every function reads the public halves (`kms:GetPublicKey`) of the current key and
 * of the one it replaced, under two aliases the CLI moves at each rotation.
 */
export class KmsTokenSigningKeys {
  readonly #kms: () => KMSClient;
  readonly #aliases: TokenKeyAliases;

  constructor(kms: () => KMSClient, aliases: TokenKeyAliases) {
    this.#kms = kms;
    this.#aliases = aliases;
  }

  /** The current key, addressed by its ARN from then on: the alias may move, a signature matches its kid. */
  async signingKey(): Promise<SigningKey> {
    const current = await this.#publicKey(this.#aliases.current);
    if (!current) throw new Error(NO_SIGNING_KEY_YET);
    const kms = this.#kms();
    return {
      kid: current.jwk.kid!,
      sign: async (input) => {
        const { Signature } = await kms.send(
          new SignCommand({
            KeyId: current.keyArn,
            Message: input,
            MessageType: 'RAW',
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
        );
        if (!Signature) throw new Error('KMS returned no signature');
        // KMS answers in DER (ASN.1); a JWS carries r ‖ s.
        return base64url.decode(derToJose(Buffer.from(Signature), 'ES256'));
      },
    };
  }

  /** The current key's public half, then the previous one's (the same key after the first rotation: once). */
  async publicKeys(): Promise<JWK[]> {
    const keys = await Promise.all(
      [this.#aliases.current, this.#aliases.previous].map((alias) => this.#publicKey(alias)),
    );
    const published = keys.flatMap((key) => (key ? [key.jwk] : []));
    return published.filter((jwk, i) => published.findIndex((other) => other.kid === jwk.kid) === i);
  }

  async #publicKey(alias: string): Promise<{ keyArn: string; jwk: JWK } | undefined> {
    const answer = await absentIfNotFound(this.#kms().send(new GetPublicKeyCommand({ KeyId: alias })));
    if (!answer?.PublicKey || !answer.KeyId) return undefined;
    return { keyArn: answer.KeyId, jwk: await publicJwk(answer.PublicKey) };
  }
}

/** A KMS public key (DER SubjectPublicKeyInfo) as a JWK named by its thumbprint. */
async function publicJwk(der: Uint8Array): Promise<JWK> {
  const jwk = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk) };
}

export interface KmsRotation {
  readonly kid: string;
  readonly keyId: string;
  /** The key no alias names any more (it signed tokens expired long ago): scheduled for deletion. */
  readonly retired?: string | undefined;
}

/**
 * A rotation moves the current key to the "previous" alias (still published) and puts a new key
 * under the current alias. A key's tokens live 15 minutes and functions re-read keys every 5: a key
 * must have been current 20 minutes before it may be replaced, or the key it would unpublish might
 * still be verifying tokens.
 */
export const MIN_KEY_AGE_MS = 20 * 60_000;

export async function rotateKmsSigningKey(
  kms: KMSClient,
  aliases: TokenKeyAliases,
  options: { signerRoleArns: readonly string[]; description: string; now: number; force?: boolean },
): Promise<KmsRotation> {
  const [, partition, account] = /^arn:(aws[\w-]*):iam::(\d{12}):role\//.exec(options.signerRoleArns[0] ?? '') ?? [];
  if (!partition || !account)
    throw new Error('the roles of the functions that issue tokens are needed (stack output TokenSignerRoleArns)');
  const describe = (alias: string) =>
    absentIfNotFound(kms.send(new DescribeKeyCommand({ KeyId: alias }))).then((a) => a?.KeyMetadata);
  const [current, previous] = await Promise.all([describe(aliases.current), describe(aliases.previous)]);
  const age = current?.CreationDate ? options.now - current.CreationDate.getTime() : Number.POSITIVE_INFINITY;
  if (current && age < MIN_KEY_AGE_MS && !options.force) {
    throw new RotationTooSoonError(Math.ceil((MIN_KEY_AGE_MS - age) / 60_000));
  }
  const created = await kms.send(
    new CreateKeyCommand({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Description: options.description,
      Policy: JSON.stringify(signingKeyPolicy(`arn:${partition}:iam::${account}:root`, options.signerRoleArns)),
    }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  const point = (alias: string, target: string, exists: boolean) =>
    kms.send(
      exists
        ? new UpdateAliasCommand({ AliasName: alias, TargetKeyId: target })
        : new CreateAliasCommand({ AliasName: alias, TargetKeyId: target }),
    );
  // The key that signs now stays published under "previous" before the new one starts signing. The
  // first key takes both aliases: neither ever names nothing, which the functions' grants need.
  await point(aliases.previous, current ? current.KeyId! : keyId, Boolean(previous));
  await point(aliases.current, keyId, Boolean(current));
  const retired = current && previous?.KeyId !== current.KeyId ? previous?.KeyId : undefined;
  if (retired) await kms.send(new ScheduleKeyDeletionCommand({ KeyId: retired, PendingWindowInDays: 30 }));
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  return { kid: (await publicJwk(PublicKey!)).kid!, keyId, retired };
}

export class RotationTooSoonError extends Error {
  readonly minutesToWait: number;

  constructor(minutesToWait: number) {
    super(
      `the current signing key is not 20 minutes old: replacing it now could unpublish a key whose tokens are still valid; wait ${minutesToWait} minute(s), or --force`,
    );
    this.name = 'RotationTooSoonError';
    this.minutesToWait = minutesToWait;
  }
}
