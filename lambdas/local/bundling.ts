import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { HANDLER_BUNDLING } from '../contract/bundling.ts';
import { handlerEntry, NOT_FOUND_ROUTE, ROUTES, type RouteName } from '../contract/routes.ts';
import { ACCOUNT_WORKER_FUNCTION, PROJECT_ROOT } from '../runtime/local-environment.ts';
import type { ProxyHandler } from './api-gateway-adapter.ts';
import { type AsyncFunction, LocalAsyncInvocations } from './async-invocations.ts';

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

/**
 * The account worker, bundled as deployed, behind the local stand-in for Lambda's asynchronous
 * invocation: what `LAMBDA_ENDPOINT` points the other handlers' background jobs at. The bundle is
 * imported on its first job, once the environment is set.
 */
export async function startAccountWorker(
  outDir: string,
  port = 0,
): Promise<{ endpoint: string; invocations: LocalAsyncInvocations }> {
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, 'account-worker.mjs');
  await build(handlerBuildOptions(join(PROJECT_ROOT, handlerEntry('account-worker')), outfile));
  let worker: Promise<AsyncFunction> | undefined;
  const run: AsyncFunction = async (event) => {
    worker ??= import(pathToFileURL(outfile).href).then((m: { handler: AsyncFunction }) => m.handler);
    return (await worker)(event);
  };
  const invocations = new LocalAsyncInvocations(new Map([[ACCOUNT_WORKER_FUNCTION, run]]));
  return { endpoint: await invocations.listen(port), invocations };
}
