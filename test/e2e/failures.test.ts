import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { type ApiUnderTest, startApiUnderTest } from '../support/api-under-test.ts';
import { addMember } from '../support/members.ts';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest();
});
afterAll(async () => {
  await api.stop();
});

// Failures a real engine cannot be made to produce on demand: DynamoDB throttling, an SES outage.
describe('when AWS fails', () => {
  it('DynamoDB refusing for its own reasons (throttled) is a 503 with Retry-After that carries the request id and nothing else', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo
      .onAnyCommand()
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'Rate exceeded for table members-prod', $metadata: {} }),
      );
    try {
      const reply = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: member.initialCode } });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('5');
      const requestId = reply.headers.get('x-request-id');
      expect(reply.json).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String), requestId },
      });
      expect(reply.text).not.toMatch(/Rate exceeded|members-prod|Throughput|stack|at /);
      // The detail is in the logs, under the same request id, for the operator.
      expect(api.logs.some((l) => l.includes(requestId!) && l.includes('ProvisionedThroughputExceededException'))).toBe(
        true,
      );
    } finally {
      dynamo.restore();
    }
  });

  it('a fault of ours (not a dependency) stays a 500 with the request id and nothing else', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.onAnyCommand().rejects(new TypeError("Cannot read properties of undefined (reading 'pk')"));
    try {
      const reply = await api.call('POST', '/v1/login', { body: { nir: member.nir, code: member.initialCode } });
      expect(reply.status).toBe(500);
      expect(reply.json.error.code).toBe('INTERNAL');
      expect(reply.headers.get('retry-after')).toBeNull();
      expect(reply.text).not.toMatch(/Cannot read|pk|stack|at /);
    } finally {
      dynamo.restore();
    }
  });

  it("an SES outage does not change the member's answer to a code change, and is visible in the logs", async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));
    try {
      const reply = await api.call('POST', '/v1/code/change', {
        body: { nir: member.nir, currentCode: member.initialCode, newCode: '583927', newCodeConfirmation: '583927' },
      });
      expect(reply.status).toBe(200);
      expect(reply.json.status).toBe('CODE_CHANGED');
      // Reported lost (after the SDK's own retries: test/integration/ses-retries.test.ts), with a metric for the alarm.
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
      const failure = api.logs.find((l) => l.includes('CODE_CHANGED_NOTICE_FAILED'));
      expect(failure).toBeDefined();
      expect(JSON.parse(failure!)).toMatchObject({
        MailLost: 1,
        _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'MailLost' }] }] },
      });
      expect(failure).toContain(reply.headers.get('x-request-id')!);
      expect(failure).not.toContain(member.nir);
    } finally {
      ses.restore();
    }
  });

  it('an SES outage does not change the answer to a forgotten-code request, the loss is visible, and the link is not logged', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));
    try {
      const reply = await api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } });
      await api.jobs.drain();
      expect(reply.status).toBe(202);
      expect(reply.json.status).toBe('REQUEST_ACCEPTED');
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
      const lost = api.logs.find((l) => l.includes('RESET_EMAIL_FAILED'));
      expect(JSON.parse(lost!)).toMatchObject({ requestId: reply.headers.get('x-request-id'), MailLost: 1 });
      const sentLink = /token=([\w-]+)/.exec(
        String(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple?.Body?.Text?.Data),
      )![1]!;
      expect(api.logs.join('\n')).not.toContain(sentLink);
      expect(api.logs.join('\n')).not.toContain(member.nir);
    } finally {
      ses.restore();
    }
  });

  it('the account worker out of reach (Lambda throttling its invocation) is a 503 with Retry-After for a forgotten-code request, never a silent loss', async () => {
    const member = await addMember(api, { initialCode: '469135' });
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    try {
      const reply = await api.call('POST', '/v1/code/forgot', { body: { nir: member.nir } });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('5');
      expect(reply.json.error.code).toBe('SERVICE_UNAVAILABLE');
      // The job was asked for (an asynchronous invocation) and refused: the member is told to try again.
      expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.InvocationType).toBe('Event');
    } finally {
      lambda.restore();
    }
  });
});
