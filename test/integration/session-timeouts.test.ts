import { beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo/session-store.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { AccessTokens } from '../../lambdas/domain/access-tokens.ts';
import { SessionExpiredError, UnauthenticatedError } from '../../lambdas/domain/errors.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import { Sessions } from '../../lambdas/domain/sessions.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const MIN = 60_000;

async function setup() {
  let now = Date.UTC(2026, 10, 26, 8, 0, 0);
  const clock = { now: () => now };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { d: _d, ...publicJwk } = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  const tokens = new AccessTokens({ current: { kid, privateKey }, publicJwks: [{ ...publicJwk, kid }] }, { issuer: 'https://i', audience: 'a' }, clock);
  const members = new DynamoMemberRepository(table);
  const key = newId();
  await members.upsertProfile({ key, newMemberId: newId(), newCodeSalt: 'c2FsdA', firstName: 'F', lastName: 'L', maskedNir: 'x', nirWindowDigests: [] }, now);
  const member = (await members.get(key))!;
  const sessions = new Sessions({ sessions: new DynamoSessionStore(table), members, tokens, clock, events: { record: () => undefined } });
  return { sessions, member, advance: (ms: number) => (now += ms) };
}

describe('session lifetime (clock injected)', () => {
  it('ends after 30 minutes without refresh', async () => {
    const { sessions, member, advance } = await setup();
    const started = await sessions.start(member, { requestId: 'r' });
    advance(29 * MIN);
    const refreshed = await sessions.refresh(started.refreshToken, { requestId: 'r' });
    advance(31 * MIN);
    await expect(sessions.refresh(refreshed.refreshToken, { requestId: 'r' })).rejects.toThrow(SessionExpiredError);
  });

  it('ends 12 hours after sign-in, whatever the refreshes', async () => {
    const { sessions, member, advance } = await setup();
    let current = await sessions.start(member, { requestId: 'r' });
    for (let i = 0; i < 24; i++) {
      advance(29 * MIN);
      current = await sessions.refresh(current.refreshToken, { requestId: 'r' });
    }
    advance(25 * MIN);
    await expect(sessions.refresh(current.refreshToken, { requestId: 'r' })).rejects.toThrow(SessionExpiredError);
    await expect(sessions.authenticate(`Bearer ${current.accessToken}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('the refresh cookie never outlives the session', async () => {
    const { sessions, member, advance } = await setup();
    let current = await sessions.start(member, { requestId: 'r' });
    expect(current.refreshMaxAgeSeconds).toBe(1800);
    for (let i = 0; i < 24; i++) {
      advance(29 * MIN);
      current = await sessions.refresh(current.refreshToken, { requestId: 'r' });
    }
    expect(current.refreshMaxAgeSeconds).toBe(12 * 3600 - 24 * 29 * 60);
  });

  it('two concurrent refreshes with one token: one wins, and the race revokes the session as a replay', async () => {
    const { sessions, member } = await setup();
    const started = await sessions.start(member, { requestId: 'r' });
    const results = await Promise.allSettled([sessions.refresh(started.refreshToken, { requestId: 'r' }), sessions.refresh(started.refreshToken, { requestId: 'r' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
