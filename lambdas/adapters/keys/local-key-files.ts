import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SigningKeys } from '../../domain/access-tokens.ts';
import type { KeyedHasher } from '../../domain/ports.ts';

/**
 * The local stand-ins for KMS and Secrets Manager: key files generated once under `.local/keys`,
 * outside the database (a table dump alone gives neither NIRs nor crackable code hashes).
 */
export const NIR_LOOKUP_KEY_FILE = 'nir-lookup.key';
export const CODE_PEPPER_KEY_FILE = 'code-pepper.key';
/** Derives a refresh token's successor (session-refresh only). */
export const REFRESH_TOKEN_KEY_FILE = 'refresh-token.key';
/** Derives a letter's temporary code from its id (the letter export only). */
export const LETTER_CODE_KEY_FILE = 'letter-code.key';
export const JWT_SIGNING_KEY_FILE = 'jwt-signing.jwk.json';

export class LocalHmacKey implements KeyedHasher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  static async fromFile(path: string): Promise<LocalHmacKey> {
    return new LocalHmacKey(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64'));
  }

  async digest(message: string): Promise<Buffer> {
    return createHmac('sha256', this.#key).update(message).digest();
  }
}

export async function loadLocalSigningKeys(path: string): Promise<SigningKeys> {
  const privateJwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
  const { d: _d, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  return {
    current: { kid, privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey },
    publicJwks: [{ ...publicJwk, kid }],
  };
}

async function writeSecretFile(path: string, content: string): Promise<void> {
  // 'wx': never overwrite an existing key (that would orphan every hash made with it).
  await writeFile(path, content, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(path, 0o600);
}

/** Creates whichever key files are missing; existing keys are kept. */
export async function ensureLocalKeyFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const file of [NIR_LOOKUP_KEY_FILE, CODE_PEPPER_KEY_FILE, REFRESH_TOKEN_KEY_FILE, LETTER_CODE_KEY_FILE]) {
    await writeSecretFile(join(dir, file), randomBytes(32).toString('base64'));
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const { d: _d, ...publicJwk } = jwk;
  const kid = await calculateJwkThumbprint(publicJwk);
  await writeSecretFile(join(dir, JWT_SIGNING_KEY_FILE), JSON.stringify({ ...jwk, kid }));
}
