import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cruise } from 'dependency-cruiser';
import { expectGeneratedBlock } from '../../support/generated-docs.ts';

const DOC = 'docs/architecture.md';
const BY = 'test/unit/docs/architecture.test.ts';

/**
 * docs/architecture.md carries two pictures of the code that the code itself draws: the layers'
 * dependency graph (dependency-cruiser, the same engine `npm run layers` checks the rules with) and
 * the ports with their adapters and in-memory fakes. `UPDATE_DOCS=1` rewrites them.
 */
async function layerGraph(): Promise<string> {
  const result = await cruise(
    ['lambdas', 'lib', 'bin', 'portal/src', 'client'],
    {
      includeOnly: '^(lambdas|lib|bin|portal|client)/',
      exclude: '^lambdas/types/',
      collapse: '^(lambdas/[^/]+|portal/src|[^/]+)/',
      outputType: 'json',
      tsPreCompilationDeps: true,
      enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
    },
    undefined,
    { tsConfig: { fileName: 'tsconfig.json' } },
  );
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as {
    modules: Array<{ source: string; dependencies: Array<{ resolved: string }> }>;
  };
  const id = (folder: string) => folder.replace(/\/$/, '').replace(/[/]/g, '_');
  const label = (folder: string) => folder.replace(/\/$/, '');
  const lines = ['```mermaid', 'flowchart TD'];
  const modules = [...output.modules].sort((a, b) => a.source.localeCompare(b.source));
  for (const m of modules) lines.push(`  ${id(m.source)}["${label(m.source)}"]`);
  for (const m of modules) {
    for (const to of [...new Set(m.dependencies.map((d) => d.resolved))].sort()) {
      if (to !== m.source) lines.push(`  ${id(m.source)} --> ${id(to)}`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** Every interface of the domain that an adapter implements: where it is declared, its adapters, its fake. */
function portTable(): string {
  const implementers = (files: string[]) => {
    const found = new Map<string, string[]>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /^(?:export )?class (\w+)(?:<[^>]*>)? implements ([\w, ]+)/gm,
      )) {
        for (const port of m[2]!.split(',').map((p) => p.trim())) {
          found.set(port, [...(found.get(port) ?? []), `\`${m[1]}\``]);
        }
      }
    }
    return found;
  };
  const adapters = implementers(tsFiles('lambdas/adapters'));
  const fakes = implementers(['test/support/in-memory.ts']);
  const declared = new Map<string, string>();
  for (const file of tsFiles('lambdas/domain')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/export interface (\w+)/g)) declared.set(m[1]!, file);
  }
  const ports = [...adapters.keys()].filter((p) => declared.has(p)).sort();
  return [
    '| port | declared in | adapters (AWS, local) | in-memory fake (unit tests) |',
    '| --- | --- | --- | --- |',
    ...ports.map(
      (p) =>
        `| \`${p}\` | \`${declared.get(p)}\` | ${adapters.get(p)!.sort().join(', ')} | ${(fakes.get(p) ?? ['—']).sort().join(', ')} |`,
    ),
  ].join('\n');
}

describe('docs/architecture.md, drawn from the code', () => {
  it('shows the layers’ dependency graph as the code has it', async () => {
    expectGeneratedBlock(DOC, 'layer graph', BY, await layerGraph());
  });

  it('lists every port with its adapters and in-memory fake as the code has them', () => {
    const table = portTable();
    expect(table.split('\n').length).toBeGreaterThan(12);
    expectGeneratedBlock(DOC, 'ports', BY, table);
  });

  it('names only files that exist', () => {
    const doc = readFileSync(DOC, 'utf8');
    const named = [...doc.matchAll(/`((?:lambdas|lib|test|portal|client|bin|docs)\/[\w./-]+\.(?:ts|md|cjs))`/g)].map(
      (m) => m[1]!,
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((file) => !existsSync(file))).toEqual([]);
  });
});
