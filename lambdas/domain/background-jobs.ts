/**
 * Work whose cost depends on the account, taken off the response path so that answers and their
 * timing are the same whether or not a member exists: an async Lambda invocation in AWS.
 */
/** A forgotten-code request: its branch (mail, letter, nothing) is worked out off the response path. */
export interface ForgotJob {
  readonly kind: 'FORGOT';
  readonly memberKey: string;
  readonly requestId: string;
  readonly sourceIp?: string | undefined;
  readonly language: 'fr' | 'en';
}

/** A lock just started on a NIR: the member, if any and with an email, gets a notice. */
export interface LockNoticeJob {
  readonly kind: 'LOCK_NOTICE';
  readonly memberKey: string;
  readonly requestId: string;
  readonly lockedUntil: number;
  readonly language: 'fr' | 'en';
}

export type BackgroundJob = ForgotJob | LockNoticeJob;

/**
 * Takes work whose cost depends on the account off the response path (an async Lambda invocation
 * in AWS), so that answers and their timing are the same whether or not a member exists.
 */
export interface BackgroundJobs {
  dispatch(job: BackgroundJob): Promise<void>;
}
