import { readdirSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../../lambdas/runtime/local-environment.ts';

const { sideEffects } = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { sideEffects: string[] };
const folders = (dir: string) =>
  readdirSync(`${PROJECT_ROOT}/${dir}`, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !['node_modules', 'cdk.out', 'docs'].includes(d.name))
    .map((d) => `./${dir ? `${dir}/` : ''}${d.name}/**`);

/** Declarations only: a handler's bundle keeps what it uses of them and drops the rest. */
const SIDE_EFFECT_FREE = ['./lambdas/contract/**', './lambdas/adapters/**'];

describe('only the declarations and the adapters are bundled as free of side effects', () => {
  it('every folder with code but the declarations and the adapters says it has side effects (a forgotten one would lose its top-level code)', () => {
    const expected = [...folders('').filter((f) => f !== './lambdas/**'), ...folders('lambdas')].filter(
      (f) => !SIDE_EFFECT_FREE.includes(f),
    );
    expect([...sideEffects].sort()).toEqual(expected.sort());
  });
});

describe('the adapters declare and do nothing at load', () => {
  it('no adapter module runs code at its top level but calls marked pure (what being free of side effects promises)', () => {
    const files = readdirSync(`${PROJECT_ROOT}/lambdas/adapters`, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const running = files.flatMap((file) =>
      readFileSync(`${PROJECT_ROOT}/lambdas/adapters/${file}`, 'utf8')
        .split('\n')
        .filter(
          (line) =>
            /^(export )?(const|let) \w+(: [^=]+)? = (new |await |[\w.]+\()/.test(line) || /^[\w.]+\(/.test(line),
        )
        .map((line) => `${file}: ${line}`),
    );
    expect(running).toEqual([]);
  });
});
