import { describe, expect, it } from '@jest/globals';
import { InvalidResetTokenError, TooManyAttemptsError } from '../../../lambdas/domain/errors.ts';
import { MAX_RESET_LINK_USES, MAX_RESET_MAILS_PER_HOUR } from '../../../lambdas/domain/forgotten-code.ts';
import { type DomainWorld, domainWorld, SOURCE } from '../../support/domain-world.ts';
import { uniqueNir } from '../../support/members.ts';

const NEW_CODE = '305817';

/** Asks for a reset link and returns the token the mail carried. */
async function mailedToken(w: DomainWorld, nir: string): Promise<string> {
  await w.forgottenCode.request({ nir }, SOURCE);
  await w.runJobs();
  const text = w.mailer.sent.at(-1)?.text ?? '';
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!token) throw new Error('no reset link mailed');
  return token;
}

const reset = (w: DomainWorld, token: string, nir: string, newCode = NEW_CODE) =>
  w.codeReset.reset({ token, nir, newCode, newCodeConfirmation: newCode }, SOURCE);

describe('Forgotten code (domain, in-memory ports)', () => {
  it('answers every well-formed NIR the same way and hands the branch off the response path', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMember();

    await expect(w.forgottenCode.request({ nir }, SOURCE)).resolves.toBeUndefined();
    await expect(w.forgottenCode.request({ nir: uniqueNir() }, SOURCE)).resolves.toBeUndefined();
    expect(w.jobs.queued.map((j) => j.kind)).toEqual(['FORGOT', 'FORGOT']);
    expect(w.mailer.sent).toHaveLength(0);

    await w.runJobs();
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.events.names()).toEqual(expect.arrayContaining(['RESET_LINK_ISSUED', 'FORGOT_REQUEST_IGNORED']));
  });

  it('a member without email gets a letter request, once while one is outstanding', async () => {
    const w = await domainWorld();
    const { nir, key } = await w.addMember({ email: null });

    await w.forgottenCode.request({ nir }, SOURCE);
    await w.forgottenCode.request({ nir }, SOURCE);
    await w.runJobs();
    expect(await w.letterStore.list('PENDING')).toEqual([expect.objectContaining({ memberKey: key })]);
    expect(w.mailer.sent).toHaveLength(0);
  });

  it('a mail bomber gets at most three reset mails an hour to one member', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMember();
    for (let i = 0; i < MAX_RESET_MAILS_PER_HOUR + 2; i++) await w.forgottenCode.request({ nir }, SOURCE);
    await w.runJobs();

    expect(w.mailer.sent).toHaveLength(MAX_RESET_MAILS_PER_HOUR);
    expect(w.events.count('RESET_MAIL_LIMITED')).toBe(2);
  });

  it('a flood of requests from one address is throttled per source IP', async () => {
    const w = await domainWorld({ forgotPerIp: 2 });
    await w.forgottenCode.request({ nir: uniqueNir() }, SOURCE);
    await w.forgottenCode.request({ nir: uniqueNir() }, SOURCE);

    await expect(w.forgottenCode.request({ nir: uniqueNir() }, SOURCE)).rejects.toBeInstanceOf(TooManyAttemptsError);
    expect(w.jobs.queued).toHaveLength(2);
  });

  it('the link and the NIR set a personal code once; the link is then dead', async () => {
    const w = await domainWorld();
    const { nir, key } = await w.addMember();
    const token = await mailedToken(w, nir);

    await reset(w, token, nir);
    const member = w.member(key);
    expect(member.personalCodeHash).toBeDefined();
    expect(member.initialCodeHash).toBeUndefined();
    expect(w.resetLinks.size).toBe(0);
    await expect(reset(w, token, nir, '602948')).rejects.toBeInstanceOf(InvalidResetTokenError);
    await expect(w.login.login({ nir, code: NEW_CODE }, SOURCE)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
  });

  it('a newer link cancels the older one', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMember();
    const older = await mailedToken(w, nir);
    const newer = await mailedToken(w, nir);

    await expect(reset(w, older, nir)).rejects.toBeInstanceOf(InvalidResetTokenError);
    await expect(reset(w, newer, nir)).resolves.toEqual({ device: undefined });
  });

  it('a stolen mailbox alone is not enough: wrong NIRs spend the link after three tries', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMember();
    const token = await mailedToken(w, nir);
    for (let i = 0; i < MAX_RESET_LINK_USES; i++)
      await expect(reset(w, token, uniqueNir())).rejects.toBeInstanceOf(InvalidResetTokenError);

    await expect(reset(w, token, nir)).rejects.toBeInstanceOf(InvalidResetTokenError);
    expect(w.events.count('RESET_LINK_WRONG_NIR')).toBe(MAX_RESET_LINK_USES);
  });

  it('an expired link is refused like an unknown one', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMember();
    const token = await mailedToken(w, nir);
    w.clock.advance(61 * 60_000);

    await expect(reset(w, token, nir)).rejects.toBeInstanceOf(InvalidResetTokenError);
  });

  it('a used reset link clears the lock a stranger put on the NIR (lock DoS)', async () => {
    const w = await domainWorld();
    const { nir, key } = await w.addMember();
    for (let i = 0; i < 5; i++) await w.login.login({ nir, code: '111111' }, SOURCE).catch(() => undefined);
    expect((await w.attempts.loadCounter(key)).counter.lockedUntil).toBeGreaterThan(w.clock.now());
    const token = await mailedToken(w, nir);

    await reset(w, token, nir);
    expect((await w.attempts.loadCounter(key)).counter).toMatchObject({ lockedUntil: 0, consecutive: 0 });
    await expect(w.login.login({ nir, code: NEW_CODE }, SOURCE)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
  });

  it('a deactivated member’s link no longer sets a code', async () => {
    const w = await domainWorld();
    const { nir, key } = await w.addMember();
    const token = await mailedToken(w, nir);
    w.members.update(key, (m) => {
      m.deactivatedAt = w.clock.now();
    });

    await expect(reset(w, token, nir)).rejects.toBeInstanceOf(InvalidResetTokenError);
    expect(w.member(key).personalCodeHash).toBeUndefined();
  });
});
