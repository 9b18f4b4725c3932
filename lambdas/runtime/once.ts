const forgetters: (() => void)[] = [];

/** A value built on first use and kept for the life of the process (a Lambda execution environment). */
export function once<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  forgetters.push(() => {
    value = undefined;
  });
  return () => {
    value ??= { v: build() };
    return value.v;
  };
}

/**
 * Forgets every value built so far: the next use builds it again, as a new execution environment
 * would. The unit tests wire a fresh service graph per world this way; a function never calls it.
 */
export function forgetBuiltValues(): void {
  for (const forget of forgetters) forget();
}
