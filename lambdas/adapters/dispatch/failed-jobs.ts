import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One account job that failed three times, as Lambda's failure destination recorded it. */
export interface FailedJob {
  /** What to hand the account worker again: the job exactly as it was dispatched. */
  readonly payload: unknown;
  /** When Lambda gave up on it (ISO 8601), and what the job was (FORGOT, LOCK_NOTICE): never its content. */
  readonly failedAt: string;
  readonly kind: string;
  readonly receipt: string;
}

/**
 * The account worker's failure destination (an SQS queue of Lambda invocation records: the
 * original event under `requestPayload`), read a batch at a time; a message read stays invisible
 * to the next reads of the same run.
 */
export class SqsFailedJobs {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async next(): Promise<FailedJob[]> {
    const { Messages = [] } = await this.#sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.#queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 120 }),
    );
    return Messages.map((message) => {
      const record = JSON.parse(message.Body ?? '{}') as { timestamp?: string; requestPayload?: { kind?: unknown } };
      return {
        payload: record.requestPayload,
        failedAt: record.timestamp ?? '?',
        kind: typeof record.requestPayload?.kind === 'string' ? record.requestPayload.kind : 'unknown',
        receipt: message.ReceiptHandle ?? '',
      };
    });
  }

  async remove(job: FailedJob): Promise<void> {
    await this.#sqs.send(new DeleteMessageCommand({ QueueUrl: this.#queueUrl, ReceiptHandle: job.receipt }));
  }
}

/** The account worker, invoked and waited for: true when it ran the job without error. */
export async function runOnWorker(lambda: LambdaClient, functionName: string, payload: unknown): Promise<boolean> {
  const answer = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
  return answer.StatusCode === 200 && !answer.FunctionError;
}
