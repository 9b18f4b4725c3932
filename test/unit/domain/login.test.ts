import { describe, expect, it } from '@jest/globals';
import {
  AccountDeactivatedError,
  InvalidCredentialsError,
  TooManyAttemptsError,
} from '../../../lambdas/domain/errors.ts';
import { domainWorld, SOURCE } from '../../support/domain-world.ts';
import { uniqueNir } from '../../support/members.ts';

const TERMS = { version: '2026-11', url: 'https://portal.example.org/cgu-2026-11.pdf', publishedAt: 0 };

describe('Login (domain, in-memory ports)', () => {
  it('opens only the code-change form with the initial code, and no session', async () => {
    const w = await domainWorld();
    const { nir, initialCode, key } = await w.addMember();

    await expect(w.login.login({ nir, code: initialCode }, SOURCE)).resolves.toEqual({
      status: 'CODE_CHANGE_REQUIRED',
    });
    expect(await w.sessionStore.listByMember(key)).toEqual([]);
    expect(w.events.names()).toContain('LOGIN_CODE_CHANGE_REQUIRED');
  });

  it('asks for the current terms with a single-use challenge, then opens a session on acceptance', async () => {
    const w = await domainWorld();
    await w.termsStore.publish(TERMS);
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();

    const outcome = await w.login.login({ nir, code: personalCode }, SOURCE);
    if (outcome.status !== 'TERMS_ACCEPTANCE_REQUIRED') throw new Error(`unexpected ${outcome.status}`);
    expect(outcome.terms.version).toBe(TERMS.version);
    expect(await w.sessionStore.listByMember(key)).toEqual([]);

    const request = { challenge: outcome.challenge, version: TERMS.version, ...SOURCE };
    const session = await w.termsOfUse.accept(request);
    expect(session.status).toBe('AUTHENTICATED');
    expect(w.member(key).termsVersion).toBe(TERMS.version);
    expect(w.members.termsProofs).toHaveLength(1);
    await expect(w.termsOfUse.accept(request)).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' });
  });

  it('signs in with the personal code once the terms are accepted, and the access token names the session', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();

    const outcome = await w.login.login({ nir, code: personalCode }, SOURCE);
    if (outcome.status !== 'AUTHENTICATED') throw new Error(`unexpected ${outcome.status}`);
    const [session] = await w.sessionStore.listByMember(key);
    const claims = await w.verifier.verify(outcome.accessToken);
    expect(claims.sid).toBe(session!.sid);
    expect(claims.sub).toBe(w.member(key).memberId);
    expect(outcome.refreshToken.startsWith(`${session!.sid}.`)).toBe(true);
  });

  it('answers an unknown NIR exactly as a wrong code, and counts the attempt on that NIR all the same', async () => {
    const w = await domainWorld();
    const { nir: known } = await w.addMemberWithPersonalCode();
    const unknown = uniqueNir();

    const wrongCode = await w.login.login({ nir: known, code: '111111' }, SOURCE).catch((e: unknown) => e);
    const noMember = await w.login.login({ nir: unknown, code: '111111' }, SOURCE).catch((e: unknown) => e);
    expect(noMember).toBeInstanceOf(InvalidCredentialsError);
    expect(noMember).toEqual(wrongCode);
    expect((await w.attempts.loadCounter(await w.keyOf(unknown))).counter.consecutive).toBe(1);
  });

  it('a code guesser is locked out at the fifth failure, before checking a sixth code', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
    for (let i = 0; i < 5; i++)
      await expect(w.login.login({ nir, code: '111111' }, SOURCE)).rejects.toBeInstanceOf(InvalidCredentialsError);

    const locked = await w.login.login({ nir, code: personalCode }, SOURCE).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TooManyAttemptsError);
    expect(w.events.count('LOCKOUT_STARTED')).toBe(1);
    expect(w.jobs.queued).toEqual([expect.objectContaining({ kind: 'LOCK_NOTICE', memberKey: key })]);
    expect(await w.sessionStore.listByMember(key)).toEqual([]);
  });

  it('a stranger who locks a NIR sends the member one notice per lock, however often the job runs', async () => {
    const w = await domainWorld();
    const { nir } = await w.addMemberWithPersonalCode();
    for (let i = 0; i < 5; i++) await w.login.login({ nir, code: '111111' }, SOURCE).catch(() => undefined);
    const [job] = w.jobs.queued;
    w.jobs.queued.push(job!);

    await w.runJobs();
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0]!.text).not.toContain(nir);
  });

  it('a right code gives its reservation back: failures before it no longer count towards a lock', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
    for (let i = 0; i < 4; i++) await w.login.login({ nir, code: '111111' }, SOURCE).catch(() => undefined);

    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
    const { counter } = await w.attempts.loadCounter(key);
    expect(counter).toMatchObject({ consecutive: 0, lockedUntil: 0 });
    expect(counter.recentFailures).toHaveLength(4);
  });

  it('a deactivated member with the right code is refused, and only then told so', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
    w.members.update(key, (m) => {
      m.deactivatedAt = w.clock.now();
      m.codeVersion += 1;
    });

    await expect(w.login.login({ nir, code: '111111' }, SOURCE)).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).rejects.toBeInstanceOf(AccountDeactivatedError);
  });

  it('a code changed while the sign-in was checking the former one opens no session (stale binding)', async () => {
    const w = await domainWorld();
    const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
    const create = w.sessionStore.create.bind(w.sessionStore);
    w.sessionStore.create = async (session, audit) => {
      w.members.update(key, (m) => {
        m.codeVersion += 1;
      });
      return create(session, audit);
    };

    await expect(w.login.login({ nir, code: personalCode }, SOURCE)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(w.events.names()).toContain('LOGIN_REFUSED_STALE');
    // The success and the session start went with the refused session: neither happened.
    expect(w.events.names()).not.toContain('LOGIN_SUCCEEDED');
    expect(w.events.names()).not.toContain('SESSION_STARTED');
    expect(await w.sessionStore.listByMember(key)).toEqual([]);
  });

  it('a spray of one code across many NIRs is throttled across accounts', async () => {
    const w = await domainWorld({ policy: { perCode: { maxEvents: 3, windowSeconds: 3600 } } });
    const nirs = await Promise.all([1, 2, 3, 4].map(async () => (await w.addMemberWithPersonalCode()).nir));
    for (const nir of nirs.slice(0, 3))
      await expect(w.login.login({ nir, code: '111111' }, SOURCE)).rejects.toBeInstanceOf(InvalidCredentialsError);

    const fourth = await w.login.login({ nir: nirs[3]!, code: '111111' }, SOURCE).catch((e: unknown) => e);
    expect(fourth).toBeInstanceOf(TooManyAttemptsError);
    expect(w.events.count('ATTEMPT_THROTTLED')).toBe(1);
  });
});
