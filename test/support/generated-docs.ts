import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from '@jest/globals';

/** A Markdown block's lines, cell by cell, whatever the formatter made of a table's padding. */
const cells = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim().replace(/^-+$/, '-')));

/**
 * A block of a document that the code draws, between
 * `<!-- generated: <name> (<by>; UPDATE_DOCS=1 rewrites it) -->` and `<!-- end of generated <name> -->`:
 * the test fails when the document says otherwise, and `UPDATE_DOCS=1` writes what the code says.
 */
export function expectGeneratedBlock(file: string, name: string, by: string, generated: string): void {
  const doc = readFileSync(file, 'utf8');
  const begin = `<!-- generated: ${name} (${by}; UPDATE_DOCS=1 rewrites it) -->`;
  const start = doc.indexOf(begin);
  const end = doc.indexOf(`<!-- end of generated ${name} -->`);
  if (start < 0 || end < start) throw new Error(`${file} has no generated ${name} block`);
  const from = start + begin.length;
  if (process.env['UPDATE_DOCS'] === '1') {
    writeFileSync(file, `${doc.slice(0, from)}\n\n${generated}\n\n${doc.slice(end)}`);
    return;
  }
  expect(cells(doc.slice(from, end))).toEqual(cells(generated));
}
