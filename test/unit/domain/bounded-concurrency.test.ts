import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { forEachBounded } from '../../../lambdas/domain/bounded-concurrency.ts';

/** Items read page by page, each page taking a while: a query over a client's members. */
async function* slowPages(pages: number, perPage: number): AsyncGenerator<number> {
  for (let p = 0; p < pages; p++) {
    await sleep(5);
    for (let i = 0; i < perPage; i++) yield p * perPage + i;
  }
}

describe('forEachBounded', () => {
  it('never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await forEachBounded(slowPages(4, 10), 3, async () => {
      most = Math.max(most, ++inFlight);
      await sleep(1);
      inFlight--;
    });
    expect(most).toBe(3);
  });

  it('a failure while the next page is being read is not lost: the run fails, and starts no more work', async () => {
    const started: number[] = [];
    const run = forEachBounded(slowPages(5, 2), 8, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('write refused');
    });

    await expect(run).rejects.toThrow('write refused');
    expect(Math.max(...started)).toBeLessThan(4);
  });

  it('waits for the work in flight before reporting a failure', async () => {
    const finished: number[] = [];
    const run = forEachBounded([0, 1, 2], 3, async (item) => {
      if (item === 0) {
        await sleep(1);
        throw new Error('first fails');
      }
      await sleep(20);
      finished.push(item);
    });

    await expect(run).rejects.toThrow('first fails');
    expect(finished.sort()).toEqual([1, 2]);
  });
});
