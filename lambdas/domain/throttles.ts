/**
 * Throttles across accounts — failures per source IP, failures of one code across NIRs (spraying),
 * forgotten-code requests per source IP — over a sliding window estimated from two fixed windows:
 * the current one plus the previous one, weighted by how much of it still overlaps.
 *
 * Like the NIR counter, a throttle is *reserved* before the work it guards (a conditional `ADD`
 * bounded by `reservationCap`), so concurrent requests cannot get past it together.
 */
export interface ThrottlePolicy {
  /** Events tolerated in the sliding window; one more and the source waits. */
  readonly maxEvents: number;
  readonly windowSeconds: number;
}

/** `PASSKEY_IP`: anonymous passkey ceremonies started per source IP. */
export type ThrottleKind = 'IP' | 'CODE' | 'FORGOT_IP' | 'PASSKEY_IP';

export interface ThrottleScope {
  readonly kind: ThrottleKind;
  readonly id: string;
}

export interface WindowCounts {
  readonly current: number;
  readonly previous: number;
}

export function windowIndex(now: number, windowSeconds: number): number {
  return Math.floor(now / (windowSeconds * 1000));
}

/**
 * How many events the current window may hold, this one included, given the previous window's
 * count: the reservation is allowed while `current < cap` before it (so `current + previous ×
 * overlap ≤ maxEvents` after it). 0 or less: refused without writing.
 */
export function reservationCap(previous: number, now: number, policy: ThrottlePolicy): number {
  const windowMs = policy.windowSeconds * 1000;
  const overlap = 1 - (now % windowMs) / windowMs;
  return Math.floor(policy.maxEvents - previous * overlap + 1e-9);
}

/** Seconds until the current window ends: when a refused source may try again. */
export function retryAfterSeconds(now: number, policy: ThrottlePolicy): number {
  const windowMs = policy.windowSeconds * 1000;
  return (windowMs - (now % windowMs)) / 1000;
}

/** TTL of a window item (epoch seconds): kept two windows, since the estimate reads the previous one. */
export function windowExpiry(window: number, policy: ThrottlePolicy): number {
  return (window + 2) * policy.windowSeconds;
}
