import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpChecks } from '../../lambdas/ops/smoke-checks.ts';
import { type ApiUnderTest, startApiUnderTest } from '../support/api-under-test.ts';
import { runOps } from '../support/run-ops.ts';

let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApiUnderTest();
});
afterAll(async () => {
  await api.stop();
});

const portalOrigin = () => api.env['PORTAL_ORIGINS']!.split(',')[0]!;

describe('ops smoke, the HTTP checks, against the local stack', () => {
  it('passes every check: health, discovery and JWKS, CORS from the portal, security headers, the envelope', async () => {
    const checks = await httpChecks({ apiUrl: api.base, portalOrigin: portalOrigin() });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['health', true],
      ['discovery and JWKS', true],
      ['CORS preflight from the portal', true],
      ['security headers', true],
      ['the contract’s envelope on an unknown route', true],
    ]);
  });

  it('a portal origin the API does not allow is a ✗ that names it, and the command exits 1', async () => {
    const checks = await httpChecks({ apiUrl: api.base, portalOrigin: 'https://other.example' });
    const cors = checks.find((c) => c.name === 'CORS preflight from the portal')!;
    expect(cors.ok).toBe(false);
    expect(cors.detail).toContain('https://other.example');
    const run = await runOps(api.env, 'smoke', '--api-url', api.base, '--portal-origin', 'https://other.example');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ CORS preflight from the portal/m);
    expect(run.stdout).toMatch(/^✓ health/m);
  });

  it('the CLI prints ✓ for each and exits 0 on the local stack; --json is one document', async () => {
    const run = await runOps(api.env, 'smoke', '--api-url', api.base, '--portal-origin', portalOrigin(), '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.checks).toHaveLength(5);
  });
});
