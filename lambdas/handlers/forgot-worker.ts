import * as z from 'zod/mini';
import { forgottenCode } from '../runtime/services.ts';

/** Invoked asynchronously by POST /v1/code/forgot: the branch's work, off the response path. */
const ForgotJob = z.object({
  memberKey: z.string().check(z.minLength(1)),
  requestId: z.string(),
  sourceIp: z.optional(z.string()),
  language: z.enum(['fr', 'en']),
});

const forgotten = await forgottenCode();

export const handler = async (event: unknown): Promise<void> => {
  // A thrown error makes Lambda retry the job (twice), then send it to the failure destination.
  await forgotten.process(ForgotJob.parse(event));
};
