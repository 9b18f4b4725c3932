import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAttemptStore } from '../../lambdas/adapters/dynamo/attempt-store.ts';
import { DynamoAuditTrail } from '../../lambdas/adapters/dynamo/audit-trail.ts';
import { DynamoChallengeStore } from '../../lambdas/adapters/dynamo/challenge-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { DynamoResetLinkStore } from '../../lambdas/adapters/dynamo/reset-link-store.ts';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo/session-store.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { DynamoTermsStore } from '../../lambdas/adapters/dynamo/terms-store.ts';
import { OperatorInputError } from '../../lambdas/domain/errors.ts';
import { EMPTY_COUNTER } from '../../lambdas/domain/lockout.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import type { SessionRecord } from '../../lambdas/domain/sessions.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const profile = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  newMemberId: newId(),
  newCodeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
  firstName: 'Claire',
  lastName: 'Dubois',
  maskedNir: '2 95 ** ** *** *** 93',
  email: 'claire@example.org',
  clientId: 'ACME',
  ...extra,
});

describe('DynamoMemberRepository', () => {
  it('creates, then updates without changing the member id, and drops a removed email', async () => {
    const members = new DynamoMemberRepository(table);
    const key = newId();
    const offered = profile(key);
    expect(await members.upsertProfile(offered, 1000)).toEqual({
      created: true,
      hasPersonalCode: false,
      codeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
      memberId: offered.newMemberId,
    });
    const first = await members.get(key);
    expect(
      await members.upsertProfile(
        profile(key, { email: undefined, lastName: 'Dubois-Martin', newCodeSalt: 'b3RoZXI' }),
        2000,
      ),
    ).toEqual({
      created: false,
      hasPersonalCode: false,
      codeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
      memberId: offered.newMemberId,
    });
    const second = await members.get(key);
    expect(second?.memberId).toBe(first?.memberId);
    expect(second?.lastName).toBe('Dubois-Martin');
    expect(second?.email).toBeUndefined();
    expect(second?.codeVersion).toBe(0);
  });

  it('a re-import never undoes a personal code', async () => {
    const members = new DynamoMemberRepository(table);
    const key = newId();
    await members.upsertProfile(profile(key), 1000);
    expect(await members.setInitialCodeHash(key, 'initial-1', 9_999)).toBe(true);
    expect(await members.setPersonalCode(key, { hash: 'personal-1', expectedCodeVersion: 0, now: 5000 })).toBe(true);
    expect(await members.upsertProfile(profile(key), 6000)).toMatchObject({ created: false, hasPersonalCode: true });
    expect(await members.setInitialCodeHash(key, 'initial-2', 9_999)).toBe(false);
    const member = await members.get(key);
    expect(member).toMatchObject({ personalCodeHash: 'personal-1', codeVersion: 1, personalCodeSetAt: 5000 });
    expect(member?.initialCodeHash).toBeUndefined();
    expect(member?.initialCodeValidUntil).toBeUndefined();
  });

  it('of two concurrent code changes from the same version, exactly one wins', async () => {
    const members = new DynamoMemberRepository(table);
    const key = newId();
    await members.upsertProfile(profile(key), 1000);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((h) => members.setPersonalCode(key, { hash: h, expectedCodeVersion: 0, now: 2000 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('replaces a hash only if it is still the one verified', async () => {
    const members = new DynamoMemberRepository(table);
    const key = newId();
    await members.upsertProfile(profile(key), 1000);
    await members.setPersonalCode(key, { hash: 'old', expectedCodeVersion: 0, now: 2000 });
    await members.replaceCodeHash(key, 'personalCodeHash', 'stale', 'new-1');
    expect((await members.get(key))?.personalCodeHash).toBe('old');
    await members.replaceCodeHash(key, 'personalCodeHash', 'old', 'new-2');
    expect((await members.get(key))?.personalCodeHash).toBe('new-2');
  });

  it('records a terms acceptance on the member', async () => {
    const members = new DynamoMemberRepository(table);
    const key = newId();
    await members.upsertProfile(profile(key), 1000);
    await members.recordTermsAcceptance(key, {
      version: 'v2',
      acceptedAt: 3000,
      sourceIp: '203.0.113.9',
      userAgent: 'UA',
    });
    expect(await members.get(key)).toMatchObject({ termsVersion: 'v2', termsAcceptedAt: 3000 });
  });
});

describe('DynamoAttemptStore', () => {
  it('saves a counter only over the version it read', async () => {
    const attempts = new DynamoAttemptStore(table);
    const key = newId();
    expect(await attempts.loadCounter(key)).toEqual({ counter: EMPTY_COUNTER, version: 0 });
    const next = { ...EMPTY_COUNTER, consecutive: 1, recentFailures: [10] };
    expect(await attempts.saveCounter(key, next, 0, 99)).toBe(true);
    expect(await attempts.saveCounter(key, next, 0, 99)).toBe(false);
    expect(await attempts.loadCounter(key)).toEqual({ counter: next, version: 1 });
    expect(await attempts.saveCounter(key, { ...next, consecutive: 2 }, 1, 99)).toBe(true);
  });

  it('reserves in a throttle window up to its cap, whatever the concurrency, and gives reservations back', async () => {
    const attempts = new DynamoAttemptStore(table);
    const scope = { kind: 'IP' as const, id: newId() };
    const results = await Promise.all(Array.from({ length: 30 }, () => attempts.reserveWindow(scope, 7, 20, 99)));
    expect(results.filter(Boolean)).toHaveLength(20);
    await attempts.releaseWindow(scope, 7);
    expect(await attempts.reserveWindow(scope, 6, 5, 99)).toBe(true);
    const other = { kind: 'CODE' as const, id: 'never-failed' };
    const state = await attempts.loadAttemptState('no-counter-yet', [
      { scope, window: 7 },
      { scope: other, window: 7 },
    ]);
    expect(state).toEqual({
      counter: { counter: EMPTY_COUNTER, version: 0 },
      counts: [
        { current: 19, previous: 1 },
        { current: 0, previous: 0 },
      ],
    });
  });
});

describe('DynamoSessionStore', () => {
  const RETENTION = { keep: 365, short: 30 };
  const session = (memberKey: string): SessionRecord => ({
    sid: newId(),
    memberKey,
    memberId: 'm',
    codeVersion: 0,
    createdAt: 1000,
    lastRefreshAt: 1000,
    absoluteExpiresAt: 1000 + 43_200_000,
    refreshHash: 'h0',
    previousRefreshHashes: [],
  });

  it('writes a session and its audit entries together or not at all: a session refused for a changed code leaves no entry', async () => {
    const sessions = new DynamoSessionStore(table, RETENTION);
    const trail = new DynamoAuditTrail(table, RETENTION);
    const key = newId();
    await new DynamoMemberRepository(table).upsertProfile(profile(key), 1000);
    const entry = (event: 'LOGIN_SUCCEEDED' | 'SESSION_STARTED', at: number) => ({
      memberKey: key,
      entry: { at, event, outcome: 'SUCCESS' as const, requestId: 'r' },
      retention: 'keep' as const,
    });
    expect(await sessions.create({ ...session(key), codeVersion: 1 }, [entry('LOGIN_SUCCEEDED', 1)])).toBe(false);
    expect(await trail.list(key)).toEqual([]);
    const s = session(key);
    expect(await sessions.create(s, [entry('LOGIN_SUCCEEDED', 2), entry('SESSION_STARTED', 3)])).toBe(true);
    expect((await trail.list(key)).map((e) => e.event)).toEqual(['SESSION_STARTED', 'LOGIN_SUCCEEDED']);
    expect(await sessions.get(s.sid)).toEqual(s);
  });

  it("creates once, only over the member's code version, rotates once per token, and revokes", async () => {
    const sessions = new DynamoSessionStore(table, RETENTION);
    const key = newId();
    expect(await sessions.create(session(key), [])).toBe(false);
    await new DynamoMemberRepository(table).upsertProfile(profile(key), 1000);
    const s = session(key);
    expect(await sessions.create(s, [])).toBe(true);
    expect(await sessions.create(s, [])).toBe(false);
    expect(await sessions.create({ ...session(key), codeVersion: 1 }, [])).toBe(false);
    expect(await sessions.get(s.sid)).toEqual(s);

    const rotations = await Promise.all([sessions.rotate(s, 'h1', 2000, 50), sessions.rotate(s, 'h1b', 2000, 50)]);
    expect(rotations.filter(Boolean)).toHaveLength(1);
    const rotated = await sessions.get(s.sid);
    expect(rotated?.previousRefreshHashes).toEqual(['h0']);
    expect(rotated).toMatchObject({ lastRefreshAt: 2000, rotatedAt: 2000, rotatedFromHash: 'h0' });

    await sessions.revoke(s.sid, 'LOGOUT', 3000);
    expect((await sessions.get(s.sid))?.revokedAt).toBe(3000);
    expect(await sessions.rotate(rotated!, 'h2', 4000, 50)).toBe(false);
  });
});

describe('DynamoChallengeStore', () => {
  it('a challenge is consumed once, and an expired one not at all', async () => {
    const challenges = new DynamoChallengeStore(table);
    const hash = newId();
    await challenges.put(hash, { memberKey: 'k', codeVersion: 3, createdAt: 1000, expiresAt: 601_000 });
    expect(await challenges.get(hash)).toEqual({ memberKey: 'k', codeVersion: 3, createdAt: 1000, expiresAt: 601_000 });
    const [a, b] = await Promise.all([challenges.consume(hash, 2000), challenges.consume(hash, 2000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await challenges.get(hash)).toBeUndefined();

    const expired = newId();
    await challenges.put(expired, { memberKey: 'k', codeVersion: 0, createdAt: 1000, expiresAt: 2000 });
    expect(await challenges.consume(expired, 3000)).toBeUndefined();
  });
});

describe('DynamoResetLinkStore', () => {
  it('a link gets at most its number of uses, whatever the concurrency, and none once expired', async () => {
    const links = new DynamoResetLinkStore(table);
    const hash = newId();
    await links.put(hash, { memberKey: 'k', expiresAt: 10_000 });
    const uses = await Promise.all(Array.from({ length: 12 }, () => links.reserveUse(hash, 5_000, 3)));
    expect(uses.filter(Boolean)).toEqual([
      { memberKey: 'k', expiresAt: 10_000 },
      { memberKey: 'k', expiresAt: 10_000 },
      { memberKey: 'k', expiresAt: 10_000 },
    ]);
    const other = newId();
    await links.put(other, { memberKey: 'k', expiresAt: 10_000 });
    expect(await links.reserveUse(other, 10_000, 3)).toBeUndefined();
    expect(await links.reserveUse(newId(), 5_000, 3)).toBeUndefined();
  });
});

describe('DynamoTermsStore', () => {
  it('publishes versions idempotently and refuses a second URL for one version', async () => {
    const terms = new DynamoTermsStore(table);
    await terms.publish({ version: '2026-01', url: 'https://p.example/cgu/1', publishedAt: 1000 });
    await terms.publish({ version: '2026-01', url: 'https://p.example/cgu/1', publishedAt: 5000 });
    expect(await terms.current()).toEqual({ version: '2026-01', url: 'https://p.example/cgu/1', publishedAt: 1000 });
    await expect(
      terms.publish({ version: '2026-01', url: 'https://p.example/other', publishedAt: 6000 }),
    ).rejects.toThrow(OperatorInputError);
    await terms.publish({ version: '2026-02', url: 'https://p.example/cgu/2', publishedAt: 7000 });
    expect((await terms.current())?.version).toBe('2026-02');
  });
});
