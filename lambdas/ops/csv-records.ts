import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { OperatorInputError } from '../domain/errors.ts';

export interface CsvRecord {
  /** Line of the file where the record starts (1 = header). */
  readonly line: number;
  readonly fields: string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly reason: string;
}

/** What an operator reads for each structural error: no field value is echoed (it could be a NIR). */
const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed: every line after it would be swallowed',
  INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with one',
  CSV_INVALID_CLOSING_QUOTE: 'text right after a closing quote',
  CSV_MAX_RECORD_SIZE: 'a row longer than 16 KiB',
  CSV_INVALID_RECORD_LENGTH_DONT_MATCH_COLUMNS: 'a row with the wrong number of fields',
};

const MAX_RECORD_BYTES = 16 * 1024;

/**
 * RFC 4180 records through `csv-parse` (strict quotes, BOM, CRLF or LF, a size limit per row),
 * streamed. Rows with the wrong number of fields are returned as they are, for the caller to
 * report; structural errors (quotes) go to `onProblem` with their line, never silently dropped.
 */
export async function* csvRecords(
  input: Readable,
  onProblem: (problem: CsvProblem) => void,
): AsyncGenerator<CsvRecord> {
  // The last line parsed (ahead of what the caller has consumed): where an unclosed quote opened after.
  let lastParsedLine = 0;
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (record: string[], context: { lines: number }) => {
        lastParsedLine = context.lines;
        return record;
      },
    }),
  );
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    // An unclosed quote is only found at the end of the file: it opened on the line after the last good row.
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastParsedLine + 1 : (error.lines ?? lastParsedLine + 1);
    onProblem({ line, reason: REASONS[error.code] ?? 'malformed CSV' });
  });
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const newlinesInside = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    yield { line: info.lines - newlinesInside, fields: record };
  }
}

/**
 * An operator's CSV file, row by row by the names of its header: first read whole for its structure
 * — a stray or unclosed quote would swallow the rows after it, so a malformed file is refused whole
 * (each problem reported with its line, no row imported) rather than half-imported — then streamed.
 * A header without a `required` column, an empty file and rows of the wrong length are reported.
 */
export async function* csvFileRows(
  path: string,
  required: readonly string[],
  reject: (line: number, reason: string) => void,
  /** Told the number of data rows once the structure is checked (for a progress with time left). */
  onTotal?: (rows: number) => void,
): AsyncGenerator<{ readonly line: number; readonly row: Record<string, string> }> {
  const problems: CsvProblem[] = [];
  let records = 0;
  for await (const _ of csvRecords(createReadStream(path), (p) => problems.push(p))) records++;
  if (problems.length > 0) {
    for (const p of problems) reject(p.line, p.reason);
    throw new OperatorInputError(
      `malformed CSV (${problems.length} problem${problems.length === 1 ? '' : 's'} above): nothing was imported — fix the file and run again`,
    );
  }
  onTotal?.(Math.max(0, records - 1));
  let header: string[] | undefined;
  for await (const record of csvRecords(createReadStream(path), () => undefined)) {
    if (!header) {
      header = record.fields.map((f) => f.trim());
      const missing = required.filter((c) => !header!.includes(c));
      if (missing.length) throw new OperatorInputError(`header is missing column(s): ${missing.join(', ')}`);
      continue;
    }
    if (record.fields.length !== header.length)
      reject(record.line, `expected ${header.length} fields, found ${record.fields.length}`);
    else yield { line: record.line, row: Object.fromEntries(header.map((name, i) => [name, record.fields[i] ?? ''])) };
  }
  if (!header) throw new OperatorInputError('the file is empty: a header row is required');
}
