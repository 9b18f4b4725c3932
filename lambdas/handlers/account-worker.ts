import * as z from 'zod/mini';
import { runBackgroundJob } from '../runtime/services.ts';

/**
 * Invoked asynchronously: the work whose cost depends on the account, off the response path —
 * a forgotten-code request's branch (POST /v1/code/forgot), a lock's notice (a sign-in that locked a NIR).
 */
const language = z.enum(['fr', 'en']);
const BackgroundJob = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('FORGOT'),
    memberKey: z.string().check(z.minLength(1)),
    requestId: z.string(),
    sourceIp: z.optional(z.string()),
    language,
  }),
  z.object({
    kind: z.literal('LOCK_NOTICE'),
    memberKey: z.string().check(z.minLength(1)),
    requestId: z.string(),
    lockedUntil: z.number(),
    language,
  }),
]);

export const handler = async (event: unknown): Promise<void> => {
  // A thrown error makes Lambda retry the job (twice), then send it to the failure destination.
  await runBackgroundJob(BackgroundJob.parse(event));
};
