import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { LETTER_COOLDOWN_DAYS } from '../../../lambdas/domain/letters.ts';
import { type DomainWorld, domainWorld, SOURCE } from '../../support/domain-world.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Queues a letter for a member without email, as a forgotten-code request does. */
async function memberAwaitingLetter(w: DomainWorld) {
  const added = await w.addMember({ email: null });
  await w.letterQueue.request(w.member(added.key), 'MEMBER', 'req-letter');
  return added;
}

function rowsOf(w: DomainWorld): Array<Record<string, string>> {
  return [...w.letterFiles.files.values()].flatMap(
    (content): Array<Record<string, string>> => parse(content, { columns: true }),
  );
}

describe('Letters (domain, in-memory ports)', () => {
  it('exports each pending letter once, and its temporary code then opens the code-change form', async () => {
    const w = await domainWorld();
    const { nir, key } = await memberAwaitingLetter(w);

    const report = await w.letterExport.run();
    expect(report).toMatchObject({ exported: 1, cancelled: 0 });
    const [row] = rowsOf(w);
    expect(w.member(key).letterOutstandingId).toBeUndefined();
    await expect(w.login.login({ nir, code: row!['temporaryCode']! }, SOURCE)).resolves.toEqual({
      status: 'CODE_CHANGE_REQUIRED',
    });
    await expect(w.letterExport.run()).resolves.toMatchObject({ exported: 0, files: [] });
  });

  it('a letter asked by a stranger does not cancel the member’s current code', async () => {
    const w = await domainWorld();
    const { nir, personalCode } = await w.addMemberWithPersonalCode('739164', { email: null });
    const key = await w.keyOf(nir);
    await w.letterQueue.request(w.member(key), 'MEMBER', 'req-stranger');
    await w.letterExport.run();

    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
  });

  it('a crash before the file is written loses no letter: the next run claims it again', async () => {
    const w = await domainWorld();
    await memberAwaitingLetter(w);
    w.letterFiles.failNextWrite = true;

    await expect(w.letterExport.run()).rejects.toThrow('disk full');
    expect(await w.letterStore.list('EXPORTING')).toHaveLength(1);
    await expect(w.letterExport.run()).resolves.toMatchObject({ exported: 1 });
    expect(rowsOf(w)).toHaveLength(1);
  });

  it('a crash after the file is written sends no letter twice: the next run completes that file', async () => {
    const w = await domainWorld();
    const { key } = await memberAwaitingLetter(w);
    const commit = w.letterStore.commit.bind(w.letterStore);
    w.letterStore.commit = async () => {
      throw new Error('crash between file and commit');
    };
    await expect(w.letterExport.run()).rejects.toThrow('crash');
    w.letterStore.commit = commit;

    const report = await w.letterExport.run();
    expect(report.exported).toBe(1);
    expect(w.letterFiles.files.size).toBe(1);
    expect(w.member(key).temporaryCodeHash).toBeDefined();
  });

  it('a member deactivated after asking gets no letter (CGU 3.5)', async () => {
    const w = await domainWorld();
    const { key } = await memberAwaitingLetter(w);
    w.members.update(key, (m) => {
      m.deactivatedAt = w.clock.now();
    });

    await expect(w.letterExport.run()).resolves.toMatchObject({ exported: 0, cancelled: 1 });
    expect(w.member(key).letterOutstandingId).toBeUndefined();
    await expect(w.letterQueue.request(w.member(key), 'CUSTOMER_SERVICE', 'req')).resolves.toBe('DEACTIVATED');
  });

  it('a member’s own request within a week of a letter is refused; customer service may still send one', async () => {
    const w = await domainWorld();
    const { key } = await memberAwaitingLetter(w);
    await w.letterExport.run();
    w.clock.advance((LETTER_COOLDOWN_DAYS - 1) * DAY_MS);

    await expect(w.letterQueue.request(w.member(key), 'MEMBER', 'req')).resolves.toBe('RECENTLY_SENT');
    await expect(w.letterQueue.request(w.member(key), 'CUSTOMER_SERVICE', 'req')).resolves.toBe('QUEUED');
    await expect(w.letterQueue.request(w.member(key), 'CUSTOMER_SERVICE', 'req')).resolves.toBe('ALREADY_PENDING');
  });

  it('a name a spreadsheet would run as a formula is defused in the export file (CSV injection)', async () => {
    const w = await domainWorld();
    const { key } = await memberAwaitingLetter(w);
    w.members.update(key, (m) => {
      m.lastName = '=HYPERLINK("http://evil.example")';
    });
    await w.letterExport.run();

    expect(rowsOf(w)[0]!['lastName']).toBe('\'=HYPERLINK("http://evil.example")');
  });
});
