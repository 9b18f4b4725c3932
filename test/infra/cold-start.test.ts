import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { BACKGROUND_FUNCTIONS, type FunctionName, handlerEntry } from '../../lambdas/contract/routes.ts';
import { bundleHandlers, handlerBuildOptions } from '../../lambdas/local/bundling.ts';
import { PROJECT_ROOT } from '../../lambdas/runtime/local-environment.ts';
import type { MemberPortalAuthStack } from '../../lib/member-portal-auth-stack.ts';
import { functionOf, logicalIdOf, synth } from './synth.ts';

const run = promisify(execFile);

/**
 * What a deployed function's cold start does, offline: each handler, bundled as deployed, imported
 * in a fresh process with the environment the stack gives that function (KEYS_SOURCE=aws, its own
 * key ids) and nothing else. The local stack and every other test run with local keys, so a
 * composition that asks at import for a key the stack does not name to that function — or that
 * calls AWS before its first request — passes them all and fails only here (and in AWS).
 */
let stack: MemberPortalAuthStack;
let template: Template;
const bundles = new Map<FunctionName, string>();

// Bundling all 33 handlers with esbuild takes a minute or two on two shared cores: a budget, not a measure.
beforeAll(async () => {
  ({ stack, template } = synth());
  const outDir = await mkdtemp(join(tmpdir(), 'mpa-cold-start-'));
  for (const [name, file] of await bundleHandlers(outDir)) bundles.set(name, file);
  for (const name of Object.keys(BACKGROUND_FUNCTIONS) as FunctionName[]) {
    const file = join(outDir, `${name}.mjs`);
    await build(handlerBuildOptions(join(PROJECT_ROOT, handlerEntry(name)), file));
    bundles.set(name, file);
  }
}, 300_000);

/** A stand-in for each value CloudFormation resolves at deploy time (an ARN, a name). */
function resolved(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (name.endsWith('_KMS_KEY_ID'))
    return 'arn:aws:kms:eu-west-3:111111111111:key/00000000-0000-0000-0000-000000000000';
  return `${name.toLowerCase().replaceAll('_', '-')}-resolved`;
}

function deployedEnvironment(name: FunctionName): Record<string, string> {
  const fn = template.toJSON()['Resources'][logicalIdOf(stack, functionOf(stack, name))];
  const variables = (fn['Properties']['Environment']?.['Variables'] ?? {}) as Record<string, unknown>;
  return {
    ...Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolved(key, value)])),
    // What Lambda itself sets; credentials that reach nothing (no network here).
    AWS_REGION: 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'AKIDCOLDSTART',
    AWS_SECRET_ACCESS_KEY: 'cold-start',
    PATH: process.env['PATH'] ?? '',
  };
}

describe('a deployed function’s cold start', () => {
  it('imports every handler with only the environment the stack gives it, without calling AWS', async () => {
    const failed: string[] = [];
    for (const [name, file] of bundles) {
      try {
        await run(
          process.execPath,
          ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)});`],
          {
            env: deployedEnvironment(name),
            timeout: 15_000,
          },
        );
      } catch (error) {
        const stderr = String((error as { stderr?: unknown }).stderr ?? error);
        failed.push(`${name}: ${/^\w*Error: .*$/m.exec(stderr)?.[0] ?? stderr.slice(0, 200)}`);
      }
    }
    expect(failed).toEqual([]);
  }, 180_000);
});
