import { type FunctionName, functionSpec } from '../../infra/topology.ts';
import type { E2EResult } from './e2e.ts';
import { printTable, verdict } from './table.ts';

export const COST_TARGET = 0.1;
export const WRITE_TARGET = 1.2;

/** AWS list prices, us-east-1, on-demand, arm64 (docs/cost.md). */
const PRICE = {
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  apiRequest: 1.0 / 1e6,
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  logGb: 0.5,
  kmsRequest: 0.03 / 1e4,
};
/** What CloudWatch receives besides the functions' own lines (docs/cost.md's model, not measured here). */
const PLATFORM_LOG_BYTES = 350; // START, END and REPORT lines per invocation
const ACCESS_LOG_BYTES = 400; // the HTTP API's access log line per request

export interface CostResult {
  perThousand: number;
  pass: boolean;
  writeUnitsPerOrder: number;
  minimumPerOrder: number;
  writeRatio: number;
  writePass: boolean;
}

const usd = (v: number) => `$${v.toFixed(4)}`;
const per = (v: number, orders: number) => (v / orders).toFixed(2);

/**
 * Section 5, from what the end-to-end run did (meter.ts): DynamoDB request units as DynamoDB Local
 * sized them (transactions doubled), SQS requests in 64 KB chunks (empty polls left out: they are
 * the event sources' fixed cost), Lambda invocations and GB-s from the measured durations (ingest:
 * the POST's round trip; consumers: receive to delete) × the topology's memory, API requests, and
 * log bytes at LOG_LEVEL INFO, priced at the list prices of docs/cost.md, per 1,000 orders.
 * Write units per order are set against one plain write of each aggregate version committed (a
 * state change: an order, parcel, customer or case Put in a committed transaction), at its size.
 */
export function benchCost(e2e: E2EResult): CostResult {
  const { meter, orders } = e2e;
  const k = 1000 / orders;

  const dynamoRows: string[][] = [];
  let wru = 0;
  let rru = 0;
  for (const [name, c] of [...meter.dynamo].sort(([a], [b]) => a.localeCompare(b))) {
    wru += c.wru;
    rru += c.rru;
    dynamoRows.push([
      name,
      per(c.requests, orders),
      per(c.failed, orders),
      per(c.items, orders),
      c.bytes ? `${(c.bytes / c.items / 1024).toFixed(1)} KB` : '',
      per(c.wru, orders),
      per(c.rru, orders),
    ]);
  }
  dynamoRows.push(['total', '', '', '', '', per(wru, orders), per(rru, orders)]);
  printTable(
    'DynamoDB per order (request units as DynamoDB Local sized them; TransactWriteItems doubled)',
    ['request and item', 'requests', 'failed', 'items', 'mean item put', 'WRU', 'RRU'],
    dynamoRows,
  );

  printTable(
    "Inside the committed transactions, per order, by item (units from each item's own size, doubled: the split, not the bill)",
    ['item', 'items', 'mean size', 'WRU'],
    [...meter.transactionItems]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, t]) => [
        kind,
        per(t.items, orders),
        `${(t.bytes / t.items / 1024).toFixed(1)} KB`,
        per(t.units, orders),
      ]),
  );

  let sqsBilled = 0;
  const sqsRows: string[][] = [];
  for (const [name, c] of [...meter.sqs].sort(([a], [b]) => a.localeCompare(b))) {
    sqsBilled += c.billed;
    sqsRows.push([name, per(c.requests, orders), per(c.billed, orders)]);
  }
  sqsRows.push(['total', '', per(sqsBilled, orders)]);
  printTable(
    `SQS per order (billed in 64 KB chunks; ${meter.emptyReceives} empty receives of the local pollers left out)`,
    ['queue and request', 'requests', 'billed'],
    sqsRows,
  );

  let invocations = 0;
  let gbSeconds = 0;
  const lambdaRows: string[][] = [];
  for (const [fn, durations] of meter.invocations) {
    const memoryGb = functionSpec(fn as FunctionName).memoryMb / 1024;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    const billedMs = durations.reduce((n, d) => n + Math.ceil(d), 0);
    const gbs = (billedMs / 1000) * memoryGb;
    invocations += durations.length;
    gbSeconds += gbs;
    lambdaRows.push([
      fn,
      per(durations.length, orders),
      `${(billedMs / durations.length).toFixed(1)} ms`,
      `${functionSpec(fn as FunctionName).memoryMb} MB`,
      (gbs * k).toFixed(1),
    ]);
  }
  lambdaRows.push(['total', per(invocations, orders), '', '', (gbSeconds * k).toFixed(1)]);
  printTable(
    'Lambda (durations measured on this shared machine, warm; cold starts not included)',
    ['function', 'invocations per order', 'mean billed', 'memory', 'GB-s per 1,000 orders'],
    lambdaRows,
  );

  let kms = 0;
  for (const [name, c] of meter.other) if (name.startsWith('KMS')) kms += c.requests;
  const logBytes = e2e.logBytes + invocations * PLATFORM_LOG_BYTES + e2e.apiRequests * ACCESS_LOG_BYTES;
  const lines: Array<[string, string, number]> = [
    ['Lambda requests', `${(invocations * k).toFixed(0)} invocations`, invocations * PRICE.lambdaRequest],
    ['Lambda compute', `${(gbSeconds * k).toFixed(1)} GB-s`, gbSeconds * PRICE.lambdaGbSecond],
    ['API Gateway', `${(e2e.apiRequests * k).toFixed(0)} requests`, e2e.apiRequests * PRICE.apiRequest],
    ['DynamoDB writes', `${(wru * k).toFixed(0)} WRU`, wru * PRICE.writeUnit],
    ['DynamoDB reads', `${(rru * k).toFixed(0)} RRU`, rru * PRICE.readUnit],
    ['SQS', `${(sqsBilled * k).toFixed(0)} requests`, sqsBilled * PRICE.sqsRequest],
    [
      'CloudWatch Logs',
      `${((logBytes * k) / 2 ** 20).toFixed(1)} MB (functions' own lines ${((e2e.logBytes * k) / 1024).toFixed(1)} KB)`,
      (logBytes / 2 ** 30) * PRICE.logGb,
    ],
    ['KMS', `${(kms * k).toFixed(0)} requests`, kms * PRICE.kmsRequest],
  ];
  const total = lines.reduce((n, [, , v]) => n + v, 0);
  const perThousand = total * k;
  printTable(
    `Cost per 1,000 orders at AWS list prices (docs/cost.md), from ${orders} orders' lifecycles`,
    ['service', 'per 1,000 orders', 'cost', ''],
    [
      ...lines.map(([what, qty, v]) => [what, qty, usd(v * k), `${((100 * v) / total).toFixed(0)} %`]),
      ['total (no SES e-mail, no cold starts)', '', usd(perThousand), ''],
    ],
  );

  const minimumPerOrder = meter.stateChangeUnits / orders;
  const writeUnitsPerOrder = wru / orders;
  const writeRatio = writeUnitsPerOrder / minimumPerOrder;
  const writeRequests = [...meter.dynamo]
    .filter(([name]) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name))
    .reduce((n, [, c]) => n + c.requests, 0);
  printTable(
    'Cost and write targets',
    ['target', 'measured', 'target', ''],
    [
      [
        'cost per 1,000 orders',
        usd(perThousand),
        `≤ $${COST_TARGET.toFixed(2)}`,
        verdict(perThousand <= COST_TARGET),
      ],
      [
        `write units per order / one write per state change (${per(meter.stateChanges, orders)} versions, ${minimumPerOrder.toFixed(1)} WRU)`,
        `${writeUnitsPerOrder.toFixed(1)} WRU = ${writeRatio.toFixed(2)}×`,
        `≤ ${WRITE_TARGET}×`,
        verdict(writeRatio <= WRITE_TARGET),
      ],
      [
        'versions whose data equals the previous version (for information)',
        `${per(meter.unchangedVersions, orders)} per order`,
        '',
        '',
      ],
      [
        'write requests per state change (for information)',
        `${(writeRequests / meter.stateChanges).toFixed(2)}×`,
        '',
        '',
      ],
    ],
  );
  return {
    perThousand,
    pass: perThousand <= COST_TARGET,
    writeUnitsPerOrder,
    minimumPerOrder,
    writeRatio,
    writePass: writeRatio <= WRITE_TARGET,
  };
}
