import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltBundle } from './build-bundles.ts';
import { kb, packageOf, printTable, verdict } from './table.ts';

const root = join(import.meta.dirname, '..', '..');

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Overhead targets over the floor (issue 13). */
export const overheadTarget = (name: string) => (name === 'ingest-webhook' ? 100 : 200) * 1024;

/** Bytes in the output per package (first-party code by its top folder, e.g. `functions/`). */
function bytesByPackage(metafile: string): {
  total: number;
  byPackage: Map<string, number>;
  zodLocales: number;
} {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  const [, output] = Object.entries(meta.outputs).find(([file]) => file.endsWith('.mjs'))!;
  const byPackage = new Map<string, number>();
  let zodLocales = 0;
  for (const [path, input] of Object.entries(output.inputs)) {
    const key = packageOf(path) ?? `${path.split('/').find((p) => p && p !== '..') ?? path}/`;
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
    if (/node_modules\/zod\/.*\/locales\//.test(path)) zodLocales += input.bytesInOutput;
  }
  return { total: output.bytes, byPackage, zodLocales };
}

export interface BundleResult {
  name: string;
  bytes: number;
  floorBytes: number;
  overhead: number;
  pass: boolean;
}

/** Builds (child process, output kept unless it fails) and prints the bundle table. */
export function benchBundles(outDir: string): { built: BuiltBundle[]; results: BundleResult[] } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'build-bundles.ts'), outDir],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    },
  );
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error('building the bundles failed');
  }
  const built = JSON.parse(readFileSync(join(outDir, 'bundles.json'), 'utf8')) as BuiltBundle[];
  const results: BundleResult[] = [];
  const rows: string[][] = [];
  const contributors: string[][] = [];
  for (const b of built) {
    const real = bytesByPackage(b.metafile);
    const floor = bytesByPackage(b.floorMetafile);
    const overhead = real.total - floor.total;
    const pass = overhead <= overheadTarget(b.name);
    results.push({ name: b.name, bytes: real.total, floorBytes: floor.total, overhead, pass });
    const unused = b.sdkImported.filter((p) => !b.sdkPackages.includes(p));
    rows.push([
      b.name,
      kb(real.total),
      kb(floor.total),
      kb(overhead),
      `≤ ${kb(overheadTarget(b.name))}`,
      kb(real.zodLocales),
      unused.map((p) => p.replace('@aws-sdk/', '')).join(' ') || '-',
      verdict(pass),
    ]);
    // What the function carries beyond its floor, package by package.
    const diff = [...real.byPackage]
      .map(([pkg, bytes]) => [pkg, bytes - (floor.byPackage.get(pkg) ?? 0)] as const)
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    contributors.push([b.name, ...diff.map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`)]);
  }
  printTable(
    'Bundles: minified ESM (house esbuild settings), floor = the same SDK clients only',
    ['function', 'bundle', 'floor', 'overhead', 'target', 'zod locales', 'SDK imported, unused', ''],
    rows,
  );
  printTable(
    'Bundles: top 5 contributors to the overhead (bytes in output over the floor, by package)',
    ['function', '1', '2', '3', '4', '5'],
    contributors.map((r) => [...r, '', '', '', '', ''].slice(0, 6)),
  );
  return { built, results };
}
