import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { csvRecords } from '../../../lambdas/ops/csv-records.ts';

async function records(text: string | string[]) {
  const out = [];
  for await (const r of csvRecords(Readable.from(Array.isArray(text) ? text : [text]))) out.push(r);
  return out;
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
});
