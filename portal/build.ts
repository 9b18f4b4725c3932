import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PORTAL_DIR = dirname(fileURLToPath(import.meta.url));

/** The portal as it is served: the static files of `public/` and one minified module, `app.js`. */
export async function buildPortal(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await cp(join(PORTAL_DIR, 'public'), outDir, { recursive: true });
  await build({
    entryPoints: [join(PORTAL_DIR, 'src', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outDir;
}
