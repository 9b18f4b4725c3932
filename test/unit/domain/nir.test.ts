import { describe, expect, it } from '@jest/globals';
import { InvalidNirError } from '../../../lambdas/domain/errors.ts';
import { maskNir, nirKey, nirMistake, parseNir } from '../../../lambdas/domain/nir.ts';

describe('parseNir', () => {
  it.each(['295109912611193', '253072A07300443', '253072B07300470'])('accepts the valid vector %s', (nir) => {
    expect(parseNir(nir)).toBe(nir);
  });

  it('rejects a NIR whose key does not match (295109912611199)', () => {
    expect(() => parseNir('295109912611199')).toThrow(InvalidNirError);
  });

  it('ignores spaces, dots and dashes and accepts lower-case 2a', () => {
    expect(parseNir('2 95 10 99 126 111 93')).toBe('295109912611193');
    expect(parseNir('2.53.07.2a.073.004-43')).toBe('253072A07300443');
  });

  it.each([
    '',
    '29510991261119',
    '2951099126111933',
    '995109912611193',
    '2951099126111A3',
    '253072C07300443',
    '２95109912611193',
  ])('rejects the malformed input %p', (input) => {
    expect(() => parseNir(input)).toThrow(InvalidNirError);
  });

  it('computes Corsican keys with 19 for 2A and 18 for 2B', () => {
    expect(nirKey('253072A073004')).toBe(43);
    expect(nirKey('253072B073004')).toBe(70);
  });
});

describe('nirMistake: the member is told which mistake', () => {
  it('tells a wrong length from a wrong character and from a wrong key', () => {
    expect(nirMistake('2 95 10 99 126 111')).toBe('LENGTH');
    expect(nirMistake('2951099126111933')).toBe('LENGTH');
    expect(nirMistake('2 95 10 99 126 1X1 93')).toBe('CHARACTERS');
    expect(nirMistake('2 95 10 99 126 111 94')).toBe('KEY');
    expect(nirMistake('2 95 10 99 126 111 93')).toBeUndefined();
  });

  it('the API says which in the error’s fields', () => {
    expect(() => parseNir('2 95 10 99 126 111 94')).toThrow(expect.objectContaining({ fields: { nir: 'KEY' } }));
    expect(() => parseNir('2 95 10')).toThrow(expect.objectContaining({ fields: { nir: 'LENGTH' } }));
  });
});

describe('maskNir', () => {
  it('keeps only category, birth year and key', () => {
    expect(maskNir(parseNir('295109912611193'))).toBe('2 95 ** ** *** *** 93');
  });
});
