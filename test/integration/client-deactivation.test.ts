import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAccessStore } from '../../lambdas/adapters/dynamo/access-store.ts';
import { DynamoMemberRepository } from '../../lambdas/adapters/dynamo/member-repository.ts';
import { documentClient, type Table } from '../../lambdas/adapters/dynamo/table.ts';
import type { AccessStore } from '../../lambdas/domain/member-access.ts';
import { MemberAccess } from '../../lambdas/domain/member-access.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

// Enough for a progress report (every 500), a crash half-way through the bounded pool, and many
// pages of the client's members (see `smallPages`): the point of thousands, at a fraction of the time.
const MEMBERS = 600;
const PAGE = 50;
const clock = { now: () => Date.now() };
const context = { operator: 'agent.test', requestId: 'ops-bulk' };

class InjectedCrash extends Error {}

/** The store, dying at its `after`-th deactivation: an operator's run interrupted half-way. */
function interruptedAfter(store: AccessStore, after: number): AccessStore {
  let calls = 0;
  return {
    deactivate: (...args) =>
      calls++ >= after ? Promise.reject(new InjectedCrash('interrupted')) : store.deactivate(...args),
    reactivate: (...args) => store.reactivate(...args),
    getClient: (id) => store.getClient(id),
    setClientDeactivation: (id, d) => store.setClientDeactivation(id, d),
    setClientProfile: (id, profile) => store.setClientProfile(id, profile),
    setMemberClientEnd: (key, at) => store.setMemberClientEnd(key, at),
    membersOfClient: (id) => store.membersOfClient(id),
  };
}

/**
 * The table, its queries cut into pages of `PAGE` items — as DynamoDB cuts at 1 MB a client of tens
 * of thousands — counting the pages read.
 */
function smallPages(): { table: Table; pages: () => number } {
  let pages = 0;
  const client = documentClient({ endpoint: process.env['DYNAMODB_ENDPOINT'], region: process.env['AWS_REGION'] });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') {
        pages++;
        (args.input as { Limit?: number }).Limit = PAGE;
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return { table: { name: table.name, client }, pages: () => pages };
}

async function scanAll(): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe('deactivating a client company of many members', () => {
  it('interrupted half-way and run again: every member deactivated, each audited exactly once', async () => {
    const members = new DynamoMemberRepository(table);
    const keys = Array.from({ length: MEMBERS }, () => newId());
    for (let i = 0; i < keys.length; i += 25) {
      await Promise.all(
        keys.slice(i, i + 25).map((key) =>
          members.upsertProfile(
            {
              key,
              newMemberId: newId(),
              newCodeSalt: 'c2FsdA',
              firstName: 'F',
              lastName: 'L',
              maskedNir: 'x',
              clientId: 'BIGCORP',
            },
            Date.now(),
          ),
        ),
      );
    }
    const paged = smallPages();
    const store = new DynamoAccessStore(paged.table, 365);

    const progress: number[] = [];
    await expect(
      new MemberAccess(interruptedAfter(store, MEMBERS / 2), clock).deactivateClient('BIGCORP', context, (n) =>
        progress.push(n),
      ),
    ).rejects.toThrow(InjectedCrash);
    const rerun = await new MemberAccess(store, clock).deactivateClient('BIGCORP', context, (n) => progress.push(n));
    expect(rerun.changed + rerun.unchanged).toBe(MEMBERS);
    expect(rerun.unchanged).toBeGreaterThanOrEqual(MEMBERS / 2);
    expect(progress).toContain(500);
    expect(paged.pages()).toBeGreaterThan(MEMBERS / PAGE);

    const items = await scanAll();
    const byKey = new Map(items.filter((i) => i['sk'] === 'PROFILE').map((i) => [i['key'] as string, i]));
    for (const key of keys) expect(byKey.get(key)?.['deactivationReason']).toBe('CLIENT');
    const audited = items.filter((i) => i['event'] === 'MEMBER_DEACTIVATED').map((i) => String(i['pk']));
    expect(audited).toHaveLength(MEMBERS);
    expect(new Set(audited).size).toBe(MEMBERS);
    expect(audited.every((pk) => keys.includes(pk.replace('AUDIT#', '')))).toBe(true);

    // Idempotent: a third run changes nothing and audits nothing more.
    expect(await new MemberAccess(store, clock).deactivateClient('BIGCORP', context, () => undefined)).toEqual({
      changed: 0,
      unchanged: MEMBERS,
    });
  });
});
