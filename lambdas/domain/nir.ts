import { InvalidNirError } from './errors.ts';
import type { KeyedHasher } from './ports.ts';

/** A NIR that passed shape and key checks, in its normalised 15-character form. */
export type Nir = string & { readonly __brand: 'Nir' };

// Sex/category digit, birth year and month, department (2A/2B for Corsica), commune, order, key.
const NIR_SHAPE = /^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;
const IGNORED_SEPARATORS = /[\s.-]/g;

/** Normalises (drops spaces, dots, dashes; upper-cases 2a/2b) and checks shape and mod-97 key. */
export function parseNir(input: string): Nir {
  const mistake = nirMistake(input);
  if (mistake) throw new InvalidNirError(`NIR ${mistake.toLowerCase()}`, { fields: { nir: mistake } });
  return input.replace(IGNORED_SEPARATORS, '').toUpperCase() as Nir;
}

/**
 * What is wrong with a typed NIR, so that the member is told which: not 15 characters (`LENGTH`),
 * a character that is not a digit (but 2A or 2B for Corsica: `CHARACTERS`), or digits that do not
 * match their key (`KEY`: one was mistyped). Undefined when it is a valid NIR.
 */
export function nirMistake(input: string): 'LENGTH' | 'CHARACTERS' | 'KEY' | undefined {
  const normalised = input.replace(IGNORED_SEPARATORS, '').toUpperCase();
  if (normalised.length !== 15) return 'LENGTH';
  if (!NIR_SHAPE.test(normalised)) return 'CHARACTERS';
  return nirKey(normalised.slice(0, 13)) === Number(normalised.slice(13)) ? undefined : 'KEY';
}

/** key = 97 − (number mod 97), Corsican 2A/2B counted as 19/18. */
export function nirKey(body13: string): number {
  const numeric = body13.replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(numeric) % 97n);
}

/** What may be shown or kept at rest: category, birth year and key only ("1 84 ** ** *** *** 42"). */
export function maskNir(nir: Nir): string {
  return `${nir.slice(0, 1)} ${nir.slice(1, 3)} ** ** *** *** ${nir.slice(13, 15)}`;
}

/**
 * The NIR's keyed hash (a key held outside the database): what members, attempt counters and
 * audit trails are keyed by. The NIR itself is never stored.
 */
export async function nirLookupKey(nirHasher: KeyedHasher, nir: Nir): Promise<string> {
  return (await nirHasher.digest(`nir:${nir}`)).toString('base64url');
}
