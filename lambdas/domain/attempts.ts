import type { AttemptCounter, LockoutPolicy } from './lockout.ts';
import type { Member } from './member.ts';
import type { ThrottleScope, WindowCounts } from './throttles.ts';
import type { PresentedDevice } from './trusted-devices.ts';

/** A trusted device's own failure counter. */
export const deviceCounterKey = (deviceHash: string) => `device:${deviceHash}`;
/** New-device codes mailed to a member (an exact count over any 24 hours). */
export const deviceCodesCounterKey = (memberKey: string) => `device-codes:${memberKey}`;
/** The NIR's letter-recovery budget: letter codes checked on the code-change form while the NIR refuses. */
export const recoveryCounterKey = (nirKey: string) => `recovery:${nirKey}`;

/**
 * The counters an attempt is reserved on before any code is checked: the NIR's lockout counter
 * (optimistic versions) and the throttle windows across accounts (conditional counts).
 */
export interface VersionedCounter {
  readonly counter: AttemptCounter;
  /** Optimistic-concurrency version; 0 when no item exists yet. */
  readonly version: number;
}

export interface AttemptStore {
  loadCounter(nirKey: string): Promise<VersionedCounter>;
  /** Conditional on `expectedVersion`: false when another request wrote first. */
  saveCounter(nirKey: string, counter: AttemptCounter, expectedVersion: number, expiresAt: number): Promise<boolean>;
  /**
   * Everything an attempt needs to know before it may check a code — the member (if any), the
   * NIR's counter, the throttle windows, and the presented device with its counter — in one round
   * trip: the sign-in's hot path. Counter keys are NIR keys, `deviceCounterKey`s or `recoveryCounterKey`s.
   */
  loadAttemptState(nirKey: string, windows: readonly ThrottleWindow[], deviceHash?: string): Promise<AttemptState>;
  /** Counts one event in a throttle window, only while the window holds fewer than `cap`: false when refused. */
  reserveWindow(scope: ThrottleScope, window: number, cap: number, expiresAt: number): Promise<boolean>;
  /** Gives a reservation back (the attempt succeeded, or another guard refused it). */
  releaseWindow(scope: ThrottleScope, window: number): Promise<void>;
}

export interface ThrottleWindow {
  readonly scope: ThrottleScope;
  readonly window: number;
}

export interface AttemptState {
  readonly member: Member | undefined;
  readonly counter: VersionedCounter;
  /** Same order as the windows asked for. */
  readonly counts: readonly WindowCounts[];
  /** The device whose hash was given, if it exists (trusted or not: the caller decides). */
  readonly device?: PresentedDevice | undefined;
}

/** A count of events in any 24 hours (a sliding window, exact): no lock, only the cap. */
export const dailyCapPolicy = (maxPerDay: number): LockoutPolicy => ({
  maxConsecutiveFailures: Number.MAX_SAFE_INTEGER,
  baseLockSeconds: 0,
  maxLockSeconds: 0,
  maxFailuresPerDay: maxPerDay,
});
