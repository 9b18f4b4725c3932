import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { SixDigitCode } from './code-format.ts';

/** 256 random bits, URL-safe: refresh tokens, challenges. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Whether a value has the shape `newSecret()` gives (43 URL-safe characters): anything else is no secret of ours. */
export const isSecret = (value: string | undefined): value is string =>
  value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);

/** Six digits from the CSPRNG, each of the million codes alike (a mailed device code; demo data). */
export const newSixDigitCode = (): SixDigitCode => String(randomInt(0, 1_000_000)).padStart(6, '0') as SixDigitCode;

/** 128 random bits: session ids, member ids. */
export const newId = (): string => randomBytes(16).toString('base64url');

/** What is stored in place of a high-entropy secret (a plain SHA-256 suffices at 256 bits). */
export const secretHash = (secret: string | Buffer): string => createHash('sha256').update(secret).digest('base64url');
