import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/**
 * The token signing key. In AWS it is a KMS key (ECC_NIST_P256) that never leaves KMS: only the
 * functions that issue tokens may ask it to sign (adapters/keys/kms-token-signing.ts). Locally its
 * stand-in is a key file: the current private key, and the public halves of the keys it replaced,
 * published until their tokens have expired; the public keys are kept apart (a second file), as the
 * functions that only verify tokens never hold a private key.
 */
export interface SigningSecret {
  readonly current: JWK;
  readonly previous: readonly JWK[];
}

/** What signs access tokens: the key's id (the JWK thumbprint of its public half) and an ES256 signature. */
export interface SigningKey {
  readonly kid: string;
  /** The JWS signature of `input` (ECDSA P-256 over SHA-256): r ‖ s, 64 bytes, as JOSE encodes it. */
  sign(input: Uint8Array): Promise<Uint8Array>;
}

/** Where the signing secret and its public keys live. */
export interface SigningKeyStore {
  /** The secret; fails, saying what to run, while it holds no signing key yet. */
  readSecret(): Promise<SigningSecret>;
  writeSecret(secret: SigningSecret): Promise<void>;
  readPublicKeys(): Promise<JWK[]>;
  writePublicKeys(keys: readonly JWK[]): Promise<void>;
}

/** Public keys of replaced keys kept published: tokens live 15 minutes, keys are re-read every 5. */
const PREVIOUS_KEYS_KEPT = 2;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

function publicHalf(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy as JWK;
}

/**
 * `{"current": <private JWK>, "previous": [<public JWK>…]}`; a bare private JWK (the first local key
 * files) is a secret with no previous key. Anything else holds no key yet.
 */
export function parseSigningSecret(text: string): SigningSecret | undefined {
  let parsed: Partial<SigningSecret> & JWK;
  try {
    parsed = JSON.parse(text) as Partial<SigningSecret> & JWK;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  if (parsed.current) return { current: parsed.current, previous: parsed.previous ?? [] };
  return parsed.kty ? { current: parsed, previous: [] } : undefined;
}

export const NO_SIGNING_KEY_YET =
  'no token signing key yet: run `npm run -s ops -- rotate-signing-key` once (docs/deploy.md)';

async function withKid(jwk: JWK): Promise<JWK> {
  return jwk.kid ? jwk : { ...jwk, kid: await calculateJwkThumbprint(publicHalf(jwk)) };
}

/** A private JWK that signs here (the local stand-in for the KMS key). */
export async function localSigner(jwk: JWK): Promise<SigningKey> {
  const current = await withKid(jwk);
  const key = createPrivateKey({ key: current as never, format: 'jwk' });
  return {
    kid: current.kid!,
    sign: async (input) => sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }),
  };
}

export const signingKeyOf = (secret: SigningSecret): Promise<SigningKey> => localSigner(secret.current);

export async function publicKeysOf(secret: SigningSecret): Promise<JWK[]> {
  return [publicHalf(await withKid(secret.current)), ...secret.previous.map(publicHalf)];
}

/** A new EC P-256 key pair, named by its thumbprint. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return withKid(privateKey.export({ format: 'jwk' }) as JWK);
}

export interface Rotation {
  readonly kid: string;
  readonly stillPublished: readonly string[];
}

/**
 * A new signing key. The public keys are published first (the new one and those still needed),
 * then the secret is replaced: no function ever signs with a key the verifiers do not know yet.
 */
export async function rotateSigningKey(store: SigningKeyStore): Promise<Rotation> {
  const before = await store.readSecret();
  const next: SigningSecret = {
    current: await newSigningKey(),
    previous: [publicHalf(await withKid(before.current)), ...before.previous].slice(0, PREVIOUS_KEYS_KEPT),
  };
  const published = await publicKeysOf(next);
  await store.writePublicKeys(published);
  await store.writeSecret(next);
  return { kid: published[0]!.kid!, stillPublished: published.slice(1).map((k) => k.kid!) };
}
