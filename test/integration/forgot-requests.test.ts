import { beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoAttemptStore } from '../../lambdas/adapters/dynamo/attempt-store.ts';
import type { Table } from '../../lambdas/adapters/dynamo/table.ts';
import { LocalHmacKey } from '../../lambdas/adapters/keys/local-key-files.ts';
import type { BackgroundJob } from '../../lambdas/domain/background-jobs.ts';
import { TooManyAttemptsError } from '../../lambdas/domain/errors.ts';
import { ForgottenCode } from '../../lambdas/domain/forgotten-code.ts';
import { silentEvents } from '../support/in-memory.ts';
import { uniqueNir } from '../support/members.ts';
import { prepareTestEnvironment } from '../support/test-environment.ts';

let table: Table;
beforeAll(async () => {
  ({ table } = await prepareTestEnvironment());
});

function forgotten(maxEvents: number) {
  const jobs: BackgroundJob[] = [];
  const forgot = new ForgottenCode({
    nirHasher: new LocalHmacKey(Buffer.alloc(32, 11)),
    jobs: { dispatch: async (job) => void jobs.push(job) },
    attempts: new DynamoAttemptStore(table),
    perIp: { maxEvents, windowSeconds: 900 },
    clock: { now: () => Date.now() },
    events: silentEvents,
  });
  return { forgot, jobs };
}

const from = (sourceIp: string) => ({ requestId: 'r', sourceIp, language: 'fr' as const });

describe('forgotten-code requests per source IP (security review, item 7: audit amplification)', () => {
  it('one source cannot fill the audit trail with forgot requests for NIRs of its choosing: past the limit, 429 and nothing handed off', async () => {
    const { forgot, jobs } = forgotten(5);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => forgot.request({ nir: uniqueNir() }, from('203.0.113.5'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TooManyAttemptsError);
    expect(jobs).toHaveLength(5);
    // Another source is not affected.
    await expect(forgot.request({ nir: uniqueNir() }, from('203.0.113.6'))).resolves.toBeUndefined();
  });
});
