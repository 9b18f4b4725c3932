import type { FeedBatchResult } from './feed-batch.ts';

/** What operators read for one feed file (`reports/<file>.json`). */
export interface FeedReport {
  readonly file: string;
  readonly imported: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deactivated: number;
  readonly rejectedCount: number;
  readonly rejected: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  /** Batches that failed after their retries: their rows are in no count above (run the file again). */
  readonly failedBatches: number;
}

/** Where the distributed map left its batches' outputs, and where reports go. */
export interface FeedResults {
  read(manifest: { readonly bucket: string; readonly key: string }): Promise<{
    readonly outputs: readonly FeedBatchResult[];
    readonly failedBatches: number;
  }>;
  /** Writes the report beside the feed's files; returns its key. */
  write(report: FeedReport): Promise<string>;
}

/** Adds up the batches of one file into its report, rejected rows in line order, and writes it. */
export async function writeFeedReport(
  file: string,
  manifest: { readonly bucket: string; readonly key: string },
  results: FeedResults,
): Promise<{ readonly report: FeedReport; readonly location: string }> {
  const { outputs, failedBatches } = await results.read(manifest);
  const sum = (field: 'imported' | 'updated' | 'unchanged' | 'deactivated') =>
    outputs.reduce((total, o) => total + o[field], 0);
  const rejected = outputs.flatMap((o) => o.rejected).sort((a, b) => a.line - b.line);
  const report: FeedReport = {
    file,
    imported: sum('imported'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    deactivated: sum('deactivated'),
    rejectedCount: rejected.length,
    rejected,
    failedBatches,
  };
  return { report, location: await results.write(report) };
}
