/**
 * Runs `work` on each item — of a list, or of a query read page by page — with at most `limit`
 * items in flight: bulk operator commands go as fast as the limit allows without flooding DynamoDB
 * or the machine's cores (argon2).
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for await (const item of items) {
    const task: Promise<void> = work(item).finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
