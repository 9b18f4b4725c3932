import { describe, expect, it } from '@jest/globals';
import { SessionExpiredError, UnauthenticatedError } from '../../../lambdas/domain/errors.ts';
import { REFRESH_GRACE_MS, SESSION_IDLE_SECONDS } from '../../../lambdas/domain/sessions.ts';
import { type DomainWorld, domainWorld, SOURCE } from '../../support/domain-world.ts';

async function signedIn(w: DomainWorld) {
  const { nir, personalCode, key } = await w.addMemberWithPersonalCode();
  const outcome = await w.login.login({ nir, code: personalCode }, SOURCE);
  if (outcome.status !== 'AUTHENTICATED') throw new Error(`unexpected ${outcome.status}`);
  return { key, ...outcome };
}

describe('Sessions (domain, in-memory ports)', () => {
  it('rotates the refresh token: the new one works, the access token still names the session', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);

    const second = await w.sessions.refresh(first.refreshToken, SOURCE);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(w.sessions.refresh(second.refreshToken, SOURCE)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
    await expect(w.guard.authenticate(`Bearer ${second.accessToken}`)).resolves.toMatchObject({
      member: { key: first.key },
    });
  });

  it('two tabs refreshing with the same token within the grace get the same successor and revoke nothing', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);

    const [a, b] = await Promise.all([
      w.sessions.refresh(first.refreshToken, SOURCE),
      w.sessions.refresh(first.refreshToken, SOURCE),
    ]);
    expect(a.refreshToken).toBe(b.refreshToken);
    expect(w.events.count('REFRESH_REPLAY_DETECTED')).toBe(0);
  });

  it('a stolen refresh token replayed after the grace ends the whole session (theft detection)', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);
    const second = await w.sessions.refresh(first.refreshToken, SOURCE);
    w.clock.advance(REFRESH_GRACE_MS + 1);

    await expect(w.sessions.refresh(first.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(w.events.count('REFRESH_REPLAY_DETECTED')).toBe(1);
    await expect(w.sessions.refresh(second.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(w.guard.authenticate(`Bearer ${second.accessToken}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('a forged refresh token for a real session id is refused and revokes nothing', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);
    const forged = `${first.refreshToken.split('.')[0]}.${'A'.repeat(43)}`;

    await expect(w.sessions.refresh(forged, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(w.sessions.refresh(first.refreshToken, SOURCE)).resolves.toMatchObject({ status: 'AUTHENTICATED' });
  });

  it('a session left idle past 30 minutes ends at its next refresh', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);
    w.clock.advance(SESSION_IDLE_SECONDS * 1000 + 1);

    await expect(w.sessions.refresh(first.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(w.events.recorded.at(-1)).toMatchObject({ event: 'SESSION_REVOKED', fields: { reason: 'EXPIRED' } });
  });

  it('logout really ends the session: its access token and refresh token stop working at once', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);

    await w.guard.logout(first.refreshToken, SOURCE);
    await expect(w.guard.authenticate(`Bearer ${first.accessToken}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(w.sessions.refresh(first.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('a code change ends every session opened with the former code', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);
    const member = w.member(first.key);
    await w.members.setPersonalCode(first.key, {
      hash: 'changed',
      expectedCodeVersion: member.codeVersion,
      now: w.clock.now(),
    });

    await expect(w.guard.authenticate(`Bearer ${first.accessToken}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(w.sessions.refresh(first.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(w.sessionStore.revokeReasonOf(first.refreshToken.split('.')[0]!)).toBe('MEMBER_INVALIDATED');
  });

  it('"sign out everywhere else" keeps the caller’s session and audits each one it ends', async () => {
    const w = await domainWorld();
    const first = await signedIn(w);
    const member = w.member(first.key);
    const others = await Promise.all([w.sessions.start(member, SOURCE), w.sessions.start(member, SOURCE)]);
    const own = first.refreshToken.split('.')[0]!;

    const ended = await w.guard.endAll(member, { by: 'MEMBER', source: SOURCE }, own);
    expect(ended).toBe(2);
    expect((await w.guard.listActive(member)).map((s) => s.sid)).toEqual([own]);
    expect(w.events.count('SESSION_REVOKED')).toBe(2);
    for (const other of others)
      await expect(w.sessions.refresh(other!.refreshToken, SOURCE)).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('an operator cannot end a session of another member through this member', async () => {
    const w = await domainWorld();
    const mine = await signedIn(w);
    const theirs = await signedIn(w);
    const operator = { by: 'OPERATOR', requestId: 'ops', operator: 'agent' } as const;

    await expect(w.guard.end(w.member(mine.key), theirs.refreshToken.split('.')[0]!, operator)).resolves.toBe(false);
    await expect(w.guard.authenticate(`Bearer ${theirs.accessToken}`)).resolves.toBeDefined();
  });
});
