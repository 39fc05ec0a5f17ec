import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { BuiltBundle } from './build-bundles.ts';
import { median, ms, printTable, ratio, verdict } from './table.ts';

export const COLD_INIT_TARGET = 1.15;

/* Each sample is a fresh `node`, timed two ways: the whole process from spawn to exit (what Lambda's
 * Init Duration covers: the runtime starting, then the module's top level), which the target is
 * judged on; and inside the child, from before `import()` of the bundle to its top level having run
 * (clients constructed, config read), without Node's own start diluting the ratio. */
const PROBE = `const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));`;

interface Sample {
  process: number;
  import: number;
}

function importOnce(file: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const value = Number(out);
      if (code !== 0 || !Number.isFinite(value))
        reject(new Error(`importing ${file} failed (${code}): ${err.slice(-600)}`));
      else resolve({ process: performance.now() - t, import: value });
    });
  });
}

export interface ColdInitResult {
  name: string;
  ratio: number;
  importRatio: number;
  pass: boolean;
}

/** `rounds` imports of each bundle and of its floor, alternating one with the other. */
export async function benchColdInit(
  built: BuiltBundle[],
  rounds: number,
  env: NodeJS.ProcessEnv,
): Promise<ColdInitResult[]> {
  const samples = new Map(built.map((b) => [b.name, { real: [] as Sample[], floor: [] as Sample[] }]));
  for (let r = 0; r < rounds; r++) {
    for (const b of built) {
      const s = samples.get(b.name)!;
      // Alternate which goes first so that neither always runs on a warmer page cache.
      if (r % 2 === 0) {
        s.real.push(await importOnce(b.file, env));
        s.floor.push(await importOnce(b.floorFile, env));
      } else {
        s.floor.push(await importOnce(b.floorFile, env));
        s.real.push(await importOnce(b.file, env));
      }
    }
  }
  const results: ColdInitResult[] = [];
  const rows = built.map((b) => {
    const s = samples.get(b.name)!;
    const real = median(s.real.map((x) => x.process));
    const floor = median(s.floor.map((x) => x.process));
    const realImport = median(s.real.map((x) => x.import));
    const floorImport = median(s.floor.map((x) => x.import));
    const value = real / floor;
    const importRatio = realImport / floorImport;
    results.push({ name: b.name, ratio: value, importRatio, pass: value <= COLD_INIT_TARGET });
    return [
      b.name,
      ms(real),
      ms(floor),
      ratio(value),
      ms(realImport),
      ms(floorImport),
      ratio(importRatio),
      `≤ ${COLD_INIT_TARGET}`,
      verdict(value <= COLD_INIT_TARGET),
    ];
  });
  printTable(
    `Cold init: a fresh node importing the bundle, median of ${rounds}, interleaved with the floor (target on the process ratio)`,
    ['function', 'process', 'floor', 'ratio', 'import()', 'floor', 'ratio', 'target', ''],
    rows,
  );
  return results;
}
