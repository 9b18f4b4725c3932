import { readdirSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../../lambdas/runtime/local-environment.ts';

const { sideEffects } = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { sideEffects: string[] };
const folders = (dir: string) =>
  readdirSync(`${PROJECT_ROOT}/${dir}`, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !['node_modules', 'cdk.out', 'docs'].includes(d.name))
    .map((d) => `./${dir ? `${dir}/` : ''}${d.name}/**`);

describe('only the declarations are bundled as free of side effects', () => {
  it('every folder with code but lambdas/contract says it has side effects (a forgotten one would lose its top-level code)', () => {
    const expected = [...folders('').filter((f) => f !== './lambdas/**'), ...folders('lambdas')].filter(
      (f) => f !== './lambdas/contract/**',
    );
    expect([...sideEffects].sort()).toEqual(expected.sort());
  });
});
