import type { ForgotDispatcher, ForgotJob } from '../../domain/ports.ts';

/**
 * The local stand-in for an asynchronous Lambda invocation: the job runs after the response, in
 * the same process, with the same retries as Lambda's (two more tries).
 */
export class InProcessDispatcher implements ForgotDispatcher {
  readonly #process: (job: ForgotJob) => Promise<void>;
  readonly #onLost: (job: ForgotJob, error: unknown) => void;
  readonly #pending = new Set<Promise<void>>();

  constructor(process: (job: ForgotJob) => Promise<void>, onLost: (job: ForgotJob, error: unknown) => void) {
    this.#process = process;
    this.#onLost = onLost;
  }

  async dispatch(job: ForgotJob): Promise<void> {
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#withRetries(job));
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  /** Waits for every job dispatched so far (tests, and a clean stop). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #withRetries(job: ForgotJob): Promise<void> {
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
