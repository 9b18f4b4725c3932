import { readdirSync, readFileSync } from 'node:fs';
import { BACKGROUND_FUNCTIONS, handlerEntry, NOT_FOUND_ROUTE, ROUTES } from '../../../lambdas/contract/routes.ts';
import { PROJECT_ROOT } from '../../../lambdas/runtime/local-environment.ts';

const camel = (name: string) => name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
const source = (name: string) => readFileSync(`${PROJECT_ROOT}/${handlerEntry(name as never)}`, 'utf8');

describe('every handler serves the declaration of its own route', () => {
  it.each(ROUTES.map((r) => [r.name]))('%s is built from routes.%s’s declaration, once', (name) => {
    const uses = source(name).match(/apiHandler\(([\w.]+)/g) ?? [];
    expect(uses).toEqual([`apiHandler(routes.${camel(name)}`]);
  });

  it('the catch-all serves the not-found declaration', () => {
    expect(source(NOT_FOUND_ROUTE.name)).toContain('apiHandler(NOT_FOUND_ROUTE');
  });

  it('no handler file lacks a declaration', () => {
    const declared = new Set<string>([
      ...ROUTES.map((r) => r.name),
      NOT_FOUND_ROUTE.name,
      ...Object.keys(BACKGROUND_FUNCTIONS),
    ]);
    const files = readdirSync(`${PROJECT_ROOT}/lambdas/handlers`).map((f) => f.replace(/\.ts$/, ''));
    expect(files.filter((f) => !declared.has(f))).toEqual([]);
  });
});
