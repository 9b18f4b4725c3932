import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../lambdas/local/local-environment.ts';

const run = promisify(execFile);

/** Runs the real operator CLI (`npm run ops -- …`) against the test's table; never throws on exit codes. */
export async function runOps(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(PROJECT_ROOT, 'lambdas/ops/cli.ts'), ...args], {
      env: { ...process.env, ...env, OPERATOR: 'agent.test' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
