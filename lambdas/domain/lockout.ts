/**
 * Lockout arithmetic, pure. Failed attempts are counted per NIR (known or not, so a lock reveals
 * nothing). An attempt is *reserved* before the code is checked: the reservation already counts
 * as a failure, and only a success gives it back. So concurrent requests can never check more
 * codes than the threshold allows, and a crash between reservation and verdict fails closed.
 *
 * A lock must not become a way to keep a member out (contract, amended 2026-11-26): the escalation
 * decays after a quiet day, a used reset link or a letter's code clears the lock, and during a
 * lock a letter's temporary code is still checked — within the 24-hour cap, which bounds every guess.
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

/**
 * `NORMAL`: every live code may be checked. `RECOVERY`: the NIR is locked, and only a letter's
 * temporary code may be checked (the caller allowed it): a stranger's lock must not stop a member
 * who holds the letter, and the 24-hour cap still bounds the guesses. `DEVICE`: the attempt comes
 * with a trusted device of the NIR's member: it counts against that device (its own counter) and
 * in the NIR's 24-hour cap only, so the NIR's lock — strangers' doing — does not stop it.
 */
export type ReservationMode = 'NORMAL' | 'RECOVERY' | 'DEVICE';

export type Reservation =
  | {
      readonly allowed: true;
      readonly next: AttemptCounter;
      readonly reservedAt: number;
      readonly mode: ReservationMode;
    }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export function lockDurationSeconds(lockLevel: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseLockSeconds * 2 ** lockLevel, policy.maxLockSeconds);
}

/** The escalation starts again from the first lock once a lock has expired and a day passed without a failure. */
function decayed(counter: AttemptCounter, recent: readonly number[], now: number): number {
  return recent.length === 0 && counter.lockedUntil + DAY_MS <= now ? 0 : counter.lockLevel;
}

export function reserveAttempt(
  counter: AttemptCounter,
  now: number,
  policy: LockoutPolicy,
  options: { readonly recoveryDuringLock?: boolean; readonly trustedDevice?: boolean } = {},
): Reservation {
  const recent = counter.recentFailures.filter((t) => t > now - DAY_MS);
  if (recent.length >= policy.maxFailuresPerDay) {
    const oldest = Math.min(...recent);
    return {
      allowed: false,
      retryAfterSeconds: Math.max((oldest + DAY_MS - now) / 1000, (counter.lockedUntil - now) / 1000),
    };
  }
  if (options.trustedDevice) {
    // The device's own counter carries the consecutive count and its lock; the NIR keeps only the cap.
    return { allowed: true, next: { ...counter, recentFailures: [...recent, now] }, reservedAt: now, mode: 'DEVICE' };
  }
  if (counter.lockedUntil > now) {
    if (!options.recoveryDuringLock) return { allowed: false, retryAfterSeconds: (counter.lockedUntil - now) / 1000 };
    // Counted in the 24-hour cap only: the NIR is already locked, its escalation stays as it is.
    return { allowed: true, next: { ...counter, recentFailures: [...recent, now] }, reservedAt: now, mode: 'RECOVERY' };
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
  return { allowed: true, next, reservedAt: now, mode: 'NORMAL' };
}

/** Whether this reservation is the one that started a lock (exactly one request per lock). */
export const startsLock = (before: AttemptCounter, reservation: Reservation, now: number): boolean =>
  reservation.allowed &&
  reservation.mode === 'NORMAL' &&
  reservation.next.lockedUntil > now &&
  before.lockedUntil <= now;

/** A right code: the reservation was not a failure; the consecutive count and escalation restart. */
export function settleSuccess(counter: AttemptCounter, reservedAt: number): AttemptCounter {
  return clearLock(withdrawReservation(counter, reservedAt));
}

/**
 * A reservation given back without judging the member: the attempt was refused by another guard
 * before any code was checked, or it succeeded from a trusted device (whose success says nothing
 * about the strangers counted on the NIR: their count and lock stay).
 */
export function withdrawReservation(counter: AttemptCounter, reservedAt: number): AttemptCounter {
  const recentFailures = [...counter.recentFailures];
  const index = recentFailures.indexOf(reservedAt);
  if (index >= 0) recentFailures.splice(index, 1);
  return { ...counter, recentFailures };
}

/**
 * Proof of the mailbox or postal address (a used reset link, a letter's code) or customer
 * service: the lock, the consecutive count and the escalation go; the 24-hour cap keeps counting.
 */
export function clearLock(counter: AttemptCounter): AttemptCounter {
  return { consecutive: 0, lockLevel: 0, lockedUntil: 0, recentFailures: counter.recentFailures };
}

/** When the counter item can be forgotten (DynamoDB TTL, epoch seconds). */
export function counterExpiry(counter: AttemptCounter, now: number): number {
  const lastFailure = Math.max(0, ...counter.recentFailures);
  // Kept a day past the lock, so that the escalation can decay rather than vanish early.
  return Math.ceil(Math.max(counter.lockedUntil + DAY_MS, lastFailure + DAY_MS, now + DAY_MS) / 1000);
}
