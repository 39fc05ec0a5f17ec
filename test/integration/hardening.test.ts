import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isPermanent } from '../../functions/lib/errors.ts';
import { logger } from '../../functions/lib/logger.ts';
import { metrics } from '../../functions/lib/metrics.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { loadSample } from '../support/requests.ts';
import { freshShop, useServices } from './env.ts';
import { admin, deliver, processRecord, pump } from './pipeline.ts';

const { services, sqs, deps, db } = useServices();
const secret = 'it-secret';
const jwtKey = 'integration-test-key-integration-test-key';

afterEach(() => vi.restoreAllMocks());

const sample = () => JSON.parse(loadSample('generic', 'order-placed.json').toString('utf8'));

/** Posts a signed generic event and runs the workers until the queues are quiet. */
async function sendGeneric(shopId: string, eventId: string, body: unknown) {
  const res = await deliver('generic', shopId, Buffer.from(JSON.stringify(body)), { secret, eventId });
  expect(res.statusCode).toBe(202);
  await pump(sqs, services.queueUrls);
  return (JSON.parse(res.body) as { inboxId: string }).inboxId;
}

function sqsRecord(body: unknown, receiveCount: number): SQSRecord {
  return {
    messageId: `m-${receiveCount}`,
    receiptHandle: 'rh',
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'it',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:it-inbound',
    awsRegion: 'us-east-1',
  };
}

describe('signed payloads beyond what DynamoDB or the calendar hold', () => {
  let shopId: string;
  beforeAll(async () => {
    shopId = await freshShop({ generic: { secret } });
  });

  const placed = sample();
  const absurd: Array<[string, unknown, RegExp]> = [
    ['an order id of 2,100 characters', { ...placed, orderId: 'x'.repeat(2100) }, /orderId/],
    [
      'a display number of 2,100 characters',
      { ...placed, order: { ...placed.order, number: '9'.repeat(2100) } },
      /number/,
    ],
    [
      'a tracking number of 3,000 characters',
      {
        type: 'ShipmentCreated',
        orderId: 'o-track',
        occurredAt: '2026-11-21T08:00:00Z',
        trackingNumber: '1Z'.repeat(1500),
        shippedAt: '2026-11-21T08:00:00Z',
      },
      /trackingNumber/,
    ],
    [
      'a shipping date in the year 275760',
      {
        type: 'ShipmentCreated',
        orderId: 'o-date',
        occurredAt: '2026-11-21T08:00:00Z',
        trackingNumber: 'SF1234567890',
        shippedAt: '+275760-09-13T00:00:00Z',
      },
      /shippedAt/,
    ],
  ];

  it.each(absurd)('marks %s failed at once, with the reason', async (_what, body, field) => {
    const inboxId = await sendGeneric(shopId, `absurd-${String(field)}`, body);
    const item = await deps.inbox.get(shopId, inboxId);
    expect(item?.status).toBe('failed');
    expect(item?.attempts).toBe(1);
    expect(item?.error).toMatch(field);
    const failed = await deps.inbox.list(shopId, 'failed');
    expect(failed.items.map((i) => i.inboxId)).toContain(inboxId);
  });

  it('treats DynamoDB refusing an item itself as permanent, and a busy table as not', async () => {
    const table = db.table;
    const tooLong = { pk: `SHOP#${shopId}#ORDER#${'x'.repeat(2100)}`, sk: 'ORDER' };
    const put = db.client.send(new PutCommand({ TableName: table, Item: tooLong }));
    const putError = await put.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(putError).toBeInstanceOf(Error);
    expect(isPermanent(putError)).toBe(true);
    const transact = db.client.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: tooLong } }] }),
    );
    const transactError = await transact.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(transactError).toBeInstanceOf(Error);
    expect(isPermanent(transactError)).toBe(true);
    const busy = Object.assign(new Error('Throughput exceeds the current capacity'), {
      name: 'ProvisionedThroughputExceededException',
    });
    expect(isPermanent(busy)).toBe(false);
  });

  it('retries a transient failure, and marks the item failed on the last delivery before the DLQ', async () => {
    // An inbox item whose shop is gone: every delivery fails, none can be called permanent.
    const orphanShop = `gone-${shopId}`;
    await deps.inbox.put({
      shopId: orphanShop,
      inboxId: 'orphan-1',
      provider: 'generic',
      dedupeKey: 'orphan-1',
      receivedAt: new Date().toISOString(),
      body: loadSample('generic', 'order-placed.json'),
      headers: {},
      query: {},
    });
    const message = { kind: 'inbox', shopId: orphanShop, inboxId: 'orphan-1' };
    await expect(processRecord(sqsRecord(message, 1))).rejects.toThrow(/does not exist/);
    expect((await deps.inbox.get(orphanShop, 'orphan-1'))?.status).toBe('received');
    await expect(processRecord(sqsRecord(message, 5))).rejects.toThrow(/does not exist/);
    const item = await deps.inbox.get(orphanShop, 'orphan-1');
    expect(item?.status).toBe('failed');
    expect(item?.error).toMatch(/gave up after 5 deliveries: shop .* does not exist/);
  });
});

describe('a generic sender speaks only for the generic marketplace', () => {
  it('cannot create or change a Shopify order by naming it', async () => {
    const shopId = await freshShop({ generic: { secret } });
    const cancel = {
      type: 'OrderCancelled',
      orderId: '820982911946154508',
      orderProvider: 'shopify',
      occurredAt: '2026-11-21T08:00:00Z',
      cancelledAt: '2026-11-21T08:00:00Z',
    };
    const inboxId = await sendGeneric(shopId, 'forge-shopify', cancel);
    expect(await deps.reads.getAggregate(shopId, 'order', 'shopify:820982911946154508')).toBeUndefined();
    expect(await deps.reads.getAggregate(shopId, 'order', 'generic:820982911946154508')).toBeUndefined();
    const item = await deps.inbox.get(shopId, inboxId);
    expect(item?.status).toBe('failed');
    expect(item?.error).toMatch(/orderProvider/);
  });
});

describe('forged webhooks', () => {
  it('cost one fresh read per shop every few seconds, are counted each and logged once', async () => {
    const shopId = await freshShop({ generic: { secret } });
    const body = loadSample('generic', 'order-placed.json');
    await deliver('generic', shopId, body, { secret, eventId: 'warm-up' }); // the shop is cached now
    const send = vi.spyOn(db.client, 'send');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const added = vi.spyOn(metrics, 'addMetric');
    for (let i = 0; i < 20; i++) {
      const res = await deliver('generic', shopId, body, { secret: 'forged', eventId: `forged-${i}` });
      expect(res.statusCode).toBe(401);
    }
    const shopReads = send.mock.calls.filter(([command]) =>
      JSON.stringify(command.input).includes(`"SHOP#${shopId}"`),
    );
    expect(shopReads.length).toBeLessThanOrEqual(1);
    expect(added.mock.calls.filter(([name]) => name === 'RejectedSignatures')).toHaveLength(20);
    expect(warn.mock.calls.filter(([message]) => message === 'webhook signature rejected')).toHaveLength(1);
  });

  it('answers 404 for a shop id that is not one, without reading the table', async () => {
    const send = vi.spyOn(db.client, 'send');
    const body = loadSample('generic', 'order-placed.json');
    const res = await deliver('generic', 'x#ORDER#y', body, { secret, eventId: 'bad-shop' });
    expect(res.statusCode).toBe(404);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('admin API bounds and tokens', () => {
  let shopId: string;
  let token: string;
  beforeAll(async () => {
    shopId = await freshShop({ generic: { secret } });
    token = await signLocalToken(jwtKey, { shopId, role: 'staff' });
  });

  it('answers 400 for over-long ids, not a DynamoDB error', async () => {
    expect(await admin(token, 'GET /admin/orders/{orderId}', { orderId: 'x'.repeat(2100) })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_request' } },
    });
    const shipment = await admin(token, 'GET /admin/shipments/{shipmentId}', {
      shipmentId: '1'.repeat(3000),
    });
    expect(shipment.status).toBe(400);
    expect((await admin(token, 'GET /admin/orders/{orderId}', { orderId: 'no-such-order' })).status).toBe(
      404,
    );
  });

  it('pages the inbox with its own cursors and refuses crafted or foreign ones with 400', async () => {
    for (let i = 0; i < 3; i++) await sendGeneric(shopId, `broken-${i}`, { type: 'OrderPlaced' });
    const first = await admin(token, 'GET /admin/inbox', {}, { status: 'failed', limit: '2' });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    const second = await admin(
      token,
      'GET /admin/inbox',
      {},
      { status: 'failed', limit: '2', cursor: first.json.next },
    );
    expect(second.status).toBe(200);
    expect(second.json.items).toHaveLength(1);

    // The same cursor for another status, another shop, or made up: all 400.
    const otherStatus = await admin(
      token,
      'GET /admin/inbox',
      {},
      { status: 'processed', cursor: first.json.next },
    );
    expect(otherStatus).toMatchObject({ status: 400, json: { error: { code: 'invalid_request' } } });
    const otherShop = await freshShop();
    const otherToken = await signLocalToken(jwtKey, { shopId: otherShop, role: 'staff' });
    expect(
      (await admin(otherToken, 'GET /admin/inbox', {}, { status: 'failed', cursor: first.json.next })).status,
    ).toBe(400);
    const crafted = Buffer.from(
      JSON.stringify({ pk: 'SHOP#other#IN#1', sk: 'IN', inboxByStatusPk: 5, inboxByStatusSk: { S: 'x' } }),
    ).toString('base64url');
    for (const cursor of [crafted, 'not-base64-json', '%%%', Buffer.from('[]').toString('base64url')]) {
      expect((await admin(token, 'GET /admin/inbox', {}, { status: 'failed', cursor })).status).toBe(400);
    }
  });

  const sign = (claims: Record<string, unknown>, exp?: number) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('someone').setIssuedAt();
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(jwtKey));
  };

  it('refuses a token without expiry, one living longer than 30 days, and a shop claim that is not a shop id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const route = 'GET /admin/orders/{orderId}';
    const path = { orderId: 'o-1' };
    const claims = { shop_id: shopId, roles: ['manager'] };
    expect((await admin(await sign(claims, now + 3600), route, path)).status).toBe(404); // valid: not found
    expect((await admin(await sign(claims), route, path)).status).toBe(401);
    expect((await admin(await sign(claims, now + 60 * 86_400), route, path)).status).toBe(401);
    const keyInjection = { shop_id: `${shopId}#ORDER#x`, roles: ['manager'] };
    expect((await admin(await sign(keyInjection, now + 3600), route, path)).status).toBe(401);
    await expect(signLocalToken(jwtKey, { shopId: 'x#ORDER#y', role: 'staff' })).rejects.toThrow(
      /not a shop id/,
    );
  });
});
