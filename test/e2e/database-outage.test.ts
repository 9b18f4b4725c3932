import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningDynamoDb, startDynamoDbLocal } from '../../lambdas/local/engines.ts';
import { type ApiUnderTest, startApiWithTerms } from '../support/api-under-test.ts';
import { addMember } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';

/**
 * The table stops answering (DynamoDB Local frozen with SIGSTOP, then resumed), on an engine of
 * this file's own so that no other test is frozen with it.
 */
let dynamo: RunningDynamoDb;
let api: ApiUnderTest;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal(20_000 + Math.floor(Math.random() * 5_000));
  api = await startApiWithTerms({ DYNAMODB_ENDPOINT: dynamo.endpoint });
}, 90_000);
afterAll(async () => {
  dynamo?.resume();
  await api?.stop();
  await dynamo?.stop();
});

describe('the database stops answering', () => {
  it('requests get 503 SERVICE_UNAVAILABLE with Retry-After in bounded time, nothing half-done, and the service recovers by itself', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    dynamo.pause();
    const started = performance.now();
    let reply: Awaited<ReturnType<ApiUnderTest['call']>>;
    try {
      reply = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: '802467' } });
    } finally {
      dynamo.resume();
    }
    const waited = performance.now() - started;
    expect(reply.status).toBe(503);
    expect(reply.json.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bounded: the clients' timeouts and attempts (≈ 3.5 s per call), well under the 10 s function timeout.
    expect(waited).toBeLessThan(9_000);

    // Resumed: the service answers again at once, and the frozen attempt counted at most once
    // (a reservation is written before the code is checked, or not at all).
    const after = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: member.initialCode } });
    expect(after.json.status).toBe('CODE_CHANGE_REQUIRED');
    const status = JSON.parse((await runOps(api.env, 'member-status', '--nir', member.nir, '--json')).stdout) as {
      failuresLast24h: number;
    };
    expect(status.failuresLast24h).toBeLessThanOrEqual(1);
  }, 60_000);
});
