import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { benchBundles } from './bundles.ts';
import { benchColdInit } from './cold-init.ts';
import { benchCost } from './cost.ts';
import { benchE2E, type E2EResult } from './e2e.ts';
import { benchIngest, INGEST_TARGET } from './ingest.ts';
import { benchIngestHandler } from './ingest-handler.ts';
import { startIngestOnly } from './ingest-stack.ts';
import { lambdaEnv } from './lambda-env.ts';
import { printTable, verdict } from './table.ts';

/*
 * `npm run bench`: what the product promises about size and speed, each number beside a floor
 * measured in the same run (these machines are shared and noisy; absolute times drift run to run,
 * ratios much less). Sections:
 *   1. bundles: every function's bundle as the stack builds it, against a floor of its SDK clients;
 *   2. cold init: import() of each bundle in fresh node processes, against its floor's;
 *   3. ingest latency: signed webhooks to the ingest handler in process (judged) and over the local
 *      gateway's HTTP (information), against raw-SDK floors, 1 and 16 in flight;
 *   4. end to end (e2e): order lifecycles of real webhooks through the whole local runtime, received to
 *      committed, against DynamoDB Local replaying the same writes;
 *   5. cost: what that run used (DynamoDB units, SQS, Lambda GB-s, API, logs), priced per 1,000 orders.
 * BENCH_QUICK=1: few rounds, small N. BENCH_SECTIONS=bundles,cold,ingest,e2e,cost picks sections
 * (cost runs the e2e run it prices); BENCH_COLD_ROUNDS, BENCH_N, BENCH_ROUNDS, BENCH_E2E_ORDERS,
 * BENCH_E2E_IN_FLIGHT, BENCH_E2E_ROUNDS override the sizes. Exits 1 only when something fails
 * to run; a target missed is a GAP in the table, not a failure.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'bundles,cold,ingest,e2e,cost').split(','));
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? (QUICK ? 3 : 20));
const N = Number(process.env.BENCH_N ?? (QUICK ? 48 : 400));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 8));
const E2E_ORDERS = Number(process.env.BENCH_E2E_ORDERS ?? (QUICK ? 50 : 1000));
const E2E_IN_FLIGHT = Number(process.env.BENCH_E2E_IN_FLIGHT ?? 16);
const E2E_ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? (QUICK ? 2 : 4));

async function main() {
  process.env.LOG_LEVEL = 'ERROR';
  const started = new Date();
  console.log(
    `aftersale bench${QUICK ? ' (quick)' : ''}: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${started.toISOString()}`,
  );
  const outDir = mkdtempSync(join(tmpdir(), 'aftersale-bench-'));
  const summary: string[][] = [];
  try {
    if (SECTIONS.has('bundles') || SECTIONS.has('cold')) {
      const { built, results } = benchBundles(outDir);
      for (const r of results)
        summary.push([`bundle overhead ${r.name}`, `${(r.overhead / 1024).toFixed(0)} KB`, verdict(r.pass)]);
      if (SECTIONS.has('cold')) {
        for (const r of await benchColdInit(built, COLD_ROUNDS, lambdaEnv()))
          summary.push([
            `cold init ${r.name}`,
            `${r.ratio.toFixed(3)} (import ${r.importRatio.toFixed(2)})`,
            verdict(r.pass),
          ]);
      }
    }
    if (SECTIONS.has('ingest')) {
      const dataDir = join(outDir, 'runtime');
      mkdirSync(dataDir);
      const alone = await startIngestOnly(dataDir);
      try {
        // Judged here: the API Gateway event to the handler in process, as Lambda bills it.
        for (const r of await benchIngestHandler(alone, N, ROUNDS)) {
          summary.push([
            `ingest p50, ${r.inFlight} in flight`,
            r.p50.toFixed(3),
            verdict(r.p50 <= INGEST_TARGET),
          ]);
          summary.push([
            `ingest p99, ${r.inFlight} in flight`,
            r.p99.toFixed(3),
            verdict(r.p99 <= INGEST_TARGET),
          ]);
        }
        // For information: the same over HTTP through the local gateway (infra/local/http.ts),
        // which on AWS is API Gateway's work, not the function's.
        for (const r of await benchIngest(alone, 'ingest path alone over local HTTP (no pollers)', N, ROUNDS))
          summary.push([
            `ingest over local HTTP p50 / p99, ${r.inFlight} in flight`,
            `${r.p50.toFixed(3)} / ${r.p99.toFixed(3)}`,
            'info',
          ]);
      } finally {
        await alone.stop();
      }
      // Today's setup, for information: the whole runtime, its workers processing behind the webhooks.
      const t = performance.now();
      const runtime = await startLocalRuntime({ dataDir, inMemory: true, port: 0 });
      console.log(`\nlocal runtime ready in ${(performance.now() - t).toFixed(0)} ms`);
      try {
        await benchIngest(runtime, 'whole local runtime (pipeline running behind)', N, ROUNDS);
        const memory = process.memoryUsage();
        console.log(
          `memory (this process): rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
        );
      } finally {
        await runtime.stop();
      }
    }
    if (SECTIONS.has('e2e') || SECTIONS.has('cost')) {
      const dataDir = join(outDir, 'e2e');
      mkdirSync(dataDir);
      const e2e: E2EResult = await benchE2E(dataDir, E2E_ORDERS, E2E_IN_FLIGHT, E2E_ROUNDS);
      if (SECTIONS.has('e2e')) {
        summary.push([
          `end to end, ${e2e.inFlight} orders in flight: events/s over the floor's`,
          `${e2e.eventsPerSecond.toFixed(1)} / ${e2e.floorPerSecond.toFixed(1)} = ${e2e.ratio.toFixed(2)}${e2e.lost ? `, ${e2e.lost} webhooks lost` : ''}`,
          verdict(e2e.pass),
        ]);
      }
      if (SECTIONS.has('cost')) {
        const cost = benchCost(e2e);
        summary.push(['cost per 1,000 orders', `$${cost.perThousand.toFixed(4)}`, verdict(cost.pass)]);
        summary.push([
          'write units per order / one write per state change',
          `${cost.writeUnitsPerOrder.toFixed(1)} / ${cost.minimumPerOrder.toFixed(1)} = ${cost.writeRatio.toFixed(2)}`,
          verdict(cost.writePass),
        ]);
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  printTable('Summary', ['target', 'measured', ''], summary);
  const gaps = summary.filter((r) => r[2] === 'GAP').length;
  console.log(
    `\n${summary.length - gaps} PASS, ${gaps} GAP (took ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
