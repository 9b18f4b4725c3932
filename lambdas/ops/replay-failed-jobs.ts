import type { FailedJob } from '../adapters/dispatch/failed-jobs.ts';

export interface FailedJobQueue {
  next(): Promise<FailedJob[]>;
  remove(job: FailedJob): Promise<void>;
}

export interface ReplayReport {
  readonly seen: number;
  readonly replayed: number;
  /** Still failing: left in the queue (visible again after its visibility timeout) for another try or a look. */
  readonly stillFailing: ReadonlyArray<{ kind: string; failedAt: string }>;
  readonly byKind: Record<string, number>;
}

/**
 * Hands every queued job to the account worker again; a job the worker ran is removed, one that
 * fails again stays. `dryRun` reads and counts only: the messages come back after their timeout.
 */
export async function replayFailedJobs(
  queue: FailedJobQueue,
  run: (payload: unknown) => Promise<boolean>,
  options: { dryRun: boolean; limit?: number },
): Promise<ReplayReport> {
  const limit = options.limit ?? 1_000;
  let seen = 0;
  let replayed = 0;
  const stillFailing: Array<{ kind: string; failedAt: string }> = [];
  const byKind: Record<string, number> = {};
  while (seen < limit) {
    const batch = await queue.next();
    if (batch.length === 0) break;
    for (const job of batch) {
      seen += 1;
      byKind[job.kind] = (byKind[job.kind] ?? 0) + 1;
      if (options.dryRun) continue;
      if (await run(job.payload)) {
        await queue.remove(job);
        replayed += 1;
      } else {
        stillFailing.push({ kind: job.kind, failedAt: job.failedAt });
      }
    }
  }
  return { seen, replayed, stillFailing, byKind };
}
