import { forEachBounded } from './bounded-concurrency.ts';
import { type ClientImportDependencies, importClientRow } from './client-import.ts';
import type { MemberImportDependencies } from './member-import.ts';
import { importMemberRecord } from './member-row.ts';

/** One row of a feed file as the Distributed Map hands it: its fields by the header, and its index (0 = first data row). */
export interface FeedItem {
  readonly row: Readonly<Record<string, string>>;
  readonly index: number;
}

export type FeedKind = 'members' | 'clients';

/** What a batch did: the report adds them up (`reports/<file>.json`). */
export interface FeedBatchResult {
  readonly imported: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deactivated: number;
  readonly rejected: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
}

/** The file's kind from its place in the bucket: `members/…csv` or `clients/…csv`. */
export function feedKindOf(key: string): FeedKind | undefined {
  if (/^members\/[^/]+\.csv$/.test(key)) return 'members';
  if (/^clients\/[^/]+\.csv$/.test(key)) return 'clients';
  return undefined;
}

/**
 * One batch of a feed file (AWS Step Functions Distributed Map → a Lambda worker): the very row
 * logic of `import-members` and `import-clients`, rows in parallel (argon2 is the cost). A row the
 * rules refuse is reported with its line; a failure of a dependency fails the batch, which the map
 * retries — every row is idempotent (an imported row is `unchanged` the second time).
 */
export async function importFeedBatch(
  kind: FeedKind,
  items: readonly FeedItem[],
  d: {
    readonly members: MemberImportDependencies;
    readonly clients: ClientImportDependencies;
    readonly concurrency: number;
  },
): Promise<FeedBatchResult> {
  const counts = { imported: 0, updated: 0, unchanged: 0, deactivated: 0 };
  const rejected: Array<{ line: number; reason: string }> = [];
  // The header is line 1: data row i is on line i + 2 (rows are one line each in a feed file).
  const lineOf = (item: FeedItem) => item.index + 2;
  await forEachBounded(items, d.concurrency, async (item) => {
    const outcome =
      kind === 'members'
        ? await importMemberRecord({ ...item.row }, d.members)
        : await importClientRow(item.row, d.clients);
    if (outcome.result === 'rejected') rejected.push({ line: lineOf(item), reason: outcome.reason });
    else if (outcome.result === 'created') counts.imported++;
    else counts[outcome.result]++;
  });
  rejected.sort((a, b) => a.line - b.line);
  return { ...counts, rejected };
}
