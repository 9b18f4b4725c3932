import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { InvalidCredentialsError, TooManyAttemptsError, WeakCodeError } from '../../../lambdas/domain/errors.ts';
import { type DomainWorld, domainWorld, SOURCE } from '../../support/domain-world.ts';

const change = (w: DomainWorld, nir: string, currentCode: string, newCode = '305817') =>
  w.codeChange.change({ nir, currentCode, newCode, newCodeConfirmation: newCode }, SOURCE);

const lockOut = async (w: DomainWorld, nir: string) => {
  for (let i = 0; i < 5; i++) await w.login.login({ nir, code: '111111' }, SOURCE).catch(() => undefined);
};

describe('Code change (domain, in-memory ports)', () => {
  it('the initial code sets a personal code once; the initial code is then dead', async () => {
    const w = await domainWorld();
    const { nir, initialCode, key } = await w.addMember();

    await change(w, nir, initialCode);
    expect(w.member(key).codeVersion).toBe(1);
    expect(w.member(key).initialCodeHash).toBeUndefined();
    await expect(change(w, nir, initialCode, '602948')).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(w.events.count('CODE_CHANGED')).toBe(1);
    expect(w.mailer.sent).toHaveLength(1);
  });

  it('a weak new code is refused before the current code is checked, costing the member no attempt', async () => {
    const w = await domainWorld();
    const { nir, initialCode, key } = await w.addMember();

    await expect(change(w, nir, initialCode, '123456')).rejects.toBeInstanceOf(WeakCodeError);
    expect((await w.attempts.loadCounter(key)).version).toBe(0);
  });

  it('two forms sent at once with the same valid code change it once (race)', async () => {
    const w = await domainWorld();
    const { nir, initialCode, key } = await w.addMember();

    const outcomes = await Promise.allSettled([change(w, nir, initialCode), change(w, nir, initialCode, '602948')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(w.member(key).codeVersion).toBe(1);
  });

  it('a stranger’s lock does not stop the member holding a letter: its code still opens the form', async () => {
    const w = await domainWorld();
    const { nir, key } = await w.addMemberWithPersonalCode('739164', { email: null });
    await w.letterQueue.request(w.member(key), 'CUSTOMER_SERVICE', 'req');
    await w.letterExport.run();
    const [content] = [...w.letterFiles.files.values()];
    const [row] = parse(content!, { columns: true }) as Array<Record<string, string>>;
    await lockOut(w, nir);

    await expect(change(w, nir, '222222')).rejects.toBeInstanceOf(TooManyAttemptsError);
    await change(w, nir, row!['temporaryCode']!);
    expect((await w.attempts.loadCounter(key)).counter.lockedUntil).toBe(0);
    expect(w.events.recorded.filter((r) => r.event === 'LOCK_CLEARED')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ reason: 'LETTER_CODE' }) }),
    ]);
  });

  it('during a lock, the personal code is not checked by the form (no way around the lock)', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
    await lockOut(w, nir);

    await expect(change(w, nir, personalCode)).rejects.toBeInstanceOf(TooManyAttemptsError);
    expect(w.member(key).codeVersion).toBe(1);
  });
});
