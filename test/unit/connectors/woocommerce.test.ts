import { describe, expect, it } from 'vitest';
import { woocommerce } from '../../../functions/adapters/connectors/woocommerce.ts';
import type { ParseResult } from '../../../functions/app/connectors.ts';
import { hmacSha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import {
  type CanonicalEvent,
  CanonicalEvent as CanonicalEventSchema,
  type EventOf,
} from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const secret = 'wc-webhook-secret-&<>';
const config = (...secrets: string[]) => ({ secrets, settings: {} });
const sign = (body: Buffer | string, key = secret) => hmacSha256(key, body, 'base64');

/** A delivery as WooCommerce makes it (WC_Webhook::deliver): JSON body plus the X-WC-Webhook-* headers. */
function delivery(file: string, topic: string, deliveryId = 'a3f1c9e0b2d4') {
  const body = loadSample('woocommerce', file);
  const [resource, event] = topic.split('.');
  return rawRequest(body, {
    'Content-Type': 'application/json',
    'X-WC-Webhook-Source': 'https://example.com/',
    'X-WC-Webhook-Topic': topic,
    'X-WC-Webhook-Resource': resource ?? '',
    'X-WC-Webhook-Event': event ?? '',
    'X-WC-Webhook-Signature': sign(body),
    'X-WC-Webhook-ID': '12',
    'X-WC-Webhook-Delivery-ID': deliveryId,
  });
}

function parseSample(file: string, topic: string): CanonicalEvent[] {
  return eventsOf(woocommerce.parse(delivery(file, topic), parseContext(`${file}:${topic}`)));
}

/** Every event must pass the canonical schema, as the worker checks it. */
function eventsOf(result: ParseResult): CanonicalEvent[] {
  if (result.kind !== 'events') throw new Error(`expected events, got ignored: ${result.reason}`);
  return result.events.map((event) => CanonicalEventSchema.parse(event));
}

function only<T extends CanonicalEvent['type']>(events: CanonicalEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

describe('woocommerce connector: verify', () => {
  it("verifies WooCommerce core's unit-test vector (empty secret, body `secret`)", () => {
    const req = rawRequest('secret', {
      'X-WC-Webhook-Signature': 'GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=',
    });
    expect(woocommerce.verify(req, config(''))).toBe(true);
    expect(woocommerce.verify(req, config('not-empty'))).toBe(false);
  });

  it('verifies a signed delivery and rejects a wrong secret', () => {
    const req = delivery('order-created.json', 'order.created');
    expect(woocommerce.verify(req, config(secret))).toBe(true);
    expect(woocommerce.verify(req, config('wrong-secret'))).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const body = loadSample('woocommerce', 'order-created.json');
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('29.35')] = '3'.charCodeAt(0);
    expect(
      woocommerce.verify(rawRequest(tampered, { 'x-wc-webhook-signature': sign(body) }), config(secret)),
    ).toBe(false);
  });

  it('rejects a delivery without the signature header', () => {
    const body = loadSample('woocommerce', 'order-created.json');
    expect(
      woocommerce.verify(rawRequest(body, { 'x-wc-webhook-topic': 'order.created' }), config(secret)),
    ).toBe(false);
  });

  it('accepts the previous secret during a rotation', () => {
    const body = loadSample('woocommerce', 'order-created.json');
    const rotating = config('new-secret', secret);
    expect(woocommerce.verify(rawRequest(body, { 'x-wc-webhook-signature': sign(body) }), rotating)).toBe(
      true,
    );
    expect(
      woocommerce.verify(rawRequest(body, { 'x-wc-webhook-signature': sign(body, 'new-secret') }), rotating),
    ).toBe(true);
    expect(
      woocommerce.verify(rawRequest(body, { 'x-wc-webhook-signature': sign(body, 'old') }), rotating),
    ).toBe(false);
  });

  it('verifies the bytes as sent: the same order re-serialised without `\\/` escapes fails', () => {
    const body = loadSample('woocommerce', 'order-created.json');
    const text = body.toString('utf8');
    expect(text).toContain('"https:\\/\\/example.com\\/wp-json\\/wc\\/v3\\/orders\\/727"');
    const reserialised = JSON.stringify(JSON.parse(text));
    expect(reserialised).not.toBe(text);
    const signature = sign(body);
    expect(
      woocommerce.verify(rawRequest(body, { 'x-wc-webhook-signature': signature }), config(secret)),
    ).toBe(true);
    expect(
      woocommerce.verify(rawRequest(reserialised, { 'x-wc-webhook-signature': signature }), config(secret)),
    ).toBe(false);
  });
});

describe('woocommerce connector: ping', () => {
  const ping = () => loadSample('woocommerce', 'ping.txt');

  it('recognises the unsigned form-encoded ping sent when a webhook is saved', () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' };
    expect(woocommerce.isPing?.(rawRequest(ping(), form))).toBe(true);
    expect(woocommerce.isPing?.(rawRequest(ping()))).toBe(true);
  });

  it('does not take a signed JSON delivery, a signed form body or another form body for a ping', () => {
    expect(woocommerce.isPing?.(delivery('order-created.json', 'order.created'))).toBe(false);
    expect(woocommerce.isPing?.(rawRequest(ping(), { 'x-wc-webhook-signature': sign(ping()) }))).toBe(false);
    expect(woocommerce.isPing?.(rawRequest('webhook_id=12&x=1'))).toBe(false);
    expect(woocommerce.isPing?.(rawRequest(ping(), { 'content-type': 'application/json' }))).toBe(false);
  });
});

describe('woocommerce connector: dedupe key and topic', () => {
  it('dedupes on topic, order id and modification time, not on the per-delivery id', () => {
    const first = delivery('order-updated-completed.json', 'order.updated', 'delivery-1');
    const second = delivery('order-updated-completed.json', 'order.updated', 'delivery-2');
    expect(woocommerce.dedupeKey(first)).toBe('order.updated:727:2017-03-22T19:30:35');
    expect(woocommerce.dedupeKey(second)).toBe(woocommerce.dedupeKey(first));
    expect(woocommerce.dedupeKey(delivery('order-created.json', 'order.created'))).toBe(
      'order.created:727:2017-03-22T19:28:08',
    );
  });

  it('keys order.deleted, which has no modification time, on its delivery', () => {
    const first = delivery('order-deleted.json', 'order.deleted', 'delivery-1');
    const second = delivery('order-deleted.json', 'order.deleted', 'delivery-2');
    expect(woocommerce.dedupeKey(first)).toBe('order.deleted:727:delivery-1');
    expect(woocommerce.dedupeKey(second)).not.toBe(woocommerce.dedupeKey(first));
  });

  it('refuses to key a body without an order id (ingest then hashes the body)', () => {
    expect(() => woocommerce.dedupeKey(rawRequest('[]', { 'x-wc-webhook-topic': 'order.updated' }))).toThrow(
      UnparseablePayloadError,
    );
  });

  it('reads the topic from X-WC-Webhook-Topic, else from resource and event', () => {
    expect(woocommerce.topic(rawRequest('{}', { 'X-WC-Webhook-Topic': 'order.updated' }))).toBe(
      'order.updated',
    );
    expect(
      woocommerce.topic(
        rawRequest('{}', { 'X-WC-Webhook-Resource': 'order', 'X-WC-Webhook-Event': 'created' }),
      ),
    ).toBe('order.created');
  });
});

describe('woocommerce connector: orders', () => {
  it('turns a processing order.created into OrderPlaced and OrderPaid, money in cents, GMT dates as UTC', () => {
    const events = parseSample('order-created.json', 'order.created');
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderPaid']);
    const [placed] = only(events, 'OrderPlaced');
    expect(placed).toMatchObject({
      provider: 'woocommerce',
      orderId: '727',
      occurredAt: '2017-03-22T19:28:08.000Z',
      order: {
        number: '727',
        currency: 'USD',
        totals: { subtotal: 1800, shipping: 1000, tax: 135, discount: 0, total: 2935 },
        customer: { email: 'john.doe@example.com', phone: '(555) 555-5555', name: 'John Doe' },
        shippingAddress: {
          name: 'John Doe',
          country: 'US',
          province: 'CA',
          city: 'San Francisco',
          postalCode: '94103',
        },
        placedAt: '2017-03-22T19:28:02.000Z',
        fulfillment: 'unfulfilled',
        providerStatus: 'processing',
      },
    });
    // A guest checkout (customer_id 0) has no customer id.
    expect(placed?.order.customer?.externalId).toBeUndefined();
    expect(placed?.order.lines).toEqual([
      { lineId: '315', productId: '93', title: 'Woo Single #1', quantity: 2, unitPrice: 300, total: 600 },
      {
        lineId: '316',
        sku: 'Bar3',
        productId: '22',
        variantId: '23',
        title: 'Ship Your Idea \u2013 Color: Black, Size: M Test',
        quantity: 1,
        unitPrice: 1200,
        total: 1200,
      },
    ]);
    expect(only(events, 'OrderPaid')[0]?.paidAt).toBe('2017-03-22T19:28:08.000Z');
  });

  it('keeps an on-hold order (awaiting a bank transfer) as placed, not paid', () => {
    const events = parseSample('order-created-on-hold.json', 'order.created');
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced']);
    expect(only(events, 'OrderPlaced')[0]?.order.providerStatus).toBe('on-hold');
  });

  it('marks a completed order fulfilled and paid at date_paid_gmt', () => {
    const events = parseSample('order-updated-completed.json', 'order.updated');
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderPaid']);
    expect(only(events, 'OrderUpdated')[0]?.order.fulfillment).toBe('fulfilled');
    expect(only(events, 'OrderPaid')[0]).toMatchObject({
      occurredAt: '2017-03-22T19:30:35.000Z',
      paidAt: '2017-03-22T19:28:08.000Z',
    });
  });

  it('turns each entry of `refunds` into OrderRefunded with the absolute amount', () => {
    const events = parseSample('order-updated-refunds.json', 'order.updated');
    // Completed without date_paid_gmt: fulfilled, but no payment proven.
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderRefunded', 'OrderRefunded']);
    expect(only(events, 'OrderRefunded').map((r) => [r.refundId, r.amount, r.currency])).toEqual([
      ['726', 1000, 'USD'],
      ['724', 900, 'USD'],
    ]);
    expect(only(events, 'OrderUpdated')[0]?.order.customer).toEqual({
      externalId: '26',
      email: 'joao.silva@example.com',
      phone: '(11) 1111-1111',
      name: 'Jo\u00e3o Silva',
    });
  });

  it('turns a refunded order into OrderRefunded with its reason', () => {
    const events = parseSample('order-updated-refunded.json', 'order.updated');
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderPaid', 'OrderRefunded']);
    expect(only(events, 'OrderRefunded')[0]).toMatchObject({
      orderId: '727',
      refundId: '728',
      amount: 2935,
      currency: 'USD',
      reason: 'Damaged in transit',
      occurredAt: '2017-03-24T13:05:00.000Z',
    });
  });

  it('turns a cancelled order into OrderCancelled at its modification time', () => {
    const events = parseSample('order-updated-cancelled.json', 'order.updated');
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderCancelled']);
    expect(only(events, 'OrderCancelled')[0]).toMatchObject({
      orderId: '727',
      cancelledAt: '2017-03-23T12:00:00.000Z',
    });
  });

  it('reads Shipment Tracking meta into ShipmentCreated, with the shipped date from unix seconds', () => {
    const shipments = only(parseSample('order-updated-tracking.json', 'order.updated'), 'ShipmentCreated');
    expect(shipments).toHaveLength(2);
    expect(shipments[0]).toMatchObject({
      orderId: '727',
      carrier: 'usps',
      trackingNumber: '9400111899560000000000',
      shippedAt: '2017-03-22T00:00:00.000Z',
      direction: 'outbound',
    });
    expect(shipments[1]).toMatchObject({
      carrier: 'Example Courier',
      trackingNumber: '12345678',
      trackingUrl: 'https://example.com/track/12345678',
      shippedAt: '2017-03-23T00:00:00.000Z',
    });
  });

  it('turns order.deleted into OrderCancelled at the time it was received', () => {
    const ctx = parseContext('deleted');
    const events = eventsOf(woocommerce.parse(delivery('order-deleted.json', 'order.deleted'), ctx));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'OrderCancelled',
        orderId: '727',
        reason: 'deleted in WooCommerce',
        cancelledAt: ctx.receivedAt,
        occurredAt: ctx.receivedAt,
      }),
    ]);
  });

  it('turns order.restored into OrderRestored with the order facts', () => {
    const events = parseSample('order-restored.json', 'order.restored');
    expect(events.map((e) => e.type)).toEqual(['OrderRestored', 'OrderPaid']);
    expect(only(events, 'OrderRestored')[0]).toMatchObject({
      orderId: '727',
      occurredAt: '2017-03-25T11:00:00.000Z',
      order: { number: '727', providerStatus: 'processing' },
    });
  });

  it('gives the same event ids for the same delivery and distinct ids within it', () => {
    const req = delivery('order-updated-tracking.json', 'order.updated');
    const first = eventsOf(woocommerce.parse(req, parseContext('k')));
    expect(eventsOf(woocommerce.parse(req, parseContext('k')))).toEqual(first);
    expect(new Set(first.map((e) => e.eventId)).size).toBe(first.length);
  });
});

describe('woocommerce connector: leniency', () => {
  it('still reads an order whose other fields are malformed', () => {
    const body = JSON.stringify({
      id: 731,
      status: 'processing',
      currency: 'EUR',
      date_modified_gmt: '2026-11-20T08:00:00',
      date_paid_gmt: 'not a date',
      total: '12.50',
      billing: 5,
      line_items: [
        { id: 1, name: 'Mug', quantity: 1, subtotal: '12.50', total: '12.50' },
        'garbage',
        { name: 'no id' },
      ],
      refunds: 'none',
      meta_data: { unexpected: true },
    });
    const events = eventsOf(
      woocommerce.parse(rawRequest(body, { 'x-wc-webhook-topic': 'order.updated' }), parseContext('l')),
    );
    expect(events.map((e) => e.type)).toEqual(['OrderUpdated', 'OrderPaid']);
    expect(only(events, 'OrderUpdated')[0]?.order).toMatchObject({
      number: '731',
      totals: { total: 1250 },
      lines: [{ lineId: '1', title: 'Mug', unitPrice: 1250, total: 1250 }],
    });
    // processing without a usable date_paid_gmt: paid when the order was last modified.
    expect(only(events, 'OrderPaid')[0]?.paidAt).toBe('2026-11-20T08:00:00.000Z');
  });

  it('ignores topics it does not use', () => {
    const body = loadSample('woocommerce', 'order-created.json');
    const result = woocommerce.parse(
      rawRequest(body, { 'x-wc-webhook-topic': 'product.updated' }),
      parseContext('p'),
    );
    expect(result).toEqual({ kind: 'ignored', reason: 'topic product.updated is not used' });
  });

  it('refuses a body that is not JSON or has no order id', () => {
    const ctx = parseContext('bad');
    expect(() =>
      woocommerce.parse(rawRequest('{oops', { 'x-wc-webhook-topic': 'order.updated' }), ctx),
    ).toThrow(UnparseablePayloadError);
    expect(() =>
      woocommerce.parse(rawRequest('{"status":"x"}', { 'x-wc-webhook-topic': 'order.updated' }), ctx),
    ).toThrow(/not a WooCommerce order/);
  });
});
