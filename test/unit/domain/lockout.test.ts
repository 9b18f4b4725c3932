import { describe, expect, it } from '@jest/globals';
import {
  type AttemptCounter,
  clearLock,
  DAY_MS,
  EMPTY_COUNTER,
  type LockoutPolicy,
  lockDurationSeconds,
  reserveAttempt,
  settleSuccess,
  startsLock,
} from '../../../lambdas/domain/lockout.ts';
import { reservationCap, retryAfterSeconds } from '../../../lambdas/domain/throttles.ts';

const policy: LockoutPolicy = {
  maxConsecutiveFailures: 5,
  baseLockSeconds: 900,
  maxLockSeconds: 86_400,
  maxFailuresPerDay: 25,
};
const MIN = 60_000;
const HOUR = 60 * MIN;
const t0 = Date.UTC(2026, 10, 26, 7, 0, 0);

function failTimes(counter: AttemptCounter, n: number, at: number): AttemptCounter {
  let c = counter;
  for (let i = 0; i < n; i++) {
    const r = reserveAttempt(c, at, policy);
    if (!r.allowed) throw new Error(`refused at attempt ${i + 1}`);
    c = r.next;
  }
  return c;
}

describe('lockout arithmetic', () => {
  it('allows five reservations, then refuses for 15 minutes', () => {
    const locked = failTimes(EMPTY_COUNTER, 5, t0);
    const refused = reserveAttempt(locked, t0 + 1000, policy);
    expect(refused).toEqual({ allowed: false, refusal: 'LOCKED', retryAfterSeconds: 899 });
    expect(reserveAttempt(locked, t0 + 15 * MIN, policy).allowed).toBe(true);
  });

  it('sets the lock when the fifth attempt is reserved, before its verdict', () => {
    const four = failTimes(EMPTY_COUNTER, 4, t0);
    expect(four.lockedUntil).toBe(0);
    const fifth = reserveAttempt(four, t0, policy);
    expect(fifth.allowed && fifth.next.lockedUntil).toBe(t0 + 15 * MIN);
  });

  it('doubles the lock at each further lock', () => {
    const first = failTimes(EMPTY_COUNTER, 5, t0);
    const second = failTimes(first, 5, t0 + 15 * MIN);
    expect(second.lockedUntil).toBe(t0 + 15 * MIN + 30 * MIN);
    expect(lockDurationSeconds(2, policy)).toBe(3600);
    expect(lockDurationSeconds(20, policy)).toBe(86_400);
  });

  it('a success restarts the consecutive count and the escalation, and gives back its reservation', () => {
    const three = failTimes(EMPTY_COUNTER, 3, t0);
    const r = reserveAttempt(three, t0 + 1, policy);
    if (!r.allowed) throw new Error('unexpected');
    const settled = settleSuccess(r.next, r.reservedAt);
    expect(settled.consecutive).toBe(0);
    expect(settled.lockLevel).toBe(0);
    expect(settled.recentFailures).toHaveLength(3);
  });

  it('a success on the fifth attempt lifts the lock it set', () => {
    const four = failTimes(EMPTY_COUNTER, 4, t0);
    const r = reserveAttempt(four, t0, policy);
    if (!r.allowed) throw new Error('unexpected');
    expect(settleSuccess(r.next, r.reservedAt).lockedUntil).toBe(0);
  });

  it('never allows more than 25 failures in any 24 hours, even across locks', () => {
    let c = EMPTY_COUNTER;
    let now = t0;
    let allowed = 0;
    for (let i = 0; i < 200; i++) {
      const r = reserveAttempt(c, now, policy);
      if (r.allowed) {
        c = r.next;
        allowed++;
      }
      now += 5 * MIN;
      if (now > t0 + 24 * HOUR - MIN) break;
    }
    expect(allowed).toBe(25);
    const refused = reserveAttempt(c, now, policy);
    expect(refused.allowed).toBe(false);
  });

  it('forgets failures older than 24 hours', () => {
    const many = failTimes(EMPTY_COUNTER, 4, t0);
    const later = reserveAttempt(many, t0 + 25 * HOUR, policy);
    expect(later.allowed && later.next.recentFailures).toEqual([t0 + 25 * HOUR]);
  });
});

describe('a lock that cannot keep a member out (security review, item 1)', () => {
  it('a stranger cannot escalate for ever: an expired lock followed by a day without failure restarts at 15 minutes', () => {
    const first = failTimes(EMPTY_COUNTER, 5, t0);
    const second = failTimes(first, 5, t0 + 15 * MIN);
    expect(second.lockLevel).toBe(2);
    const quiet = second.lockedUntil + DAY_MS;
    const third = failTimes(second, 5, quiet);
    expect(third.lockedUntil).toBe(quiet + 15 * MIN);
    // Less than a quiet day: the escalation goes on.
    const noisy = failTimes(second, 5, second.lockedUntil + DAY_MS - MIN);
    expect(noisy.lockedUntil - (second.lockedUntil + DAY_MS - MIN)).toBe(60 * MIN);
  });

  it('a refusal says why: LOCKED during a lock, CAPPED once the failures of any 24 hours are spent', () => {
    const locked = failTimes(EMPTY_COUNTER, 5, t0);
    expect(reserveAttempt(locked, t0 + MIN, policy)).toMatchObject({ allowed: false, refusal: 'LOCKED' });
    let c = EMPTY_COUNTER;
    for (let i = 0; i < 5; i++) c = failTimes(c, 5, t0 + i * 3 * HOUR);
    expect(reserveAttempt({ ...c, lockedUntil: 0 }, t0 + 16 * HOUR, policy)).toMatchObject({
      allowed: false,
      refusal: 'CAPPED',
    });
  });

  it('a right code restarts the lock and the escalation but keeps the failures in the 24-hour cap', () => {
    const locked = failTimes(failTimes(EMPTY_COUNTER, 5, t0), 3, t0 + 15 * MIN);
    expect(settleSuccess(locked, 0)).toEqual({ ...EMPTY_COUNTER, recentFailures: locked.recentFailures });
  });

  it('a used reset link, a letter’s code or customer service clears the lock, the count, the escalation and the 24-hour cap', () => {
    const locked = failTimes(failTimes(EMPTY_COUNTER, 5, t0), 3, t0 + 15 * MIN);
    expect(clearLock(locked)).toEqual(EMPTY_COUNTER);
  });

  it('exactly one reservation starts a lock', () => {
    const four = failTimes(EMPTY_COUNTER, 4, t0);
    const fifth = reserveAttempt(four, t0, policy);
    expect(startsLock(four, fifth, t0)).toBe(true);
    if (!fifth.allowed) throw new Error('unexpected');
    expect(startsLock(fifth.next, reserveAttempt(fifth.next, t0, policy), t0)).toBe(false);
  });
});

describe('sliding-window throttle reservations', () => {
  const throttle = { maxEvents: 100, windowSeconds: 900 };
  const windowStart = Math.floor(t0 / 900_000) * 900_000;

  it('lets 100 events into a fresh window and no more', () => {
    expect(reservationCap(0, windowStart + 1000, throttle)).toBe(100);
    expect(retryAfterSeconds(windowStart + 1000, throttle)).toBe(899);
  });

  it('weights the previous window by how much of it still overlaps', () => {
    const halfway = windowStart + 450_000;
    expect(reservationCap(120, halfway, throttle)).toBe(40);
    expect(reservationCap(120, windowStart, throttle)).toBe(-20);
    expect(reservationCap(120, windowStart + 899_999, throttle)).toBe(99);
  });
});
