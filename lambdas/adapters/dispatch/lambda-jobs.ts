import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { BackgroundJob, BackgroundJobs } from '../../domain/background-jobs.ts';

/**
 * An asynchronous invocation of the account worker: the API answers at once, the same for every
 * branch; Lambda retries a failed job twice, then hands it to the function's failure destination.
 */
export class LambdaJobs implements BackgroundJobs {
  readonly #lambda: LambdaClient;
  readonly #functionName: string;

  constructor(lambda: LambdaClient, functionName: string) {
    this.#lambda = lambda;
    this.#functionName = functionName;
  }

  async dispatch(job: BackgroundJob): Promise<void> {
    await this.#lambda.send(
      new InvokeCommand({
        FunctionName: this.#functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(job)),
      }),
    );
  }
}
