import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuiltBundle } from './build-bundles.ts';
import { lambdaEnv } from './lambda-env.ts';
import { kb, packageOf, printTable } from './table.ts';

/*
 * Where a bundle's cold init goes: `tsx test/bench/profile-init.ts <function>` builds that bundle
 * (as the bench does), imports it in a fresh node under --cpu-prof, maps every sample through the
 * bundle's source map and prints the self time by package (first-party code by its folder).
 */
const root = join(import.meta.dirname, '..', '..');
const name = process.argv[2] ?? 'ingest-webhook';
const dir = mkdtempSync(join(tmpdir(), 'aftersale-profile-'));

interface ProfileNode {
  id: number;
  callFrame: { url: string; lineNumber: number; columnNumber: number; functionName: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

try {
  const build = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'build-bundles.ts'), dir],
    {
      cwd: root,
      env: { ...process.env, BENCH_FUNCTIONS: name },
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(build.stderr);
  const [bundle] = JSON.parse(readFileSync(join(dir, 'bundles.json'), 'utf8')) as BuiltBundle[];
  if (!bundle) throw new Error(`no function ${name}`);
  const mapFile = join(dir, 'cdk.out', 'sourcemaps', 'Bench', name, 'index.mjs.map');
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const profDir = join(dir, 'prof');
  const run = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '100',
      '--cpu-prof-dir',
      profDir,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
    ],
    { env: lambdaEnv(), encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  const profile = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]!), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const bundleUrl = pathToFileURL(bundle.file).href;
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const frame = byId.get(id)?.callFrame;
    let key = '(node itself: loader, compiler, gc)';
    if (frame?.url === bundleUrl) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
      const source = entry.originalSource ?? '';
      key = !source
        ? '(bundle, unmapped: esbuild helpers)'
        : (packageOf(source) ?? `${/(?:^|\/)(functions|schemas|infra)\//.exec(source)?.[1] ?? source}/`);
    } else if (frame?.functionName === '(garbage collector)') key = '(garbage collector)';
    else if (frame?.functionName === '(program)' || frame?.functionName === '(idle)') key = '(program, idle)';
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const rows = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, us]) => [k, `${(us / 1000).toFixed(1)} ms`, `${((100 * us) / total).toFixed(0)} %`]);
  printTable(
    `Cold init of ${name} (${kb(readFileSync(bundle.file).length)}), self time by package, one import under --cpu-prof`,
    ['package', 'self', 'share'],
    rows,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
