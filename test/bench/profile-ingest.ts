import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchIngestProfiled } from './ingest.ts';
import { startIngestOnly } from './ingest-stack.ts';
import { packageOf, printTable } from './table.ts';

/*
 * Where the ingest path's time goes beside its floor: `tsx test/bench/profile-ingest.ts [n]` starts
 * the ingest path alone (as the bench does), sends n webhooks one at a time to ingest-webhook and
 * then n to the floor, each under the CPU profiler of this process, and prints the self time per
 * webhook by package (first-party code by its folder; everything in this process counts: the
 * HTTP client sending, fauxqs, the local gateway). DynamoDB Local runs in its own JVM and is not in it.
 */
const n = Number(process.argv[2] ?? 300);

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
}

function keyOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (frame.url.startsWith('node:')) return '(node internals)';
  return (
    packageOf(frame.url) ??
    `${/\/(functions|schemas|infra\/local|test\/bench)\//.exec(frame.url)?.[1] ?? frame.url}/`
  );
}

async function main() {
  process.env.LOG_LEVEL = 'ERROR';
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-profile-ingest-'));
  const stack = await startIngestOnly(dataDir);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const bySide = new Map<string, Map<string, number>>();
  try {
    await benchIngestProfiled(stack, n, async (side, run) => {
      await session.post('Profiler.start');
      await run();
      const { profile } = (await session.post('Profiler.stop')) as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      };
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const key = keyOf(byId.get(id)!.callFrame);
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
      });
      bySide.set(side, self);
    });
  } finally {
    session.disconnect();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const real = bySide.get('ingest-webhook')!;
  const floor = bySide.get('floor')!;
  const perHook = (us: number) => `${(us / 1000 / n).toFixed(3)} ms`;
  const keys = [...new Set([...real.keys(), ...floor.keys()])].filter((k) => k !== '(idle)');
  const rows = keys
    .map((k) => [k, real.get(k) ?? 0, floor.get(k) ?? 0] as const)
    .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
    .slice(0, 15)
    .map(([k, r, f]) => [k, perHook(r), perHook(f), perHook(r - f)]);
  const total = (m: Map<string, number>) =>
    [...m].filter(([k]) => k !== '(idle)').reduce((a, [, v]) => a + v, 0);
  rows.push([
    'total (busy, not idle)',
    perHook(total(real)),
    perHook(total(floor)),
    perHook(total(real) - total(floor)),
  ]);
  printTable(
    `CPU in this process per webhook, one in flight, ${n} each side (self time by package)`,
    ['package', 'ingest-webhook', 'floor', 'difference'],
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
