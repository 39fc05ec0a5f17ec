import fc from 'fast-check';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { type Delivery, genericEvent, parseDelivery } from '../../support/orders.ts';

/*
 * The real-sample scenarios of the order-independence properties (A and B), and the arrivals made
 * of them. The sequences are what the real connectors make of the real samples in events/<provider>/,
 * plus hand-built generic events.
 */

/** Something a shop's system sends, parsed afresh under a dedupe key: a new key means new event ids. */
export interface Source {
  name: string;
  parse(dedupeKey: string): CanonicalEvent[];
}

function memo(parse: (key: string) => CanonicalEvent[]): (key: string) => CanonicalEvent[] {
  const cache = new Map<string, CanonicalEvent[]>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, parse(key));
    return cache.get(key)!;
  };
}

function sample(provider: Delivery['provider'], file: string, headers: Record<string, string> = {}): Source {
  const delivery: Delivery = { provider, file, headers };
  const name = [provider, file, ...Object.values(headers)].join(' ');
  return { name, parse: memo((key) => parseDelivery(delivery, key)) };
}
const shopify = (file: string, topic: string, extra: Record<string, string> = {}) =>
  sample('shopify', file, { 'x-shopify-topic': topic, ...extra });
const woo = (file: string, topic: string) => sample('woocommerce', file, { 'x-wc-webhook-topic': topic });
// Return payloads carry no time; Shopify's trigger header does.
const triggered = (at: string) => ({ 'x-shopify-triggered-at': at });
const generic = (name: string, body: Record<string, unknown>): Source => ({
  name: `generic ${name}`,
  parse: memo((key) => [genericEvent(body, key)]),
});

export const G = '820982911946154508';

/** Each scenario lists its deliveries in the order they happened: the in-order fold follows it. */
export const SCENARIOS: Record<string, Source[]> = {
  shopify: [
    shopify('orders-create.json', 'orders/create'),
    shopify('orders-create.json', 'orders/cancelled'),
    shopify('fulfillments-create.json', 'fulfillments/create'),
    shopify('refunds-create.json', 'refunds/create'),
    shopify('orders-paid.json', 'orders/paid'),
    shopify('fulfillments-update-two-parcels.json', 'fulfillments/update'),
    shopify('orders-updated.json', 'orders/updated'),
  ],
  shopifyReturns: [
    shopify('returns-request-with-lines.json', 'returns/request', triggered('2022-01-05T10:00:00Z')),
    shopify('returns-approve.json', 'returns/approve', triggered('2022-01-05T12:00:00Z')),
    // Approved and declined at the same instant: the status rank decides, whatever the order.
    shopify('returns-decline.json', 'returns/decline', triggered('2022-01-05T12:00:00Z')),
    shopify('returns-reopen.json', 'returns/reopen', triggered('2022-01-06T09:00:00Z')),
    shopify('returns-close.json', 'returns/close', triggered('2022-01-08T09:00:00Z')),
    shopify('returns-cancel.json', 'returns/cancel', triggered('2022-01-08T09:00:00Z')),
  ],
  woocommerce: [
    // on-hold and processing carry the same date_modified_gmt (one second): the tie is broken by id.
    woo('order-created-on-hold.json', 'order.created'),
    woo('order-created.json', 'order.created'),
    woo('order-updated-completed.json', 'order.updated'),
    woo('order-updated-tracking.json', 'order.updated'),
    woo('order-updated-cancelled.json', 'order.updated'),
    woo('order-updated-refunded.json', 'order.updated'),
    woo('order-restored.json', 'order.restored'),
    woo('order-deleted.json', 'order.deleted'),
    woo('order-updated-refunds.json', 'order.updated'),
  ],
  taobao: [
    sample('taobao', 'trade-create.json'),
    sample('taobao', 'trade-buyer-pay.json'),
    sample('taobao', 'trade-close.json'),
    sample('taobao', 'refund-created.json'),
    sample('taobao', 'refund-seller-agree.json'),
    sample('taobao', 'refund-success.json'),
    sample('taobao', 'refund-seller-refuse.json'),
    sample('taobao', 'refund-closed.json'),
    sample('taobao', 'trade-create-big-tid.json'),
    sample('taobao', 'trade-buyer-pay-big-tid.json'),
    sample('taobao', 'trade-seller-ship.json'),
    sample('taobao', 'trade-seller-ship-tracking.json'),
    sample('taobao', 'trade-success.json'),
  ],
  // The return samples are another history of the same refund_id (a return instead of a refund only,
  // another refund_fee), so they are their own scenario: mixed, they would not be one history.
  taobaoReturn: [
    sample('taobao', 'refund-created-return.json'),
    sample('taobao', 'refund-seller-agree-return.json'),
    sample('taobao', 'refund-buyer-return-goods.json'),
    sample('taobao', 'refund-success-return.json'),
  ],
  doudian: [
    sample('doudian', 'trade-create.json'),
    sample('doudian', 'multi-message.json'),
    sample('doudian', 'trade-paid.json'),
    sample('doudian', 'trade-canceled.json'),
    sample('doudian', 'trade-seller-ship.json'),
    sample('doudian', 'refund-created.json'),
    sample('doudian', 'refund-agreed.json'),
    sample('doudian', 'refund-refused.json'),
    sample('doudian', 'refund-success.json'),
    sample('doudian', 'refund-closed.json'),
    sample('doudian', 'trade-success.json'),
    sample('doudian', 'return-created.json'),
    sample('doudian', 'return-apply-agreed.json'),
    sample('doudian', 'return-apply-refused.json'),
    sample('doudian', 'buyer-return-goods.json'),
    sample('doudian', 'return-agreed.json'),
  ],
  generic: [
    sample('generic', 'order-placed.json'),
    generic('paid', {
      type: 'OrderPaid',
      orderId: G,
      occurredAt: '2026-11-20T08:16:00Z',
      paidAt: '2026-11-20T08:16:00Z',
    }),
    generic('partial update', {
      type: 'OrderUpdated',
      orderId: G,
      occurredAt: '2026-11-20T09:00:00Z',
      order: {
        note: '请用礼盒包装',
        providerStatus: 'processing',
        customer: { externalId: 'cust-42', phone: '+86 139 0013 9000' },
      },
    }),
    generic('shipped', {
      type: 'ShipmentCreated',
      orderId: G,
      occurredAt: '2026-11-21T02:00:00Z',
      carrier: 'sf-express',
      trackingNumber: 'SF1234567890123',
      shippedAt: '2026-11-21T02:00:00Z',
    }),
    generic('delivered', {
      type: 'OrderDelivered',
      orderId: G,
      occurredAt: '2026-11-23T05:00:00Z',
      deliveredAt: '2026-11-23T05:00:00Z',
      confirmedBy: 'carrier',
    }),
    generic('return requested', {
      type: 'AfterSaleRequested',
      orderId: G,
      occurredAt: '2026-11-24T01:00:00Z',
      requestId: 'RMA-7',
      caseType: 'return_refund',
      status: 'requested',
      amount: 12800,
      currency: 'CNY',
    }),
    generic('return shipped', {
      type: 'AfterSaleRequested',
      orderId: G,
      occurredAt: '2026-11-24T06:00:00Z',
      requestId: 'RMA-7',
      caseType: 'return_refund',
      status: 'return_in_transit',
      amount: 12800,
      currency: 'CNY',
      returnTrackingNumber: 'SF9876543210987',
      returnCarrier: 'sf-express',
    }),
    generic('refunded', {
      type: 'OrderRefunded',
      orderId: G,
      occurredAt: '2026-11-26T01:00:00Z',
      refundId: 'RF-7',
      amount: 12800,
      currency: 'CNY',
      reason: '退货退款',
    }),
    generic('cancelled', {
      type: 'OrderCancelled',
      orderId: G,
      occurredAt: '2026-11-26T01:00:00Z',
      cancelledAt: '2026-11-26T01:00:00Z',
      reason: 'buyer cancelled',
    }),
    generic('restored at the same instant', {
      type: 'OrderRestored',
      orderId: G,
      occurredAt: '2026-11-26T01:00:00Z',
    }),
  ],
};

/** Which deliveries, in which order, with which copies. */
export interface Run {
  /** In-order events of the chosen deliveries, each delivery's re-send right after it. */
  inOrder: CanonicalEvent[];
  /** In-order events without the re-sends. */
  base: CanonicalEvent[];
  /** The arrival order: shuffled, with same-id duplicates and re-sends at random places. */
  arrived: CanonicalEvent[];
}

/** A permutation by random sort keys, then same-id duplicates spliced in at random places. */
export function arrive(
  pool: CanonicalEvent[],
  keys: number[],
  duplicates: Array<[number, number]>,
): CanonicalEvent[] {
  const arrived = pool
    .map((e, i) => ({ e, key: keys[i % keys.length]!, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.e);
  for (const [which, where] of duplicates) {
    arrived.splice(where % (arrived.length + 1), 0, pool[which % pool.length]!);
  }
  return arrived;
}

export const arrivalArb = {
  keys: fc.array(fc.integer(), { minLength: 64, maxLength: 64 }),
  duplicates: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
};

export function runArb(scenarios: Record<string, Source[]>): fc.Arbitrary<Run> {
  return fc.constantFrom(...Object.keys(scenarios)).chain((scenario) => {
    const sources = scenarios[scenario]!;
    const indices = sources.map((_, i) => i);
    return fc
      .record({
        chosen: fc.subarray(indices, { minLength: 1 }),
        resent: fc.subarray(indices, { maxLength: 3 }),
        // The new event ids a re-send gets are arbitrary: vary them.
        resendKey: fc.nat({ max: 99 }),
        ...arrivalArb,
      })
      .map(({ chosen, resent, resendKey, keys, duplicates }) => {
        const base: CanonicalEvent[] = [];
        const inOrder: CanonicalEvent[] = [];
        const copies: CanonicalEvent[] = [];
        for (const i of chosen) {
          const source = sources[i]!;
          const events = source.parse(`${source.name}#1`);
          base.push(...events);
          inOrder.push(...events);
          if (resent.includes(i)) {
            const again = source.parse(`${source.name}#resent-${resendKey}`);
            inOrder.push(...again);
            copies.push(...again);
          }
        }
        return { inOrder, base, arrived: arrive([...base, ...copies], keys, duplicates) };
      });
  });
}

/**
 * WooCommerce's on-hold and processing snapshots of order 727 (same instant), and the one whose event
 * id lost the tie re-sent under the first new id that sorts after the winner's.
 */
export function wooTieResent(): Run {
  const [onHold, processing] = SCENARIOS.woocommerce!;
  const first = (source: Source, key: string) => source.parse(key)[0]!;
  const [loser, winner] = [onHold!, processing!].sort((a, b) =>
    first(a, `${a.name}#1`).eventId.localeCompare(first(b, `${b.name}#1`).eventId),
  );
  const winnerId = first(winner!, `${winner!.name}#1`).eventId;
  const key = Array.from({ length: 100 }, (_, k) => `${loser!.name}#resent-${k}`).find(
    (k) => first(loser!, k).eventId > winnerId,
  )!;
  const base = [...onHold!.parse(`${onHold!.name}#1`), ...processing!.parse(`${processing!.name}#1`)];
  const again = loser!.parse(key);
  return { base, inOrder: [...base, ...again], arrived: [...base, ...again] };
}
