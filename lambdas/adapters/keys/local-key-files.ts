import { createHmac, randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyedHasher } from '../../domain/ports.ts';
import { newSigningKey, parseSigningSecret, publicKeysOf } from '../../domain/signing-keys.ts';
import { JWT_PUBLIC_KEYS_FILE, JWT_SIGNING_SECRET_FILE, LocalSigningKeyFiles } from './local-signing-keys.ts';

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
/** MACs the anonymous passkey challenges (the passkey sign-in only). */
export const PASSKEY_CHALLENGE_KEY_FILE = 'passkey-challenge.key';
/** The signing key file of versions before 2026-11-26 (a bare private JWK): taken over as the current key. */
const LEGACY_SIGNING_KEY_FILE = 'jwt-signing.jwk.json';

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
  for (const file of [
    NIR_LOOKUP_KEY_FILE,
    CODE_PEPPER_KEY_FILE,
    REFRESH_TOKEN_KEY_FILE,
    LETTER_CODE_KEY_FILE,
    PASSKEY_CHALLENGE_KEY_FILE,
  ]) {
    await writeSecretFile(join(dir, file), randomBytes(32).toString('base64'));
  }
  const exists = (file: string) =>
    access(join(dir, file)).then(
      () => true,
      () => false,
    );
  if (!(await exists(JWT_SIGNING_SECRET_FILE))) {
    const legacy = (await exists(LEGACY_SIGNING_KEY_FILE))
      ? parseSigningSecret(await readFile(join(dir, LEGACY_SIGNING_KEY_FILE), 'utf8'))
      : undefined;
    await writeSecretFile(
      join(dir, JWT_SIGNING_SECRET_FILE),
      JSON.stringify(legacy ?? { current: await newSigningKey(), previous: [] }),
    );
  }
  if (!(await exists(JWT_PUBLIC_KEYS_FILE))) {
    const store = new LocalSigningKeyFiles(dir);
    await store.writePublicKeys(await publicKeysOf(await store.readSecret()));
  }
}
