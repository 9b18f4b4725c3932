import { cpSync, mkdirSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, buildSync } from 'esbuild';

const PORTAL_DIR = dirname(fileURLToPath(import.meta.url));

const APP_BUILD = {
  entryPoints: [join(PORTAL_DIR, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
} satisfies BuildOptions;

/** The portal as it is served: the static files of `public/` and one minified module, `app.js`. */
export async function buildPortal(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await cp(join(PORTAL_DIR, 'public'), outDir, { recursive: true });
  await build({ ...APP_BUILD, outfile: join(outDir, 'app.js') });
  return outDir;
}

/** The same, synchronously: for `cdk synth`, which builds the portal it deploys. */
export function buildPortalSync(outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  cpSync(join(PORTAL_DIR, 'public'), outDir, { recursive: true });
  buildSync({ ...APP_BUILD, outfile: join(outDir, 'app.js') });
  return outDir;
}
