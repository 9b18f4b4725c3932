import { AttemptReservations, type CounterReservation, type HeldWindow } from './attempt-reservations.ts';
import {
  type AttemptState,
  type AttemptStore,
  dailyCapPolicy,
  deviceCounterKey,
  recoveryCounterKey,
} from './attempts.ts';
import type { BackgroundJobs } from './background-jobs.ts';
import type { SixDigitCode } from './code-format.ts';
import type { CodeHasher, PepperedCode } from './code-hashing.ts';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors.ts';
import { type LockoutPolicy, settleSuccess, withdrawReservation } from './lockout.ts';
import { type CodeKind, liveCodes, type Member } from './member.ts';
import { type Nir, nirLookupKey } from './nir.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { secretHash } from './random-secrets.ts';
import type { MemberRequest } from './request-source.ts';
import {
  reservationCap,
  retryAfterSeconds,
  type ThrottlePolicy,
  type ThrottleScope,
  windowExpiry,
  windowIndex,
} from './throttles.ts';
import {
  deviceHash,
  isDeviceToken,
  type PresentedDevice,
  type TrustedDevices,
  trustsDevice,
} from './trusted-devices.ts';

export interface CredentialPolicy {
  readonly lockout: LockoutPolicy;
  /** Failures per source IP, across NIRs. */
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
  /** Where a lock's notice to the member is handed off (the same work whether or not a member exists). */
  readonly jobs: BackgroundJobs;
  /** A trusted device that failed 25 times in 24 hours is forgotten. */
  readonly devices: Pick<TrustedDevices, 'forgetAfterFailures'>;
}

export interface VerifiedCredentials {
  readonly member: Member;
  readonly kind: CodeKind;
  readonly matchedHash: string;
  readonly peppered: PepperedCode;
  /** The member's trusted device the attempt came from, if any. */
  readonly device?: PresentedDevice | undefined;
}

export interface VerifyOptions {
  /**
   * The code-change form: while the NIR refuses (locked or capped), a letter's temporary code (and
   * it alone) is still checked, within a budget of its own — a stranger's failures must not stop a
   * member holding the letter, and cannot spend the NIR's cap through this form.
   */
  readonly letterRecovery?: boolean;
}

/**
 * Which counter an attempt was reserved on — exactly one: `NIR` (a client without a device cookie
 * of the member), `DEVICE` (the member's trusted device: its own counter, never the NIR's lock or
 * cap), `RECOVERY` (the letter-recovery budget, while the NIR refuses).
 */
type CounterRole = 'NIR' | 'DEVICE' | 'RECOVERY';

interface Reserved {
  readonly counter: CounterReservation<CounterRole>;
  /** RECOVERY: until when the NIR refuses, the wait a wrong code is told (the same answer as a refused attempt). */
  readonly nirRefusedFor?: number | undefined;
  /** The throttle windows this attempt counts in, given back on success. */
  readonly windows: readonly HeldWindow[];
}

/** Letter codes checked while the NIR refuses, in any 24 hours (each a guess at a 6-digit code). */
const LETTER_RECOVERY_CHECKS_PER_DAY = 10;

/** Letter codes checked while the NIR refuses: no lock of its own, a cap of its own. */
const RECOVERY_POLICY = dailyCapPolicy(LETTER_RECOVERY_CHECKS_PER_DAY);

/** A refusal by a counter's lock or cap (not a throttle, not contention). */
const refusedByCounter = (error: unknown): error is TooManyAttemptsError =>
  error instanceof TooManyAttemptsError && (error.reason === 'LOCKED' || error.reason === 'CAPPED');

/**
 * "What happens when someone types a NIR and a code": reserves the attempt in the throttles across
 * accounts (source IP, the code across NIRs) and on the NIR's counter before any code is checked,
 * verifies the same number of hashes whether or not the account exists, and gives the reservations
 * back only on success.
 */
export class CredentialCheck {
  readonly #deps: CredentialCheckDependencies;
  readonly #reservations: AttemptReservations;

  constructor(dependencies: CredentialCheckDependencies) {
    this.#deps = dependencies;
    this.#reservations = new AttemptReservations(dependencies.attempts, dependencies.clock);
  }

  /**
   * Checks the code and, on success, runs `then` with the verified member while the reservations
   * are given back (both in parallel: the login's latency is mostly round trips).
   */
  async verify<T>(
    nir: Nir,
    code: SixDigitCode,
    source: MemberRequest,
    then: (verified: VerifiedCredentials) => Promise<T>,
    options: VerifyOptions = {},
  ): Promise<T> {
    const [key, peppered] = await Promise.all([
      nirLookupKey(this.#deps.nirHasher, nir),
      this.#deps.codeHasher.pepper(code),
    ]);
    return this.#verify(key, peppered, source, then, options);
  }

  /**
   * The same check for a member already known by their key (a signed-in member's own code): the
   * same throttles, the same counter, the same answers, as a sign-in.
   */
  async verifyMember<T>(
    memberKey: string,
    code: SixDigitCode,
    source: MemberRequest,
    then: (verified: VerifiedCredentials) => Promise<T>,
  ): Promise<T> {
    return this.#verify(memberKey, await this.#deps.codeHasher.pepper(code), source, then, {});
  }

  async #verify<T>(
    key: string,
    peppered: PepperedCode,
    source: MemberRequest,
    then: (verified: VerifiedCredentials) => Promise<T>,
    options: VerifyOptions,
  ): Promise<T> {
    const { codeHasher, clock } = this.#deps;
    const scopes: ThrottleScope[] = [
      { kind: 'IP', id: source.sourceIp },
      // A hash of the peppered code: spraying is counted without a code at rest.
      { kind: 'CODE', id: secretHash(peppered) },
    ];
    const now = clock.now();
    const windows = scopes.map((scope) => ({
      scope,
      window: windowIndex(now, this.#throttlePolicy(scope).windowSeconds),
    }));
    const presentedHash = isDeviceToken(source.deviceToken) ? deviceHash(source.deviceToken) : undefined;
    const state = await this.#deps.attempts.loadAttemptState(key, windows, presentedHash);
    const { member } = state;
    const device = trustsDevice(state.device?.record, member, now) ? state.device : undefined;
    const reserved = await this.#reserve({ key, source, member, state, device, windows, now, options });

    const live = liveCodes(member ?? NO_MEMBER, clock.now());
    const recovery = reserved.counter.role === 'RECOVERY';
    // "Clé d'accès uniquement": the personal code opens nothing and is answered like a wrong one (no
    // oracle); a letter's temporary code still works — it only opens the code-change form, whose
    // change turns codes back on (recovery). The same work is done either way.
    const passkeyOnly = member?.codeSignInDisabled === true;
    const candidates = recovery || passkeyOnly ? live.filter((c) => c.kind === 'TEMPORARY') : live;
    const matched =
      candidates[
        await codeHasher.matchAny(
          peppered,
          candidates.map((c) => c.hash),
        )
      ];
    if (!member || !matched) {
      await this.#deps.events.record('LOGIN_FAILED', {
        ...auditFields(source, key, member),
        ...(reserved.counter.role === 'NIR' ? {} : { mode: reserved.counter.role }),
      });
      if (
        device &&
        reserved.counter.saved.counter.recentFailures.length >= this.#deps.policy.lockout.maxFailuresPerDay
      ) {
        await this.#deps.devices.forgetAfterFailures(device, source);
      }
      // While the NIR refuses, a wrong code gets the refusal's answer, as before: nothing tells it apart.
      if (recovery) throw new TooManyAttemptsError(((reserved.nirRefusedFor ?? 0) - clock.now()) / 1000, 'LOCKED');
      throw new InvalidCredentialsError(undefined, { params: this.#lockoutRule() });
    }
    const settled = this.#settle(reserved);
    try {
      return await then({ member, kind: matched.kind, matchedHash: matched.hash, peppered, device });
    } catch (error) {
      // Every 401 of a code check states the same rule, whatever refused it.
      if (error instanceof InvalidCredentialsError && !error.params) {
        throw new InvalidCredentialsError(error.message, { cause: error, params: this.#lockoutRule() });
      }
      throw error;
    } finally {
      await settled;
    }
  }

  /** What every member is told after a wrong code: the lock's threshold and first length (the contract's 5 and 15 by default). */
  #lockoutRule(): Record<string, number> {
    const { maxConsecutiveFailures, baseLockSeconds } = this.#deps.policy.lockout;
    return { attempts: maxConsecutiveFailures, minutes: Math.round(baseLockSeconds / 60) };
  }

  /**
   * The throttle windows first (a throttled source burns no attempt of the NIR), then one counter:
   * the trusted device's, else the NIR's, else (the code-change form, while the NIR refuses) the
   * letter-recovery budget.
   */
  async #reserve(attempt: {
    key: string;
    source: MemberRequest;
    member: Member | undefined;
    state: AttemptState;
    device: PresentedDevice | undefined;
    windows: ReadonlyArray<{ readonly scope: ThrottleScope; readonly window: number }>;
    now: number;
    options: VerifyOptions;
  }): Promise<Reserved> {
    const { key, source, member, state, device, now } = attempt;
    const held = await this.#reserveWindows(attempt);
    const { lockout } = this.#deps.policy;
    const reservations = this.#reservations;
    try {
      if (device) {
        const counter = await reservations.reserveCounter({
          role: 'DEVICE',
          key: deviceCounterKey(device.hash),
          loaded: device.counter,
          policy: lockout,
        });
        if (counter.lockStarted) {
          await this.#deps.events.record('LOCKOUT_STARTED', {
            ...auditFields(source, key, member),
            scope: 'DEVICE',
            lockedUntil: counter.saved.counter.lockedUntil,
            metric: 'LockoutStarted',
          });
        }
        return { counter, windows: held };
      }
      try {
        const counter = await reservations.reserveCounter({ role: 'NIR', key, loaded: state.counter, policy: lockout });
        if (counter.lockStarted) await this.#lockStarted(key, source, member, counter.saved.counter.lockedUntil);
        return { counter, windows: held };
      } catch (error) {
        if (!refusedByCounter(error) || attempt.options.letterRecovery !== true) throw error;
        const nirRefusedFor = now + error.retryAfterSeconds * 1000;
        // The budget's own refusal is answered as the NIR's: the same 429, the same wait.
        const counter = await reservations
          .reserveCounter({ role: 'RECOVERY', key: recoveryCounterKey(key), policy: RECOVERY_POLICY })
          .catch((refused: unknown) => {
            throw refusedByCounter(refused) ? error : refused;
          });
        return { counter, nirRefusedFor, windows: held };
      }
    } catch (error) {
      if (refusedByCounter(error)) {
        await this.#deps.events.record('ATTEMPT_LOCKED_OUT', {
          ...auditFields(source, key, member),
          ...(device ? { scope: 'DEVICE' } : {}),
          ...(error.reason === 'CAPPED' ? { cap: true } : {}),
        });
      }
      await reservations.releaseWindows(held);
      throw error;
    }
  }

  /** Counts the attempt in every throttle window, or in none (a refused source is told when to come back). */
  async #reserveWindows(attempt: {
    key: string;
    source: MemberRequest;
    member: Member | undefined;
    state: AttemptState;
    windows: ReadonlyArray<{ readonly scope: ThrottleScope; readonly window: number }>;
    now: number;
  }) {
    const { key, source, member, state, windows, now } = attempt;
    const { refused } = await this.#reservations.reserveWindows(
      windows.map(({ scope, window }, i) => {
        const policy = this.#throttlePolicy(scope);
        return {
          scope,
          window,
          cap: reservationCap(state.counts[i]!.previous, now, policy),
          expiresAt: windowExpiry(window, policy),
        };
      }),
    );
    if (refused.length === 0) return windows;
    await this.#deps.events.record('ATTEMPT_THROTTLED', {
      ...auditFields(source, key, member),
      scopes: refused.map((w) => w.scope.kind).join(','),
      metric: 'AttemptThrottled',
    });
    throw new TooManyAttemptsError(
      Math.max(...refused.map((w) => retryAfterSeconds(now, this.#throttlePolicy(w.scope)))),
      'THROTTLED',
    );
  }

  /** Audited once per lock; the notice to the member is handed off whether or not there is one (same work, same time). */
  async #lockStarted(
    key: string,
    source: MemberRequest,
    member: Member | undefined,
    lockedUntil: number,
  ): Promise<void> {
    await Promise.all([
      this.#deps.events.record('LOCKOUT_STARTED', {
        ...auditFields(source, key, member),
        lockedUntil,
        metric: 'LockoutStarted',
      }),
      this.#deps.jobs.dispatch({
        kind: 'LOCK_NOTICE',
        memberKey: key,
        requestId: source.requestId,
        lockedUntil,
        language: source.language,
      }),
    ]);
  }

  /**
   * A right code: the reservations go back. The NIR's or the device's lock and consecutive count
   * restart (not the cap: a right code forgives no guess made before it); a letter-recovery check is
   * given back, and the code change that follows clears the NIR (`NirLocks`).
   */
  async #settle(reserved: Reserved): Promise<void> {
    await Promise.all([
      this.#reservations.releaseWindows(reserved.windows),
      this.#reservations.giveBack(
        reserved.counter,
        reserved.counter.role === 'RECOVERY' ? withdrawReservation : settleSuccess,
      ),
    ]);
  }

  #throttlePolicy(scope: ThrottleScope): ThrottlePolicy {
    return scope.kind === 'IP' ? this.#deps.policy.perIp : this.#deps.policy.perCode;
  }
}

/** Who is asking, about which NIR (its key) and which member if any: what every event of an attempt carries. */
export function auditFields(
  source: { readonly requestId: string; readonly sourceIp?: string | undefined },
  memberKey: string,
  member?: Member,
) {
  return { requestId: source.requestId, sourceIp: source.sourceIp, memberKey, memberId: member?.memberId };
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
});
