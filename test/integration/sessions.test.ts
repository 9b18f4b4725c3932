import { generateKeyPairSync } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo/session-store.ts';
import { keys, type Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import { SessionExpiredError, UnauthenticatedError } from '../../lambdas/domain/errors.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import { type Authenticated, REFRESH_GRACE_MS, SessionGuard, SessionIssuer } from '../../lambdas/domain/sessions.ts';
import { localSigner } from '../../lambdas/domain/signing-keys.ts';
import { accessTokens } from '../support/access-tokens.ts';
import { silentEvents } from '../support/in-memory.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const MIN = 60_000;
const source = { requestId: 'r' };

async function setup() {
  // From the real time: DynamoDB Local deletes items whose TTL has passed, and a clock fixed in the past
  // made this test's items expire under it (a session vanished in CI).
  let now = Date.now();
  const clock = { now: () => now };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { d: _d, ...publicJwk } = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  const tokens = accessTokens(
    {
      signingKey: async () => localSigner({ ...(privateKey.export({ format: 'jwk' }) as JWK), kid }),
      publicKeys: async () => [{ ...publicJwk, kid }],
    },
    { issuer: 'https://i', audience: 'a' },
    clock,
  );
  const members = new DynamoMemberRepository(table);
  const key = newId();
  await members.upsertProfile(
    { key, newMemberId: newId(), newCodeSalt: 'c2FsdA', firstName: 'F', lastName: 'L', maskedNir: 'x' },
    now,
  );
  const member = (await members.get(key))!;
  const store = new DynamoSessionStore(table, { keep: 365, short: 30 });
  const sessions = new SessionIssuer({
    sessions: store,
    members,
    tokens,
    refreshKey: new LocalHmacKey(Buffer.alloc(32, 9)),
    clock,
    events: silentEvents,
  });
  const guard = new SessionGuard({ sessions: store, members, tokens, clock, events: silentEvents });
  const start = async (): Promise<Authenticated> => (await sessions.start(member, source))!;
  return { sessions, guard, member, members, start, advance: (ms: number) => (now += ms) };
}

describe('session lifetime (clock injected)', () => {
  it('ends after 30 minutes without refresh', async () => {
    const { sessions, start, advance } = await setup();
    const started = await start();
    advance(29 * MIN);
    const refreshed = await sessions.refresh(started.refreshToken, source);
    advance(31 * MIN);
    await expect(sessions.refresh(refreshed.refreshToken, source)).rejects.toThrow(SessionExpiredError);
  });

  it('ends 12 hours after sign-in, whatever the refreshes', async () => {
    const { sessions, guard, start, advance } = await setup();
    let current = await start();
    for (let i = 0; i < 24; i++) {
      advance(29 * MIN);
      current = await sessions.refresh(current.refreshToken, source);
    }
    advance(25 * MIN);
    await expect(sessions.refresh(current.refreshToken, source)).rejects.toThrow(SessionExpiredError);
    await expect(guard.authenticate(`Bearer ${current.accessToken}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('the refresh cookie never outlives the session', async () => {
    const { sessions, start, advance } = await setup();
    let current = await start();
    expect(current.refreshMaxAgeSeconds).toBe(1800);
    for (let i = 0; i < 24; i++) {
      advance(29 * MIN);
      current = await sessions.refresh(current.refreshToken, source);
    }
    expect(current.refreshMaxAgeSeconds).toBe(12 * 3600 - 24 * 29 * 60);
  });
});

describe('two tabs refreshing at once (contract, amended 2026-11-26)', () => {
  it('two tabs refreshing at once stay signed in: 5 concurrent refreshes with one cookie all get the same successor', async () => {
    const { sessions, guard, start } = await setup();
    const started = await start();
    const results = await Promise.all(Array.from({ length: 5 }, () => sessions.refresh(started.refreshToken, source)));
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect(results[0]!.refreshToken).not.toBe(started.refreshToken);
    // Nothing was revoked: the successor refreshes, and every access token works.
    for (const r of results) await expect(guard.authenticate(`Bearer ${r.accessToken}`)).resolves.toBeDefined();
    await expect(sessions.refresh(results[0]!.refreshToken, source)).resolves.toMatchObject({
      status: 'AUTHENTICATED',
    });
  });

  it('a stolen refresh token replayed after the 10-second grace revokes the whole session', async () => {
    const { sessions, guard, start, advance } = await setup();
    const started = await start();
    const next = await sessions.refresh(started.refreshToken, source);
    advance(REFRESH_GRACE_MS + 1);
    await expect(sessions.refresh(started.refreshToken, source)).rejects.toThrow(SessionExpiredError);
    await expect(sessions.refresh(next.refreshToken, source)).rejects.toThrow(SessionExpiredError);
    await expect(guard.authenticate(`Bearer ${next.accessToken}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('a stolen refresh token two rotations old revokes the session even within the grace', async () => {
    const { sessions, start } = await setup();
    const first = await start();
    const second = await sessions.refresh(first.refreshToken, source);
    const third = await sessions.refresh(second.refreshToken, source);
    await expect(sessions.refresh(first.refreshToken, source)).rejects.toThrow(SessionExpiredError);
    await expect(sessions.refresh(third.refreshToken, source)).rejects.toThrow(SessionExpiredError);
  });

  it('a table dump holds no refresh token: the session item keeps hashes only', async () => {
    const { sessions, start } = await setup();
    const started = await start();
    const next = await sessions.refresh(started.refreshToken, source);
    const sid = next.refreshToken.split('.')[0]!;
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.session(sid) }));
    const stored = JSON.stringify(Item);
    for (const token of [started.refreshToken, next.refreshToken]) expect(stored).not.toContain(token.split('.')[1]!);
  });
});

describe('sessions bound to the code they were opened with', () => {
  it('a session opened with a code changed meanwhile is not written (the code-change race)', async () => {
    const { sessions, member, members } = await setup();
    expect(
      await members.setPersonalCode(member.key, { hash: 'h', expectedCodeVersion: member.codeVersion, now: 1 }),
    ).toBe(true);
    // `member` is what the sign-in read before the change: its session must not exist.
    await expect(sessions.start(member, source)).resolves.toBeUndefined();
  });

  it('a code change ends the sessions opened before it, whatever the clocks say', async () => {
    const { sessions, guard, member, members, start, advance } = await setup();
    const started = await start();
    // Even a change stamped earlier than the session (clock skew between functions) ends it.
    advance(-5 * MIN);
    expect(
      await members.setPersonalCode(member.key, { hash: 'h', expectedCodeVersion: member.codeVersion, now: 1 }),
    ).toBe(true);
    await expect(guard.authenticate(`Bearer ${started.accessToken}`)).rejects.toThrow(UnauthenticatedError);
    await expect(sessions.refresh(started.refreshToken, source)).rejects.toThrow(SessionExpiredError);
  });
});
