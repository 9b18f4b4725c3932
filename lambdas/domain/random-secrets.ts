import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh tokens, challenges. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** 128 random bits: session ids, member ids. */
export const newId = (): string => randomBytes(16).toString('base64url');

/** What is stored in place of a high-entropy secret (a plain SHA-256 suffices at 256 bits). */
export const secretHash = (secret: string | Buffer): string => createHash('sha256').update(secret).digest('base64url');
