import { createReadStream } from 'node:fs';
import { forEachBounded } from '../domain/bounded-concurrency.ts';
import { OperatorInputError } from '../domain/errors.ts';
import type { MemberImportDependencies } from '../domain/member-import.ts';
import { type CsvProblem, csvRecords } from './csv-records.ts';
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

/**
 * A first read of the whole file for its structure: a stray or unclosed quote would swallow the
 * rows after it, so a malformed file is refused whole — each problem reported with its line, no row
 * imported — rather than half-imported with members silently lost.
 */
async function structuralProblems(path: string): Promise<CsvProblem[]> {
  const problems: CsvProblem[] = [];
  for await (const _ of csvRecords(createReadStream(path), (p) => problems.push(p)));
  return problems;
}

/** Streams the CSV, upserting each valid row; a bad row is reported and the others still go in. */
export async function importMembersFile(
  path: string,
  d: MemberImportDependencies,
  out: ImportOutput,
): Promise<ImportReport> {
  const problems = await structuralProblems(path);
  if (problems.length > 0) {
    for (const p of problems) out.rejected(p.line, p.reason);
    throw new OperatorInputError(
      `malformed CSV (${problems.length} problem${problems.length === 1 ? '' : 's'} above): nothing was imported — fix the file and run again`,
    );
  }
  const counts = { imported: 0, updated: 0, rejected: 0 };
  let done = 0;
  const reject = (line: number, reason: string) => {
    counts.rejected++;
    out.rejected(line, reason);
  };

  /** The data rows, by their names in the header; rows of the wrong length are reported here. */
  async function* rows(): AsyncGenerator<{ line: number; row: Record<string, string> }> {
    let header: string[] | undefined;
    for await (const record of csvRecords(createReadStream(path), () => undefined)) {
      if (!header) {
        header = record.fields.map((f) => f.trim());
        const missing = IMPORT_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length) throw new OperatorInputError(`header is missing column(s): ${missing.join(', ')}`);
        continue;
      }
      if (record.fields.length !== header.length)
        reject(record.line, `expected ${header.length} fields, found ${record.fields.length}`);
      else
        yield { line: record.line, row: Object.fromEntries(header.map((name, i) => [name, record.fields[i] ?? ''])) };
    }
    if (!header) throw new OperatorInputError('the file is empty: a header row is required');
  }

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
