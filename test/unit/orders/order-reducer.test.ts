import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../functions/core/engine/types.ts';
import { afterSaleCaseId } from '../../../functions/core/ids.ts';
import { orderReducer } from '../../../functions/core/orders/order.ts';
import { stampOf } from '../../../functions/core/registers.ts';
import { stableId } from '../../../functions/lib/crypto.ts';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import type { Order } from '../../../schemas/order.ts';
import {
  applyContext,
  type Delivery,
  event,
  foldEvents,
  parseDelivery,
  runOrder,
  shopSettings,
} from '../../support/orders.ts';

const shopify = (file: string, topic: string, key?: string) =>
  parseDelivery({ provider: 'shopify', file, headers: { 'x-shopify-topic': topic } }, key);
const woo = (file: string, topic: string, edits?: Delivery['edits']) =>
  parseDelivery({ provider: 'woocommerce', file, headers: { 'x-wc-webhook-topic': topic }, edits });
const taobao = (file: string, key?: string) => parseDelivery({ provider: 'taobao', file }, key);
const doudian = (file: string) => parseDelivery({ provider: 'doudian', file });
const genericSample = () => parseDelivery({ provider: 'generic', file: 'order-placed.json' });

const SHOPIFY_ORDER = '820982911946154508';
const WOO_ORDER = '727';
const BIG_TID = '4105329718216095712';
const REFUND_TID = '2918463734761365258';
const REFUND_ID = '181784773340365852';
/** WooCommerce's sample shop sells in the US: its phone numbers are read with that region. */
const usShop = applyContext(shopSettings({ defaultRegion: 'US' }));

/** Applies events one by one and records the status after each. */
function statuses(events: CanonicalEvent[]): Order['status'][] {
  let order: Order | undefined;
  return events.map((e) => {
    order = orderReducer.apply(order, e, applyContext()).state ?? order;
    return order!.status;
  });
}

const notices = (effects: Effect[]) =>
  effects.filter((e): e is Extract<Effect, { kind: 'notify' }> => e.kind === 'notify');
/** The refund notices (an order also plans its confirmation and program timers). */
const refundNotices = (effects: Effect[]) => notices(effects).filter((n) => n.template === 'order.refunded');
const emitted = (effects: Effect[]) =>
  effects.filter((e): e is Extract<Effect, { kind: 'emit' }> => e.kind === 'emit');

describe('orderReducer: status is derived from the facts', () => {
  it('walks placed → paid → fulfilled → delivered through the Taobao trade messages', () => {
    const events = [
      ...taobao('trade-create-big-tid.json'),
      ...taobao('trade-buyer-pay-big-tid.json'),
      ...taobao('trade-seller-ship.json'),
      ...taobao('trade-success.json'),
    ];
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderPaid', 'OrderUpdated', 'OrderDelivered']);
    expect(statuses(events)).toEqual(['placed', 'paid', 'fulfilled', 'delivered']);
  });

  it('counts a shipment as fulfilled when the marketplace has no fulfilment word (Douyin)', () => {
    const { order } = runOrder([
      ...doudian('trade-create.json'),
      ...doudian('trade-paid.json'),
      ...doudian('trade-seller-ship.json'),
    ]);
    expect(order.fulfillment).toBeUndefined();
    expect(order.shipments).toMatchObject([{ trackingNumber: '75432109876543', direction: 'outbound' }]);
    expect(order.status).toBe('fulfilled');
  });

  it('keeps a cancelled WooCommerce order cancelled when older paid and completed snapshots arrive late', () => {
    const { order } = runOrder(
      [
        ...woo('order-created-on-hold.json', 'order.created'),
        ...woo('order-updated-cancelled.json', 'order.updated'),
        ...woo('order-created.json', 'order.created'),
        ...woo('order-updated-completed.json', 'order.updated'),
      ],
      usShop,
    );
    expect(order.orderId).toBe(WOO_ORDER);
    expect(order.paidAt).toBe('2017-03-22T19:28:08.000Z');
    expect(order.cancelledAt).toBe('2017-03-23T12:00:00.000Z');
    // The late snapshots are older than the cancelled one, so they do not overwrite it either.
    expect(order.providerStatus).toBe('cancelled');
    expect(order.status).toBe('cancelled');
  });

  it('keeps a cancelled order cancelled when a payment dated after the cancel arrives', () => {
    const cancelled = shopify('orders-create.json', 'orders/cancelled');
    const latePayment = event({
      type: 'OrderPaid',
      orderId: SHOPIFY_ORDER,
      occurredAt: '2022-01-05T00:00:00Z',
      paidAt: '2022-01-05T00:00:00Z',
    });
    const { order } = runOrder([...cancelled, latePayment, ...shopify('orders-paid.json', 'orders/paid')]);
    expect(order.cancelledAt).toBe('2022-01-01T00:00:00.000Z');
    expect(order.status).toBe('cancelled');
  });

  it('un-cancels on a restore later than the cancel, in either arrival order', () => {
    const cancelled = woo('order-updated-cancelled.json', 'order.updated');
    const restored = woo('order-restored.json', 'order.restored');
    for (const events of [
      [...cancelled, ...restored],
      [...restored, ...cancelled],
    ]) {
      const { order } = runOrder(events, usShop);
      expect(order.restoredAt).toBe('2017-03-25T11:00:00.000Z');
      expect(order.status).toBe('paid');
    }
  });

  it('stays cancelled when the restore is older than the cancel (a later delete)', () => {
    const { order } = runOrder(
      [...woo('order-restored.json', 'order.restored'), ...woo('order-deleted.json', 'order.deleted')],
      usShop,
    );
    expect(order.cancelReason).toBe('deleted in WooCommerce');
    expect(order.status).toBe('cancelled');
  });

  it('stays cancelled when the restore carries the very instant of the cancel', () => {
    const at = '2026-11-26T01:00:00Z';
    const { order } = runOrder([
      ...genericSample(),
      event({ type: 'OrderCancelled', orderId: SHOPIFY_ORDER, occurredAt: at, cancelledAt: at }),
      event({ type: 'OrderRestored', orderId: SHOPIFY_ORDER, occurredAt: at }),
    ]);
    expect(order.status).toBe('cancelled');
  });
});

describe('orderReducer: refunds', () => {
  it('counts a refund once when refunds/create and the orders/updated snapshot both carry it', () => {
    const { order, effects } = runOrder([
      ...shopify('orders-paid.json', 'orders/paid'),
      ...shopify('refunds-create.json', 'refunds/create'),
      ...shopify('orders-updated.json', 'orders/updated'),
    ]);
    expect(order.refunds).toEqual([
      {
        refundId: '890088186047892319',
        amount: 8500,
        currency: 'USD',
        at: '2022-01-01T00:00:00.000Z',
        reason: 'Things were damaged',
      },
    ]);
    expect(order.refundedTotal).toBe(8500);
    expect(refundNotices(effects)).toHaveLength(1);
    expect(order.status).toBe('partially_refunded');
  });

  it('is refunded when the refunds cover the total, partially refunded below it', () => {
    const full = runOrder(
      [...woo('order-created.json', 'order.created'), ...woo('order-updated-refunded.json', 'order.updated')],
      usShop,
    ).order;
    expect(full.refundedTotal).toBe(2935);
    expect(full.totals?.total).toBe(2935);
    expect(full.status).toBe('refunded');

    const partial = runOrder(woo('order-updated-refunds.json', 'order.updated'), usShop).order;
    expect(partial.refunds.map((r) => [r.refundId, r.amount])).toEqual([
      ['724', 900],
      ['726', 1000],
    ]);
    expect(partial.refundedTotal).toBe(1900);
    expect(partial.status).toBe('partially_refunded');
  });

  it('lets a full refund outrank a cancellation, and a cancellation outrank a partial refund', () => {
    const cancel = event({
      type: 'OrderCancelled',
      orderId: SHOPIFY_ORDER,
      occurredAt: '2026-11-21T00:00:00Z',
      cancelledAt: '2026-11-21T00:00:00Z',
    });
    const refund = (refundId: string, amount: number) =>
      event({
        type: 'OrderRefunded',
        eventId: `refund-${refundId}`,
        orderId: SHOPIFY_ORDER,
        occurredAt: '2026-11-21T01:00:00Z',
        refundId,
        amount,
        currency: 'CNY',
      });
    expect(runOrder([...genericSample(), cancel, refund('a', 1000)]).order.status).toBe('cancelled');
    expect(runOrder([...genericSample(), cancel, refund('a', 1000), refund('b', 24600)]).order.status).toBe(
      'refunded',
    );
  });

  it('plans one order.refunded notice per refund, with an id made of the order and refund ids', () => {
    const first = runOrder([
      ...shopify('orders-paid.json', 'orders/paid'),
      ...shopify('refunds-create.json', 'refunds/create'),
    ]);
    expect(refundNotices(first.effects)).toEqual([
      {
        kind: 'notify',
        id: stableId(SHOPIFY_ORDER, 'refund', '890088186047892319'),
        template: 'order.refunded',
        orderId: SHOPIFY_ORDER,
        orderProvider: 'shopify',
        customerId: 'shopify-115310627314723954',
        data: { refundId: '890088186047892319', amount: 8500, currency: 'USD' },
      },
    ]);
    // The same refund delivered again (another delivery, new event id) plans nothing more.
    const again = runOrder(
      shopify('refunds-create.json', 'refunds/create', 'redelivered'),
      applyContext(),
      first.order,
    );
    expect(again.effects).toEqual([]);
  });
});

describe('orderReducer: placeholders and snapshots', () => {
  it('makes a placeholder from a shipment and a refund that arrive before orders/create, which fills it', () => {
    const early = runOrder([
      ...shopify('fulfillments-create.json', 'fulfillments/create'),
      ...shopify('refunds-create.json', 'refunds/create'),
    ]).order;
    expect(early).toMatchObject({
      orderId: SHOPIFY_ORDER,
      provider: 'shopify',
      placeholder: true,
      lines: [],
    });
    expect(early.number).toBeUndefined();

    const filled = runOrder(shopify('orders-create.json', 'orders/create'), applyContext(), early).order;
    expect(filled.placeholder).toBe(false);
    expect(filled.number).toBe('#9999');
    expect(filled.lines).toHaveLength(5);
    expect(filled.totals?.total).toBe(40495);
    // What arrived first is still there.
    expect(filled.shipments.map((s) => s.shipmentId)).toEqual(['1Z827WK74630']);
    expect(filled.refundedTotal).toBe(8500);
  });

  it('fills a placeholder made by a Douyin payment with the later-arriving create', () => {
    const paid = runOrder(doudian('trade-paid.json')).order;
    expect(paid.placeholder).toBe(true);
    expect(paid.placedAt).toBeUndefined();

    const created = runOrder(doudian('trade-create.json'), applyContext(), paid).order;
    expect(created.placeholder).toBe(false);
    expect(created.placedAt).toBe('2021-04-21T07:36:27.000Z');
    // The payment's snapshot is newer than the create's: its status word stays.
    expect(created.providerStatus).toBe('2');
    expect(created.status).toBe('paid');
  });

  it('lets an update that arrives before its create keep its newer fields; the create adds the rest', () => {
    const { order } = runOrder([...taobao('trade-seller-ship.json'), ...taobao('trade-create-big-tid.json')]);
    expect(order.placeholder).toBe(false);
    expect(order.providerStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(order.fulfillment).toBe('fulfilled');
    expect(order.placedAt).toBe('2026-11-20T02:15:00.000Z');
    expect(order.status).toBe('fulfilled');
  });

  it('does not let an older snapshot arriving late overwrite newer fields', () => {
    const updated = shopify('orders-updated.json', 'orders/updated');
    const { order } = runOrder([...updated, ...shopify('orders-paid.json', 'orders/paid')]);
    expect(order.providerStatus).toBe('partially_refunded/fulfilled');
    expect(order.fulfillment).toBe('fulfilled');
    expect(order.stamps.providerStatus).toEqual(
      stampOf('2022-01-03T16:45:00.000Z', 'partially_refunded/fulfilled'),
    );
  });

  it('lets a partial newer snapshot set only the fields it carries', () => {
    const placed = genericSample();
    const before = runOrder(placed).order;
    const { order } = runOrder(
      [
        event({
          type: 'OrderUpdated',
          orderId: SHOPIFY_ORDER,
          occurredAt: '2026-11-20T09:00:00Z',
          order: { note: '请用礼盒包装' },
        }),
      ],
      applyContext(),
      before,
    );
    expect(order.note).toBe('请用礼盒包装');
    expect(order.providerStatus).toBe('pending');
    expect(order.lines).toEqual(before.lines);
    expect(order.totals).toEqual(before.totals);
    expect(order.shippingAddress).toEqual(before.shippingAddress);
    expect(order.stamps.lines).toEqual(stampOf('2026-11-20T08:15:00.000Z', before.lines));
  });

  it('breaks a tie at the same instant by the values, whatever arrives first or is re-sent', () => {
    const update = (eventId: string, providerStatus: string) =>
      event({
        type: 'OrderUpdated',
        eventId,
        orderId: 'T-1',
        occurredAt: '2026-11-20T10:00:00Z',
        order: { providerStatus },
      });
    const a = update('evt-a', 'on-hold');
    const b = update('evt-b', 'processing');
    const resent = update('evt-c', 'on-hold'); // the on-hold snapshot again, under a new event id
    // Whichever value has the larger key wins, and no arrival order or re-send changes that.
    const winner = stampOf('', 'on-hold').key > stampOf('', 'processing').key ? 'on-hold' : 'processing';
    for (const events of [
      [a, b],
      [b, a],
      [a, b, resent],
      [resent, b, a],
      [b, resent],
    ]) {
      expect(runOrder(events).order.providerStatus).toBe(winner);
    }
  });

  it('takes the earliest payment time from any source', () => {
    const { order } = runOrder([
      event({
        type: 'OrderPaid',
        orderId: 'T-2',
        occurredAt: '2026-11-20T10:00:00Z',
        paidAt: '2026-11-20T10:00:00Z',
      }),
      event({
        type: 'OrderPaid',
        orderId: 'T-2',
        occurredAt: '2026-11-20T11:00:00Z',
        paidAt: '2026-11-20T09:30:00Z',
      }),
    ]);
    expect(order.paidAt).toBe('2026-11-20T09:30:00.000Z');
  });
});

describe('orderReducer: shipments', () => {
  it('adds a shipment once per normalised tracking number, from whichever topic reports it', () => {
    const { order } = runOrder([
      ...shopify('fulfillments-create.json', 'fulfillments/create'),
      ...shopify('orders-updated.json', 'orders/updated'),
      ...shopify('fulfillments-update-two-parcels.json', 'fulfillments/update'),
      event({
        type: 'ShipmentCreated',
        orderId: SHOPIFY_ORDER,
        occurredAt: '2022-01-02T13:00:00Z',
        trackingNumber: '1Z827WK74630',
        shippedAt: '2022-01-02T13:00:00Z',
      }),
    ]);
    expect(order.shipments.map((s) => s.shipmentId)).toEqual(['1Z827WK74630', '1Z827WK74631']);
    // The earliest time anyone said it shipped.
    expect(order.shipments[0]!.shippedAt).toBe('2022-01-01T00:00:00.000Z');
    expect(order.shipments[0]).toMatchObject({
      carrier: 'UPS',
      fulfillmentId: '123456',
      direction: 'outbound',
    });
  });

  it('files an order first made by a system follow-on under the marketplace the follow-on names', () => {
    const [ret] = emitted(foldEvents(taobao('refund-buyer-return-goods.json'), { followOns: false }).effects);
    expect(ret!.event).toMatchObject({ provider: 'system', orderProvider: 'taobao' });
    const fromSystem = runOrder([ret!.event]).order;
    expect(fromSystem.provider).toBe('taobao');
    const { order } = runOrder(taobao('refund-created-return.json'), applyContext(), fromSystem);
    expect(order.provider).toBe('taobao');
  });
});

describe('orderReducer: after-sale requests', () => {
  it('keeps a reference to the case that is the request’s home, requested at the first report', () => {
    const events = ['refund-success.json', 'refund-created.json'].flatMap((f) => taobao(f));
    const { order } = runOrder(events);
    expect(order.afterSales).toEqual([
      {
        requestId: REFUND_ID,
        caseId: afterSaleCaseId('taobao', REFUND_ID),
        requestedAt: '2022-09-29T06:17:15.000Z',
      },
    ]);
  });

  it('tracks the return parcel on the order without counting it as the order shipping', () => {
    const folded = foldEvents([...taobao('trade-create.json'), ...taobao('refund-buyer-return-goods.json')]);
    const order = folded.order(REFUND_TID)!;
    expect(order.shipments).toMatchObject([{ shipmentId: '888748115975', direction: 'return' }]);
    expect(order.status).toBe('placed');
  });
});

describe('orderReducer: timeline', () => {
  it('lists events newest first, once each, however often they are delivered', () => {
    const events = [
      ...shopify('orders-create.json', 'orders/create'),
      ...shopify('orders-paid.json', 'orders/paid'),
      ...shopify('orders-updated.json', 'orders/updated'),
      ...shopify('refunds-create.json', 'refunds/create'),
    ];
    const { order } = runOrder([...events, ...events.slice(0, 3), ...[...events].reverse()]);
    const ids = order.timeline.map((t) => t.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(events.map((e) => e.eventId).sort());
    const times = order.timeline.map((t) => t.at);
    expect(times).toEqual([...times].sort().reverse());
    // orders/updated made an OrderUpdated and an OrderPaid at that instant: the newest pair leads.
    expect(
      order.timeline
        .slice(0, 2)
        .map((t) => [t.type, t.at])
        .sort(),
    ).toEqual([
      ['OrderPaid', '2022-01-03T16:45:00.000Z'],
      ['OrderUpdated', '2022-01-03T16:45:00.000Z'],
    ]);
  });
});

describe('orderReducer: money and ids', () => {
  it('keeps money in integer minor units', () => {
    const { order } = runOrder(
      [...woo('order-created.json', 'order.created'), ...woo('order-updated-refunded.json', 'order.updated')],
      usShop,
    );
    expect(order.totals).toEqual({ subtotal: 1800, shipping: 1000, tax: 135, discount: 0, total: 2935 });
    expect(order.lines.map((l) => [l.unitPrice, l.total])).toEqual([
      [300, 600],
      [1200, 1200],
    ]);
    const returned = runOrder(taobao('refund-success-return.json')).order;
    const amounts = [
      ...Object.values(order.totals ?? {}),
      ...order.lines.flatMap((l) => [l.unitPrice, l.total]),
      ...order.refunds.map((r) => r.amount),
      order.refundedTotal,
      returned.refundedTotal,
    ];
    expect(amounts.every((n) => Number.isInteger(n))).toBe(true);
    expect(returned.refundedTotal).toBe(5978);
  });

  it('keeps ids above 2^53 as the exact strings the marketplace sent', () => {
    const shop = runOrder([
      ...shopify('orders-create.json', 'orders/create'),
      ...shopify('refunds-create.json', 'refunds/create'),
    ]).order;
    expect(shop.orderId).toBe(SHOPIFY_ORDER);
    expect(shop.lines[0]!.lineId).toBe('487817672276298554');
    expect(shop.refunds[0]!.refundId).toBe('890088186047892319');
    const tb = runOrder([...taobao('trade-create-big-tid.json'), ...taobao('refund-success.json')]);
    expect(tb.order.orderId).toBe(BIG_TID);
    expect(tb.order.number).toBe(BIG_TID);
    const refund = runOrder(taobao('refund-success.json')).order;
    expect(refund.orderId).toBe(REFUND_TID);
    expect(refund.refunds[0]!.refundId).toBe(REFUND_ID);
    expect(refund.afterSales[0]!.requestId).toBe(REFUND_ID);
    for (const id of [shop.orderId, shop.lines[0]!.lineId, refund.refunds[0]!.refundId]) {
      expect(typeof id).toBe('string');
    }
  });

  it('shows the buyer masked: no raw email or phone in the order', () => {
    const shop = runOrder(shopify('orders-create.json', 'orders/create')).order;
    expect(shop.customer).toEqual({
      customerId: 'shopify-115310627314723954',
      name: 'John Smith',
      emailMasked: 'j***@example.com',
    });
    expect(JSON.stringify(shop)).not.toContain('jon@example.com');

    const generic = runOrder(genericSample()).order;
    expect(generic.customer).toMatchObject({
      emailMasked: 'l***@example.com',
      phoneMasked: '+86138****8000',
    });
    const json = JSON.stringify(generic).toLowerCase();
    expect(json).not.toContain('li.lei@example.com');
    expect(json).not.toContain('13800138000');
  });
});
