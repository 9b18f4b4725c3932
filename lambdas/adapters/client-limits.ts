/**
 * Bounded waits for an AWS service that stops answering (http-api-v1.md, Conventions: a `503` with
 * `Retry-After`, in bounded time): 1 s to connect, 1.5 s per request, 2 attempts — a stalled service
 * fails a call in about 3.5 s, well inside the functions' 10 s timeout; DynamoDB, KMS, Lambda, SSM and Secrets Manager
 * answer in milliseconds otherwise. SES has its own (`adapters/mail/ses-client.ts`): mail is retried, never waited on.
 */
export const AWS_CLIENT_LIMITS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500, throwOnRequestTimeout: true },
} as const;
