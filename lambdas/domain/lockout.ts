/**
 * Lockout arithmetic, pure. Failed attempts are counted per NIR (known or not, so a lock reveals
 * nothing). An attempt is *reserved* before the code is checked: the reservation already counts
 * as a failure, and only a success gives it back. So concurrent requests can never check more
 * codes than the threshold allows, and a crash between reservation and verdict fails closed.
 */
export interface LockoutPolicy {
  /** Consecutive failures that lock the NIR. */
  readonly maxConsecutiveFailures: number;
  /** First lock duration; doubles at each further lock until `maxLockSeconds`. */
  readonly baseLockSeconds: number;
  readonly maxLockSeconds: number;
  /** Failures allowed per NIR in any sliding 24 hours. */
  readonly maxFailuresPerDay: number;
}

export interface AttemptCounter {
  /** Reserved attempts since the last success or lock (failures and attempts in flight). */
  readonly consecutive: number;
  /** How many locks in a row, for escalation; a success resets it. */
  readonly lockLevel: number;
  /** Epoch ms; 0 when not locked. */
  readonly lockedUntil: number;
  /** Epoch ms of each failure (or reservation) in the last 24 hours. */
  readonly recentFailures: readonly number[];
}

export const EMPTY_COUNTER: AttemptCounter = Object.freeze({
  consecutive: 0,
  lockLevel: 0,
  lockedUntil: 0,
  recentFailures: [],
});

const DAY_MS = 24 * 60 * 60 * 1000;

export type Reservation =
  | { readonly allowed: true; readonly next: AttemptCounter; readonly reservedAt: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export function lockDurationSeconds(lockLevel: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseLockSeconds * 2 ** lockLevel, policy.maxLockSeconds);
}

export function reserveAttempt(counter: AttemptCounter, now: number, policy: LockoutPolicy): Reservation {
  if (counter.lockedUntil > now) {
    return { allowed: false, retryAfterSeconds: (counter.lockedUntil - now) / 1000 };
  }
  const recent = counter.recentFailures.filter((t) => t > now - DAY_MS);
  if (recent.length >= policy.maxFailuresPerDay) {
    const oldest = Math.min(...recent);
    return { allowed: false, retryAfterSeconds: (oldest + DAY_MS - now) / 1000 };
  }
  const consecutive = counter.consecutive + 1;
  const reachesLock = consecutive >= policy.maxConsecutiveFailures;
  const next: AttemptCounter = {
    consecutive: reachesLock ? 0 : consecutive,
    lockLevel: reachesLock ? counter.lockLevel + 1 : counter.lockLevel,
    // The lock is set when the last allowed attempt is reserved, not when it fails, so no
    // request racing with it can slip in; a success of that attempt lifts it again.
    lockedUntil: reachesLock ? now + lockDurationSeconds(counter.lockLevel, policy) * 1000 : 0,
    recentFailures: [...recent, now],
  };
  return { allowed: true, next, reservedAt: now };
}

/** A right code: the reservation was not a failure; the consecutive count and escalation restart. */
export function settleSuccess(counter: AttemptCounter, reservedAt: number): AttemptCounter {
  const recentFailures = [...counter.recentFailures];
  const index = recentFailures.indexOf(reservedAt);
  if (index >= 0) recentFailures.splice(index, 1);
  return { consecutive: 0, lockLevel: 0, lockedUntil: 0, recentFailures };
}

/** When the counter item can be forgotten (DynamoDB TTL, epoch seconds). */
export function counterExpiry(counter: AttemptCounter, now: number): number {
  const lastFailure = Math.max(0, ...counter.recentFailures);
  return Math.ceil(Math.max(counter.lockedUntil, lastFailure + DAY_MS, now + DAY_MS) / 1000);
}

/**
 * Sliding-window estimate for the per-IP and per-code (spraying) throttles: the current fixed
 * window plus the previous one weighted by how much of it still overlaps the sliding window.
 */
export interface WindowCounts {
  readonly current: number;
  readonly previous: number;
}

export interface ThrottlePolicy {
  /** Failures tolerated in the window; one more and the source (IP, or code across NIRs) waits. */
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

export function windowIndex(now: number, windowSeconds: number): number {
  return Math.floor(now / (windowSeconds * 1000));
}

export function throttleRetryAfter(counts: WindowCounts, now: number, policy: ThrottlePolicy): number | undefined {
  const windowMs = policy.windowSeconds * 1000;
  const elapsed = (now % windowMs) / windowMs;
  const estimate = counts.current + counts.previous * (1 - elapsed);
  if (estimate <= policy.maxFailures) return undefined;
  return (windowMs - (now % windowMs)) / 1000;
}
