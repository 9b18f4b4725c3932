/**
 * Lockout arithmetic, pure. Failed attempts are counted per NIR (known or not, so a lock reveals
 * nothing). An attempt is *reserved* before the code is checked: the reservation already counts
 * as a failure, and only a success gives it back. So concurrent requests can never check more
 * codes than the threshold allows, and a crash between reservation and verdict fails closed.
 *
 * A lock must not become a way to keep a member out (http-api-v1.md, POST /v1/login: "a lock must not become a way to keep a member out" and "what a stranger with a NIR can no longer do"):
 * the escalation decays after a quiet day; a used reset link, a letter's code and `unlock` clear the
 * lock and the cap; the NIR's counter counts only clients without a device cookie of the member
 * (a trusted device has a counter of its own, a passkey none); and while the NIR refuses, a letter's
 * temporary code is still checked on the code-change form, within a budget of its own.
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
  /** How many locks in a row, for escalation; a success, a recovery or a quiet day resets it. */
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

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Why an attempt was refused: the counter's lock (consecutive failures) or its 24-hour cap. */
type Refusal = 'LOCKED' | 'CAPPED';

export type Reservation =
  | { readonly allowed: true; readonly next: AttemptCounter; readonly reservedAt: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly refusal: Refusal };

export function lockDurationSeconds(lockLevel: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseLockSeconds * 2 ** lockLevel, policy.maxLockSeconds);
}

/** The escalation starts again from the first lock once a lock has expired and a day passed without a failure. */
function decayed(counter: AttemptCounter, recent: readonly number[], now: number): number {
  return recent.length === 0 && counter.lockedUntil + DAY_MS <= now ? 0 : counter.lockLevel;
}

/**
 * Reserves one attempt on a counter — the NIR's (clients without a device cookie of the member),
 * a trusted device's own, or the NIR's letter-recovery budget — or refuses it: the 24-hour cap
 * first (a sliding window), then the lock.
 */
export function reserveAttempt(counter: AttemptCounter, now: number, policy: LockoutPolicy): Reservation {
  const recent = counter.recentFailures.filter((t) => t > now - DAY_MS);
  if (recent.length >= policy.maxFailuresPerDay) {
    const oldest = Math.min(...recent);
    return {
      allowed: false,
      refusal: 'CAPPED',
      retryAfterSeconds: Math.max((oldest + DAY_MS - now) / 1000, (counter.lockedUntil - now) / 1000),
    };
  }
  if (counter.lockedUntil > now) {
    return { allowed: false, refusal: 'LOCKED', retryAfterSeconds: (counter.lockedUntil - now) / 1000 };
  }
  const lockLevel = decayed(counter, recent, now);
  const consecutive = counter.consecutive + 1;
  const reachesLock = consecutive >= policy.maxConsecutiveFailures;
  const next: AttemptCounter = {
    consecutive: reachesLock ? 0 : consecutive,
    lockLevel: reachesLock ? lockLevel + 1 : lockLevel,
    // The lock is set when the last allowed attempt is reserved, not when it fails, so no
    // request racing with it can slip in; a success of that attempt lifts it again.
    lockedUntil: reachesLock ? now + lockDurationSeconds(lockLevel, policy) * 1000 : 0,
    recentFailures: [...recent, now],
  };
  return { allowed: true, next, reservedAt: now };
}

/** Whether this reservation is the one that started a lock (exactly one request per lock). */
export const startsLock = (before: AttemptCounter, reservation: Reservation, now: number): boolean =>
  reservation.allowed && reservation.next.lockedUntil > now && before.lockedUntil <= now;

/**
 * A right code: the reservation was not a failure; the lock, the consecutive count and the
 * escalation restart. The failures of the last 24 hours stay in the cap: a right code now says
 * nothing about the guesses made before it, and must not give a guesser 25 more.
 */
export function settleSuccess(counter: AttemptCounter, reservedAt: number): AttemptCounter {
  return { ...withdrawReservation(counter, reservedAt), consecutive: 0, lockLevel: 0, lockedUntil: 0 };
}

/** A reservation given back without judging the member: the attempt was refused by another guard before any code was checked. */
export function withdrawReservation(counter: AttemptCounter, reservedAt: number): AttemptCounter {
  const recentFailures = [...counter.recentFailures];
  const index = recentFailures.indexOf(reservedAt);
  if (index >= 0) recentFailures.splice(index, 1);
  return { ...counter, recentFailures };
}

/**
 * Proof of the mailbox or postal address (a used reset link, a letter's code) or customer service
 * (`unlock`): the lock, the consecutive count, the escalation and the 24-hour cap all go
 * (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do") — else a stranger's failures would keep the member out after it.
 */
export function clearLock(_counter: AttemptCounter): AttemptCounter {
  return EMPTY_COUNTER;
}

/** Whether there is anything for a recovery to clear: a lock, a count, an escalation, or failures in the cap. */
export const hasAnythingToClear = (counter: AttemptCounter): boolean =>
  counter.consecutive > 0 || counter.lockLevel > 0 || counter.lockedUntil > 0 || counter.recentFailures.length > 0;

/** When the counter item can be forgotten (DynamoDB TTL, epoch seconds). */
export function counterExpiry(counter: AttemptCounter, now: number): number {
  const lastFailure = Math.max(0, ...counter.recentFailures);
  // Kept a day past the lock, so that the escalation can decay rather than vanish early.
  return Math.ceil(Math.max(counter.lockedUntil + DAY_MS, lastFailure + DAY_MS, now + DAY_MS) / 1000);
}
