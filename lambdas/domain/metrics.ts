/**
 * The metrics the functions publish (CloudWatch embedded metric format) and the alarms watch:
 * one list, read by the domain and by the CDK monitoring construct, so a name cannot drift.
 */
export const METRIC_NAMESPACE = 'MemberPortalAuth';

/** Every metric is published per stage (the functions' STAGE_NAME). */
export const METRIC_STAGE_DIMENSION = 'Stage';

export const METRICS = {
  /** A NIR started a lock: many at once is a guessing campaign. */
  LockoutStarted: 'LockoutStarted',
  /** An attempt refused by a throttle (per IP, one code across NIRs, forgotten-code requests per IP). */
  AttemptThrottled: 'AttemptThrottled',
  /** A member mail not sent after retries. */
  MailLost: 'MailLost',
  /** Hours the oldest pending letter has waited. */
  OldestPendingLetterAgeHours: 'OldestPendingLetterAgeHours',
} as const;

export type MetricName = keyof typeof METRICS;
