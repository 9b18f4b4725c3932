import type { AttemptState, AttemptStore, VersionedCounter } from './attempts.ts';
import type { BackgroundJobs } from './background-jobs.ts';
import type { SixDigitCode } from './code-format.ts';
import type { CodeHasher, PepperedCode } from './code-hashing.ts';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors.ts';
import type { Language } from './language.ts';
import {
  type AttemptCounter,
  counterExpiry,
  type LockoutPolicy,
  type Reservation,
  type ReservationMode,
  reserveAttempt,
  settleSuccess,
  startsLock,
  withdrawReservation,
} from './lockout.ts';
import { type CodeKind, liveCodes, type Member } from './member.ts';
import { type Nir, nirLookupKey } from './nir.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { secretHash } from './random-secrets.ts';
import {
  reservationCap,
  retryAfterSeconds,
  type ThrottlePolicy,
  type ThrottleScope,
  windowExpiry,
  windowIndex,
} from './throttles.ts';
import { deviceHash, isDeviceToken, type PresentedDevice, trustsDevice } from './trusted-devices.ts';

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
}

export interface AttemptSource {
  readonly sourceIp: string;
  readonly requestId: string;
  readonly language: Language;
  readonly userAgent?: string | undefined;
  /** The device cookie presented, if any: never logged, only its hash is looked up. */
  readonly deviceToken?: string | undefined;
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
   * The code-change form: while the NIR is locked, a letter's temporary code (and it alone) is still
   * checked, within the 24-hour cap — a stranger's lock must not stop a member holding the letter.
   */
  readonly letterRecovery?: boolean;
}

/** One counter an attempt was reserved on: the NIR's, or a trusted device's. */
interface CounterReservation {
  readonly key: string;
  readonly reservedAt: number;
  readonly mode: ReservationMode;
  /** The counter's lock when reserved (RECOVERY mode): the wait a refused recovery attempt is told. */
  readonly lockedUntil: number;
  /** The counter as this request wrote it, and its version. */
  readonly saved: VersionedCounter;
}

interface Reserved {
  readonly nir: CounterReservation;
  readonly device?: CounterReservation | undefined;
  /** The throttle windows this attempt counts in, given back on success. */
  readonly windows: ReadonlyArray<{ readonly scope: ThrottleScope; readonly window: number }>;
}

/** A trusted device's own counter (the NIR's 24-hour cap already counts every failure). */
const deviceCounterKey = (hash: string) => `device:${hash}`;

/** Reservation retries when concurrent requests race on one counter; each round one of them wins. */
const MAX_RESERVATION_ROUNDS = 25;

/**
 * "What happens when someone types a NIR and a code": reserves the attempt in the throttles across
 * accounts (source IP, the code across NIRs) and on the NIR's counter before any code is checked,
 * verifies the same number of hashes whether or not the account exists, and gives the reservations
 * back only on success.
 */
export class CredentialCheck {
  readonly #d: CredentialCheckDependencies;

  constructor(dependencies: CredentialCheckDependencies) {
    this.#d = dependencies;
  }

  /**
   * Checks the code and, on success, runs `then` with the verified member while the reservations
   * are given back (both in parallel: the login's latency is mostly round trips).
   */
  async verify<T>(
    nir: Nir,
    code: SixDigitCode,
    source: AttemptSource,
    then: (verified: VerifiedCredentials) => Promise<T>,
    options: VerifyOptions = {},
  ): Promise<T> {
    const { codeHasher, nirHasher, clock } = this.#d;
    const [key, peppered] = await Promise.all([nirLookupKey(nirHasher, nir), codeHasher.pepper(code)]);
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
    const state = await this.#d.attempts.loadAttemptState(key, windows, presentedHash);
    const { member } = state;
    const device = trustsDevice(state.device?.record, member, now) ? state.device : undefined;
    const reserved = await this.#reserve(key, source, member, state, device, windows, now, options);

    const live = liveCodes(member ?? NO_MEMBER, clock.now());
    const recovery = reserved.nir.mode === 'RECOVERY';
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
      await this.#d.events.record('LOGIN_FAILED', {
        ...auditFields(source, key, member),
        ...(reserved.nir.mode === 'NORMAL' ? {} : { mode: reserved.nir.mode }),
      });
      // During a lock, a wrong code gets the lock's answer, as it did before: nothing tells it apart.
      if (recovery) throw new TooManyAttemptsError((reserved.nir.lockedUntil - clock.now()) / 1000, 'locked');
      throw new InvalidCredentialsError();
    }
    const settled = this.#settle(reserved);
    if (recovery) {
      await this.#d.events.record('LOCK_CLEARED', { ...auditFields(source, key, member), reason: 'LETTER_CODE' });
    }
    try {
      return await then({ member, kind: matched.kind, matchedHash: matched.hash, peppered, device });
    } finally {
      await settled;
    }
  }

  /** The throttle windows first (a throttled source burns no attempt of the NIR), then the NIR's counter. */
  async #reserve(
    key: string,
    source: AttemptSource,
    member: Member | undefined,
    state: AttemptState,
    device: PresentedDevice | undefined,
    windows: ReadonlyArray<{ readonly scope: ThrottleScope; readonly window: number }>,
    now: number,
    options: VerifyOptions,
  ): Promise<Reserved> {
    const outcomes = await Promise.all(
      windows.map(({ scope, window }, i) => {
        const policy = this.#throttlePolicy(scope);
        const cap = reservationCap(state.counts[i]!.previous, now, policy);
        return cap > 0 ? this.#d.attempts.reserveWindow(scope, window, cap, windowExpiry(window, policy)) : false;
      }),
    );
    const held = windows.filter((_, i) => outcomes[i]);
    if (held.length < windows.length) {
      await this.#releaseWindows(held);
      const throttled = windows.filter((_, i) => !outcomes[i]);
      await this.#d.events.record('ATTEMPT_THROTTLED', {
        ...auditFields(source, key, member),
        scopes: throttled.map((w) => w.scope.kind).join(','),
        metric: 'AttemptThrottled',
      });
      throw new TooManyAttemptsError(
        Math.max(...throttled.map((w) => retryAfterSeconds(now, this.#throttlePolicy(w.scope)))),
        'throttled',
      );
    }
    let nir: (CounterReservation & { readonly lockStarted: boolean }) | undefined;
    try {
      const { lockout } = this.#d.policy;
      // The NIR's counter and the trusted device's are reserved at once (one round trip, not two).
      const perDevice = { ...lockout, maxFailuresPerDay: Number.MAX_SAFE_INTEGER };
      const [onNir, onDevice] = await Promise.allSettled([
        this.#reserveCounter(key, state.counter, (counter, at) =>
          reserveAttempt(counter, at, lockout, {
            recoveryDuringLock: options.letterRecovery === true,
            trustedDevice: device !== undefined,
          }),
        ),
        // The device's own lock: 5 consecutive failures from it, with the usual escalation.
        device
          ? this.#reserveCounter(deviceCounterKey(device.hash), device.counter, (counter, at) =>
              reserveAttempt(counter, at, perDevice),
            )
          : Promise.resolve(undefined),
      ]);
      if (onDevice.status === 'fulfilled' && onDevice.value?.lockStarted) {
        await this.#d.events.record('LOCKOUT_STARTED', {
          ...auditFields(source, key, member),
          scope: 'DEVICE',
          lockedUntil: onDevice.value.lockedUntil,
          metric: 'LockoutStarted',
        });
      }
      // Refused by the NIR (its 24-hour cap): an attempt from the device still counts on the device.
      if (onNir.status === 'rejected') throw onNir.reason;
      nir = onNir.value;
      if (nir.lockStarted) await this.#lockStarted(key, source, member, nir.lockedUntil);
      if (onDevice.status === 'rejected') {
        // Refused by the device's lock: the NIR gets its reservation back, exactly.
        await this.#giveBack(nir, withdrawReservation);
        throw onDevice.reason;
      }
      return { nir, device: onDevice.value, windows: held };
    } catch (error) {
      if (error instanceof TooManyAttemptsError && error.message === 'locked') {
        await this.#d.events.record('ATTEMPT_LOCKED_OUT', {
          ...auditFields(source, key, member),
          ...(device ? { scope: nir ? 'DEVICE' : 'NIR' } : {}),
        });
      }
      await this.#releaseWindows(held);
      throw error;
    }
  }

  /** Reserves one attempt on a counter (optimistic versions: of racing requests, one write wins and the others reload). */
  async #reserveCounter(
    key: string,
    loaded: VersionedCounter,
    reserve: (counter: AttemptCounter, now: number) => Reservation,
  ): Promise<CounterReservation & { readonly lockStarted: boolean }> {
    const { attempts, clock } = this.#d;
    let current = loaded;
    for (let round = 0; round < MAX_RESERVATION_ROUNDS; round++) {
      if (round > 0) current = await attempts.loadCounter(key);
      const now = clock.now();
      const reservation = reserve(current.counter, now);
      if (!reservation.allowed) throw new TooManyAttemptsError(reservation.retryAfterSeconds, 'locked');
      if (await attempts.saveCounter(key, reservation.next, current.version, counterExpiry(reservation.next, now))) {
        return {
          key,
          reservedAt: reservation.reservedAt,
          mode: reservation.mode,
          lockedUntil: reservation.next.lockedUntil,
          saved: { counter: reservation.next, version: current.version + 1 },
          lockStarted: startsLock(current.counter, reservation, now),
        };
      }
    }
    // Still losing races after many rounds: refuse rather than check a code unaccounted.
    throw new TooManyAttemptsError(1, 'contention');
  }

  /** Audited once per lock; the notice to the member is handed off whether or not there is one (same work, same time). */
  async #lockStarted(
    key: string,
    source: AttemptSource,
    member: Member | undefined,
    lockedUntil: number,
  ): Promise<void> {
    await Promise.all([
      this.#d.events.record('LOCKOUT_STARTED', {
        ...auditFields(source, key, member),
        lockedUntil,
        metric: 'LockoutStarted',
      }),
      this.#d.jobs.dispatch({
        kind: 'LOCK_NOTICE',
        memberKey: key,
        requestId: source.requestId,
        lockedUntil,
        language: source.language,
      }),
    ]);
  }

  /**
   * A right code: the reservations go back. From a trusted device, the device's count restarts and
   * the NIR keeps the strangers' count and lock (the member's success forgives none of their guesses).
   */
  async #settle(reserved: Reserved): Promise<void> {
    await Promise.all([
      this.#releaseWindows(reserved.windows),
      this.#giveBack(reserved.nir, reserved.nir.mode === 'DEVICE' ? withdrawReservation : settleSuccess),
      reserved.device ? this.#giveBack(reserved.device, settleSuccess) : undefined,
    ]);
  }

  /** Tries first over the counter it wrote, reloads only if another request wrote since. */
  async #giveBack(
    reservation: CounterReservation,
    settle: (counter: AttemptCounter, reservedAt: number) => AttemptCounter,
  ): Promise<void> {
    const { attempts, clock } = this.#d;
    let current = reservation.saved;
    for (let round = 0; round < MAX_RESERVATION_ROUNDS; round++) {
      if (round > 0) current = await attempts.loadCounter(reservation.key);
      const next = settle(current.counter, reservation.reservedAt);
      if (await attempts.saveCounter(reservation.key, next, current.version, counterExpiry(next, clock.now()))) return;
    }
  }

  async #releaseWindows(
    windows: ReadonlyArray<{ readonly scope: ThrottleScope; readonly window: number }>,
  ): Promise<void> {
    await Promise.all(windows.map(({ scope, window }) => this.#d.attempts.releaseWindow(scope, window)));
  }

  #throttlePolicy(scope: ThrottleScope): ThrottlePolicy {
    return scope.kind === 'IP' ? this.#d.policy.perIp : this.#d.policy.perCode;
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
