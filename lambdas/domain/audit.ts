import { type AuditEvent, type AuditOutcome, type AuditRetention, outcomeOf, retentionOf } from './audit-events.ts';
import type { Clock, EventFields, PreparedEvent, SecurityEvents } from './ports.ts';

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

/**
 * Every security event is logged; an event about a NIR (a member or not) is also appended to
 * that NIR's audit trail — unless it is log-only — before the caller goes on, so none is lost when
 * a Lambda freezes. How long it is kept follows `AUDIT_EVENTS`.
 */
export class AuditedEvents implements SecurityEvents {
  readonly #trail: AuditTrail;
  readonly #log: (event: AuditEvent, fields: EventFields) => void;
  readonly #clock: Clock;

  constructor(trail: AuditTrail, log: (event: AuditEvent, fields: EventFields) => void, clock: Clock) {
    this.#trail = trail;
    this.#log = log;
    this.#clock = clock;
  }

  async record(event: AuditEvent, fields: EventFields): Promise<void> {
    const { trail, log } = this.prepare(event, fields);
    log();
    if (trail) await this.#trail.append(trail.memberKey, trail.entry, trail.retention);
  }

  prepare(event: AuditEvent, fields: EventFields): PreparedEvent {
    // The NIR's keyed hash partitions the trail; it stays out of the logs.
    const { memberKey, ...logged } = fields;
    const log = () => this.#log(event, logged);
    const retention = retentionOf(event, logged.memberId !== undefined);
    if (!memberKey || retention === 'log') return { log };
    const { requestId, memberId, sourceIp, operator, operatorClaim, metric: _metric, ...rest } = logged;
    const detail = Object.fromEntries(
      Object.entries(rest).filter((e): e is [string, string | number | boolean] => e[1] !== undefined),
    );
    const entry: AuditEntry = {
      at: this.#clock.now(),
      event,
      outcome: outcomeOf(event),
      requestId,
      memberId,
      sourceIp,
      operator,
      operatorClaim,
      ...(Object.keys(detail).length ? { detail } : {}),
    };
    return { trail: { memberKey, entry, retention }, log };
  }
}
