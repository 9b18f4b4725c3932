import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import {
  NO_SIGNING_KEY_YET,
  parseSigningSecret,
  type SigningKeyStore,
  type SigningSecret,
} from '../../domain/signing-keys.ts';

/** The local stand-ins for the signing secret (Secrets Manager) and its public keys (an SSM parameter). */
export const JWT_SIGNING_SECRET_FILE = 'jwt-signing.json';
export const JWT_PUBLIC_KEYS_FILE = 'jwt-public-keys.json';

/** Written whole or not at all: a reader never sees half a key. */
async function replaceFile(path: string, content: string): Promise<void> {
  await writeFile(`${path}.partial`, content, { mode: 0o600 });
  await rename(`${path}.partial`, path);
}

export class LocalSigningKeyFiles implements SigningKeyStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async readSecret(): Promise<SigningSecret> {
    const secret = parseSigningSecret(await readFile(join(this.#dir, JWT_SIGNING_SECRET_FILE), 'utf8'));
    if (!secret) throw new Error(NO_SIGNING_KEY_YET);
    return secret;
  }

  async writeSecret(secret: SigningSecret): Promise<void> {
    await replaceFile(join(this.#dir, JWT_SIGNING_SECRET_FILE), JSON.stringify(secret));
  }

  async readPublicKeys(): Promise<JWK[]> {
    return (JSON.parse(await readFile(join(this.#dir, JWT_PUBLIC_KEYS_FILE), 'utf8')) as { keys: JWK[] }).keys;
  }

  async writePublicKeys(keys: readonly JWK[]): Promise<void> {
    await replaceFile(join(this.#dir, JWT_PUBLIC_KEYS_FILE), JSON.stringify({ keys }));
  }
}
