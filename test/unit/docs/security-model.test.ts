import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const DOC = readFileSync('docs/security-model.md', 'utf8');

/** Every `file` › "name" the document cites: the file, and each quoted part of a test's name after it. */
function citations(): Array<{ file: string; name: string }> {
  const found: Array<{ file: string; name: string }> = [];
  for (const match of DOC.matchAll(/`(test\/[^`]+?\.test\.ts)`((?:\s*,?\s*›\s*"[^"]+")+)/g)) {
    for (const name of match[2]!.matchAll(/"([^"]+)"/g)) found.push({ file: match[1]!, name: name[1]! });
  }
  return found;
}

describe('docs/security-model.md', () => {
  it('every test it names exists: the file, and a test whose name contains the words cited', () => {
    const cited = citations();
    expect(cited.length).toBeGreaterThan(80);
    const missing = cited.filter(({ file, name }) => !existsSync(file) || !readFileSync(file, 'utf8').includes(name));
    expect(missing).toEqual([]);
  });

  it('every ASVS requirement it marks met names a test', () => {
    const rows = DOC.split('\n').filter((line) => /^\| \d+\.\d+/.test(line));
    expect(rows.length).toBeGreaterThan(60);
    const metWithoutTest = rows.filter((row) => row.split('|')[2]!.trim().startsWith('met') && !row.includes('`test/'));
    expect(metWithoutTest).toEqual([]);
  });
});
