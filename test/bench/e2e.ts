import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../../functions/lib/logger.ts';
import { ensureTable } from '../../infra/local/bootstrap.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { LOCAL_REGION, LOCAL_TABLE } from '../../infra/local/state.ts';
import { queueDepth } from '../support/queue-depth.ts';
import { AFTERSHIP_SECRET, orderLifecycle, SHOPIFY_SECRET, type Webhook } from './lifecycle.ts';
import { Meter, type RecordedWrite } from './meter.ts';
import { ms, percentile, printTable, ratio, verdict } from './table.ts';

export const E2E_TARGET = 0.7;
const SHOP = 'bench-e2e';
const RETURN_EVERY = 10;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface E2EResult {
  orders: number;
  webhooks: number;
  inFlight: number;
  seconds: number;
  eventsPerSecond: number;
  floorPerSecond: number;
  ratio: number;
  pass: boolean;
  p50: number;
  p99: number;
  /** Webhooks never committed (each one also makes the section a GAP). */
  lost: number;
  meter: Meter;
  /** Bytes the functions wrote to stdout/stderr at the stack's LOG_LEVEL (INFO). */
  logBytes: number;
  /** HTTP requests to the API (the webhooks). */
  apiRequests: number;
}

/**
 * Section 4. `orders` synthetic orders, each its real lifecycle of Shopify and AfterShip webhooks
 * (lifecycle.ts), posted over HTTP to the whole local runtime (pollers and schedules running),
 * `inFlight` orders at a time. Within an order each webhook is posted once the one before it is
 * committed: an order's facts arrive in order and spread out, as they do over its days, and the
 * pipeline is measured at a steady `inFlight` webhooks in progress instead of a backlog growing.
 *
 * Latency: from just before the POST to the moment DynamoDB answered the worker's UpdateItem that
 * marks the webhook's inbox item processed (its events' transactions are committed before it). The
 * inbox item's own `updatedAt` is not used: the worker stamps it with the time it started.
 * Throughput: webhooks / (first POST to the last webhook committed).
 *
 * Floor: the run's own successful write requests (every PutItem, UpdateItem, TransactWriteItems...,
 * recorded with their items), replayed in the same order through the raw SDK against a fresh table
 * of the same schema on the same DynamoDB Local, `inFlight` at a time: what DynamoDB Local itself
 * sustains for the same writes on this machine, as webhooks per second. Reads and SQS are not in
 * the floor; they are part of what the product adds.
 */
export async function benchE2E(
  dataDir: string,
  orders: number,
  inFlight: number,
  rounds: number,
): Promise<E2EResult> {
  // An https public URL, as behind a tunnel: with the runtime's own http://127.0.0.1 every review
  // invitation fails (the outbox channel refuses one-click unsubscribe without https).
  const runtime = await startLocalRuntime({
    dataDir,
    inMemory: true,
    port: 0,
    retryDelaySeconds: 1,
    publicUrl: 'https://bench.aftersale.example',
  });
  const meter = new Meter();
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: LOCAL_REGION, credentials });
  const sqs = new SQSClient({ endpoint: runtime.sqsEndpoint, region: LOCAL_REGION, credentials });
  meter.ignore(dynamo);
  meter.ignore(sqs);
  try {
    const now = new Date().toISOString();
    await runtime.deps.shops.put({ shopId: SHOP }, now);
    await runtime.deps.shops.setConnector(SHOP, 'shopify', { secret: SHOPIFY_SECRET, settings: {} }, now);
    await runtime.deps.shops.setConnector(SHOP, 'aftership', { secret: AFTERSHIP_SECRET, settings: {} }, now);
    const run = String(Date.now() % 1_000_000).padStart(6, '0');
    // Warm: first imports of every handler and connections, one order with a return, not measured.
    const warmMeter = new Meter();
    warmMeter.watchQueues(runtime.queueUrls);
    warmMeter.ignore(sqs);
    warmMeter.start();
    try {
      const warm = await postOrders(runtime, warmMeter, `${run.slice(0, 5)}9`, 1, 1, 1);
      if (warm.failures.size) throw new Error(`the warm-up order failed: ${[...warm.failures].join(', ')}`);
      await drain(sqs, runtime);
    } finally {
      warmMeter.stop();
    }

    meter.watchQueues(runtime.queueUrls);
    meter.start();
    // The logger was built when its module loaded, possibly before the bench set LOG_LEVEL: after
    // the rounds it goes back to what the bench asked for (the timers' sweep keeps logging at INFO).
    const level = (process.env.LOG_LEVEL ?? logger.getLevelName()) as Parameters<
      typeof logger.setLogLevel
    >[0];
    logger.setLogLevel('INFO');
    let logBytes = 0;
    const writes = [process.stdout.write, process.stderr.write] as const;
    const swallow = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
    // Rounds alternate the product and the floor, so both see the same machine (load here moves).
    const sizes = Array.from(
      { length: rounds },
      (_, r) => Math.floor(((r + 1) * orders) / rounds) - Math.floor((r * orders) / rounds),
    );
    const result: Posted = {
      webhooks: 0,
      failures: new Map(),
      retried: new Map(),
      seconds: 0,
      latencies: [],
      byLabel: new Map(),
    };
    const floor = { seconds: 0, failed: 0, writes: 0, callMs: 0 };
    const floorTable = await createFloorTable(runtime, meter);
    const usage = { product: new Usage(), floor: new Usage() };
    let first = 0;
    // The functions' log lines are counted, not printed, while the rounds and replays run (the
    // per-minute sweep fires timers whenever it is due).
    process.stdout.write = swallow as typeof process.stdout.write;
    process.stderr.write = swallow as typeof process.stderr.write;
    try {
      for (const size of sizes) {
        meter.recording = true;
        const cpu = process.cpuUsage();
        const loop = performance.eventLoopUtilization();
        const posted = await postOrders(runtime, meter, run, size, inFlight, RETURN_EVERY, first);
        await drain(sqs, runtime);
        usage.product.add(process.cpuUsage(cpu), performance.eventLoopUtilization(loop));
        result.webhooks += posted.webhooks;
        for (const [k, n] of posted.failures) result.failures.set(k, (result.failures.get(k) ?? 0) + n);
        for (const [k, n] of posted.retried) result.retried.set(k, (result.retried.get(k) ?? 0) + n);
        result.seconds += posted.seconds;
        result.latencies.push(...posted.latencies);
        for (const [label, v] of posted.byLabel)
          result.byLabel.set(label, [...(result.byLabel.get(label) ?? []), ...v]);
        meter.recording = false;
        first += size;
        const floorCpu = process.cpuUsage();
        const floorLoop = performance.eventLoopUtilization();
        const replayed = await replayWrites(runtime, meter, floorTable, meter.writes, inFlight);
        usage.floor.add(process.cpuUsage(floorCpu), performance.eventLoopUtilization(floorLoop));
        floor.seconds += replayed.seconds;
        floor.failed += replayed.failed;
        floor.callMs += replayed.callMs;
        floor.writes += meter.writes.length;
        meter.writes.length = 0; // bodies of every webhook: not kept past their round
      }
    } finally {
      process.stdout.write = writes[0];
      process.stderr.write = writes[1];
    }
    logger.setLogLevel(level);
    meter.stop();
    // Not thrown: a webhook lost is a finding of the run, printed with the tables (and a GAP).
    const lost = [...result.failures.values()].reduce((n, v) => n + v, 0);
    const describe = (m: Map<string, number>) => [...m].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';

    const states = await finalStates(dynamo, run);
    const deadLetters = await countMessages(sqs, Object.values(runtime.dlqUrls));
    const seconds = result.seconds;
    const eventsPerSecond = result.webhooks / seconds;
    const floorPerSecond = result.webhooks / floor.seconds;
    const r = eventsPerSecond / floorPerSecond;
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);

    console.log(
      `\n${orders} orders (every ${RETURN_EVERY}th with a return), ${result.webhooks} webhooks, ${inFlight} orders in flight; ` +
        `final states: ${states}; ${deadLetters} message(s) in the DLQs; functions' log lines: ${logBytes} bytes; ` +
        `webhooks not committed: ${describe(result.failures)}; posts sent again: ${describe(result.retried)}`,
    );
    console.log(
      `floor: ${floor.writes} write requests replayed in ${floor.seconds.toFixed(1)} s, ${inFlight} at a time, ` +
        `in ${rounds} rounds alternating with the product's` +
        (floor.failed
          ? ` (${floor.failed} refused by a condition: replayed out of their original interleaving)`
          : ''),
    );
    const byLabel = new Map<string, number[]>();
    for (const [label, ms] of result.byLabel)
      byLabel.set(
        label,
        ms.sort((a, b) => a - b),
      );
    printTable(
      'Received to committed, by webhook',
      ['webhook', 'n', 'p50', 'p99'],
      [...byLabel].map(([label, v]) => [
        label,
        String(v.length),
        ms(percentile(v, 50)),
        ms(percentile(v, 99)),
      ]),
    );
    printTable(
      'End to end: webhooks over HTTP to the whole local runtime, received to committed, vs DynamoDB Local doing the same writes (raw SDK)',
      [
        'orders',
        'webhooks',
        'in flight',
        'seconds',
        'events/s',
        'p50',
        'p99',
        'floor events/s',
        'ratio',
        'target',
        '',
      ],
      [
        [
          String(orders),
          String(result.webhooks),
          String(inFlight),
          seconds.toFixed(1),
          eventsPerSecond.toFixed(1),
          ms(p50),
          ms(p99),
          floorPerSecond.toFixed(1),
          ratio(r),
          `≥ ${E2E_TARGET}`,
          verdict(r >= E2E_TARGET && lost === 0),
        ],
      ],
    );
    // Where a webhook's time goes: the AWS calls the product waited on, against the floor's writes.
    const w = result.webhooks;
    const rows: string[][] = [];
    const add = (what: string, calls: number, total: number) =>
      rows.push([what, (calls / w).toFixed(2), ms(calls ? total / calls : 0), ms(total / w)]);
    const dyn = [...meter.dynamo];
    const sum = (list: Array<[string, { requests: number; ms: number }]>) =>
      list.reduce((n, [, c]) => [n[0]! + c.requests, n[1]! + c.ms], [0, 0]);
    const [wc, wm] = sum(dyn.filter(([n]) => !n.includes(' read')));
    const [rc, rm] = sum(dyn.filter(([n]) => n.includes(' read')));
    const [sc, sm] = sum([...meter.sqs]);
    add('DynamoDB writes', wc!, wm!);
    add('DynamoDB reads', rc!, rm!);
    add('SQS (receives with messages, sends, deletes)', sc!, sm!);
    add('floor: the same writes replayed', floor.writes, floor.callMs);
    for (const [label, u] of [
      ['product (handlers, local gateway, pollers, fauxqs, this bench)', usage.product],
      ['floor (the replay)', usage.floor],
    ] as const) {
      rows.push([
        `this process, ${label}: CPU per webhook, event loop busy`,
        '',
        `${u.busy()} %`,
        ms(u.cpuMs / w),
      ]);
    }
    printTable(
      'AWS calls per webhook (the product waited on each; calls overlap, so time is not additive to latency)',
      ['calls', 'per webhook', 'mean', 'per webhook'],
      rows,
    );
    return {
      orders,
      webhooks: result.webhooks,
      inFlight,
      seconds,
      eventsPerSecond,
      floorPerSecond,
      ratio: r,
      pass: r >= E2E_TARGET && lost === 0,
      lost,
      p50,
      p99,
      meter,
      logBytes,
      apiRequests: result.webhooks,
    };
  } finally {
    meter.stop();
    dynamo.destroy();
    sqs.destroy();
    await runtime.stop();
  }
}

/** CPU time and event-loop busyness of this process (the whole runtime but DynamoDB Local's JVM). */
class Usage {
  cpuMs = 0;
  active = 0;
  idle = 0;
  add(cpu: NodeJS.CpuUsage, loop: { active: number; idle: number }): void {
    this.cpuMs += (cpu.user + cpu.system) / 1000;
    this.active += loop.active;
    this.idle += loop.idle;
  }
  busy(): string {
    return ((100 * this.active) / (this.active + this.idle)).toFixed(0);
  }
}

interface Posted {
  webhooks: number;
  /** Webhooks never committed, by why: the last answer, `failed`, or a timeout. */
  failures: Map<string, number>;
  /** Posts sent again after an answer that was not 2xx, by that answer (0: no answer). */
  retried: Map<string, number>;
  seconds: number;
  latencies: number[];
  byLabel: Map<string, number[]>;
}

/** `orders` lifecycles, `inFlight` orders at a time, each webhook after the one before it committed. */
async function postOrders(
  runtime: LocalRuntime,
  meter: Meter,
  run: string,
  orders: number,
  inFlight: number,
  returnEvery: number,
  offset = 0,
): Promise<Posted> {
  const url = (w: Webhook) => `${runtime.url}/webhooks/${w.provider}/${SHOP}`;
  const latencies: number[] = [];
  const byLabel = new Map<string, number[]>();
  let next = 0;
  let webhooks = 0;
  let lastStatus = 0;
  const failures = new Map<string, number>();
  const retried = new Map<string, number>();
  let last = 0;
  const first = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, orders) }, async () => {
      while (next < orders) {
        const i = offset + next++;
        for (const w of orderLifecycle(run, i, (i + 1) % returnEvery === 0)) {
          const sent = performance.now();
          webhooks++;
          // A provider sends again what was not answered 2xx (Shopify: up to 8 times over 4 hours).
          let inboxId: string | undefined;
          for (let attempt = 0; attempt < 4 && !inboxId; attempt++) {
            if (attempt) {
              retried.set(`${lastStatus}`, (retried.get(`${lastStatus}`) ?? 0) + 1);
              await new Promise((r) => setTimeout(r, 1000));
            }
            const t = performance.now();
            const res = await fetch(url(w), { method: 'POST', body: w.body, headers: w.headers }).catch(
              () => undefined,
            );
            const answer = (await res?.json().catch(() => ({}))) as { inboxId?: string } | undefined;
            meter.invoked('ingest-webhook', performance.now() - t);
            lastStatus = res?.status ?? 0;
            // 202 accepted; 200 a duplicate of an earlier attempt that was stored after all.
            if (res && (res.status === 202 || res.status === 200)) inboxId = answer?.inboxId;
          }
          if (!inboxId) {
            failures.set(`answered ${lastStatus}`, (failures.get(`answered ${lastStatus}`) ?? 0) + 1);
            continue;
          }
          const at = await Promise.race([
            meter.committed(inboxId),
            new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000).unref()),
          ]);
          const status = at === undefined ? 'not committed within 60 s' : meter.commitStatus(inboxId);
          if (at === undefined || status === 'failed') {
            failures.set(String(status), (failures.get(String(status)) ?? 0) + 1);
            continue;
          }
          last = Math.max(last, at);
          latencies.push(at - sent);
          const list = byLabel.get(w.label) ?? [];
          byLabel.set(w.label, list);
          list.push(at - sent);
        }
      }
    }),
  );
  return { webhooks, failures, retried, seconds: (last - first) / 1000, latencies, byLabel };
}

/** Waits until no queue holds a message (visible, in flight or delayed), twice in a row. */
async function drain(sqs: SQSClient, runtime: LocalRuntime, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error('the queues did not drain');
    let waiting = 0;
    for (const url of Object.values(runtime.queueUrls)) {
      const d = await queueDepth(sqs, url);
      waiting += d.visible + d.inFlight + d.delayed;
    }
    quiet = waiting ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function countMessages(sqs: SQSClient, urls: string[]): Promise<number> {
  let n = 0;
  for (const url of urls) n += (await queueDepth(sqs, url)).visible;
  return n;
}

/** The measured orders' and parcels' final statuses, counted (a check that the lifecycles ran). */
async function finalStates(dynamo: DynamoDBClient, run: string): Promise<string> {
  const counts = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: LOCAL_TABLE, ...(start && { ExclusiveStartKey: start as never }) }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      if (!['order', 'shipment', 'case'].includes(item.kind) || !String(item.id).includes(run)) continue;
      const key = `${item.kind} ${item.data?.status ?? '?'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return [...counts]
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

async function createFloorTable(runtime: LocalRuntime, meter: Meter): Promise<string> {
  const table = `${LOCAL_TABLE}-floor`;
  const raw = meter.ignore(
    new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: LOCAL_REGION, credentials }),
  );
  try {
    await ensureTable(raw, table);
  } finally {
    raw.destroy();
  }
  return table;
}

/** Write requests, in their order, `inFlight` at a time, on the floor's table (same schema). */
async function replayWrites(
  runtime: LocalRuntime,
  meter: Meter,
  table: string,
  writes: RecordedWrite[],
  inFlight: number,
): Promise<{ seconds: number; failed: number; callMs: number }> {
  // The floor's own clients: the meter leaves them out.
  const raw = meter.ignore(
    new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: LOCAL_REGION, credentials }),
  );
  const doc = meter.ignore(
    DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
  );
  try {
    const commands = writes.map((w) => ({ w, command: new w.command(retable(w.input, table)) }));
    let next = 0;
    let failed = 0;
    let callMs = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < commands.length) {
          const { w, command } = commands[next++]!;
          const t = performance.now();
          // biome-ignore lint/suspicious/noExplicitAny: the recorded command's own client kind.
          await ((w.document ? doc : raw) as any).send(command).catch(() => failed++);
          callMs += performance.now() - t;
        }
      }),
    );
    return { seconds: (performance.now() - t) / 1000, failed, callMs };
  } finally {
    raw.destroy();
  }
}

/** A write request's input aimed at another table. */
function retable(input: Record<string, unknown>, table: string): Record<string, unknown> {
  const out = { ...input };
  if (out.TableName) out.TableName = table;
  if (Array.isArray(out.TransactItems)) {
    out.TransactItems = out.TransactItems.map((op: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(op).map(([k, v]) => [k, { ...v, TableName: table }])),
    );
  }
  if (out.RequestItems) out.RequestItems = { [table]: Object.values(out.RequestItems)[0] };
  return out;
}
