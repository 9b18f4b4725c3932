import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAccessEndSchedule } from '../../lambdas/adapters/dynamo/access-end-schedule.ts';
import { DynamoAccessStore } from '../../lambdas/adapters/dynamo/access-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { keys, type Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import { hasAccessEnded, parisMidnight } from '../../lambdas/domain/access-end.ts';
import { runAccessEnds } from '../../lambdas/domain/access-ends-run.ts';
import { CodeHasher, OWASP_MINIMUM } from '../../lambdas/domain/code-hashing.ts';
import { MemberAccess } from '../../lambdas/domain/member-access.ts';
import { nirLookupKey, parseNir } from '../../lambdas/domain/nir.ts';
import { importClientsFile } from '../../lambdas/ops/import-clients.ts';
import { importMembersFile } from '../../lambdas/ops/import-members.ts';
import { uniqueNir } from '../support/members.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

/**
 * The membership feed's end dates (operations.md, "membership at scale") on DynamoDB Local, with the
 * clock moved: the day before, the day itself, after a later file moved or cleared the date.
 */
let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const HEADER =
  'nir,lastName,firstName,email,addressLine1,addressLine2,postalCode,city,country,clientId,initialCode,endDate';
const context = { operator: 'feed.test', requestId: 'feed' };

/** A world at `now` (movable): the stores over the test table, the import's and the run's dependencies. */
function world(start: number) {
  let now = start;
  const clock = { now: () => now };
  const members = new DynamoMemberRepository(table);
  const store = new DynamoAccessStore(table, 365);
  const schedule = new DynamoAccessEndSchedule(table);
  const access = new MemberAccess(store, clock);
  const nirHasher = new LocalHmacKey(Buffer.alloc(32, 3));
  const importDeps = {
    members,
    nirHasher,
    codeHasher: new CodeHasher(new LocalHmacKey(Buffer.alloc(32, 4)), OWASP_MINIMUM),
    clock,
    initialCodeValidDays: 365,
    clientAccess: { access, context },
    endSchedule: schedule,
  };
  const out = { rejected: (line: number, reason: string) => rejected.push([line, reason]), progress: () => undefined };
  const rejected: Array<[number, string]> = [];
  return {
    members,
    store,
    rejected,
    moveTo: (at: number) => {
      now = at;
    },
    importMembers: async (...rows: string[]) => importMembersFile(await csv([HEADER, ...rows]), importDeps, out),
    /** The same import stopped right after each row's write: nothing of what follows it was applied. */
    importMembersCutShort: async (...rows: string[]) =>
      importMembersFile(
        await csv([HEADER, ...rows]),
        { ...importDeps, clientAccess: undefined, endSchedule: undefined },
        out,
      ),
    importClients: async (...rows: string[]) =>
      importClientsFile(await csv(['clientId,name,endDate', ...rows]), { access, schedule, clock, context }, out),
    run: () => runAccessEnds({ schedule, members, store, access, clock }, context),
    member: async (nir: string) => (await members.get(await nirLookupKey(nirHasher, parseNir(nir))))!,
  };
}

async function csv(lines: string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'mpa-feed-')), 'feed.csv');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const row = (nir: string, endDate: string, clientId = '') =>
  `${nir},Dubois,Claire,claire@example.org,,,,,,${clientId},469135,${endDate}`;

async function auditOf(memberKey: string) {
  const { Items } = await table.client.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${memberKey}` },
    }),
  );
  return Items ?? [];
}

describe('00:00 Europe/Paris on the end date', () => {
  it('is 23:00 UTC the day before in winter, 22:00 in summer', () => {
    expect(new Date(parisMidnight('2027-01-15')).toISOString()).toBe('2027-01-14T23:00:00.000Z');
    expect(new Date(parisMidnight('2027-07-15')).toISOString()).toBe('2027-07-14T22:00:00.000Z');
    // The nights the clocks change: midnight exists, before the change.
    expect(new Date(parisMidnight('2027-03-28')).toISOString()).toBe('2027-03-27T23:00:00.000Z');
    expect(new Date(parisMidnight('2027-10-31')).toISOString()).toBe('2027-10-30T22:00:00.000Z');
  });
});

describe('a member’s endDate', () => {
  it('ends access at 00:00 Paris with no operator action; the run that day records it, audited as automatic', async () => {
    const w = world(parisMidnight('2027-01-14') + 10 * 60 * 60 * 1000);
    const nir = uniqueNir();
    expect(await w.importMembers(row(nir, '2027-01-15'))).toMatchObject({ imported: 1, rejected: 0 });
    const before = await w.member(nir);
    expect(before.accessEndsAt).toBe(parisMidnight('2027-01-15'));
    expect(hasAccessEnded(before, Date.parse('2027-01-14T22:59:59Z'))).toBe(false);
    // The sign-in check compares the date: it does not wait for the run.
    expect(hasAccessEnded(before, Date.parse('2027-01-14T23:00:00Z'))).toBe(true);

    w.moveTo(Date.parse('2027-01-14T23:30:00Z'));
    const report = await w.run();
    expect(report.membersEnded).toBeGreaterThanOrEqual(1);
    const after = await w.member(nir);
    expect(after.deactivatedAt).toBeDefined();
    // A new codeVersion: every session and challenge bound to the former one is dead.
    expect(after.codeVersion).toBe(before.codeVersion + 1);
    const audit = await auditOf(after.key);
    expect(audit).toContainEqual(
      expect.objectContaining({
        event: 'MEMBER_DEACTIVATED',
        detail: expect.objectContaining({ trigger: 'END_DATE' }),
      }),
    );
    // Run again: nothing more happens, nothing is audited twice.
    await w.run();
    expect((await auditOf(after.key)).filter((a) => a['event'] === 'MEMBER_DEACTIVATED')).toHaveLength(1);
  });

  it('a later file moves it or clears it: the run of the old day leaves the member alone', async () => {
    const w = world(Date.parse('2027-02-01T09:00:00Z'));
    const [moved, cleared, kept] = [uniqueNir(), uniqueNir(), uniqueNir()];
    await w.importMembers(row(moved, '2027-02-10'), row(cleared, '2027-02-10'), row(kept, '2027-02-10'));
    // A file without the column changes nothing; an empty cell clears; another date moves.
    await w.importMembers(row(moved, '2027-03-10'), row(cleared, ''));
    const oldHeader = HEADER.replace(',endDate', '');
    await importMembersFile(
      await csv([oldHeader, `${kept},Dubois,Claire,claire@example.org,,,,,,,469135`]),
      {
        members: w.members,
        nirHasher: new LocalHmacKey(Buffer.alloc(32, 3)),
        codeHasher: new CodeHasher(new LocalHmacKey(Buffer.alloc(32, 4)), OWASP_MINIMUM),
        clock: { now: () => Date.parse('2027-02-01T09:00:00Z') },
        initialCodeValidDays: 365,
      },
      { rejected: () => undefined, progress: () => undefined },
    );
    expect((await w.member(kept)).accessEndsAt).toBe(parisMidnight('2027-02-10'));
    expect((await w.member(cleared)).accessEndsAt).toBeUndefined();

    w.moveTo(Date.parse('2027-02-10T08:00:00Z'));
    const report = await w.run();
    expect(report.stale).toBeGreaterThanOrEqual(2);
    expect((await w.member(moved)).deactivatedAt).toBeUndefined();
    expect((await w.member(cleared)).deactivatedAt).toBeUndefined();
    expect((await w.member(kept)).deactivatedAt).toBeDefined();
    // The moved date is recorded on its own day.
    w.moveTo(Date.parse('2027-03-10T08:00:00Z'));
    await w.run();
    expect((await w.member(moved)).deactivatedAt).toBeDefined();
  });

  it('a date in the past deactivates at once; a date that is not one is rejected with its line', async () => {
    const w = world(Date.parse('2027-04-01T09:00:00Z'));
    const [past, bad] = [uniqueNir(), uniqueNir()];
    expect(await w.importMembers(row(past, '2027-03-31'), row(bad, '2027-02-30'))).toMatchObject({
      imported: 1,
      rejected: 1,
    });
    expect(w.rejected).toEqual([[3, 'endDate must be a date YYYY-MM-DD']]);
    const member = await w.member(past);
    expect(member.deactivatedAt).toBe(Date.parse('2027-04-01T09:00:00Z'));
    expect(await auditOf(member.key)).toContainEqual(
      expect.objectContaining({ detail: expect.objectContaining({ trigger: 'END_DATE' }) }),
    );
  });
});

describe('an import stopped between a row’s write and its consequences', () => {
  it('is completed by the next run of the same file: the row is unchanged, its client’s end and its own past date applied', async () => {
    const w = world(Date.parse('2027-07-01T09:00:00Z'));
    const client = `CUT-${Date.now()}`;
    await w.importClients(`${client},Cut SA,2027-08-01`);
    const [member, leaver] = [uniqueNir(), uniqueNir()];
    await w.importMembersCutShort(row(member, '', client), row(leaver, '2027-06-30'));
    expect((await w.member(member)).clientAccessEndsAt).toBeUndefined();
    expect((await w.member(leaver)).deactivatedAt).toBeUndefined();
    expect(await w.importMembers(row(member, '', client), row(leaver, '2027-06-30'))).toMatchObject({
      unchanged: 2,
    });
    expect((await w.member(member)).clientAccessEndsAt).toBe(parisMidnight('2027-08-01'));
    expect((await w.member(leaver)).deactivatedAt).toBeDefined();
  });
});

describe('a client company’s endDate (import-clients)', () => {
  it('is copied onto its members, present and imported later; on the day every member loses access; the same file again changes nothing', async () => {
    const w = world(Date.parse('2027-05-01T09:00:00Z'));
    const client = `ACME-${Date.now()}`;
    const [early, late] = [uniqueNir(), uniqueNir()];
    await w.importMembers(row(early, '', client));
    expect(await w.importClients(`${client},Acme SA,2027-05-20`)).toEqual({
      updated: 1,
      unchanged: 0,
      deactivated: 0,
      rejected: 0,
    });
    await w.importMembers(row(late, '', client));
    for (const nir of [early, late]) {
      expect((await w.member(nir)).clientAccessEndsAt).toBe(parisMidnight('2027-05-20'));
    }
    expect(await w.importClients(`${client},Acme SA,2027-05-20`)).toMatchObject({ updated: 0, unchanged: 1 });
    expect(hasAccessEnded(await w.member(early), Date.parse('2027-05-19T22:00:00Z'))).toBe(true);

    w.moveTo(Date.parse('2027-05-20T01:00:00Z'));
    expect((await w.run()).clientsEnded).toBeGreaterThanOrEqual(1);
    for (const nir of [early, late]) {
      const member = await w.member(nir);
      expect(member.deactivationReason).toBe('CLIENT');
      expect(await auditOf(member.key)).toContainEqual(
        expect.objectContaining({ detail: expect.objectContaining({ clientId: client, trigger: 'END_DATE' }) }),
      );
    }
    expect((await w.store.getClient(client))?.deactivatedAt).toBeDefined();
  });

  it('cleared before the day: nothing ends; a past date deactivates the company and its members at once', async () => {
    const w = world(Date.parse('2027-06-01T09:00:00Z'));
    const [stays, goes] = [`STAYS-${Date.now()}`, `GOES-${Date.now()}`];
    const [a, b] = [uniqueNir(), uniqueNir()];
    await w.importMembers(row(a, '', stays), row(b, '', goes));
    await w.importClients(`${stays},Stays SA,2027-06-10`);
    expect(await w.importClients(`${stays},Stays SA,`, `${goes},Goes SA,2027-05-31`)).toMatchObject({
      updated: 1,
      deactivated: 1,
    });
    expect((await w.member(a)).clientAccessEndsAt).toBeUndefined();
    expect((await w.member(b)).deactivatedAt).toBeDefined();
    w.moveTo(Date.parse('2027-06-10T09:00:00Z'));
    await w.run();
    expect((await w.member(a)).deactivatedAt).toBeUndefined();
    // The schedule's entry went with the run.
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.accessEnd('2027-06-10', 'CLIENT', stays).pk },
      }),
    );
    expect(Items).toEqual([]);
  });
});
