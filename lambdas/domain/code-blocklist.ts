import type { SixDigitCode } from './code-format.ts';
import { WeakCodeError } from './errors.ts';
import type { Nir } from './nir.ts';

/**
 * Most frequent 6-digit PINs in published studies of leaked and chosen PINs
 * (Wang et al., "Understanding human-chosen PINs", 2017; Markert et al., IEEE S&P 2020),
 * beyond what the pattern rules below already catch.
 */
const COMMON_PINS = new Set([
  '123123',
  '112233',
  '121212',
  '123321',
  '789456',
  '159753',
  '147258',
  '258369',
  '520520',
  '147852',
  '159357',
  '131313',
  '696969',
  '101010',
  '456123',
  '123654',
  '789789',
  '102030',
  '100200',
  '121314',
  '112211',
  '232323',
  '454545',
  '565656',
  '252525',
  '202020',
  '212121',
  '242424',
  '007007',
  '123000',
  '100000',
  '200000',
  '300000',
  '001001',
  '110110',
  '123789',
  '147369',
  '963852',
  '741852',
  '852456',
  '321654',
  '357159',
  '951753',
  '246810',
  '135790',
  '112358',
  '314159',
  '010203',
  '121121',
  '111222',
  '222111',
  '000111',
  '111000',
  '999000',
  '112112',
  '520131',
  '521521',
  '521314',
  '201314',
  '584520',
  '131420',
  '147147',
  '258258',
  '369369',
  '159159',
  '753951',
  '123456',
  '654321',
  '456456',
  '741741',
  '852852',
  '963963',
  '142536',
  '135246',
  '987987',
  '098765',
  '102938',
  '111333',
  '333666',
  '666999',
  '222333',
  '159951',
  '357753',
  '456654',
  '789987',
  '123789',
  '987123',
  '000123',
  '123987',
  '111111',
  '686868',
  '868686',
  '168168',
  '888999',
  '775533',
  '778899',
  '998877',
  '135791',
  '246802',
  '369258',
  '101112',
  '010101',
  '090909',
  '080808',
  '070707',
  '060606',
  '050505',
  '040404',
  '030303',
  '020202',
  '505050',
  '606060',
  '707070',
  '808080',
  '909090',
  '303030',
  '404040',
]);

export type WeakCodeReason = 'SINGLE_DIGIT' | 'RUN' | 'REPEATED_PATTERN' | 'MIRRORED' | 'COMMON' | 'DATE' | 'FROM_NIR';

const isSingleDigit = (c: string) => /^(\d)\1{5}$/.test(c);

/** 012345, 234567, 890123 (wrapping), and the descending ones. */
function isRun(code: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < code.length; i++) {
    steps.add((Number(code[i]) - Number(code[i - 1]) + 10) % 10);
  }
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/** ababab, abcabc. */
const isRepeatedPattern = (c: string) => c.slice(0, 2).repeat(3) === c || c.slice(0, 3).repeat(2) === c;

/** abccba. */
const isMirrored = (c: string) => c === [...c].reverse().join('');

const isMonth = (mm: number) => mm >= 1 && mm <= 12;
const isDay = (dd: number) => dd >= 1 && dd <= 31;
const isCentury = (cc: number) => cc === 19 || cc === 20;

/** Birthdays and anniversaries: DDMMYY, MMDDYY, YYMMDD, MMYYYY, YYYYMM. */
function isDateLike(code: string): boolean {
  const [a, b, c] = [0, 2, 4].map((i) => Number(code.slice(i, i + 2))) as [number, number, number];
  return (
    (isDay(a) && isMonth(b)) || // DDMMYY
    (isMonth(a) && isDay(b)) || // MMDDYY
    (isMonth(b) && isDay(c)) || // YYMMDD
    (isMonth(a) && isCentury(b)) || // MMYYYY
    (isCentury(a) && isMonth(c)) // YYYYMM
  );
}

/** Every run of six consecutive digits in the NIR: codes a member must not choose. */
export function nirWindows(nir: Nir): string[] {
  const windows = new Set<string>();
  for (let i = 0; i + 6 <= nir.length; i++) {
    const window = nir.slice(i, i + 6);
    if (/^\d{6}$/.test(window)) windows.add(window);
  }
  return [...windows];
}

const isFromNir = (code: string, nir: Nir) => nirWindows(nir).includes(code);

/** Why a new code is too guessable, or undefined when it is acceptable (the NIR rule only when the NIR is known). */
export function weakCodeReason(code: SixDigitCode, nir?: Nir): WeakCodeReason | undefined {
  if (isSingleDigit(code)) return 'SINGLE_DIGIT';
  if (isRun(code)) return 'RUN';
  if (COMMON_PINS.has(code)) return 'COMMON';
  if (isRepeatedPattern(code)) return 'REPEATED_PATTERN';
  if (isMirrored(code)) return 'MIRRORED';
  if (isDateLike(code)) return 'DATE';
  if (nir && isFromNir(code, nir)) return 'FROM_NIR';
  return undefined;
}

export function assertStrongCode(code: SixDigitCode, nir?: Nir): void {
  const reason = weakCodeReason(code, nir);
  if (reason) throw new WeakCodeError(reason, { fields: { newCode: reason } });
}
