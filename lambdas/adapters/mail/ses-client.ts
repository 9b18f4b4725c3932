import { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * Tries per mail: the SDK's standard retry strategy retries what is worth retrying (throttling,
 * 5xx, network), with backoff and jitter; a refused mail (a bad address) is not tried again.
 */
export const SES_MAX_ATTEMPTS = 3;

export function sesClient(region: string, endpoint: string | undefined): SESv2Client {
  return new SESv2Client({ region, endpoint, maxAttempts: SES_MAX_ATTEMPTS, retryMode: 'standard' });
}
