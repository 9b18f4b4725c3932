import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lambdas/runtime/local-environment.ts';

/**
 * Runs the real operator CLI (`npm run ops -- …`) against the test's table, `input` on its
 * standard input; never throws on exit codes.
 */
export function runOps(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runOpsWithInput(env, '', ...args);
}

export function runOpsWithInput(
  env: Record<string, string>,
  input: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'lambdas/ops/cli.ts'), ...args], {
      env: { ...process.env, ...env, OPERATOR: 'agent.test' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}
