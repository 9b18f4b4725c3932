import { forEachBounded } from '../domain/bounded-concurrency.ts';
import { OperatorInputError } from '../domain/errors.ts';
import type { MemberImportDependencies } from '../domain/member-import.ts';
import { csvFileRows } from './csv-records.ts';
import { IMPORT_COLUMNS, importMemberRecord } from './member-row.ts';

export interface ImportReport {
  readonly imported: number;
  readonly updated: number;
  readonly rejected: number;
}

export interface ImportOutput {
  rejected(line: number, reason: string): void;
  progress(rowsDone: number): void;
}

/** Rows hashed in parallel: argon2 is the cost, and the machine's cores bound it. */
const CONCURRENCY = 4;
const PROGRESS_EVERY = 500;

/** Streams the CSV, upserting each valid row; a bad row is reported and the others still go in. */
export async function importMembersFile(
  path: string,
  d: MemberImportDependencies,
  out: ImportOutput,
): Promise<ImportReport> {
  const counts = { imported: 0, updated: 0, rejected: 0 };
  let done = 0;
  const reject = (line: number, reason: string) => {
    counts.rejected++;
    out.rejected(line, reason);
  };
  const rows = () => csvFileRows(path, IMPORT_COLUMNS, reject);

  await forEachBounded(rows(), CONCURRENCY, async ({ line, row }) => {
    const outcome = await importMemberRecord(row, d).catch((error: unknown) => {
      if (error instanceof OperatorInputError) return { result: 'rejected' as const, reason: error.message };
      throw error;
    });
    if (outcome.result === 'rejected') reject(line, outcome.reason);
    else if (outcome.result === 'created') counts.imported++;
    else counts.updated++;
    if (++done % PROGRESS_EVERY === 0) out.progress(done);
  });
  return counts;
}
