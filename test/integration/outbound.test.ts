import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpOutboundSender } from '../../functions/adapters/outbound-http.ts';
import { SqsQueues } from '../../functions/adapters/sqs.ts';
import { setOutboundEndpoint } from '../../functions/app/outbound-endpoint.ts';
import { MAX_RECEIVE_COUNT } from '../../functions/contract.ts';
import { deliverOutboundHandler } from '../../functions/handlers/deliver-outbound.ts';
import type { OutboundMessage } from '../../schemas/messages.ts';
import { freshShop, purge, useServices } from './env.ts';

const { services, sqs, deps } = useServices();
const queueUrl = services.queueUrls.outbound!;
const dlqUrl = services.dlqUrls.outbound!;
const queues = new SqsQueues(sqs, { outbound: queueUrl });

const SECRET = 'outbound-test-secret-0123456789';
/** The backoff this file's handler uses (the real one starts at a minute). */
const RETRY_SECONDS = 2;

type Answer = 'ok' | 'fail' | 'refuse' | 'hang';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The signature checked as a shop would, with node:crypto and the shared secret. */
  validSignature: boolean;
}

/**
 * The shop's system: a real HTTP server on 127.0.0.1 that checks our signature, records every
 * request, and answers what it is told, one answer per request (then 200).
 */
function startReceiver() {
  const received: Received[] = [];
  const script: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
      const got = Buffer.from(String(req.headers['x-aftersale-signature'] ?? ''));
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body,
        validSignature: got.length === expected.length && timingSafeEqual(got, expected),
      });
      const answer = script.shift() ?? 'ok';
      if (answer === 'hang') return; // never answers; closed when the server stops
      if (answer === 'fail') res.writeHead(500).end('database is down');
      else if (answer === 'refuse')
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unknown sku X-1"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return {
    received,
    /** The next answers, in order; after them every request gets 200. */
    answer: (...answers: Answer[]) => script.push(...answers),
    reset: () => {
      received.length = 0;
      script.length = 0;
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const receiver = startReceiver();
let baseUrl: string;
let queueArn: string;

// The handler as the entry file builds it, on this file's dependencies; only the request deadline
// and the backoff are shortened so a hang and a retry take seconds.
const handler = deliverOutboundHandler(
  { ...deps, outbound: new HttpOutboundSender({ timeoutMs: 500 }) },
  { retryDelaySeconds: () => RETRY_SECONDS },
);

beforeAll(async () => {
  baseUrl = await receiver.listen();
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  queueArn = attrs.Attributes!.QueueArn!;
  await purge(sqs, queueUrl);
  await purge(sqs, dlqUrl);
});

afterAll(() => receiver.close());

beforeEach(() => receiver.reset());

function toRecord(m: Message): SQSRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
      SenderId: 'it',
      ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

async function receive(waitSeconds = 0, visibilityTimeout?: number): Promise<Message[]> {
  const got = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      ...(visibilityTimeout !== undefined && { VisibilityTimeout: visibilityTimeout }),
    }),
  );
  return got.Messages ?? [];
}

/**
 * One turn of the Lambda SQS event source: receive what is visible (waiting up to `waitSeconds`),
 * invoke the handler with the batch, delete what it did not report failed.
 */
async function deliverBatch(waitSeconds = 1) {
  const messages = await receive(waitSeconds);
  if (messages.length === 0) return { received: 0, failed: [] as string[], receiveCounts: [] as number[] };
  const result = await handler({ Records: messages.map(toRecord) });
  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  return {
    received: messages.length,
    failed: [...failed],
    receiveCounts: messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount)),
  };
}

/** A shop whose outbound endpoint is the receiver (the path names the shop). */
async function shopWithEndpoint(): Promise<string> {
  const shopId = await freshShop();
  await setOutboundEndpoint(deps, shopId, { url: `${baseUrl}/hooks/${shopId}`, secret: SECRET });
  return shopId;
}

async function enqueue(
  shopId: string,
  { withoutCase, ...overrides }: Partial<OutboundMessage> & { withoutCase?: boolean } = {},
): Promise<OutboundMessage> {
  const message: OutboundMessage = {
    shopId,
    id: randomUUID().replaceAll('-', ''),
    type: 'refund.requested',
    ...(!withoutCase && { caseId: `case-${randomUUID().slice(0, 8)}` }),
    data: { amount: 12800, currency: 'CNY', reason: '尺码不合适' },
    plannedAt: '2026-11-25T08:00:00.000Z',
    ...overrides,
  };
  await queues.sendOutbound([message]);
  return message;
}

const logOf = (m: OutboundMessage) => deps.outboundLog.get(m);

describe('deliver-outbound', () => {
  it('POSTs the event once, signed, with its id and type in the headers, and logs it delivered', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);

    const batch = await deliverBatch();

    expect(batch).toMatchObject({ received: 1, failed: [] });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got!.path).toBe(`/hooks/${shopId}`);
    expect(got!.validSignature).toBe(true);
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-aftersale-event-id': message.id,
      'x-aftersale-event-type': 'refund.requested',
    });
    expect(Date.parse(String(got!.headers['x-aftersale-timestamp']))).not.toBeNaN();
    expect(JSON.parse(got!.body.toString('utf8'))).toEqual({
      id: message.id,
      type: 'refund.requested',
      shopId,
      caseId: message.caseId,
      occurredAt: message.plannedAt,
      data: message.data,
    });
    expect(await logOf(message)).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(await receive()).toEqual([]);
  });

  it('retries a 500 after the backoff and POSTs the same event again, same id and signature', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);
    receiver.answer('fail');

    const first = await deliverBatch();
    expect(first).toMatchObject({ received: 1, failed: [expect.any(String)] });
    expect(await logOf(message)).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'answered 500: database is down',
    });
    // Hidden for the backoff, not handed out again at once.
    expect(await receive()).toEqual([]);

    const second = await deliverBatch(RETRY_SECONDS + 3);
    expect(second).toMatchObject({ received: 1, failed: [], receiveCounts: [2] });
    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received;
    expect(b!.headers['x-aftersale-event-id']).toBe(message.id);
    expect(b!.body.equals(a!.body)).toBe(true);
    expect(b!.validSignature).toBe(true);
    const log = await logOf(message);
    expect(log).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
    expect(log).not.toHaveProperty('lastError');
  });

  it('does not retry a 400: logs it failed with the status and the start of the answer', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);
    receiver.answer('refuse');

    const batch = await deliverBatch();

    expect(batch).toMatchObject({ received: 1, failed: [] });
    expect(await logOf(message)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 400,
      lastError: 'answered 400: {"error":"unknown sku X-1"}',
    });
    expect(await receive(RETRY_SECONDS + 1)).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up on an endpoint that does not answer in time and retries it', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);
    receiver.answer('hang');

    const first = await deliverBatch();
    expect(first).toMatchObject({ received: 1, failed: [expect.any(String)] });
    const log = await logOf(message);
    expect(log).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'no answer within 500 ms' });
    expect(log).not.toHaveProperty('lastStatusCode');

    const second = await deliverBatch(RETRY_SECONDS + 3);
    expect(second).toMatchObject({ received: 1, failed: [] });
    expect(receiver.received.map((r) => r.headers['x-aftersale-event-id'])).toEqual([message.id, message.id]);
    expect(await logOf(message)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('does not POST an event again that was delivered before (a repeated message)', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);
    await deliverBatch();
    expect(receiver.received).toHaveLength(1);

    await queues.sendOutbound([message]);
    const again = await deliverBatch();

    expect(again).toMatchObject({ received: 1, failed: [] });
    expect(receiver.received).toHaveLength(1);
    expect(await logOf(message)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('records not_configured for a shop without an endpoint and sends nothing, no retry', async () => {
    const shopId = await freshShop();
    const message = await enqueue(shopId, { withoutCase: true });

    const batch = await deliverBatch();

    expect(batch).toMatchObject({ received: 1, failed: [] });
    expect(receiver.received).toEqual([]);
    expect(await logOf(message)).toMatchObject({ status: 'not_configured', attempts: 0 });
    // Without a case it is logged in the shop's partition, listed there.
    expect((await deps.outboundLog.list(shopId)).map((d) => d.id)).toEqual([message.id]);
    expect(await receive(RETRY_SECONDS + 1)).toEqual([]);
  });

  it('logs the last failed delivery failed and moves the message to the DLQ at once', async () => {
    const shopId = await shopWithEndpoint();
    const message = await enqueue(shopId);
    // Deliveries 1 to 4 went nowhere (as if each invocation had died); the 5th reaches the handler.
    for (let i = 1; i < MAX_RECEIVE_COUNT; i++) expect(await receive(1, 0)).toHaveLength(1);
    receiver.answer('fail');

    const last = await deliverBatch();

    expect(last).toMatchObject({
      received: 1,
      failed: [expect.any(String)],
      receiveCounts: [MAX_RECEIVE_COUNT],
    });
    expect(await logOf(message)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
    // Visible again at once: the next receive moves it to the DLQ instead of handing it out.
    expect(await receive(1)).toEqual([]);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    expect((dead.Messages ?? []).map((m) => JSON.parse(m.Body!).id)).toEqual([message.id]);
    await purge(sqs, dlqUrl);
  });

  it('keeps deliveries beside their case, for the case view to list', async () => {
    const shopId = await shopWithEndpoint();
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const approved = await enqueue(shopId, { caseId, type: 'case.approved' });
    const refund = await enqueue(shopId, {
      caseId,
      type: 'refund.requested',
      plannedAt: '2026-11-25T08:00:01.000Z',
    });

    const batch = await deliverBatch();

    expect(batch).toMatchObject({ received: 2, failed: [] });
    const listed = await deps.outboundLog.list(shopId, caseId);
    expect(listed.map((d) => [d.id, d.type, d.status])).toEqual([
      [approved.id, 'case.approved', 'delivered'],
      [refund.id, 'refund.requested', 'delivered'],
    ]);
  });

  it('signs with the new secret after a rotation and keeps the previous one', async () => {
    const shopId = await shopWithEndpoint();
    const rotated = await setOutboundEndpoint(deps, shopId, { secret: 'the-next-secret-0123456789' });
    expect(rotated).toEqual({ url: `${baseUrl}/hooks/${shopId}`, secrets: 2 });
    await enqueue(shopId);

    await deliverBatch();

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.validSignature).toBe(false);
    expect(got.headers['x-aftersale-signature']).toBe(
      `sha256=${createHmac('sha256', 'the-next-secret-0123456789').update(got.body).digest('hex')}`,
    );
  });
});
