import { describe, expect, it } from 'vitest';
import { shopify } from '../../../functions/adapters/connectors/shopify.ts';
import type { ParseResult } from '../../../functions/app/connectors.ts';
import { hmacSha256, sha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import {
  type CanonicalEvent,
  CanonicalEvent as CanonicalEventSchema,
  type EventOf,
} from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const secret = 'shpss_test_app_secret';
const config = (...secrets: string[]) => ({ secrets, settings: {} });
const sign = (body: Buffer | string, key = secret) => hmacSha256(key, body, 'base64');

function request(file: string, topic: string, headers: Record<string, string> = {}) {
  const body = loadSample('shopify', file);
  return rawRequest(body, {
    'X-Shopify-Topic': topic,
    'X-Shopify-Hmac-Sha256': sign(body),
    'X-Shopify-Event-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    ...headers,
  });
}

/** Parses a sample and checks every event against the canonical schema, as the worker does. */
function parseSample(file: string, topic: string, headers: Record<string, string> = {}): CanonicalEvent[] {
  const result = shopify.parse(request(file, topic, headers), parseContext(`${file}:${topic}`));
  return eventsOf(result);
}

function eventsOf(result: ParseResult): CanonicalEvent[] {
  if (result.kind !== 'events') throw new Error(`expected events, got ignored: ${result.reason}`);
  return result.events.map((event) => CanonicalEventSchema.parse(event));
}

function only<T extends CanonicalEvent['type']>(events: CanonicalEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

describe('shopify connector: verify', () => {
  it("verifies Shopify's public SDK test vector (14-byte body, secret test_secret_key)", () => {
    const body = Buffer.from('{"foo": "bar"}', 'utf8');
    expect(body.length).toBe(14);
    const req = rawRequest(body, { 'X-Shopify-Hmac-Sha256': 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=' });
    expect(shopify.verify(req, config('test_secret_key'))).toBe(true);
    expect(shopify.verify(req, config('test_secret_key_'))).toBe(false);
  });

  it('verifies a sample signed with the app secret and rejects a wrong secret', () => {
    const req = request('orders-create.json', 'orders/create');
    expect(shopify.verify(req, config(secret))).toBe(true);
    expect(shopify.verify(req, config('another-app-secret'))).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const body = loadSample('shopify', 'orders-create.json');
    const tampered = Buffer.from(body);
    const at = tampered.indexOf('404.95');
    tampered[at] = '5'.charCodeAt(0);
    const req = rawRequest(tampered, { 'x-shopify-hmac-sha256': sign(body) });
    expect(shopify.verify(req, config(secret))).toBe(false);
  });

  it('rejects a request without the signature header', () => {
    const body = loadSample('shopify', 'orders-create.json');
    expect(shopify.verify(rawRequest(body, { 'x-shopify-topic': 'orders/create' }), config(secret))).toBe(
      false,
    );
  });

  it('accepts the previous secret during a rotation, and neither secret of another app', () => {
    const body = loadSample('shopify', 'orders-paid.json');
    const rotating = config('new-secret', secret);
    expect(shopify.verify(rawRequest(body, { 'x-shopify-hmac-sha256': sign(body) }), rotating)).toBe(true);
    expect(
      shopify.verify(rawRequest(body, { 'x-shopify-hmac-sha256': sign(body, 'new-secret') }), rotating),
    ).toBe(true);
    expect(shopify.verify(rawRequest(body, { 'x-shopify-hmac-sha256': sign(body, 'third') }), rotating)).toBe(
      false,
    );
  });

  it('never verifies with an empty secret', () => {
    const body = Buffer.from('{}');
    expect(shopify.verify(rawRequest(body, { 'x-shopify-hmac-sha256': sign(body, '') }), config(''))).toBe(
      false,
    );
  });
});

describe('shopify connector: dedupe key and topic', () => {
  it('dedupes on the event id, shared by retries, before the per-delivery webhook id', () => {
    const headers = { 'x-shopify-event-id': 'evt-1', 'x-shopify-webhook-id': 'delivery-1' };
    expect(shopify.dedupeKey(rawRequest('{}', headers))).toBe('evt-1');
    expect(shopify.dedupeKey(rawRequest('{}', { 'x-shopify-webhook-id': 'delivery-1' }))).toBe('delivery-1');
  });

  it('falls back to a hash of the body when Shopify sent no id', () => {
    expect(shopify.dedupeKey(rawRequest('{"id":1}'))).toBe(`sha256:${sha256('{"id":1}')}`);
  });

  it('reads the topic from X-Shopify-Topic', () => {
    expect(shopify.topic(rawRequest('{}', { 'X-Shopify-Topic': 'orders/paid' }))).toBe('orders/paid');
    expect(shopify.topic(rawRequest('{}'))).toBeUndefined();
  });
});

describe('shopify connector: order snapshots', () => {
  it('keeps order, line, product and customer ids above 2^53 exact', () => {
    const raw = loadSample('shopify', 'orders-create.json').toString('utf8');
    // The trap this guards against: JSON.parse rounds Shopify's sample order id.
    expect(String(JSON.parse(raw).id)).not.toBe('820982911946154508');

    const [placed] = only(parseSample('orders-create.json', 'orders/create'), 'OrderPlaced');
    expect(placed?.orderId).toBe('820982911946154508');
    expect(placed?.order.lines?.map((l) => l.lineId)).toEqual([
      '487817672276298554',
      '789012345678901234',
      '890123456789012345',
      '976318377106520349',
      '315789986012684393',
    ]);
    expect(placed?.order.lines?.[0]?.productId).toBe('788032119674292922');
    expect(placed?.order.customer?.externalId).toBe('115310627314723954');
  });

  it('turns orders/create into OrderPlaced with facts in minor units and UTC times', () => {
    const events = parseSample('orders-create.json', 'orders/create');
    const [placed] = only(events, 'OrderPlaced');
    expect(placed).toMatchObject({
      provider: 'shopify',
      occurredAt: '2022-01-01T00:00:00.000Z',
      order: {
        number: '#9999',
        currency: 'USD',
        totals: { subtotal: 40495, shipping: 1000, tax: 0, discount: 2000, total: 40495 },
        customer: { email: 'jon@example.com', name: 'John Smith', acceptsMarketing: true },
        shippingAddress: { name: 'Steve Shipper', country: 'US', city: 'Shippington', postalCode: '40003' },
        placedAt: '2022-01-01T00:00:00.000Z',
        fulfillment: 'unfulfilled',
        providerStatus: 'voided/unfulfilled',
      },
    });
    expect(placed?.order.lines?.[0]).toMatchObject({
      sku: 'SKU2006-001',
      title: 'Aviator sunglasses',
      quantity: 1,
      unitPrice: 8999,
      total: 8999,
    });
  });

  it('emits every fact the snapshot proves: the published sample is a cancelled, voided order', () => {
    const events = parseSample('orders-create.json', 'orders/create');
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(only(events, 'OrderCancelled')[0]).toMatchObject({
      orderId: '820982911946154508',
      cancelledAt: '2022-01-01T00:00:00.000Z',
      reason: 'customer',
    });
  });

  it('reports any other order topic as OrderUpdated with the same facts', () => {
    for (const topic of [
      'orders/cancelled',
      'orders/updated',
      'orders/fulfilled',
      'orders/partially_fulfilled',
    ]) {
      const events = parseSample('orders-create.json', topic);
      expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderCancelled']);
    }
  });

  it('turns a paid snapshot into OrderPaid at processed_at, the same in every snapshot', () => {
    const events = parseSample('orders-paid.json', 'orders/paid');
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderPaid']);
    expect(only(events, 'OrderPaid')[0]).toMatchObject({
      orderId: '820982911946154508',
      occurredAt: '2022-01-01T14:30:00.000Z',
      paidAt: '2022-01-01T00:00:00.000Z',
    });
  });

  it('does not treat partially_paid or authorized orders as paid', () => {
    for (const status of ['partially_paid', 'authorized', 'pending']) {
      const body = loadSample('shopify', 'orders-paid.json')
        .toString('utf8')
        .replace('"financial_status": "paid"', `"financial_status": "${status}"`);
      const result = shopify.parse(
        rawRequest(body, { 'x-shopify-topic': 'orders/updated' }),
        parseContext(status),
      );
      expect(eventsOf(result).map((e) => e.type)).toEqual(['OrderUpdated']);
    }
  });

  it('recovers shipments and refunds from an orders/updated snapshot', () => {
    const events = parseSample('orders-updated.json', 'orders/updated');
    expect(events.map((e) => e.type)).toEqual([
      'OrderUpdated',
      'OrderPaid',
      'ShipmentCreated',
      'OrderRefunded',
    ]);
    expect(only(events, 'OrderUpdated')[0]?.order).toMatchObject({
      fulfillment: 'fulfilled',
      providerStatus: 'partially_refunded/fulfilled',
    });
    expect(only(events, 'ShipmentCreated')[0]).toMatchObject({
      orderId: '820982911946154508',
      fulfillmentId: '123456',
      carrier: 'UPS',
      trackingNumber: '1z827wk74630',
      trackingUrl: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630',
      direction: 'outbound',
      shippedAt: '2022-01-02T13:00:00.000Z',
    });
    expect(only(events, 'OrderRefunded')[0]).toMatchObject({
      refundId: '890088186047892319',
      amount: 8500,
      currency: 'USD',
      reason: 'Things were damaged',
      occurredAt: '2022-01-01T00:00:00.000Z',
    });
  });

  it('gives each fact a stable event id and the same ids for the same request', () => {
    const req = request('orders-updated.json', 'orders/updated');
    const first = eventsOf(shopify.parse(req, parseContext('evt-1')));
    const again = eventsOf(shopify.parse(req, parseContext('evt-1')));
    expect(again).toEqual(first);
    expect(new Set(first.map((e) => e.eventId)).size).toBe(first.length);
  });
});

describe('shopify connector: fulfillments', () => {
  it('turns fulfillments/create into ShipmentCreated with the raw carrier name and the lines shipped', () => {
    const [shipment, ...rest] = only(
      parseSample('fulfillments-create.json', 'fulfillments/create'),
      'ShipmentCreated',
    );
    expect(rest).toHaveLength(0);
    expect(shipment).toMatchObject({
      orderId: '820982911946154508',
      fulfillmentId: '123456',
      carrier: 'UPS',
      trackingNumber: '1z827wk74630',
      shippedAt: '2022-01-01T00:00:00.000Z',
    });
    expect(shipment?.lines).toContainEqual({ lineId: '487817672276298554', quantity: 1 });
    expect(shipment?.lines).toHaveLength(5);
  });

  it('emits one ShipmentCreated per tracking number, each with its own url', () => {
    const shipments = only(
      parseSample('fulfillments-update-two-parcels.json', 'fulfillments/update'),
      'ShipmentCreated',
    );
    expect(shipments.map((s) => [s.trackingNumber, s.trackingUrl?.slice(-12)])).toEqual([
      ['1z827wk74630', '1z827wk74630'],
      ['1z827wk74631', '1z827wk74631'],
    ]);
    expect(shipments[0]?.eventId).not.toBe(shipments[1]?.eventId);
  });

  it('ignores a fulfillment without a tracking number instead of inventing one', () => {
    const result = shopify.parse(
      request('fulfillments-create-no-tracking.json', 'fulfillments/create'),
      parseContext('no-tracking'),
    );
    expect(result).toMatchObject({ kind: 'ignored' });
  });

  it('ignores a cancelled fulfillment', () => {
    const body = loadSample('shopify', 'fulfillments-create.json')
      .toString('utf8')
      .replace('"status": "pending"', '"status": "cancelled"');
    const result = shopify.parse(
      rawRequest(body, { 'x-shopify-topic': 'fulfillments/update' }),
      parseContext('c'),
    );
    expect(result.kind).toBe('ignored');
  });
});

describe('shopify connector: refunds', () => {
  it('turns refunds/create into OrderRefunded for the sum of its successful refund transactions', () => {
    const [refund, ...rest] = parseSample('refunds-create.json', 'refunds/create');
    expect(rest).toHaveLength(0);
    expect(refund).toMatchObject({
      type: 'OrderRefunded',
      orderId: '820982911946154508',
      refundId: '890088186047892319',
      // 75.00 + 10.00
      amount: 8500,
      currency: 'USD',
      occurredAt: '2022-01-01T00:00:00.000Z',
    });
    expect(refund?.type === 'OrderRefunded' && refund.lines).toContainEqual({
      lineId: '976318377106520349',
      quantity: 1,
    });
  });

  it('falls back to the refunded lines subtotal plus tax when no transaction succeeded', () => {
    const body = loadSample('shopify', 'refunds-create.json')
      .toString('utf8')
      .replaceAll('"status": "success"', '"status": "failure"');
    const result = shopify.parse(
      rawRequest(body, { 'x-shopify-topic': 'refunds/create' }),
      parseContext('f'),
    );
    // 89.99 + 19.99 + 24.99 + 159.99 + 119.99, no tax
    expect(eventsOf(result)[0]).toMatchObject({ type: 'OrderRefunded', amount: 41495, currency: 'USD' });
  });
});

describe('shopify connector: returns', () => {
  const triggered = { 'x-shopify-triggered-at': '2026-11-20T08:15:30.123456789Z' };

  it('turns returns/request into AfterSaleRequested (return_refund, requested) at the trigger time', () => {
    const [request] = only(
      parseSample('returns-request.json', 'returns/request', triggered),
      'AfterSaleRequested',
    );
    expect(request).toMatchObject({
      orderId: '4783296544821',
      requestId: '123134564567890',
      caseType: 'return_refund',
      status: 'requested',
      providerStatus: 'requested',
      occurredAt: '2026-11-20T08:15:30.123Z',
    });
  });

  it('reads the returned lines and reasons', () => {
    const [request] = only(
      parseSample('returns-request-with-lines.json', 'returns/request'),
      'AfterSaleRequested',
    );
    expect(request?.lines).toEqual([{ lineId: '487817672276298554', quantity: 2 }]);
    expect(request?.reason).toBe('wrong_item');
  });

  it.each([
    ['returns-approve.json', 'returns/approve', 'approved', 'open'],
    ['returns-decline.json', 'returns/decline', 'rejected', 'declined'],
    ['returns-close.json', 'returns/close', 'closed', 'closed'],
    ['returns-cancel.json', 'returns/cancel', 'cancelled', 'canceled'],
    ['returns-reopen.json', 'returns/reopen', 'approved', 'open'],
  ])('maps %s (%s) to %s', (file, topic, status, providerStatus) => {
    const [event] = parseSample(file, topic, triggered);
    expect(event).toMatchObject({
      type: 'AfterSaleRequested',
      orderId: '4783296544821',
      requestId: '123134564567890',
      status,
      providerStatus,
    });
  });

  it("keeps the merchant's decline reason", () => {
    const [event] = only(parseSample('returns-decline.json', 'returns/decline'), 'AfterSaleRequested');
    expect(event?.reason).toMatch(/^return_period_ended: As discussed on the phone/);
  });
});

describe('shopify connector: what it does not use', () => {
  it('ignores an unknown topic and a request without a topic', () => {
    const body = loadSample('shopify', 'orders-create.json');
    expect(
      shopify.parse(rawRequest(body, { 'x-shopify-topic': 'products/update' }), parseContext('p')),
    ).toEqual({
      kind: 'ignored',
      reason: 'topic products/update is not used',
    });
    expect(shopify.parse(rawRequest(body), parseContext('n')).kind).toBe('ignored');
  });

  it('refuses a signed body that is not JSON or not an order', () => {
    const ctx = parseContext('bad');
    expect(() => shopify.parse(rawRequest('{not json', { 'x-shopify-topic': 'orders/create' }), ctx)).toThrow(
      UnparseablePayloadError,
    );
    expect(() => shopify.parse(rawRequest('{"id": 1}', { 'x-shopify-topic': 'orders/create' }), ctx)).toThrow(
      /not a Shopify order/,
    );
  });
});
