import type { AuditEntry, AuditTrail, Clock, EventFields, SecurityEvents } from './ports.ts';

const FAILURES = new Set(['LOGIN_FAILED', 'CODE_CHANGED_NOTICE_FAILED', 'RESET_EMAIL_FAILED']);
const REFUSALS = new Set([
  'ATTEMPT_THROTTLED',
  'ATTEMPT_LOCKED_OUT',
  'RESET_MAIL_LIMITED',
  'LETTER_REFUSED_RECENT',
  'FORGOT_REQUEST_IGNORED',
  'REFRESH_REPLAY_DETECTED',
  'LOGIN_REFUSED_DEACTIVATED',
]);
const INFORMATION = new Set(['LOCKOUT_STARTED']);

export function outcomeOf(event: string): AuditEntry['outcome'] {
  if (FAILURES.has(event)) return 'FAILURE';
  if (REFUSALS.has(event)) return 'REFUSED';
  if (INFORMATION.has(event)) return 'INFO';
  return 'SUCCESS';
}

/**
 * Every security event is logged; an event about a NIR (a member or not) is also appended to
 * that NIR's audit trail, before the caller goes on, so none is lost when a Lambda freezes.
 */
export class AuditedEvents implements SecurityEvents {
  readonly #trail: AuditTrail;
  readonly #log: (event: string, fields: EventFields) => void;
  readonly #clock: Clock;

  constructor(trail: AuditTrail, log: (event: string, fields: EventFields) => void, clock: Clock) {
    this.#trail = trail;
    this.#log = log;
    this.#clock = clock;
  }

  async record(event: string, fields: EventFields): Promise<void> {
    // The NIR's keyed hash partitions the trail; it stays out of the logs.
    const { memberKey, ...logged } = fields;
    this.#log(event, logged);
    if (!memberKey) return;
    const { requestId, memberId, sourceIp, operator, metric: _metric, ...rest } = logged;
    const detail = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string | number | boolean] => e[1] !== undefined));
    await this.#trail.append(memberKey, {
      at: this.#clock.now(),
      event,
      outcome: outcomeOf(event),
      requestId,
      memberId,
      sourceIp,
      operator,
      ...(Object.keys(detail).length ? { detail } : {}),
    });
  }
}
