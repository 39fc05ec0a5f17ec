import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layers of docs/architecture.md, checked on the source: which folder may import which, and
 * no import cycles. A failure names the offending import.
 */
const root = resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file (static `import ... from`, `export ... from`, `import('...')`), as repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => relative(root, resolve(root, dirname(file), spec)));
}

const files = [...sources('functions'), ...sources('schemas')];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

const layer = (file: string): string => {
  if (file.startsWith('schemas/')) return 'schemas';
  if (file.startsWith('functions/core/')) return 'core';
  if (file.startsWith('functions/app/')) return 'app';
  if (file.startsWith('functions/adapters/')) return 'adapters';
  if (file.startsWith('functions/lib/') || file === 'functions/contract.ts') return 'lib';
  if (file.startsWith('functions/')) return 'handlers';
  return 'infra';
};

/** What each layer may import (besides itself). */
const allowed: Record<string, string[]> = {
  schemas: [],
  lib: ['schemas'],
  core: ['schemas', 'lib'],
  app: ['core', 'schemas', 'lib'],
  // Adapters implement the application's ports (functions/app/ports.ts, connectors.ts).
  adapters: ['app', 'core', 'schemas', 'lib'],
  handlers: ['app', 'adapters', 'core', 'schemas', 'lib'],
};

describe('architecture', () => {
  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(50);
    expect([...graph.values()].flat().length).toBeGreaterThan(150);
  });

  it('imports only downwards: nothing under functions/ or schemas/ imports infra/', () => {
    const wrong = [...graph].flatMap(([file, deps]) =>
      deps
        .filter((dep) => {
          const from = layer(file);
          const to = layer(dep);
          return to !== from && !allowed[from]!.includes(to);
        })
        .map((dep) => `${file} (${layer(file)}) imports ${dep} (${layer(dep)})`),
    );
    expect(wrong).toEqual([]);
  });

  it('the core uses no AWS SDK, no environment and no I/O', () => {
    const impure = files
      .filter((f) => layer(f) === 'core')
      .filter((f) => {
        const text = readFileSync(join(root, f), 'utf8');
        return /from '@aws-sdk|process\.env|from 'node:fs'|fetch\(/.test(text);
      });
    expect(impure).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const dep of graph.get(file) ?? []) if (graph.has(dep)) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
