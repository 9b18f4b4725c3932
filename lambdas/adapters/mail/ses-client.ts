import { SESv2Client } from '@aws-sdk/client-sesv2';
import { AWS_CLIENT_LIMITS } from '../client-limits.ts';

/**
 * Tries per mail: the SDK's standard retry strategy retries what is worth retrying (throttling,
 * 5xx, network), with backoff and jitter; a refused mail (a bad address) is not tried again. Each
 * try has the same bounded waits as the other clients: login and device-verify send inside the
 * member's request, so an SES that stops answering costs at most ≈ 5 s there, not the function's timeout.
 */
export const SES_MAX_ATTEMPTS = 3;

export function sesClient(region: string, endpoint: string | undefined): SESv2Client {
  return new SESv2Client({
    region,
    endpoint,
    maxAttempts: SES_MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: AWS_CLIENT_LIMITS.requestHandler,
  });
}
