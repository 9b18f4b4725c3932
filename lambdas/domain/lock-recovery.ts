import { AttemptReservations } from './attempt-reservations.ts';
import { type AttemptStore, recoveryCounterKey } from './attempts.ts';
import type { LockNoticeJob } from './background-jobs.ts';
import { type AttemptCounter, clearLock, hasAnythingToClear } from './lockout.ts';
import type { Member, MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import type { Clock, EventFields, SecurityEvents } from './ports.ts';

export type LockClearedBy = 'RESET_LINK' | 'LETTER_CODE' | 'OPERATOR';

/**
 * A lock must not become a way to keep a member out: proof of the mailbox (a used reset link), of
 * the postal address (a code change with a letter's code) or customer service (`unlock`) clears the
 * NIR's lock, consecutive count, escalation and 24-hour cap, and its letter-recovery budget
 * (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"): the strangers' failures before it no longer count.
 */
export class NirLocks {
  readonly #counters: AttemptReservations;
  readonly #events: SecurityEvents;

  constructor(attempts: AttemptStore, clock: Clock, events: SecurityEvents) {
    this.#counters = new AttemptReservations(attempts, clock);
    this.#events = events;
  }

  /** True when there was something to clear (a lock, a count, an escalation or failures in the cap). */
  async clear(nirKey: string, by: LockClearedBy, fields: EventFields): Promise<boolean> {
    const clearing = (counter: AttemptCounter) => (hasAnythingToClear(counter) ? clearLock(counter) : undefined);
    const [nir, recovery] = await Promise.all([
      this.#counters.rewrite(nirKey, clearing),
      this.#counters.rewrite(recoveryCounterKey(nirKey), clearing),
    ]);
    if (!nir && !recovery) return false;
    await this.#events.record('LOCK_CLEARED', { ...fields, memberKey: nirKey, reason: by });
    return true;
  }
}

export interface LockNoticeDependencies {
  readonly members: MemberRepository;
  readonly mail: MemberMail;
}

/**
 * The notice of a lock, off the response path: to the member with an email on file, once per lock,
 * never with a link that signs in. Unknown, deactivated or without email: nothing.
 */
export async function sendLockNotice(job: LockNoticeJob, d: LockNoticeDependencies): Promise<void> {
  const member: Member | undefined = await d.members.get(job.memberKey);
  if (!member?.email || member.deactivatedAt !== undefined) return;
  // One per lock, whatever retries the job gets: the mark is set before the mail leaves.
  if (!(await d.members.recordLockNotice(member.key, job.lockedUntil))) return;
  await d.mail.lockNotice(member, member.email, job.lockedUntil, job.language, job.requestId);
}
