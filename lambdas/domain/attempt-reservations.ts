import type { AttemptStore, VersionedCounter } from './attempts.ts';
import { TooManyAttemptsError } from './errors.ts';
import {
  type AttemptCounter,
  counterExpiry,
  type LockoutPolicy,
  type Reservation,
  reserveAttempt,
  startsLock,
} from './lockout.ts';
import type { Clock } from './ports.ts';
import type { ThrottleScope } from './throttles.ts';

/** One throttle window an attempt counts in. */
export interface HeldWindow {
  readonly scope: ThrottleScope;
  readonly window: number;
}

/** A window to count in, with what it may still hold (`cap`) and when its item may go. */
export interface WindowToReserve extends HeldWindow {
  readonly cap: number;
  readonly expiresAt: number;
}

/** One counter an attempt was reserved on, and the counter as this request wrote it. */
export interface CounterReservation<Role extends string = string> {
  readonly role: Role;
  readonly key: string;
  readonly reservedAt: number;
  readonly saved: VersionedCounter;
  /** This reservation started a lock (exactly one request per lock). */
  readonly lockStarted: boolean;
}

/** Reservation retries when concurrent requests race on one counter; each round one of them wins. */
const MAX_ROUNDS = 25;

/**
 * The reservation engine: an attempt is counted — in the throttle windows (conditional counts) and
 * on one lockout counter (optimistic versions) — before any code is checked, and given back only on
 * success; so concurrent requests can never check more codes than the limits allow, and a crash
 * between reservation and verdict fails closed. It tells no story: `CredentialCheck` decides which
 * counters an attempt is reserved on and what a refusal means.
 */
export class AttemptReservations {
  readonly #attempts: AttemptStore;
  readonly #clock: Clock;

  constructor(attempts: AttemptStore, clock: Clock) {
    this.#attempts = attempts;
    this.#clock = clock;
  }

  /** Counts in every window or in none: the windows that refused (empty when all were counted). */
  async reserveWindows(windows: readonly WindowToReserve[]): Promise<{ refused: HeldWindow[] }> {
    const outcomes = await Promise.all(
      windows.map((w) => (w.cap > 0 ? this.#attempts.reserveWindow(w.scope, w.window, w.cap, w.expiresAt) : false)),
    );
    const refused = windows.filter((_, i) => !outcomes[i]);
    if (refused.length > 0) await this.releaseWindows(windows.filter((_, i) => outcomes[i]));
    return { refused };
  }

  async releaseWindows(windows: readonly HeldWindow[]): Promise<void> {
    await Promise.all(windows.map(({ scope, window }) => this.#attempts.releaseWindow(scope, window)));
  }

  /**
   * Reserves one attempt on a counter — the one `loaded` if given, else read — or refuses it with
   * its reason (`LOCKED`, `CAPPED`; `CONTENTION` after losing many races: refused rather than checked
   * unaccounted).
   */
  async reserveCounter<Role extends string>(counter: {
    readonly role: Role;
    readonly key: string;
    readonly loaded?: VersionedCounter | undefined;
    readonly policy: LockoutPolicy;
  }): Promise<CounterReservation<Role>> {
    let current = counter.loaded;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round > 0 || !current) current = await this.#attempts.loadCounter(counter.key);
      const now = this.#clock.now();
      const reservation: Reservation = reserveAttempt(current.counter, now, counter.policy);
      if (!reservation.allowed) throw new TooManyAttemptsError(reservation.retryAfterSeconds, reservation.refusal);
      const saved = await this.#attempts.saveCounter(
        counter.key,
        reservation.next,
        current.version,
        counterExpiry(reservation.next, now),
      );
      if (saved) {
        return {
          role: counter.role,
          key: counter.key,
          reservedAt: reservation.reservedAt,
          saved: { counter: reservation.next, version: current.version + 1 },
          lockStarted: startsLock(current.counter, reservation, now),
        };
      }
    }
    throw new TooManyAttemptsError(1, 'CONTENTION');
  }

  /** Gives a reservation back as `settle` says; tries first over the counter it wrote, reloads only if another request wrote since. */
  async giveBack(
    reservation: CounterReservation,
    settle: (counter: AttemptCounter, reservedAt: number) => AttemptCounter,
  ): Promise<void> {
    // Lost to many concurrent writers: the reservation stays counted (fail closed).
    await this.#rewrite(reservation.key, reservation.saved, (counter) => settle(counter, reservation.reservedAt));
  }

  /**
   * Rewrites a counter as `change` says (undefined: nothing to change), over the version it read:
   * whether it was written. Throws when other requests kept writing it (the caller may try again).
   */
  async rewrite(key: string, change: (counter: AttemptCounter) => AttemptCounter | undefined): Promise<boolean> {
    const outcome = await this.#rewrite(key, undefined, change);
    if (outcome === 'CONTENDED') throw new Error('the attempt counter kept changing: try again');
    return outcome === 'WRITTEN';
  }

  async #rewrite(
    key: string,
    start: VersionedCounter | undefined,
    change: (counter: AttemptCounter) => AttemptCounter | undefined,
  ): Promise<'WRITTEN' | 'UNCHANGED' | 'CONTENDED'> {
    let current = start;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round > 0 || !current) current = await this.#attempts.loadCounter(key);
      const next = change(current.counter);
      if (!next) return 'UNCHANGED';
      if (await this.#attempts.saveCounter(key, next, current.version, counterExpiry(next, this.#clock.now()))) {
        return 'WRITTEN';
      }
    }
    return 'CONTENDED';
  }
}
