import { type AuditEntry, type AuditEvent, type AuditTrail, outcomeOf, retentionOf } from './audit-events.ts';
import type { Clock, EventFields, PreparedEvent, SecurityEvents } from './ports.ts';

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
