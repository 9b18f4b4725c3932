import { InvalidCodeFormatError } from './errors.ts';

/** A string of exactly six ASCII digits. */
export type SixDigitCode = string & { readonly __brand: 'SixDigitCode' };

const SIX_ASCII_DIGITS = /^[0-9]{6}$/;

export function parseCode(input: string, field = 'code'): SixDigitCode {
  if (!SIX_ASCII_DIGITS.test(input)) {
    throw new InvalidCodeFormatError('code format', { fields: { [field]: 'SIX_DIGITS' } });
  }
  return input as SixDigitCode;
}
