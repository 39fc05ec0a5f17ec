import { beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../schemas/order.ts';
import { loadSample } from '../support/requests.ts';
import { freshShop, useServices } from './env.ts';
import { deliver, deliverRaw, pump } from './pipeline.ts';

const { services, sqs, deps } = useServices();
const secret = 'it-secret';

async function order(shopId: string, orderId: string): Promise<Order> {
  const stored = await deps.reads.getAggregate(shopId, 'order', orderId);
  expect(stored, `order ${orderId}`).toBeDefined();
  return stored!.data;
}

describe('marketplace webhooks through ingest and process-event (DynamoDB Local + fauxqs)', () => {
  let shopId: string;
  beforeAll(async () => {
    shopId = await freshShop({
      shopify: { secret },
      woocommerce: { secret },
      taobao: { secret },
      doudian: { secret, settings: { appKey: 'it-app' } },
    });
  });

  it('builds a Shopify order from its real samples, keeping the 18-digit id exact', async () => {
    const steps: Array<[string, string]> = [
      ['orders-create.json', 'orders/create'],
      ['orders-paid.json', 'orders/paid'],
      ['fulfillments-create.json', 'fulfillments/create'],
    ];
    for (const [file, topic] of steps) {
      const res = await deliver('shopify', shopId, loadSample('shopify', file), {
        secret,
        topic,
        eventId: `${topic}-1`,
      });
      expect(res.statusCode).toBe(202);
    }
    await pump(sqs, services.queueUrls);
    const o = await order(shopId, 'shopify:820982911946154508');
    expect(o.orderId).toBe('820982911946154508');
    expect(o.placeholder).toBe(false);
    expect(o.number).toBe('#9999');
    expect(o.lines.length).toBeGreaterThan(0);
    expect(Number.isInteger(o.totals?.total)).toBe(true);
    expect(o.shipments.length).toBeGreaterThan(0);
    // The published sample order is cancelled; a later paid webhook must not flip it back.
    expect(o.status).toBe('cancelled');
  });

  it('builds a WooCommerce order and treats the save-time ping as a ping', async () => {
    // Sent unsigned, form-encoded, when a shop saves the webhook in WooCommerce.
    const ping = await deliverRaw('woocommerce', shopId, Buffer.from('webhook_id=7'), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(ping.statusCode).toBe(200);
    for (const [file, topic] of [
      ['order-created.json', 'order.created'],
      ['order-updated-completed.json', 'order.updated'],
    ] as const) {
      const res = await deliver('woocommerce', shopId, loadSample('woocommerce', file), { secret, topic });
      expect(res.statusCode).toBe(202);
    }
    await pump(sqs, services.queueUrls);
    const o = await order(shopId, 'woocommerce:727');
    expect(o.number).toBe('727');
    expect(o.status).toBe('fulfilled');
  });

  it('builds a Taobao trade forwarded by an ERP, with a tid above 2^53', async () => {
    for (const file of ['trade-create-big-tid.json', 'trade-buyer-pay-big-tid.json']) {
      const res = await deliver('taobao', shopId, loadSample('taobao', file), { secret });
      expect(res.statusCode).toBe(202);
    }
    await pump(sqs, services.queueUrls);
    const o = await order(shopId, 'taobao:4105329718216095712');
    expect(o.status).toBe('paid');
    expect(o.currency).toBe('CNY');
  });

  it('builds a Douyin order from a pushed message and answers in Douyin format', async () => {
    const created = await deliver('doudian', shopId, loadSample('doudian', 'trade-create.json'), {
      secret,
      appKey: 'it-app',
    });
    expect(created.statusCode).toBe(200);
    expect(JSON.parse(created.body)).toEqual({ code: 0, msg: 'success' });
    const paid = await deliver('doudian', shopId, loadSample('doudian', 'trade-paid.json'), {
      secret,
      appKey: 'it-app',
    });
    expect(JSON.parse(paid.body)).toEqual({ code: 0, msg: 'success' });
    await pump(sqs, services.queueUrls);
    const o = await order(shopId, 'doudian:4705288465508532862');
    expect(o.status).toBe('paid');
  });

  it('rejects a wrong secret with 401 and stores nothing', async () => {
    const res = await deliver('shopify', shopId, loadSample('shopify', 'orders-updated.json'), {
      secret: 'wrong',
      topic: 'orders/updated',
      eventId: 'never-stored',
    });
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('invalid_signature');
  });

  it('acknowledges an unknown topic and keeps it in the inbox as ignored', async () => {
    const res = await deliver('shopify', shopId, Buffer.from('{"id": 1}'), {
      secret,
      topic: 'products/update',
      eventId: 'p-1',
    });
    expect(res.statusCode).toBe(202);
    const { inboxId } = JSON.parse(res.body);
    await pump(sqs, services.queueUrls);
    const item = await deps.inbox.get(shopId, inboxId);
    expect(item?.status).toBe('ignored');
    expect(item?.error).toMatch(/products\/update/);
  });
});
