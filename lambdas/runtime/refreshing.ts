/**
 * A value loaded on first use and loaded again when older than `maxAgeMs` (the signing keys: a
 * rotation reaches every function within that time, without a redeploy). Concurrent callers share
 * one load; a failed load is not kept.
 */
export function refreshing<T>(
  load: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): (reloadIfOlderThanMs?: number) => Promise<T> {
  let cached: { value: Promise<T>; at: number } | undefined;
  return (reloadIfOlderThanMs = maxAgeMs) => {
    if (!cached || now() - cached.at >= Math.min(maxAgeMs, reloadIfOlderThanMs)) {
      const value = load();
      const entry = { value, at: now() };
      cached = entry;
      value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
}
