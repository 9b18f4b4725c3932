import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { weakCodeReason } from '../../../lambdas/domain/code-blocklist.ts';
import { parseCode, type SixDigitCode } from '../../../lambdas/domain/code-format.ts';
import { AppError, InvalidCodeFormatError, InvalidNirError } from '../../../lambdas/domain/errors.ts';
import { nirKey, parseNir } from '../../../lambdas/domain/nir.ts';
import { parseCookies } from '../../../lambdas/http/cookies.ts';
import { csvRecords } from '../../../lambdas/ops/csv-records.ts';

/** Property-based tests (fast-check): every input, not the few a person thinks of. Bounded runs. */
const RUNS = { numRuns: 300 };

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A valid NIR: category, year, month, department (Corsica included), commune and order, then its key. */
const validNir = fc
  .tuple(
    fc.constantFrom('1', '2', '3', '4', '7', '8'),
    digits(4),
    fc.oneof(digits(2), fc.constantFrom('2A', '2B')),
    digits(6),
  )
  .map(([category, yearMonth, department, rest]) => {
    const body = `${category}${yearMonth}${department}${rest}`;
    return `${body}${String(nirKey(body)).padStart(2, '0')}`;
  });

const separated = (nir: string) =>
  fc
    .array(fc.constantFrom(' ', '.', '-', '  '), { minLength: nir.length, maxLength: nir.length })
    .map((seps) => [...nir].map((c, i) => `${c}${seps[i]}`).join(''));

function refusal(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('the NIR parser', () => {
  it('accepts every valid NIR, Corsica included, and normalises spaces, dots, dashes and lower-case 2a/2b to it', () => {
    fc.assert(
      fc.property(
        validNir.chain((nir) => fc.tuple(fc.constant(nir), separated(nir), fc.boolean())),
        ([nir, spaced, lower]) => {
          expect(parseNir(lower ? spaced.toLowerCase() : spaced)).toBe(nir);
        },
      ),
      RUNS,
    );
  });

  it('refuses any NIR with one digit changed (the key catches it), always as INVALID_NIR', () => {
    fc.assert(
      fc.property(validNir, fc.nat(14), fc.integer({ min: 1, max: 9 }), (nir, at, delta) => {
        const c = nir[at]!;
        fc.pre(/\d/.test(c));
        const changed = `${nir.slice(0, at)}${(Number(c) + delta) % 10}${nir.slice(at + 1)}`;
        expect(refusal(() => parseNir(changed))).toBeInstanceOf(InvalidNirError);
      }),
      RUNS,
    );
  });

  it('answers any string with a NIR or INVALID_NIR, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (input) => {
        const error = refusal(() => parseNir(input));
        if (error !== undefined) expect(error).toBeInstanceOf(InvalidNirError);
        else expect(parseNir(input)).toMatch(/^[1-478]\d{4}(\d{2}|2A|2B)\d{8}$/);
      }),
      RUNS,
    );
  });
});

describe('the code rules', () => {
  it('a code is exactly six ASCII digits: anything else is INVALID_CODE_FORMAT', () => {
    fc.assert(
      fc.property(fc.oneof(digits(6), fc.string({ maxLength: 12, unit: 'binary' })), (input) => {
        const error = refusal(() => parseCode(input));
        if (/^[0-9]{6}$/.test(input)) expect(error).toBeUndefined();
        else expect(error).toBeInstanceOf(InvalidCodeFormatError);
      }),
      RUNS,
    );
  });

  it('refuses every code of one repeated digit and every code made of the NIR’s own digits', () => {
    fc.assert(
      fc.property(validNir, fc.integer({ min: 0, max: 9 }), fc.nat(9), (nir, d, at) => {
        expect(weakCodeReason(String(d).repeat(6) as SixDigitCode)).toBeDefined();
        const window = nir.slice(at, at + 6);
        fc.pre(/^\d{6}$/.test(window));
        expect(weakCodeReason(window as SixDigitCode, parseNir(nir))).toBeDefined();
      }),
      RUNS,
    );
  });
});

describe('cookie headers', () => {
  it('never throw, and give back every well-formed name=value pair', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(token, token), { maxLength: 5 }),
        fc.string({ maxLength: 60, unit: 'binary' }),
        (pairs, garbage) => {
          const header = pairs.map(([n, v]) => `${n}=${v}`).join('; ');
          const parsed = parseCookies([header]);
          for (const [n] of pairs) expect(parsed[n]).toBe(pairs.findLast(([m]) => m === n)![1]);
          expect(() => parseCookies([garbage, header])).not.toThrow();
        },
      ),
      RUNS,
    );
  });
});

async function read(bytes: Uint8Array) {
  const records: Array<{ line: number; fields: string[] }> = [];
  const problems: Array<{ line: number; reason: string }> = [];
  for await (const record of csvRecords(Readable.from([Buffer.from(bytes)]), (p) => problems.push(p)))
    records.push(record);
  return { records, problems };
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

describe('the CSV reader of the import', () => {
  it('any byte sequence: every row read or reported with its line, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const { records, problems } = await read(bytes);
        for (const r of [...records, ...problems]) expect(r.line).toBeGreaterThanOrEqual(1);
        for (const p of problems) expect(p.reason).not.toMatch(/\d{6}/);
      }),
      RUNS,
    );
  });

  it('fields with commas, quotes and line breaks come back exactly', async () => {
    const field = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\r'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        async (rows) => {
          fc.pre(rows.every((r) => r.some((f) => f !== '')));
          const text = `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
          const { records, problems } = await read(new TextEncoder().encode(text));
          expect(problems).toEqual([]);
          expect(records.map((r) => r.fields)).toEqual(rows);
        },
      ),
      RUNS,
    );
  });
});

describe('every error a parser throws is one of ours', () => {
  it('parsers throw AppErrors only (the contract envelope), whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: 'binary' }), (input) => {
        for (const run of [() => parseNir(input), () => parseCode(input)]) {
          const error = refusal(run);
          if (error !== undefined) expect(error).toBeInstanceOf(AppError);
        }
      }),
      RUNS,
    );
  });
});
