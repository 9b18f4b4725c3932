import type { BackgroundJob, BackgroundJobs } from '../../domain/background-jobs.ts';

/**
 * The local stand-in for an asynchronous Lambda invocation: the job runs after the response, in
 * the same process, with the same retries as Lambda's (two more tries).
 */
export class InProcessJobs implements BackgroundJobs {
  readonly #process: (job: BackgroundJob) => Promise<void>;
  readonly #onLost: (job: BackgroundJob, error: unknown) => void | Promise<void>;
  readonly #pending = new Set<Promise<void>>();

  constructor(
    process: (job: BackgroundJob) => Promise<void>,
    onLost: (job: BackgroundJob, error: unknown) => void | Promise<void>,
  ) {
    this.#process = process;
    this.#onLost = onLost;
  }

  async dispatch(job: BackgroundJob): Promise<void> {
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#withRetries(job));
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  /** Waits for every job dispatched so far (tests, and a clean stop). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #withRetries(job: BackgroundJob): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#process(job);
      } catch (error) {
        if (attempt === 3) return this.#onLost(job, error);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}
