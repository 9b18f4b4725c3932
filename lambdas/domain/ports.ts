/**
 * What several features need from the outside world: a clock, keyed hashes whose keys live outside
 * the database, security events, mail. Each feature keeps its own ports beside it (MemberRepository
 * in member.ts, SessionStore in sessions.ts, LetterStore in letters.ts, …); adapters implement them,
 * and the domain never imports an AWS SDK.
 */
import type { AuditEvent, PendingAuditEntry } from './audit-events.ts';
import type { MetricName } from './metrics.ts';

/** A keyed hash whose key lives outside the database (a local key file, or a KMS HMAC key). */
export interface KeyedHasher {
  digest(message: string): Promise<Buffer>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Security events for operators: logged, and kept in the member's audit trail when `memberKey`
 * (the NIR's keyed hash, known or not) is given. Fields never carry a NIR, a code, a token or a link.
 */
export interface SecurityEvents {
  record(event: AuditEvent, fields: EventFields): void | Promise<void>;
  /**
   * The same event, to be written by another write inside its transaction (a session's): its
   * audit entry if it has one to keep, and its log line to emit once that write is done.
   */
  prepare(event: AuditEvent, fields: EventFields): PreparedEvent;
}

export interface PreparedEvent {
  readonly trail?: PendingAuditEntry | undefined;
  log(): void;
}

export interface EventFields {
  readonly requestId: string;
  readonly memberKey?: string | undefined;
  readonly memberId?: string | undefined;
  readonly sourceIp?: string | undefined;
  /** Who ran an operator command: the verified identity. */
  readonly operator?: string | undefined;
  /** The name an operator gave (`OPERATOR`): recorded beside the verified identity, never instead of it. */
  readonly operatorClaim?: string | undefined;
  /** A count for the alarms (CloudWatch embedded metric format). */
  readonly metric?: MetricName | undefined;
  readonly [detail: string]: string | number | boolean | undefined;
}
