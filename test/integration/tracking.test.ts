import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { sweep } from '../../functions/app/sweep.ts';
import { shipmentIdFor } from '../../functions/core/ids.ts';
import { signers } from '../../infra/local/signers.ts';
import { loadSample, parseContext, rawRequest } from '../support/requests.ts';
import { freshShop, useServices } from './env.ts';
import { deliver, deliverRaw, pump } from './pipeline.ts';

const { services, sqs, deps, db } = useServices();
const secret = 'it-tracking-secret';
const json = (value: object) => Buffer.from(JSON.stringify(value));

/** What the provider's own connector says a sample is about (number, status). */
function expectedFrom(provider: string, file: string) {
  const sample = loadSample(provider, file);
  // Kuaidi100 samples are the `param` JSON; on the wire it is a form field.
  const body = provider === 'kuaidi100' ? signers.kuaidi100!(sample, { secret }).body : sample;
  const req = rawRequest(body);
  const parsed = connectorFor(provider)!.parse(req, parseContext(file));
  if (parsed.kind !== 'events') throw new Error(`${file} is ignored`);
  const event = parsed.events.at(-1)!;
  if (event.type !== 'TrackingUpdated') throw new Error(`${file} gives ${event.type}`);
  return { trackingNumber: event.trackingNumber, status: event.status };
}

describe('logistics webhooks through ingest and process-event (DynamoDB Local + fauxqs)', () => {
  let shopId: string;
  /** Our own canonical event, signed and posted as any shop system would. */
  const sendGeneric = (eventId: string, event: object) =>
    deliver('generic', shopId, json(event), { secret, eventId });
  beforeAll(async () => {
    shopId = await freshShop({
      generic: { secret },
      aftership: { secret },
      '17track': { secret },
      kuaidi100: { secret },
      easypost: { secret },
    });
  });

  const samples: Array<[string, string]> = [
    ['aftership', 'tracking-update-in-transit.json'],
    ['17track', 'tracking-updated-delivered.json'],
    ['easypost', 'tracker-updated.json'],
    ['kuaidi100', 'param-polling-in-transit.json'],
  ];
  for (const [provider, file] of samples) {
    it(`lands ${provider} ${file}, signed as ${provider} signs, on the right shipment`, async () => {
      const expected = expectedFrom(provider, file);
      const body = loadSample(provider, file);
      const res = await deliver(provider, shopId, body, { secret });
      expect(res.statusCode).toBeLessThan(300);
      await pump(sqs, services.queueUrls);
      const stored = await deps.reads.getAggregate(
        shopId,
        'shipment',
        shipmentIdFor(expected.trackingNumber),
      );
      expect(stored?.data.trackingNumber).toBe(expected.trackingNumber);
      expect(stored?.data.status).toBe(expected.status);
    });
  }

  it('rejects a bad Kuaidi100 signature in Kuaidi100 reply format and an AfterShip one as JSON 401', async () => {
    const param = loadSample('kuaidi100', 'param-polling-in-transit.json').toString('utf8');
    const form = Buffer.from(new URLSearchParams({ param, sign: 'NOT-A-SIGNATURE' }).toString());
    const k = await deliverRaw('kuaidi100', shopId, form, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(JSON.parse(k.body)).toMatchObject({ result: false, returnCode: '500' });
    const a = await deliver('aftership', shopId, loadSample('aftership', 'delivered-to-neighbour.json'), {
      secret: 'wrong',
    });
    expect(a.statusCode).toBe(401);
    expect(JSON.parse(a.body).error.code).toBe('invalid_signature');
  });

  it('marks the order delivered and plans exactly one delivery notice, whatever repeats', async () => {
    const tracking = '9405516902697649303570';
    const orderId = 'track-order-1';
    await sendGeneric('d-placed', {
      type: 'OrderPlaced',
      orderId,
      occurredAt: '2021-05-10T08:00:00Z',
      order: { number: 'T-1', currency: 'USD', customer: { email: 'buyer@example.com' } },
    });
    await sendGeneric('d-shipped', {
      type: 'ShipmentCreated',
      orderId,
      occurredAt: '2021-05-11T10:00:00Z',
      shippedAt: '2021-05-11T10:00:00Z',
      carrier: 'USPS',
      trackingNumber: tracking,
    });
    const delivered = loadSample('aftership', 'delivered-to-neighbour.json');
    await deliver('aftership', shopId, delivered, { secret });
    await deliver('aftership', shopId, delivered, { secret }); // the provider's retry: a duplicate
    // The same delivery reported again under another event id (a second provider, a resend).
    await sendGeneric('d-again', {
      type: 'TrackingUpdated',
      occurredAt: '2021-05-17T14:12:00Z',
      trackingNumber: tracking,
      carrier: 'usps',
      status: 'delivered',
      checkpoints: [{ at: '2021-05-17T14:12:00Z', status: 'delivered', message: 'Delivered' }],
    });
    await pump(sqs, services.queueUrls);

    const order = await deps.reads.getAggregate(shopId, 'order', `generic:${orderId}`);
    expect(order?.data.status).toBe('delivered');
    const deliveryNotices = (await deps.reads.noticesOf(shopId, 'order', `generic:${orderId}`)).filter((n) =>
      String(n.template).startsWith('shipment.delivered'),
    );
    expect(deliveryNotices).toHaveLength(1);
  });

  it('raises a stall case and a notice when a parcel stays silent past the shop limit (72 h)', async () => {
    const orderId = 'stall-order-1';
    const tracking = 'ZT7700123456789';
    const lastCheckpoint = new Date(Date.now() - 3_600_000);
    lastCheckpoint.setUTCSeconds(0, 0);
    await sendGeneric('s-placed', {
      type: 'OrderPlaced',
      orderId,
      occurredAt: new Date(lastCheckpoint.getTime() - 86_400_000).toISOString(),
      order: { number: 'S-1', currency: 'CNY', customer: { phone: '13800138000' } },
    });
    await sendGeneric('s-shipped', {
      type: 'ShipmentCreated',
      orderId,
      occurredAt: new Date(lastCheckpoint.getTime() - 7_200_000).toISOString(),
      shippedAt: new Date(lastCheckpoint.getTime() - 7_200_000).toISOString(),
      carrier: 'zto',
      trackingNumber: tracking,
    });
    await sendGeneric('s-transit', {
      type: 'TrackingUpdated',
      occurredAt: lastCheckpoint.toISOString(),
      trackingNumber: tracking,
      carrier: 'zto',
      status: 'in_transit',
      checkpoints: [
        { at: lastCheckpoint.toISOString(), status: 'in_transit', message: '快件已到达【杭州转运中心】' },
      ],
    });
    await pump(sqs, services.queueUrls);

    const dueMs = lastCheckpoint.getTime() + 72 * 3_600_000;
    // One minute before due, nothing has fired.
    await deps.timers.setSweepCursor(
      new Date(dueMs - 10 * 60_000).toISOString().slice(0, 16),
      new Date().toISOString(),
    );
    expect(
      (await sweep({ ...deps, clock: { now: () => new Date(dueMs - 60_000).toISOString() } })).timers,
    ).toBe(0);
    await pump(sqs, services.queueUrls);
    expect((await deps.reads.getAggregate(shopId, 'shipment', tracking))?.data.stalled).toBeUndefined();

    // Two minutes after due, the sweep hands the timer to the worker.
    expect(
      (await sweep({ ...deps, clock: { now: () => new Date(dueMs + 120_000).toISOString() } })).timers,
    ).toBeGreaterThanOrEqual(1);
    await pump(sqs, services.queueUrls);
    const shipment = await deps.reads.getAggregate(shopId, 'shipment', tracking);
    expect(shipment?.data.stalled).toBeDefined();
    const cases = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: 'casesByStatus',
        KeyConditionExpression: 'casesByStatusPk = :pk',
        ExpressionAttributeValues: { ':pk': `SHOP#${shopId}#CASES#pending_review` },
      }),
    );
    const stallCases = (cases.Items ?? []).filter((c) => c.data.reasonCode === 'shipment_stalled');
    expect(stallCases).toHaveLength(1);
    expect(stallCases[0]?.data).toMatchObject({
      orderId,
      orderProvider: 'generic',
      shipmentId: tracking,
      origin: 'system',
    });
    const notices = await deps.reads.noticesOf(shopId, 'order', `generic:${orderId}`);
    expect(notices.filter((n) => n.template === 'shipment.stalled')).toHaveLength(1);
  });
});
