import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signers } from '../../infra/local/signers.ts';
import { LOCAL_REGION, LOCAL_TABLE } from '../../infra/local/state.ts';
import type { IngestTarget } from './ingest-stack.ts';
import { ms, percentile, printTable, ratio, verdict } from './table.ts';

export const INGEST_TARGET = 1.1;
const SECRET = 'bench-secret';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The floor of an ingest: only the unavoidable work, with the raw SDK on the same DynamoDB Local
 * and fauxqs, behind a plain node:http server in this process: read the body, verify its HMAC
 * (the generic provider's header), one conditional PutItem of the body, one SendMessage (to a queue
 * of its own, so that no worker picks it up), 202.
 */
async function startFloor(runtime: IngestTarget) {
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: LOCAL_REGION, credentials });
  const sqs = new SQSClient({ endpoint: runtime.sqsEndpoint, region: LOCAL_REGION, credentials });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-floor' }));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-aftersale-signature'] ?? ''));
    const wanted = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      res.writeHead(401).end();
      return;
    }
    const eventId = String(req.headers['x-aftersale-event-id']);
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: LOCAL_TABLE,
          Item: { pk: { S: `BENCHFLOOR#${eventId}` }, sk: { S: 'INBOX' }, body: { B: body } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ eventId }) }));
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    } catch (err) {
      res.writeHead(err instanceof ConditionalCheckFailedException ? 200 : 500).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: async () => {
      server.close();
      dynamo.destroy();
      sqs.destroy();
    },
  };
}

/** A generic provider's order body, distinct per `i`. */
export function orderBody(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 'OrderPlaced',
      orderId: `B-${i}`,
      occurredAt: '2026-11-20T08:00:00Z',
      order: {
        number: `#${10_000 + i}`,
        currency: 'CNY',
        customer: { email: `buyer${i}@example.com`, phone: `1380013${String(i % 10_000).padStart(4, '0')}` },
        lines: [{ lineId: '1', title: '西湖龙井 500g', quantity: 1, unitPrice: 12800, total: 12800 }],
        totals: { total: 12800 },
      },
    }),
  );
}

/**
 * Counts every AWS SDK call this process makes, by command, while `measure` runs: every client
 * (the handlers' DynamoDB, document and SQS clients, the floor's) sends through the one smithy
 * `Client.prototype.send` they inherit.
 */
async function countSdkCalls(measure: () => Promise<unknown>): Promise<Map<string, number>> {
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (...args: unknown[]) => unknown };
  const original = base.send;
  const counts = new Map<string, number>();
  base.send = function (this: unknown, ...args: unknown[]) {
    const name = (args[0] as object).constructor.name;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return original.apply(this, args);
  };
  try {
    await measure();
  } finally {
    base.send = original;
  }
  return counts;
}

let sequence = 0;

/**
 * `count` requests with `inFlight` at once: `prepare` builds each one (signing it, outside the
 * time), the call it returns is timed into `into` (ms); answers how many did not answer
 * `expected` (202: accepted).
 */
export async function timed(
  count: number,
  inFlight: number,
  into: number[],
  prepare: () => () => Promise<number>,
  expected = 202,
): Promise<number> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next++;
        const call = prepare();
        const t = performance.now();
        const status = await call();
        into.push(performance.now() - t);
        if (status !== expected) failures++;
      }
    }),
  );
  return failures;
}

/** Sends `count` signed webhooks to `url` with `inFlight` at once; latencies in ms, failures counted. */
function send(url: string, count: number, inFlight: number, into: number[]): Promise<number> {
  return timed(count, inFlight, into, () => {
    const i = sequence++;
    const { body, headers } = signers.generic!(orderBody(i), { secret: SECRET, eventId: `bench-${i}` });
    return async () => {
      const res = await fetch(url, { method: 'POST', body, headers });
      await res.arrayBuffer();
      return res.status;
    };
  });
}

/** The ingest path and its floor, `n` webhooks each one at a time, each side wrapped by `around`. */
export async function benchIngestProfiled(
  runtime: IngestTarget,
  n: number,
  around: (side: 'ingest-webhook' | 'floor', run: () => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const now = new Date().toISOString();
  await runtime.deps.shops.put({ shopId: 'bench-shop' }, now);
  await runtime.deps.shops.setConnector('bench-shop', 'generic', { secret: SECRET, settings: {} }, now);
  const floor = await startFloor(runtime);
  try {
    const realUrl = `${runtime.url}/webhooks/generic/bench-shop`;
    const floorUrl = `${floor.url}/webhooks/generic/bench-shop`;
    await send(realUrl, 20, 1, []);
    await send(floorUrl, 20, 1, []);
    await around('ingest-webhook', () => send(realUrl, n, 1, []));
    await around('floor', () => send(floorUrl, n, 1, []));
  } finally {
    await floor.stop();
  }
}

export interface IngestResult {
  inFlight: number;
  p50: number;
  p99: number;
  pass: boolean;
}

/** Sends `count` requests with `inFlight` at once, pushing each latency (ms) into `into`; answers the failures. */
export type Side = (count: number, inFlight: number, into: number[]) => Promise<number>;

/**
 * The real side against its floor, `n` requests each at 1 and 16 in flight, in `rounds`
 * alternating blocks (real, floor, floor, real, ...) so that both see the same machine: the
 * ratios of their p50 and p99, and the table rows.
 */
export async function compareSides(
  real: Side,
  floor: Side,
  n: number,
  rounds: number,
): Promise<{ results: IngestResult[]; rows: string[][]; failures: number }> {
  const results: IngestResult[] = [];
  const rows: string[][] = [];
  let failures = 0;
  for (const inFlight of [1, 16]) {
    const mine: number[] = [];
    const base: number[] = [];
    const block = Math.max(inFlight, Math.ceil(n / rounds));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ([mine, base] as const) : ([base, mine] as const);
      for (const into of order) failures += await (into === mine ? real : floor)(block, inFlight, into);
    }
    mine.sort((a, b) => a - b);
    base.sort((a, b) => a - b);
    const r50 = percentile(mine, 50) / percentile(base, 50);
    const r99 = percentile(mine, 99) / percentile(base, 99);
    const pass = r50 <= INGEST_TARGET && r99 <= INGEST_TARGET;
    results.push({ inFlight, p50: r50, p99: r99, pass });
    rows.push([
      String(inFlight),
      String(mine.length),
      ms(percentile(mine, 50)),
      ms(percentile(base, 50)),
      ratio(r50),
      ms(percentile(mine, 99)),
      ms(percentile(base, 99)),
      ratio(r99),
      `≤ ${INGEST_TARGET}`,
      verdict(pass),
    ]);
  }
  return { results, rows, failures };
}

/**
 * Today's measurement (signed generic webhooks over HTTP to the local runtime) beside the floor,
 * at 1 and 16 in flight: `n` requests each, in `rounds` alternating blocks (real, floor, floor,
 * real, ...) so that both see the same machine, including the pipeline working behind the real ones.
 */
export async function benchIngest(
  runtime: IngestTarget,
  setup: string,
  n: number,
  rounds: number,
): Promise<IngestResult[]> {
  const now = new Date().toISOString();
  await runtime.deps.shops.put({ shopId: 'bench-shop' }, now);
  await runtime.deps.shops.setConnector('bench-shop', 'generic', { secret: SECRET, settings: {} }, now);
  const floor = await startFloor(runtime);
  const realUrl = `${runtime.url}/webhooks/generic/bench-shop`;
  const floorUrl = `${floor.url}/webhooks/generic/bench-shop`;
  const results: IngestResult[] = [];
  const rows: string[][] = [];
  let failures = 0;
  try {
    // Warm both (first imports, connections) before anything is measured.
    failures += await send(realUrl, 20, 4, []);
    failures += await send(floorUrl, 20, 4, []);
    // What one webhook costs in AWS calls, each side (20 sent one at a time, averaged).
    for (const [label, url] of [
      ['ingest-webhook', realUrl],
      ['floor', floorUrl],
    ] as const) {
      const calls = await countSdkCalls(() => send(url, 20, 1, []));
      console.log(
        `AWS SDK calls per webhook, ${label}: ${[...calls].map(([c, n]) => `${c} ${(n / 20).toFixed(2)}`).join(', ')}`,
      );
    }
    const compared = await compareSides(
      (count, inFlight, into) => send(realUrl, count, inFlight, into),
      (count, inFlight, into) => send(floorUrl, count, inFlight, into),
      n,
      rounds,
    );
    results.push(...compared.results);
    rows.push(...compared.rows);
    failures += compared.failures;
  } finally {
    await floor.stop();
  }
  printTable(
    `Ingest latency, ${setup}: signed webhook over HTTP to ingest-webhook vs the floor (HMAC + conditional PutItem + SendMessage, raw SDK)`,
    ['in flight', 'n', 'p50', 'floor p50', 'ratio', 'p99', 'floor p99', 'ratio', 'target', ''],
    rows,
  );
  if (failures) throw new Error(`${failures} webhooks were not answered 202`);
  return results;
}
