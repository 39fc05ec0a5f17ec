import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';

/*
 * `npm run bench`: the ingest path and the pipeline behind it, on the local stack (DynamoDB Local +
 * fauxqs, in this process). Sends N signed generic webhooks (distinct orders) with C in flight and
 * reports the ingest latency percentiles the sender sees, the time until every one is processed,
 * and the process memory. BENCH_N and BENCH_C override the defaults. Local numbers are an upper
 * bound for Lambda's work per request, not a prediction of AWS latency.
 */
const N = Number(process.env.BENCH_N ?? 500);
const C = Number(process.env.BENCH_C ?? 16);
const SECRET = 'bench-secret';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  process.env.LOG_LEVEL = 'ERROR';
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-bench-'));
  const startedAt = performance.now();
  const runtime = await startLocalRuntime({ dataDir, inMemory: true, port: 0 });
  const readyMs = performance.now() - startedAt;
  const now = new Date().toISOString();
  await runtime.deps.shops.put({ shopId: 'bench-shop' }, now);
  await runtime.deps.shops.setConnector('bench-shop', 'generic', { secret: SECRET, settings: {} }, now);

  const bodies = Array.from({ length: N }, (_, i) =>
    Buffer.from(
      JSON.stringify({
        type: 'OrderPlaced',
        orderId: `B-${i}`,
        occurredAt: '2026-11-20T08:00:00Z',
        order: {
          number: `#${10_000 + i}`,
          currency: 'CNY',
          customer: { email: `buyer${i}@example.com`, phone: `1380013${String(i).padStart(4, '0')}` },
          lines: [{ lineId: '1', title: '西湖龙井 500g', quantity: 1, unitPrice: 12800, total: 12800 }],
          totals: { total: 12800 },
        },
      }),
    ),
  );

  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const sendStart = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const { body, headers } = signers.generic!(bodies[i]!, { secret: SECRET, eventId: `bench-${i}` });
        const t = performance.now();
        const res = await fetch(`${runtime.url}/webhooks/generic/bench-shop`, {
          method: 'POST',
          body,
          headers,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 202) failures++;
      }
    }),
  );
  const sendMs = performance.now() - sendStart;

  // Until the inbox holds no `received` items: every webhook is an order in DynamoDB.
  let processedMs = Number.NaN;
  for (let waited = 0; waited < 120_000; waited += 100) {
    const pending = await runtime.deps.inbox.list('bench-shop', 'received', { limit: 1 });
    if (pending.items.length === 0) {
      processedMs = performance.now() - sendStart;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const memory = process.memoryUsage();
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`aftersale bench: ${N} signed webhooks, ${C} in flight, local stack (DynamoDB Local + fauxqs)`);
  console.log(`  runtime ready          ${ms(readyMs)}`);
  console.log(
    `  ingest latency         p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1) ?? 0)}`,
  );
  console.log(
    `  ingest throughput      ${((N / sendMs) * 1000).toFixed(0)} webhooks/s (${failures} not 202)`,
  );
  console.log(
    `  all processed after    ${ms(processedMs)} (${((N / processedMs) * 1000).toFixed(0)} orders/s end to end)`,
  );
  console.log(
    `  memory (this process)  rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
  if (failures || Number.isNaN(processedMs)) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
