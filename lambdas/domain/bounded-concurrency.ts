/**
 * Runs `work` on each item — of a list, or of a query read page by page — with at most `limit`
 * items in flight: bulk operator commands go as fast as the limit allows without flooding DynamoDB
 * or the machine's cores (argon2).
 *
 * The first failure stops the run: no new work starts, the work in flight finishes, then the
 * failure is thrown — whenever it happened, even while the next page was being read.
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  for await (const item of items) {
    if (failure) break;
    const task: Promise<void> = work(item)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}
