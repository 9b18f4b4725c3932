import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { HANDLER_BUNDLING } from '../contract/bundling.ts';
import { handlerEntry, NOT_FOUND_ROUTE, ROUTES, type RouteName } from '../contract/routes.ts';
import type { ProxyHandler } from './api-gateway-adapter.ts';
import { PROJECT_ROOT } from './local-environment.ts';

/** esbuild options for one handler entry written to `outfile`. */
export function handlerBuildOptions(entry: string, outfile: string): BuildOptions {
  const { banner, mainFields, ...options } = HANDLER_BUNDLING;
  return {
    ...options,
    mainFields: [...mainFields],
    entryPoints: [entry],
    outfile,
    bundle: true,
    banner: { js: banner },
    logLevel: 'warning',
    metafile: true,
  };
}

/** Bundles every route's handler into `outDir` as deployed; returns each bundle's path. */
export async function bundleHandlers(outDir: string): Promise<Map<RouteName, string>> {
  await mkdir(outDir, { recursive: true });
  const names: RouteName[] = [...ROUTES.map((r) => r.name), NOT_FOUND_ROUTE.name];
  const bundles = new Map<RouteName, string>();
  await Promise.all(
    names.map(async (name) => {
      const outfile = join(outDir, `${name}.mjs`);
      await build(handlerBuildOptions(join(PROJECT_ROOT, handlerEntry(name)), outfile));
      bundles.set(name, outfile);
    }),
  );
  return bundles;
}

/** Imports bundled handlers: their cold start (configuration, keys) runs here, as in a new Lambda environment. */
export async function loadHandlers(bundles: Map<RouteName, string>): Promise<Map<RouteName, ProxyHandler>> {
  const handlers = new Map<RouteName, ProxyHandler>();
  for (const [name, file] of bundles) {
    handlers.set(name, ((await import(pathToFileURL(file).href)) as { handler: ProxyHandler }).handler);
  }
  return handlers;
}
