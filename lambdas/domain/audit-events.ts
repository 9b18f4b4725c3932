/**
 * Every security event, with what the audit trail makes of it: its outcome, and how long it is kept.
 *  - `keep`: the configured retention (a year by default) — what customer service and a DPO read.
 *  - `short`: refusals and failures (30 days by default): attempts anyone can cause, under keys an
 *    attacker chooses, must not fill the table for a year. Events about an unknown NIR are always short.
 *  - `log`: logged only, never written to the trail (one item per refused attempt would let anyone
 *    write at will; the lock itself is audited once, as LOCKOUT_STARTED).
 */
export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'REFUSED', 'INFO'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type AuditRetention = 'keep' | 'short' | 'log';

interface EventSpec {
  readonly outcome: AuditOutcome;
  readonly retention: AuditRetention;
}

const spec = (outcome: AuditOutcome, retention: AuditRetention): EventSpec => ({ outcome, retention });

export const AUDIT_EVENTS = {
  LOGIN_SUCCEEDED: spec('SUCCESS', 'keep'),
  LOGIN_CODE_CHANGE_REQUIRED: spec('SUCCESS', 'keep'),
  LOGIN_TERMS_ACCEPTANCE_REQUIRED: spec('SUCCESS', 'keep'),
  LOGIN_FAILED: spec('FAILURE', 'short'),
  LOGIN_REFUSED_DEACTIVATED: spec('REFUSED', 'short'),
  /** The code was right, but the member's code changed (or access ended) before the session was written. */
  LOGIN_REFUSED_STALE: spec('REFUSED', 'short'),
  ATTEMPT_THROTTLED: spec('REFUSED', 'log'),
  ATTEMPT_LOCKED_OUT: spec('REFUSED', 'log'),
  LOCKOUT_STARTED: spec('INFO', 'keep'),
  LOCK_CLEARED: spec('SUCCESS', 'keep'),
  LOCK_NOTICE_SENT: spec('SUCCESS', 'keep'),
  LOCK_NOTICE_FAILED: spec('FAILURE', 'keep'),
  CODE_CHANGED: spec('SUCCESS', 'keep'),
  /** The right personal code on the signed-out code-change form from a browser the member never proved. */
  CODE_CHANGE_REFUSED_UNTRUSTED: spec('REFUSED', 'keep'),
  CODE_CHANGED_NOTICE_SENT: spec('SUCCESS', 'keep'),
  CODE_CHANGED_NOTICE_FAILED: spec('FAILURE', 'keep'),
  FORGOT_REQUESTED: spec('SUCCESS', 'keep'),
  FORGOT_REQUEST_IGNORED: spec('REFUSED', 'short'),
  FORGOT_THROTTLED: spec('REFUSED', 'log'),
  RESET_LINK_ISSUED: spec('SUCCESS', 'keep'),
  RESET_MAIL_LIMITED: spec('REFUSED', 'short'),
  RESET_EMAIL_SENT: spec('SUCCESS', 'keep'),
  RESET_EMAIL_FAILED: spec('FAILURE', 'keep'),
  RESET_LINK_USED: spec('SUCCESS', 'keep'),
  RESET_LINK_WRONG_NIR: spec('REFUSED', 'short'),
  LETTER_QUEUED: spec('SUCCESS', 'keep'),
  LETTER_REFUSED_RECENT: spec('REFUSED', 'short'),
  LETTER_EXPORTED: spec('SUCCESS', 'keep'),
  TERMS_ACCEPTED: spec('SUCCESS', 'keep'),
  SESSION_STARTED: spec('SUCCESS', 'keep'),
  SESSION_REFRESHED: spec('SUCCESS', 'keep'),
  SESSION_LOGGED_OUT: spec('SUCCESS', 'keep'),
  SESSION_REVOKED: spec('SUCCESS', 'keep'),
  REFRESH_REPLAY_DETECTED: spec('REFUSED', 'keep'),
  LOGIN_DEVICE_VERIFICATION_REQUIRED: spec('SUCCESS', 'keep'),
  DEVICE_CODE_SENT: spec('SUCCESS', 'keep'),
  DEVICE_CODE_FAILED: spec('FAILURE', 'keep'),
  DEVICE_CODE_REFUSED: spec('FAILURE', 'short'),
  /** Ten codes mailed today already: the right personal code from yet another new browser waits. */
  DEVICE_CODES_LIMITED: spec('REFUSED', 'keep'),
  DEVICE_VERIFIED: spec('SUCCESS', 'keep'),
  /** « Renvoyer le code »: a new code mailed for a pending device verification. */
  DEVICE_CODE_RESENT: spec('SUCCESS', 'keep'),
  DEVICE_ADDED: spec('SUCCESS', 'keep'),
  NEW_DEVICE_NOTICE_SENT: spec('SUCCESS', 'keep'),
  NEW_DEVICE_NOTICE_FAILED: spec('FAILURE', 'keep'),
  DEVICE_FORGOTTEN: spec('SUCCESS', 'keep'),
  PASSKEY_ADDED: spec('SUCCESS', 'keep'),
  PASSKEY_RENAMED: spec('SUCCESS', 'keep'),
  PASSKEY_REMOVED: spec('SUCCESS', 'keep'),
  PASSKEY_SIGN_IN: spec('SUCCESS', 'keep'),
  PASSKEY_REFUSED: spec('REFUSED', 'short'),
  PASSKEY_OPTIONS_THROTTLED: spec('REFUSED', 'log'),
  PASSKEY_NOTICE_SENT: spec('SUCCESS', 'keep'),
  PASSKEY_NOTICE_FAILED: spec('FAILURE', 'keep'),
  CODE_SIGN_IN_DISABLED: spec('SUCCESS', 'keep'),
  CODE_SIGN_IN_ENABLED: spec('SUCCESS', 'keep'),
  CODE_SIGN_IN_NOTICE_SENT: spec('SUCCESS', 'keep'),
  CODE_SIGN_IN_NOTICE_FAILED: spec('FAILURE', 'keep'),
  MEMBER_DEACTIVATED: spec('SUCCESS', 'keep'),
  MEMBER_REACTIVATED: spec('SUCCESS', 'keep'),
} as const satisfies Record<string, EventSpec>;

export type AuditEvent = keyof typeof AUDIT_EVENTS;

export const outcomeOf = (event: AuditEvent): AuditOutcome => AUDIT_EVENTS[event].outcome;

/** How long the trail keeps this event: unknown NIRs (no member) are always short-lived. */
export function retentionOf(event: AuditEvent, aboutAMember: boolean): AuditRetention {
  const { retention } = AUDIT_EVENTS[event];
  return retention === 'keep' && !aboutAMember ? 'short' : retention;
}

export interface AuditEntry {
  readonly at: number;
  readonly event: AuditEvent;
  readonly outcome: AuditOutcome;
  readonly requestId: string;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  readonly operator?: string | undefined;
  readonly operatorClaim?: string | undefined;
  readonly detail?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** An entry written inside another write's transaction, in the NIR key's partition. */
export interface PendingAuditEntry {
  readonly memberKey: string;
  readonly entry: AuditEntry;
  readonly retention: Exclude<AuditRetention, 'log'>;
}

/** The audit trail, one partition per NIR key; each entry kept for its retention class. */
export interface AuditTrail {
  append(memberKey: string, entry: AuditEntry, retention: Exclude<AuditRetention, 'log'>): Promise<void>;
  /** Newest first. */
  list(memberKey: string, since?: number): Promise<AuditEntry[]>;
}
