import { describe, expect, it } from '@jest/globals';
import { assertStrongCode, nirWindows, weakCodeReason } from '../../../lambdas/domain/code-blocklist.ts';
import { parseCode } from '../../../lambdas/domain/code-format.ts';
import { InvalidCodeFormatError, WeakCodeError } from '../../../lambdas/domain/errors.ts';
import { parseNir } from '../../../lambdas/domain/nir.ts';

const nir = parseNir('295109912611193');
const reason = (code: string) => weakCodeReason(parseCode(code), nir);

describe('new-code blocklist', () => {
  it.each([
    ['000000', 'SINGLE_DIGIT'],
    ['777777', 'SINGLE_DIGIT'],
    ['123456', 'RUN'],
    ['654321', 'RUN'],
    ['890123', 'RUN'],
    ['012345', 'RUN'],
    ['121212', 'COMMON'],
    ['159753', 'COMMON'],
    ['147258', 'COMMON'],
    ['373737', 'REPEATED_PATTERN'],
    ['581581', 'REPEATED_PATTERN'],
    ['386683', 'MIRRORED'],
    ['250399', 'DATE'],
    ['031299', 'DATE'],
    ['990315', 'DATE'],
    ['061984', 'DATE'],
    ['198406', 'DATE'],
    ['912611', 'FROM_NIR'],
    ['611193', 'FROM_NIR'],
  ])('refuses %s (%s)', (code, why) => {
    expect(reason(code)).toBe(why);
  });

  it.each(['583927', '479836', '869347'])('accepts an unremarkable code %s', (code) => {
    expect(reason(code)).toBeUndefined();
  });

  it("lists the NIR's all-digit 6-digit windows", () => {
    expect(nirWindows(parseNir('253072A07300443'))).toEqual(['253072', '073004', '730044', '300443']);
    expect(nirWindows(nir)).toHaveLength(10);
  });

  it('turns a weak code into WEAK_CODE', () => {
    expect(() => assertStrongCode(parseCode('111111'), nir)).toThrow(WeakCodeError);
  });

  it('blocks a sizeable but bounded share of the code space', () => {
    let blocked = 0;
    for (let i = 0; i < 1_000_000; i += 7) if (reason(String(i).padStart(6, '0'))) blocked++;
    const share = blocked / Math.ceil(1_000_000 / 7);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.25);
  });
});

describe('code format', () => {
  it.each(['12345', '1234567', '12a456', ' 123456', '１２３４５６', '', '12345٦'])('rejects %p', (code) => {
    expect(() => parseCode(code)).toThrow(InvalidCodeFormatError);
  });
});
