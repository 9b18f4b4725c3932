import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SOURCES = join(process.cwd(), 'portal', 'src');

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

describe('the portal’s pages', () => {
  it('stop markup injection: no page parses HTML from a string (text goes in as text nodes)', async () => {
    const sources = await files(SOURCES);
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = await readFile(file, 'utf8');
      expect({
        file,
        found: /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|DOMParser/.exec(text)?.[0],
      }).toEqual({
        file,
        found: undefined,
      });
    }
  });
});
