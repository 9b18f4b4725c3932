import type { Readable } from 'node:stream';

export interface CsvRecord {
  /** Line of the file where the record starts (1 = header). */
  readonly line: number;
  readonly fields: string[];
}

/**
 * Streams RFC 4180 records (quoted fields, doubled quotes, CRLF or LF) without holding the file
 * in memory.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let pendingQuote = false;
  let sawAny = false;

  for await (const chunk of input.setEncoding('utf8') as AsyncIterable<string>) {
    for (const ch of chunk) {
      sawAny = true;
      if (quoted) {
        if (pendingQuote) {
          pendingQuote = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          quoted = false;
          afterQuote = true;
        } else if (ch === '"') {
          pendingQuote = true;
          continue;
        } else {
          if (ch === '\n') line++;
          field += ch;
          continue;
        }
      }
      if (ch === '"' && field === '' && !afterQuote) {
        quoted = true;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (ch === '\n') {
        fields.push(field.endsWith('\r') && !afterQuote ? field.slice(0, -1) : field);
        yield { line: recordLine, fields };
        fields = [];
        field = '';
        afterQuote = false;
        line++;
        recordLine = line;
      } else if (ch !== '\r' || !afterQuote) {
        field += ch;
      }
    }
  }
  if (pendingQuote) quoted = false;
  if (sawAny && (field !== '' || fields.length > 0)) {
    fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield { line: recordLine, fields };
  }
  void quoted;
}
