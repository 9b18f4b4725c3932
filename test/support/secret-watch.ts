import { afterEach, expect } from '@jest/globals';

/**
 * Collects every NIR, code, token and link a test uses, to check that none of them reached the
 * logs. Given the logs, it checks them after each test, so that each test checks its own flows
 * and runs alone (`npm test -- -t "<name>"`).
 */
export function secretWatch(options: { logs?: () => readonly string[] } = {}) {
  const secrets = new Set<string>();
  const watch = {
    remember<T extends string | undefined>(secret: T): T {
      if (secret) secrets.add(secret);
      return secret;
    },
    get size() {
      return secrets.size;
    },
    /**
     * The secrets found in the logs (NIRs also in their spaced form): expect an empty list. A code
     * counts only as a word of its own: six digits inside a request id's hex or an epoch time are not
     * that code (twenty random codes turn up inside some request id about once in a hundred runs).
     */
    foundIn(logs: readonly string[]): string[] {
      const all = logs.join('\n');
      const spaced = (nir: string) => `${nir[0]} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)}`;
      const found = (s: string) =>
        /^\d{1,8}$/.test(s) ? new RegExp(`(?<![0-9A-Za-z])${s}(?![0-9A-Za-z])`).test(all) : all.includes(s);
      return [...secrets].filter((s) => found(s) || (/^\d[\dAB]{14}$/.test(s) && all.includes(spaced(s))));
    },
  };
  const { logs } = options;
  if (logs) afterEach(() => expect(watch.foundIn(logs())).toEqual([]));
  return watch;
}
