import { access, mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LetterFiles } from '../../domain/letters.ts';

/** Export files in a local folder, each written to a temporary name, synced, then renamed whole. */
export class LocalLetterFiles implements LetterFiles {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async exists(name: string): Promise<boolean> {
    return access(join(this.#dir, name)).then(
      () => true,
      () => false,
    );
  }

  async write(name: string, content: string): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    const final = join(this.#dir, name);
    const partial = `${final}.partial`;
    const file = await open(partial, 'w', 0o600);
    try {
      await file.writeFile(content, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, final);
    return final;
  }
}
