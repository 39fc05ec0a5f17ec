import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../functions/core/engine/types.ts';
import type { Customer } from '../../../schemas/customer.ts';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import type { Order } from '../../../schemas/order.ts';
import {
  type Delivery,
  deliveryKey,
  effectId,
  type Folded,
  foldEvents,
  genericEvent,
  parseDelivery,
} from '../../support/orders.ts';

/*
 * The "Done when": a property test over shuffled and duplicated event sequences always ends
 * in the in-order state. The sequences are what the real connectors make of the real samples in
 * events/<provider>/, plus hand-built generic events.
 *
 * For any subset of a scenario's deliveries, any permutation of their events and any duplicates:
 * A. duplicates keep their event id (a retried delivery or queue message). Folded as the store does
 *    (applied-markers) and also with every copy reaching the reducers, the orders and customers equal
 *    the in-order fold, deep, and the same effect ids are published.
 * B. re-sent facts get NEW event ids (the provider delivered the same fact again under another
 *    event id, e.g. the same Shopify snapshot as orders/updated twice). The state equals the in-order
 *    fold of the same deliveries, deep; and apart from the delivery log (timeline entries and the
 *    stamps naming which event set a field) it equals the state without the re-sends: a re-sent fact
 *    changes nothing. The effect ids are those of the run without re-sends.
 */

/** Something a shop's system sends: parsed afresh under a dedupe key, so a new key means new event ids. */
interface Source {
  name: string;
  parse(dedupeKey: string): CanonicalEvent[];
}

const shopify = (file: string, topic: string, headers: Record<string, string> = {}): Source => {
  const delivery: Delivery = { provider: 'shopify', file, headers: { 'x-shopify-topic': topic, ...headers } };
  return { name: `shopify ${topic} ${file}`, parse: (key) => parseDelivery(delivery, key) };
};
const sample = (provider: Delivery['provider'], file: string, headers: Record<string, string> = {}): Source => {
  const delivery: Delivery = { provider, file, headers };
  return { name: `${provider} ${file}`, parse: (key) => parseDelivery(delivery, key) };
};
const woo = (file: string, topic: string) => sample('woocommerce', file, { 'x-wc-webhook-topic': topic });
const triggered = (at: string) => ({ 'x-shopify-triggered-at': at });
const generic = (name: string, body: Record<string, unknown>): Source => ({
  name: `generic ${name}`,
  parse: (key) => [genericEvent(body, key)],
});

/** Each scenario lists its deliveries in the order they happened: the in-order fold follows it. */
const SCENARIOS: Record<string, Source[]> = {
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
    shopify('returns-request.json', 'returns/request', triggered('2022-01-05T10:00:00Z')),
    shopify('returns-approve.json', 'returns/approve', triggered('2022-01-05T12:00:00Z')),
    shopify('returns-decline.json', 'returns/decline', triggered('2022-01-05T12:00:00Z')),
    shopify('returns-reopen.json', 'returns/reopen', triggered('2022-01-06T09:00:00Z')),
    shopify('returns-close.json', 'returns/close', triggered('2022-01-08T09:00:00Z')),
    shopify('returns-cancel.json', 'returns/cancel', triggered('2022-01-08T09:00:00Z')),
  ],
  woocommerce: [
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
  // The return samples are another history of the same refund_id (a return instead of a refund only),
  // so they form their own scenario: one refund id with two different amounts is not one history.
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
      orderId: '820982911946154508',
      occurredAt: '2026-11-20T08:16:00Z',
      paidAt: '2026-11-20T08:16:00Z',
    }),
    generic('partial update', {
      type: 'OrderUpdated',
      orderId: '820982911946154508',
      occurredAt: '2026-11-20T09:00:00Z',
      order: { note: '请用礼盒包装', providerStatus: 'processing', customer: { externalId: 'cust-42', phone: '+86 139 0013 9000' } },
    }),
    generic('shipped', {
      type: 'ShipmentCreated',
      orderId: '820982911946154508',
      occurredAt: '2026-11-21T02:00:00Z',
      carrier: 'sf-express',
      trackingNumber: 'SF1234567890123',
      shippedAt: '2026-11-21T02:00:00Z',
    }),
    generic('delivered', {
      type: 'OrderDelivered',
      orderId: '820982911946154508',
      occurredAt: '2026-11-23T05:00:00Z',
      deliveredAt: '2026-11-23T05:00:00Z',
      confirmedBy: 'carrier',
    }),
    generic('return requested', {
      type: 'AfterSaleRequested',
      orderId: '820982911946154508',
      occurredAt: '2026-11-24T01:00:00Z',
      requestId: 'RMA-7',
      caseType: 'return_refund',
      status: 'requested',
      amount: 12800,
      currency: 'CNY',
    }),
    generic('return shipped', {
      type: 'AfterSaleRequested',
      orderId: '820982911946154508',
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
      orderId: '820982911946154508',
      occurredAt: '2026-11-26T01:00:00Z',
      refundId: 'RF-7',
      amount: 12800,
      currency: 'CNY',
      reason: '退货退款',
    }),
    generic('cancelled after refund', {
      type: 'OrderCancelled',
      orderId: '820982911946154508',
      occurredAt: '2026-11-26T01:00:00Z',
      cancelledAt: '2026-11-26T01:00:00Z',
    }),
  ],
};

/** What a scenario run is: which deliveries, in which order, with which copies. */
interface Run {
  scenario: string;
  /** In-order events of the chosen deliveries (each delivery's re-sends right after it). */
  inOrder: CanonicalEvent[];
  /** In-order events without the re-sends. */
  base: CanonicalEvent[];
  /** The arrival order: shuffled, with same-id duplicates and re-sends at random places. */
  arrived: CanonicalEvent[];
}

const runArb = (scenarios: string[]): fc.Arbitrary<Run> =>
  fc.constantFrom(...scenarios).chain((scenario) => {
    const sources = SCENARIOS[scenario]!;
    const indices = sources.map((_, i) => i);
    return fc
      .record({
        chosen: fc.subarray(indices, { minLength: 1 }),
        resent: fc.subarray(indices, { maxLength: 3 }),
        seed: fc.array(fc.integer(), { minLength: 64, maxLength: 64 }),
        duplicates: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
      })
      .map(({ chosen, resent, seed, duplicates }) => {
        const base: CanonicalEvent[] = [];
        const inOrder: CanonicalEvent[] = [];
        const copies: CanonicalEvent[] = [];
        for (const i of chosen) {
          const source = sources[i]!;
          const events = source.parse(`${scenario}#${i}`);
          base.push(...events);
          inOrder.push(...events);
          if (resent.includes(i)) {
            const again = source.parse(`${scenario}#${i}#resent`);
            inOrder.push(...again);
            copies.push(...again);
          }
        }
        const pool = [...base, ...copies];
        const arrived = pool
          .map((event, i) => ({ event, key: seed[i % seed.length]! + i * 1e-6 }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.event);
        for (const [which, where] of duplicates) {
          arrived.splice(where % (arrived.length + 1), 0, pool[which % pool.length]!);
        }
        return { scenario, inOrder, base, arrived };
      });
  });

type Snapshot = { orders: Record<string, unknown>; customers: Record<string, unknown> };

const snapshot = (folded: Folded): Snapshot => ({
  orders: folded.all('order'),
  customers: folded.all('customer'),
});

const effectIds = (effects: Effect[]) => [...new Set(effects.map(effectId))].sort();

/** The state without the delivery log: what the facts say, not which delivery said it. */
function factsOf(s: Snapshot): Snapshot {
  const orders = Object.fromEntries(
    Object.entries(s.orders).map(([id, o]) => {
      const { timeline: _t, stamps: _s, ...facts } = o as Order;
      return [id, facts];
    }),
  );
  const customers = Object.fromEntries(
    Object.entries(s.customers).map(([id, c]) => {
      const { stamps: _s, ...facts } = c as Customer;
      return [id, facts];
    }),
  );
  return { orders, customers };
}

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe('Order and Customer state do not depend on arrival order', () => {
  const scenarios = Object.keys(SCENARIOS);

  it.each(scenarios)('builds the %s scenario from real connector output', (name) => {
    const events = SCENARIOS[name]!.flatMap((s, i) => s.parse(`${name}#${i}`));
    expect(events.length).toBeGreaterThan(3);
    const folded = foldEvents(events);
    expect(Object.keys(folded.all('order')).length).toBeGreaterThan(0);
  });

  it('A: shuffled with same-id duplicates ends in the in-order state (store dedupe and reducer alone)', () => {
    fc.assert(
      fc.property(runArb(scenarios), (run) => {
        const expected = foldEvents(run.inOrder);
        for (const dedupe of [true, false]) {
          const actual = foldEvents(run.arrived, { dedupe });
          expect(snapshot(actual)).toEqual(snapshot(expected));
          expect(effectIds(actual.effects)).toEqual(effectIds(expected.effects));
        }
      }),
      RUNS,
    );
  });

  it('B: facts re-sent under new event ids change nothing but the delivery log', () => {
    fc.assert(
      fc.property(runArb(scenarios), (run) => {
        const withoutResends = foldEvents(run.base);
        const actual = foldEvents(run.arrived, { dedupe: false });
        expect(factsOf(snapshot(actual))).toEqual(factsOf(snapshot(withoutResends)));
        expect(effectIds(actual.effects)).toEqual(effectIds(withoutResends.effects));
      }),
      RUNS,
    );
  });
});
