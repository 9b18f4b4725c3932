import { InvalidCredentialsError, TooManyAttemptsError } from './errors.ts';
import type { CodeHasher, PepperedCode } from './code-hashing.ts';
import type { SixDigitCode } from './code-format.ts';
import {
  counterExpiry,
  reserveAttempt,
  settleSuccess,
  throttleRetryAfter,
  windowIndex,
  type LockoutPolicy,
  type ThrottlePolicy,
  type WindowCounts,
} from './lockout.ts';
import { liveCodes, type CodeKind, type Member } from './member.ts';
import type { Nir } from './nir.ts';
import type { AttemptStore, Clock, KeyedHasher, SecurityEvents, ThrottleScope, VersionedCounter } from './ports.ts';
import { secretHash } from './random-secrets.ts';

export interface CredentialPolicy {
  readonly lockout: LockoutPolicy;
  readonly perIp: ThrottlePolicy;
  /** The same code failing on many NIRs (spraying). */
  readonly perCode: ThrottlePolicy;
}

export interface CredentialCheckDependencies {
  readonly attempts: AttemptStore;
  readonly nirHasher: KeyedHasher;
  readonly codeHasher: CodeHasher;
  readonly policy: CredentialPolicy;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface AttemptSource {
  readonly sourceIp: string;
  readonly requestId: string;
}

export interface VerifiedCredentials {
  readonly member: Member;
  readonly kind: CodeKind;
  readonly matchedHash: string;
  readonly peppered: PepperedCode;
}

interface Reserved {
  readonly reservedAt: number;
  /** The counter as this request wrote it, and its version. */
  readonly saved: VersionedCounter;
}

/** Reservation retries when concurrent requests race on one counter; each round one of them wins. */
const MAX_RESERVATION_ROUNDS = 25;

export async function nirLookupKey(nirHasher: KeyedHasher, nir: Nir): Promise<string> {
  return (await nirHasher.digest(`nir:${nir}`)).toString('base64url');
}

/**
 * "What happens when someone types a NIR and a code": throttles by source IP and by code across
 * NIRs, reserves an attempt on the NIR's counter before any code is checked, verifies the same
 * number of hashes whether or not the account exists, and gives back the reservation only on success.
 */
export class CredentialCheck {
  readonly #d: CredentialCheckDependencies;

  constructor(dependencies: CredentialCheckDependencies) {
    this.#d = dependencies;
  }

  /**
   * Checks the code and, on success, runs `then` with the verified member while the reservation
   * is given back (both in parallel: the login's latency is mostly round trips).
   */
  async verify<T>(nir: Nir, code: SixDigitCode, source: AttemptSource, then: (verified: VerifiedCredentials) => Promise<T>): Promise<T> {
    const { codeHasher, nirHasher, clock } = this.#d;
    const [key, peppered] = await Promise.all([nirLookupKey(nirHasher, nir), codeHasher.pepper(code)]);
    const scopes: ThrottleScope[] = [
      { kind: 'IP', id: source.sourceIp },
      // A hash of the peppered code: spraying is counted without a code at rest.
      { kind: 'CODE', id: secretHash(peppered) },
    ];
    const now = clock.now();
    const windows = scopes.map((scope) => ({ scope, window: windowIndex(now, this.#throttlePolicy(scope).windowSeconds) }));
    const state = await this.#d.attempts.loadAttemptState(key, windows);
    const { member } = state;
    await this.#assertNotThrottled(key, scopes, state.counts, now, source);
    const reservation = await this.#reserve(key, source, member, state.counter);

    const candidates = liveCodes(member ?? NO_MEMBER, clock.now());
    const matched = candidates[await codeHasher.matchAny(peppered, candidates.map((c) => c.hash))];
    if (!member || !matched) {
      await this.#recordFailure(scopes, clock.now());
      await this.#d.events.record('LOGIN_FAILED', { requestId: source.requestId, sourceIp: source.sourceIp, memberKey: key, memberId: member?.memberId });
      throw new InvalidCredentialsError();
    }
    const settled = this.#settle(key, reservation);
    try {
      return await then({ member, kind: matched.kind, matchedHash: matched.hash, peppered });
    } finally {
      await settled;
    }
  }

  async #assertNotThrottled(key: string, scopes: ThrottleScope[], counts: readonly WindowCounts[], now: number, source: AttemptSource): Promise<void> {
    const waits = scopes.map((scope, i) => throttleRetryAfter(counts[i]!, now, this.#throttlePolicy(scope)));
    const wait = Math.max(...waits.map((w) => w ?? 0));
    if (wait > 0) {
      const throttled = scopes.filter((_, i) => waits[i] !== undefined).map((s) => s.kind);
      await this.#d.events.record('ATTEMPT_THROTTLED', { requestId: source.requestId, sourceIp: source.sourceIp, memberKey: key, scopes: throttled.join(','), metric: 'AttemptThrottled' });
      throw new TooManyAttemptsError(wait, 'throttled');
    }
  }

  async #reserve(key: string, source: AttemptSource, member: Member | undefined, loaded: VersionedCounter): Promise<Reserved> {
    const { attempts, clock, policy } = this.#d;
    let current = loaded;
    for (let round = 0; round < MAX_RESERVATION_ROUNDS; round++) {
      if (round > 0) current = await attempts.loadCounter(key);
      const now = clock.now();
      const reservation = reserveAttempt(current.counter, now, policy.lockout);
      if (!reservation.allowed) {
        await this.#d.events.record('ATTEMPT_LOCKED_OUT', { requestId: source.requestId, sourceIp: source.sourceIp, memberKey: key, memberId: member?.memberId });
        throw new TooManyAttemptsError(reservation.retryAfterSeconds, 'locked');
      }
      if (await attempts.saveCounter(key, reservation.next, current.version, counterExpiry(reservation.next, now))) {
        if (reservation.next.lockedUntil > 0) {
          await this.#d.events.record('LOCKOUT_STARTED', { requestId: source.requestId, sourceIp: source.sourceIp, memberKey: key, memberId: member?.memberId, metric: 'LockoutStarted' });
        }
        return { reservedAt: reservation.reservedAt, saved: { counter: reservation.next, version: current.version + 1 } };
      }
    }
    // Still losing races after many rounds: refuse rather than check a code unaccounted.
    throw new TooManyAttemptsError(1, 'contention');
  }

  /** Gives the reservation back; tries first over the counter it wrote, reloads only if another request wrote since. */
  async #settle(key: string, reservation: Reserved): Promise<void> {
    const { attempts, clock } = this.#d;
    let current = reservation.saved;
    for (let round = 0; round < MAX_RESERVATION_ROUNDS; round++) {
      if (round > 0) current = await attempts.loadCounter(key);
      const next = settleSuccess(current.counter, reservation.reservedAt);
      if (await attempts.saveCounter(key, next, current.version, counterExpiry(next, clock.now()))) return;
    }
  }

  async #recordFailure(scopes: ThrottleScope[], now: number): Promise<void> {
    await Promise.all(
      scopes.map((scope) => {
        const { windowSeconds } = this.#throttlePolicy(scope);
        const window = windowIndex(now, windowSeconds);
        // Kept two windows: the sliding estimate reads the current and the previous one.
        const expiresAt = Math.ceil(((window + 2) * windowSeconds * 1000) / 1000);
        return this.#d.attempts.addFailure(scope, window, expiresAt);
      }),
    );
  }

  #throttlePolicy(scope: ThrottleScope): ThrottlePolicy {
    return scope.kind === 'IP' ? this.#d.policy.perIp : this.#d.policy.perCode;
  }
}

/** Stands in for an unknown NIR so the same number of (dummy) verifications run. */
const NO_MEMBER: Member = Object.freeze({
  key: '',
  memberId: '',
  firstName: '',
  lastName: '',
  maskedNir: '',
  codeSalt: '',
  codeVersion: 0,
  sessionsValidAfter: 0,
});
