import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { type CsvProblem, csvRecords } from '../../../lambdas/ops/csv-records.ts';

async function records(text: string | string[]) {
  const out = [];
  const problems: CsvProblem[] = [];
  for await (const r of csvRecords(Readable.from(Array.isArray(text) ? text : [text]), (p) => problems.push(p)))
    out.push(r);
  if (problems.length) throw new Error(JSON.stringify(problems));
  return out;
}

async function problemsOf(text: string) {
  const problems: CsvProblem[] = [];
  const rows: number[] = [];
  for await (const r of csvRecords(Readable.from([text]), (p) => problems.push(p))) rows.push(r.line);
  return { rows, problems };
}

describe('csvRecords', () => {
  it('splits plain records and numbers their lines', async () => {
    expect(await records('a,b\n1,2\n3,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', ''] },
    ]);
  });

  it('handles quotes, doubled quotes, commas and newlines inside quotes, and CRLF', async () => {
    expect(await records('"x, y","say ""hi"""\r\n"line\nbreak",z\r\nlast,row')).toEqual([
      { line: 1, fields: ['x, y', 'say "hi"'] },
      { line: 2, fields: ['line\nbreak', 'z'] },
      { line: 4, fields: ['last', 'row'] },
    ]);
  });

  it('reassembles records split across chunks', async () => {
    expect(await records(['a,"b', 'c"\n1', ',2\n'])).toEqual([
      { line: 1, fields: ['a', 'bc'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reads a BOM and keeps the first column name clean', async () => {
    expect(await records('\uFEFFnir,b\n1,2\n')).toEqual([
      { line: 1, fields: ['nir', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('a stray quote no longer swallows the rest of the file: it is reported with its line', async () => {
    const { rows, problems } = await problemsOf('h1,h2\n1,2\n3,Du"bois\n4,5\n6,7\n');
    expect(problems).toEqual([{ line: 3, reason: expect.stringContaining('quote') }]);
    expect(rows).toEqual([1, 2, 4, 5]);
  });

  it('an unclosed quote is reported at the line it opens, without echoing the values after it', async () => {
    const { rows, problems } = await problemsOf('h1,h2\n1,2\n3,"Dubois\n184057512345625,5\n6,7\n');
    expect(rows).toEqual([1, 2]);
    expect(problems).toEqual([{ line: 3, reason: expect.stringContaining('never closed') }]);
    expect(JSON.stringify(problems)).not.toContain('1840575');
  });
});
