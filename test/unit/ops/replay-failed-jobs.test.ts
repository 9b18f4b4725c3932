import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { runOnWorker, SqsFailedJobs } from '../../../lambdas/adapters/dispatch/failed-jobs.ts';
import { replayFailedJobs } from '../../../lambdas/ops/replay-failed-jobs.ts';

const QUEUE = 'https://sqs.eu-west-3.amazonaws.com/123456789012/failed-jobs';

/** What Lambda's failure destination puts in the queue: the invocation record, the job under requestPayload. */
const record = (requestId: string, kind: string) => ({
  MessageId: requestId,
  ReceiptHandle: `receipt-${requestId}`,
  Body: JSON.stringify({
    version: '1.0',
    timestamp: '2026-12-07T05:00:00.000Z',
    requestContext: { requestId, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: { kind, memberKey: `member-${requestId}`, requestId, language: 'fr' },
  }),
});

function queueOf(messages: ReturnType<typeof record>[]) {
  const sqs = mockClient(SQSClient);
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
  sqs.on(DeleteMessageCommand).resolves({});
  return sqs;
}

describe('ops replay-failed-jobs: the jobs Lambda gave up on, handed to the worker again', () => {
  it('a member still waiting for a reset mail gets it: each job goes back to the worker as it was dispatched, and leaves the queue once run', async () => {
    const sqs = queueOf([record('r1', 'FORGOT'), record('r2', 'LOCK_NOTICE')]);
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const report = await replayFailedJobs(
      new SqsFailedJobs(new SQSClient({ region: 'eu-west-3' }), QUEUE),
      (payload) => runOnWorker(new LambdaClient({ region: 'eu-west-3' }), 'account-worker', payload),
      { dryRun: false },
    );
    expect(report).toEqual({ seen: 2, replayed: 2, stillFailing: [], byKind: { FORGOT: 1, LOCK_NOTICE: 1 } });
    const invoked = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invoked.map((i) => i.InvocationType)).toEqual(['RequestResponse', 'RequestResponse']);
    expect(JSON.parse(Buffer.from(invoked[0]!.Payload as Uint8Array).toString('utf8'))).toEqual({
      kind: 'FORGOT',
      memberKey: 'member-r1',
      requestId: 'r1',
      language: 'fr',
    });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual([
      'receipt-r1',
      'receipt-r2',
    ]);
    sqs.restore();
    lambda.restore();
  });

  it('a job that fails again is not lost: it stays in the queue (not deleted) and is reported with its kind and date only', async () => {
    const sqs = queueOf([record('r1', 'FORGOT'), record('r2', 'FORGOT')]);
    const lambda = mockClient(LambdaClient);
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, FunctionError: 'Unhandled' })
      .resolves({ StatusCode: 200 });
    const report = await replayFailedJobs(
      new SqsFailedJobs(new SQSClient({ region: 'eu-west-3' }), QUEUE),
      (payload) => runOnWorker(new LambdaClient({ region: 'eu-west-3' }), 'account-worker', payload),
      { dryRun: false },
    );
    expect(report.replayed).toBe(1);
    expect(report.stillFailing).toEqual([{ kind: 'FORGOT', failedAt: '2026-12-07T05:00:00.000Z' }]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['receipt-r2']);
    expect(JSON.stringify(report)).not.toContain('member-r1');
    sqs.restore();
    lambda.restore();
  });

  it('--dry-run counts by kind and changes nothing: no invocation, no deletion', async () => {
    const sqs = queueOf([record('r1', 'FORGOT'), record('r2', 'LOCK_NOTICE'), record('r3', 'FORGOT')]);
    const lambda = mockClient(LambdaClient);
    const report = await replayFailedJobs(
      new SqsFailedJobs(new SQSClient({ region: 'eu-west-3' }), QUEUE),
      (payload) => runOnWorker(new LambdaClient({ region: 'eu-west-3' }), 'account-worker', payload),
      { dryRun: true },
    );
    expect(report).toEqual({ seen: 3, replayed: 0, stillFailing: [], byKind: { FORGOT: 2, LOCK_NOTICE: 1 } });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    sqs.restore();
    lambda.restore();
  });
});
