import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAttemptStore } from '../../lambdas/adapters/dynamo/attempt-store.ts';
import { DynamoAuditTrail } from '../../lambdas/adapters/dynamo/audit-trail.ts';
import { DynamoChallengeStore } from '../../lambdas/adapters/dynamo/challenge-store.ts';
import { DynamoDeviceChallengeStore } from '../../lambdas/adapters/dynamo/device-challenge-store.ts';
import { DynamoTrustedDeviceStore } from '../../lambdas/adapters/dynamo/device-store.ts';
import { DynamoLetterStore } from '../../lambdas/adapters/dynamo/letter-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { DynamoPasskeyStore } from '../../lambdas/adapters/dynamo/passkey-store.ts';
import { DynamoResetLinkStore } from '../../lambdas/adapters/dynamo/reset-link-store.ts';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo/session-store.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { DynamoTermsStore } from '../../lambdas/adapters/dynamo/terms-store.ts';
import { DynamoWebAuthnChallengeStore } from '../../lambdas/adapters/dynamo/webauthn-challenge-store.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import { describePortContracts, memberProfile, sessionRecord } from '../support/port-contracts.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

const RETENTION = { keep: 365, short: 30 };

// The adapters on DynamoDB Local, held to the same suites as the unit tests' fakes.
describePortContracts('DynamoDB', () => ({
  members: new DynamoMemberRepository(table),
  attempts: new DynamoAttemptStore(table),
  sessions: new DynamoSessionStore(table, RETENTION),
  challenges: new DynamoChallengeStore(table),
  resetLinks: new DynamoResetLinkStore(table),
  terms: new DynamoTermsStore(table),
  devices: new DynamoTrustedDeviceStore(table),
  deviceChallenges: new DynamoDeviceChallengeStore(table),
  passkeys: new DynamoPasskeyStore(table),
  webAuthnChallenges: new DynamoWebAuthnChallengeStore(table),
  letters: new DynamoLetterStore(table),
}));

describe('DynamoSessionStore, beyond the port', () => {
  it('writes a session and its audit entries together or not at all: a session refused for a changed code leaves no entry', async () => {
    const sessions = new DynamoSessionStore(table, RETENTION);
    const trail = new DynamoAuditTrail(table, RETENTION);
    const key = newId();
    await new DynamoMemberRepository(table).upsertProfile(memberProfile(key), 1000);
    const entry = (event: 'LOGIN_SUCCEEDED' | 'SESSION_STARTED', at: number) => ({
      memberKey: key,
      entry: { at, event, outcome: 'SUCCESS' as const, requestId: 'r' },
      retention: 'keep' as const,
    });
    expect(await sessions.create(sessionRecord(key, { codeVersion: 1 }), [entry('LOGIN_SUCCEEDED', 1)])).toBe(false);
    expect(await trail.list(key)).toEqual([]);
    const s = sessionRecord(key);
    expect(await sessions.create(s, [entry('LOGIN_SUCCEEDED', 2), entry('SESSION_STARTED', 3)])).toBe(true);
    expect((await trail.list(key)).map((e) => e.event)).toEqual(['SESSION_STARTED', 'LOGIN_SUCCEEDED']);
    expect(await sessions.get(s.sid)).toEqual(s);
  });
});
