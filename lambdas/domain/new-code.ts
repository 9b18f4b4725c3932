import { assertStrongCode } from './code-blocklist.ts';
import { parseCode, type SixDigitCode } from './code-format.ts';
import { CodeConfirmationMismatchError } from './errors.ts';
import type { Nir } from './nir.ts';

/**
 * The seed's "Nouveau mot de passe" and its "Confirmation": 6 digits, identical, and not too
 * guessable (the whole blocklist, the NIR's own windows included). Checked before any credential
 * or link is touched, so a refused choice costs the member nothing.
 */
export function parseNewCode(
  input: { readonly newCode: string; readonly newCodeConfirmation: string },
  nir?: Nir,
): SixDigitCode {
  const newCode = parseCode(input.newCode, 'newCode');
  parseCode(input.newCodeConfirmation, 'newCodeConfirmation');
  if (input.newCodeConfirmation !== input.newCode) {
    throw new CodeConfirmationMismatchError('confirmation differs', { fields: { newCodeConfirmation: 'MISMATCH' } });
  }
  assertStrongCode(newCode, nir);
  return newCode;
}
