import { type AccessEndSchedule, type EndTarget, parisDay, parisMidnight } from './access-end.ts';
import type { MemberRepository } from './member.ts';
import type { AccessStore, MemberAccess, OperatorContext } from './member-access.ts';
import type { Clock } from './ports.ts';

export interface AccessEndsRunDependencies {
  readonly schedule: AccessEndSchedule;
  readonly members: MemberRepository;
  readonly store: AccessStore;
  readonly access: MemberAccess;
  readonly clock: Clock;
}

/** Days looked back: a run that failed or was late for a week still records every end. */
const CATCH_UP_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AccessEndsReport {
  readonly membersEnded: number;
  readonly clientsEnded: number;
  /** Entries whose date was moved or cleared since, dropped. */
  readonly stale: number;
}

/**
 * The scheduled run (hourly in AWS: EventBridge): every member and client company whose end date
 * has come is deactivated, audited as an automatic deactivation (`trigger: END_DATE`), and their
 * sessions end with it. Sign-in and sessions already refuse them from 00:00 (they compare dates);
 * this records it, and ends what a date alone cannot (open sessions' refresh tokens, devices).
 * Idempotent: each transition is conditional, an entry done is removed.
 */
export async function runAccessEnds(d: AccessEndsRunDependencies, ctx: OperatorContext): Promise<AccessEndsReport> {
  const now = d.clock.now();
  const counts = { membersEnded: 0, clientsEnded: 0, stale: 0 };
  for (let back = CATCH_UP_DAYS; back >= 0; back--) {
    const day = parisDay(now - back * DAY_MS);
    const at = parisMidnight(day);
    if (at > now) continue;
    for await (const target of d.schedule.due(day)) {
      const ended = await endOne(d, target, at, ctx);
      if (ended === 'STALE') counts.stale++;
      else if (ended && target.kind === 'MEMBER') counts.membersEnded++;
      else if (ended) counts.clientsEnded++;
      await d.schedule.done(day, target);
    }
  }
  return counts;
}

async function endOne(
  d: AccessEndsRunDependencies,
  target: EndTarget,
  at: number,
  ctx: OperatorContext,
): Promise<boolean | 'STALE'> {
  if (target.kind === 'MEMBER') {
    const member = await d.members.get(target.id);
    if (member?.accessEndsAt !== at) return 'STALE';
    return d.access.deactivateMember(member.key, member.memberId, ctx, 'END_DATE');
  }
  const client = await d.store.getClient(target.id);
  if (client?.accessEndsAt !== at) return 'STALE';
  const report = await d.access.deactivateClient(target.id, ctx, () => undefined, 'END_DATE');
  return report.changed > 0 || client.deactivatedAt === undefined;
}
