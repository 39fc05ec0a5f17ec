import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type FunctionName, type QueueName, queues } from '../../infra/topology.ts';

/*
 * What the local runtime does with AWS while the end-to-end bench runs, seen from this process:
 * the runtime invokes the very handler modules in process (infra/local/lambda.ts imports them), so
 * every client they build (document clients, SQS) sends through the one smithy
 * `Client.prototype.send` they inherit. The meter wraps it, without touching infra/ or functions/:
 * - DynamoDB: each request asks for ReturnConsumedCapacity INDEXES (only the response grows by a
 *   field no product code reads), so DynamoDB Local itself sizes every write from the item before
 *   and after it, index projections included, and every read by item size and consistency. Local
 *   does not double transactional units as AWS bills them, so the meter does. A request that fails
 *   (a condition, a cancelled transaction) returns no capacity: AWS still bills it, so the meter
 *   charges the request's own items (1 KB units, at least 1, doubled in a transaction).
 * - the moment an inbox item is marked processed / ignored / failed (the worker's last write for
 *   that webhook, after its transaction committed): when DynamoDB answered that UpdateItem.
 * - SQS: requests per queue and command, billed in 64 KB chunks; a receive with messages starts a
 *   consumer invocation, the delete (or visibility change) of its receipt handles ends it, which is
 *   how the Lambda event source in infra/local/poller.ts brackets `invoke()`.
 * - every write request that succeeded, for the floor to replay (see e2e.ts).
 */

type AnyInput = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: commands of every client pass through one send.
type AnyCommand = { input: AnyInput; constructor: new (input: any) => any; clientCommand?: unknown };

export interface CommandCount {
  requests: number;
  failed: number;
  /** Write request units (on-demand), transactions doubled. */
  wru: number;
  /** Read request units. */
  rru: number;
  items: number;
  /** Bytes of the items the requests wrote (their own sizes, as sent). */
  bytes: number;
  /** Milliseconds from send to answer, summed (how long the product waited on this kind of call). */
  ms: number;
}

export interface RecordedWrite {
  command: AnyCommand['constructor'];
  input: AnyInput;
  document: boolean;
}

const aggregateKinds = new Set(['order', 'shipment', 'customer', 'case']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const CHUNK = 64 * 1024;

/** The DynamoDB API name of a command (`PutCommand` of lib-dynamodb and `PutItemCommand` alike). */
function apiName(command: AnyCommand): string {
  const name = command.constructor.name.replace(/Command$/, '');
  const doc: Record<string, string> = {
    Put: 'PutItem',
    Get: 'GetItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactWrite: 'TransactWriteItems',
    TransactGet: 'TransactGetItems',
  };
  return doc[name] ?? name;
}

/** DynamoDB's item size rules (names + values; numbers about 1 byte per 2 digits), wire format. */
// biome-ignore lint/suspicious/noExplicitAny: an AttributeValue is a tagged union of JSON shapes.
export function attributeSize(v: any): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(String(v.N).replace(/[-.]/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n: number, s: string) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n: number, s: string) => n + attributeSize({ N: s }), 0);
  if (v.BS) return v.BS.reduce((n: number, b: Uint8Array) => n + b.length, 0);
  if (v.L) return 3 + v.L.reduce((n: number, e: unknown) => n + 1 + attributeSize(e), 0);
  if (v.M) return 3 + itemSize(v.M) + Object.keys(v.M).length;
  return 0;
}

export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name) + attributeSize(v), 0);
}

export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export class Meter {
  readonly dynamo = new Map<string, CommandCount>();
  readonly sqs = new Map<string, { requests: number; billed: number; ms: number }>();
  /** Calls of other clients (KMS, SES, SNS), by client and command. */
  readonly other = new Map<string, { requests: number; billed: number }>();
  /** Receives that returned nothing: the event source's polling, a fixed cost, not per order. */
  emptyReceives = 0;
  readonly invocations = new Map<FunctionName, number[]>();
  /** Aggregate versions committed (one per aggregate Put in a committed transaction). */
  stateChanges = 0;
  /** The write units of writing each of those versions once, outside a transaction. */
  stateChangeUnits = 0;
  /** Versions whose `data` is exactly the previous version's (a commit that changed nothing). */
  unchangedVersions = 0;
  private readonly lastData = new Map<string, string>();
  /**
   * Inside committed transactions, by item (aggregate, marker, timer, stats): items and their units
   * from their own size, doubled (no before-image, no index: an estimate of the split only).
   */
  readonly transactionItems = new Map<string, { items: number; units: number; bytes: number }>();
  readonly writes: RecordedWrite[] = [];
  recording = true;
  private readonly commits = new Map<string, { at: number; status: string }>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private readonly batches = new Map<string, { at: number; fn: FunctionName; open: boolean }>();
  private readonly ignored = new WeakSet<object>();
  private queueByUrl = new Map<string, QueueName>();

  /** Calls made by the bench's own clients (the drain check, the floor) are not the product's. */
  ignore<T extends object>(client: T): T {
    this.ignored.add(client);
    return client;
  }

  watchQueues(urls: Record<string, string>): void {
    this.queueByUrl = new Map(Object.entries(urls).map(([name, url]) => [url, name as QueueName]));
  }

  invoked(fn: FunctionName, ms: number): void {
    const list = this.invocations.get(fn) ?? [];
    this.invocations.set(fn, list);
    list.push(ms);
  }

  /** When the worker finished this inbox item (performance.now()), as soon as it has. */
  committed(inboxId: string): Promise<number> {
    const done = this.commits.get(inboxId);
    if (done) return Promise.resolve(done.at);
    return new Promise((resolve) => this.waiters.set(inboxId, resolve));
  }

  commitStatus(inboxId: string): string | undefined {
    return this.commits.get(inboxId)?.status;
  }

  start(): void {
    const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (...args: unknown[]) => unknown };
    const original = base.send;
    const meter = this;
    base.send = function (this: object, ...args: unknown[]) {
      if (meter.ignored.has(this)) return original.apply(this, args);
      const command = args[0] as AnyCommand;
      if (this instanceof SQSClient) return meter.sqsCall(command, () => original.apply(this, args));
      if (this instanceof DynamoDBClient || 'clientCommand' in command)
        return meter.dynamoCall(command, () => original.apply(this, args));
      const name = (args[0] as AnyCommand).constructor.name.replace(/Command$/, '');
      const c = meter.count(meter.other, `${this.constructor.name} ${name}`, () => ({
        requests: 0,
        billed: 0,
      }));
      c.requests++;
      c.billed++;
      return original.apply(this, args);
    };
    this.stop = () => {
      base.send = original;
    };
  }

  stop(): void {}

  private count<V>(map: Map<string, V>, key: string, init: () => V): V {
    const v = map.get(key) ?? init();
    map.set(key, v);
    return v;
  }

  private async dynamoCall(command: AnyCommand, send: () => unknown): Promise<unknown> {
    const name = apiName(command);
    const document = 'clientCommand' in command;
    const input = command.input;
    const recorded =
      this.recording && WRITES.has(name)
        ? { command: command.constructor, input: structuredClone(input), document }
        : undefined;
    input.ReturnConsumedCapacity ??= 'INDEXES';
    const items = requestItems(name, input, document);
    const what =
      name === 'TransactWriteItems'
        ? 'commit'
        : WRITES.has(name)
          ? itemKind(items[0])
          : name === 'GetItem'
            ? `read ${itemKind(requestKey(input, document))}`
            : 'read';
    const c = this.count(this.dynamo, `${name} ${what}`, () => ({
      requests: 0,
      failed: 0,
      wru: 0,
      rru: 0,
      items: 0,
      bytes: 0,
      ms: 0,
    }));
    c.requests++;
    c.items += items.length || 1;
    if (name === 'PutItem' || name === 'TransactWriteItems' || name === 'BatchWriteItem')
      c.bytes += items.reduce((n, i) => n + itemSize(i), 0);
    let output: { ConsumedCapacity?: unknown };
    const t = performance.now();
    try {
      output = (await send()) as typeof output;
      c.ms += performance.now() - t;
    } catch (err) {
      c.ms += performance.now() - t;
      c.failed++;
      if (WRITES.has(name)) {
        const units = (items.length ? items : [{}]).reduce((n, i) => n + writeUnits(itemSize(i)), 0);
        c.wru += name === 'TransactWriteItems' ? 2 * units : units;
      }
      throw err;
    }
    const consumed = [output.ConsumedCapacity ?? []].flat() as Array<{ CapacityUnits?: number }>;
    const units = consumed.reduce((n, cc) => n + (cc.CapacityUnits ?? 0), 0);
    if (WRITES.has(name)) c.wru += name === 'TransactWriteItems' ? 2 * units : units;
    else c.rru += units;
    if (recorded) this.writes.push(recorded);
    if (name === 'TransactWriteItems') {
      for (const item of items) {
        const size = itemSize(item);
        const split = this.count(this.transactionItems, itemKind(item), () => ({
          items: 0,
          units: 0,
          bytes: 0,
        }));
        split.items++;
        split.units += 2 * writeUnits(size);
        split.bytes += size;
        if (item.version?.N !== undefined && aggregateKinds.has(String(item.kind?.S))) {
          this.stateChanges++;
          this.stateChangeUnits += writeUnits(size);
          const data = JSON.stringify(item.data);
          if (this.lastData.get(item.pk.S) === data) this.unchangedVersions++;
          this.lastData.set(item.pk.S, data);
        }
      }
    }
    if (name === 'UpdateItem') this.noteInboxStatus(input, document);
    return output;
  }

  private noteInboxStatus(input: AnyInput, document: boolean): void {
    const key = input.Key as Record<string, unknown>;
    const pk = document ? key.pk : (key.pk as { S?: string })?.S;
    const match = typeof pk === 'string' ? /#IN#(.+)$/.exec(pk) : null;
    if (!match) return;
    const value = (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':s'];
    const status = document ? value : (value as { S?: string } | undefined)?.S;
    if (status !== 'processed' && status !== 'ignored' && status !== 'failed') return;
    const inboxId = match[1]!;
    const at = performance.now();
    this.commits.set(inboxId, { at, status });
    this.waiters.get(inboxId)?.(at);
    this.waiters.delete(inboxId);
  }

  private async sqsCall(command: AnyCommand, send: () => unknown): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input as {
      QueueUrl?: string;
      MessageBody?: string;
      Entries?: Array<{ MessageBody?: string; ReceiptHandle?: string }>;
    };
    const queue = (input.QueueUrl && this.queueByUrl.get(input.QueueUrl)) || 'other';
    const spec = queues.find((q) => q.name === queue);
    const bodies = [input.MessageBody ?? '', ...(input.Entries ?? []).map((e) => e.MessageBody ?? '')];
    let payload = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
    // The poller deletes (or delays) a batch right after its invocation returned.
    if (spec && (name === 'DeleteMessageBatch' || name === 'ChangeMessageVisibilityBatch')) {
      const now = performance.now();
      for (const e of input.Entries ?? []) {
        const batch = e.ReceiptHandle ? this.batches.get(e.ReceiptHandle) : undefined;
        if (batch?.open) {
          batch.open = false;
          this.invoked(batch.fn, now - batch.at);
        }
        if (e.ReceiptHandle) this.batches.delete(e.ReceiptHandle);
      }
    }
    const t = performance.now();
    const output = (await send()) as { Messages?: Array<{ Body?: string; ReceiptHandle?: string }> };
    const took = performance.now() - t;
    if (name === 'ReceiveMessage') {
      const messages = output.Messages ?? [];
      if (!messages.length) {
        this.emptyReceives++;
        return output;
      }
      payload += messages.reduce((n, m) => n + Buffer.byteLength(m.Body ?? ''), 0);
      if (spec) {
        const batch = { at: performance.now(), fn: spec.consumer, open: true };
        for (const m of messages) if (m.ReceiptHandle) this.batches.set(m.ReceiptHandle, batch);
      }
    }
    const c = this.count(this.sqs, `${queue} ${name}`, () => ({ requests: 0, billed: 0, ms: 0 }));
    c.requests++;
    c.ms += took;
    c.billed += Math.max(1, Math.ceil(payload / CHUNK));
    return output;
  }

  /** Consumer batches received but never deleted or delayed (an invocation that threw, no retry delay). */
  openBatches(): number {
    return new Set([...this.batches.values()].filter((b) => b.open)).size;
  }
}

/** What a written item is, from its key: the inbox, an aggregate, a marker, a notice... */
// biome-ignore lint/suspicious/noExplicitAny: a wire-format item.
function itemKind(item: Record<string, any> | undefined): string {
  const kind = item?.kind?.S;
  if (typeof kind === 'string') return aggregateKinds.has(kind) ? `aggregate ${kind}` : kind;
  const sk = String(item?.sk?.S ?? '');
  if (sk === 'IN') return 'inbox';
  if (sk.startsWith('APPLIED#')) return 'applied';
  if (sk.startsWith('NOTE#')) return 'notice';
  if (sk.startsWith('DAY#')) return 'stats';
  if (String(item?.pk?.S ?? '').startsWith('TIMER#')) return 'timer';
  if (['ORDER', 'SHIP', 'CUST', 'CASE'].includes(sk)) return 'aggregate';
  return sk.split('#')[0]?.toLowerCase() || 'other';
}

/** A GetItem's key in wire format. */
// biome-ignore lint/suspicious/noExplicitAny: wire-format items, read by attribute.
function requestKey(input: AnyInput, document: boolean): Record<string, any> {
  return document ? marshall(input.Key as Record<string, unknown>) : (input.Key as Record<string, unknown>);
}

/** The items a write request carries, in wire format (for sizes). */
// biome-ignore lint/suspicious/noExplicitAny: wire-format items, read by attribute.
function requestItems(name: string, input: AnyInput, document: boolean): Array<Record<string, any>> {
  const wire = (item: unknown) =>
    (document
      ? marshall(item as Record<string, unknown>, {
          removeUndefinedValues: true,
          convertClassInstanceToMap: true,
        })
      : item) as Record<string, unknown>;
  if (name === 'PutItem') return [wire(input.Item)];
  if (name === 'UpdateItem' || name === 'DeleteItem') return [wire(input.Key)];
  if (name === 'TransactWriteItems') {
    return ((input.TransactItems as Array<Record<string, { Item?: unknown; Key?: unknown }>>) ?? []).map(
      (op) => {
        const inner = Object.values(op)[0]!;
        return wire(inner.Item ?? inner.Key);
      },
    );
  }
  if (name === 'BatchWriteItem') {
    const requests = Object.values(
      (input.RequestItems as Record<
        string,
        Array<{ PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }>
      >) ?? {},
    ).flat();
    return requests.map((r) => wire(r.PutRequest?.Item ?? r.DeleteRequest?.Key));
  }
  return [];
}

export { WRITES };
