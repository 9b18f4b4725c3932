import { assertStrongCode } from './code-blocklist.ts';
import { parseCode, type SixDigitCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { CodeConfirmationMismatchError } from './errors.ts';
import type { Member, MemberRepository } from './member.ts';
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

/**
 * Writes the member's new personal code — hashed with the member's salt — only over the code
 * version that was verified (and, for a reset link, only while that link is the member's): false
 * when a concurrent change won, whose caller answers as its flow says.
 */
export async function writePersonalCode(
  deps: { readonly members: Pick<MemberRepository, 'setPersonalCode'>; readonly codeHasher: CodeHasher },
  member: Member,
  newCode: SixDigitCode,
  now: number,
  resetTokenHash?: string,
): Promise<boolean> {
  return deps.members.setPersonalCode(member.key, {
    hash: await deps.codeHasher.hashCode(newCode, member.codeSalt),
    expectedCodeVersion: member.codeVersion,
    now,
    ...(resetTokenHash ? { resetTokenHash } : {}),
  });
}
