/**
 * Collects every NIR, code, token and link a test uses, to check at the end that none of them
 * reached the logs.
 */
export function secretWatch() {
  const secrets = new Set<string>();
  return {
    remember<T extends string | undefined>(secret: T): T {
      if (secret) secrets.add(secret);
      return secret;
    },
    get size() {
      return secrets.size;
    },
    /** The secrets found in the logs (NIRs also in their spaced form): expect an empty list. */
    foundIn(logs: readonly string[]): string[] {
      const all = logs.join('\n');
      const spaced = (nir: string) => `${nir[0]} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)}`;
      return [...secrets].filter((s) => all.includes(s) || (/^\d[\dAB]{14}$/.test(s) && all.includes(spaced(s))));
    },
  };
}
