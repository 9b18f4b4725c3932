import { availableParallelism } from 'node:os';
import { forEachBounded } from '../domain/bounded-concurrency.ts';
import type { MemberImportDependencies } from '../domain/member-import.ts';
import { IMPORT_COLUMNS, importMemberRecord } from '../domain/member-row.ts';
import { csvFileRows } from './csv-records.ts';

export interface ImportReport {
  readonly imported: number;
  readonly updated: number;
  /** Rows identical to the last import of that member: no write, no hash. */
  readonly unchanged: number;
  readonly rejected: number;
}

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export interface ImportOutput {
  rejected(line: number, reason: string): void;
  progress(progress: ImportProgress): void;
}

/**
 * Rows in flight: argon2 runs on libuv's thread pool (the CLI sizes it to the cores), and each row
 * also waits on DynamoDB round trips — twice the cores keeps every core deriving.
 */
const CONCURRENCY = Math.max(4, availableParallelism() * 2);
/** A progress line at least this often on a long file. */
const PROGRESS_EVERY_MS = 2000;

/** Streams the CSV, upserting each valid row; a bad row is reported and the others still go in. */
export async function importMembersFile(
  path: string,
  d: MemberImportDependencies,
  out: ImportOutput,
): Promise<ImportReport> {
  const counts = { imported: 0, updated: 0, unchanged: 0, rejected: 0 };
  const started = performance.now();
  let total = 0;
  let done = 0;
  const reject = (line: number, reason: string) => {
    counts.rejected++;
    out.rejected(line, reason);
  };
  const rows = () =>
    csvFileRows(path, IMPORT_COLUMNS, reject, (rows) => {
      total = rows;
    });
  const ticker = setInterval(
    () => out.progress({ done: done + counts.rejected, total, elapsedMs: performance.now() - started }),
    PROGRESS_EVERY_MS,
  );
  ticker.unref();

  await forEachBounded(rows(), CONCURRENCY, async ({ line, row }) => {
    const outcome = await importMemberRecord(row, d);
    if (outcome.result === 'rejected') return reject(line, outcome.reason);
    done++;
    if (outcome.result === 'created') counts.imported++;
    else if (outcome.result === 'unchanged') counts.unchanged++;
    else counts.updated++;
  }).finally(() => clearInterval(ticker));
  return counts;
}
