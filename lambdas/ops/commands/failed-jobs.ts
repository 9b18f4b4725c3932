import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_CLIENT_LIMITS } from '../../adapters/client-limits.ts';
import { runOnWorker, SqsFailedJobs } from '../../adapters/dispatch/failed-jobs.ts';
import { config } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION } from '../command.ts';
import { OperatorFailure } from '../failure.ts';
import { result, say } from '../output.ts';
import { replayFailedJobs } from '../replay-failed-jobs.ts';

export const replayFailedJobsCommand = defineCommand({
  name: 'replay-failed-jobs',
  summary: 'hand the account jobs that failed three times (mails, letters, notices) to the worker again',
  usage: '[--dry-run] [--json]',
  details:
    'Reads the failed-jobs queue (FAILED_JOBS_QUEUE_URL, stack output FailedJobsQueueUrl) and invokes the account ' +
    'worker (ACCOUNT_WORKER_FUNCTION, output AccountWorkerFunction) with each job, waiting for it; a job it runs is ' +
    'removed from the queue, one that fails again stays. --dry-run counts them by kind and changes nothing. ' +
    'Prints kinds and dates only, never a job’s content.',
  options: { 'dry-run': { type: 'boolean' }, ...JSON_OPTION },
  async run({ values }) {
    const queueUrl = config().failedJobsQueueUrl;
    const worker = config().accountWorker;
    if (!queueUrl || !worker) {
      throw new OperatorFailure(
        'FAILED_JOBS_QUEUE_URL and ACCOUNT_WORKER_FUNCTION are needed (stack outputs FailedJobsQueueUrl, AccountWorkerFunction); the local stack has no failed-jobs queue',
      );
    }
    const region = config().region;
    // One attempt, waited for up to the worker's own timeout: a retried Invoke could run a job twice.
    const lambda = new LambdaClient({
      region,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
    });
    const report = await replayFailedJobs(
      new SqsFailedJobs(new SQSClient({ region, ...AWS_CLIENT_LIMITS }), queueUrl),
      (payload) => runOnWorker(lambda, worker, payload),
      { dryRun: values['dry-run'] === true },
    );
    result(values.json, { dryRun: values['dry-run'] === true, ...report }, () => {
      const kinds =
        Object.entries(report.byKind)
          .map(([kind, n]) => `${n} ${kind}`)
          .join(', ') || 'none';
      if (values['dry-run']) say(`${report.seen} failed job(s) queued (${kinds}); nothing replayed (--dry-run)`);
      else say(`${report.replayed} of ${report.seen} failed job(s) replayed (${kinds})`);
      for (const job of report.stillFailing)
        say(`still failing: ${job.kind} (failed ${job.failedAt}), left in the queue`);
    });
    return report.stillFailing.length ? 1 : 0;
  },
});
