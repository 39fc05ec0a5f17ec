import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { event, foldEvents, parseDelivery } from '../../support/orders.ts';
import { AT, H } from './hand-built.ts';
import { G } from './scenarios.ts';

/*
 * Arrival-order bugs found in functions/core/orders/order.ts (and one in the routing) by the
 * properties of order-order-independence.property.test.ts, each with its minimal counterexample.
 * BUG-1 to BUG-7 are fixed (values merge as registers ordered by event time and a digest of the
 * value, never by event id or arrival: core/orders/registers.ts) and stay as regression tests.
 * BUG-8 is fixed too: orders are keyed by marketplace and id (core/engine/route.ts).
 */
describe('arrival-order bugs found by the order-independence properties (minimal counterexamples)', () => {
  const both = (events: CanonicalEvent[]) => [foldEvents(events), foldEvents([...events].reverse())];

  // BUG-1: OrderCancelled sets cancelReason only when the event wins and has a reason, and never
  // clears it; the losing cancel's reason is dropped or kept depending on which arrived first.
  it('BUG-1: the cancel reason does not depend on which cancellation arrived first', () => {
    const [inOrder, reversed] = both([
      event({
        type: 'OrderCancelled',
        eventId: 'c1',
        orderId: H,
        occurredAt: AT[0]!,
        cancelledAt: AT[0]!,
        reason: 'customer',
      }),
      event({ type: 'OrderCancelled', eventId: 'c2', orderId: H, occurredAt: AT[1]!, cancelledAt: AT[1]! }),
    ]);
    expect(reversed!.order(H)).toEqual(inOrder!.order(H));
  });

  // BUG-2: OrderRefunded keeps the first copy of a refund id it sees. WooCommerce repeats every refund
  // in every later order.updated, stamped with that snapshot's date_modified_gmt, so refunds[].at is
  // the time of whichever snapshot arrived first.
  it('BUG-2: a refund repeated by a later WooCommerce snapshot keeps one time, whatever arrives first', () => {
    const headers = { 'x-wc-webhook-topic': 'order.updated' };
    const refunded = parseDelivery({ provider: 'woocommerce', file: 'order-updated-refunded.json', headers });
    const later = parseDelivery({
      provider: 'woocommerce',
      file: 'order-updated-refunded.json',
      headers,
      // The shop edits the order two days later; the refund is in the snapshot again.
      edits: [['"date_modified_gmt":"2017-03-24T13:05:00"', '"date_modified_gmt":"2017-03-26T09:00:00"']],
    });
    const inOrder = foldEvents([...refunded, ...later]).order('727')!;
    const reversed = foldEvents([...later, ...refunded]).order('727')!;
    expect(reversed.refunds).toEqual(inOrder.refunds);
  });

  // BUG-3: OrderDelivered keeps the first confirmer of the earliest delivery time: two confirmations
  // at the same instant are not broken by anything deterministic.
  it('BUG-3: the delivery confirmer at a tied instant does not depend on arrival', () => {
    const [inOrder, reversed] = both([
      event({
        type: 'OrderDelivered',
        eventId: 'd1',
        orderId: H,
        occurredAt: AT[1]!,
        deliveredAt: AT[1]!,
        confirmedBy: 'buyer',
      }),
      event({
        type: 'OrderDelivered',
        eventId: 'd2',
        orderId: H,
        occurredAt: AT[1]!,
        deliveredAt: AT[1]!,
        confirmedBy: 'carrier',
      }),
    ]);
    expect(reversed!.order(H)).toEqual(inOrder!.order(H));
  });

  // BUG-4: ShipmentCreated merges a shipment ref by "this event's value, else the existing one": the
  // last ARRIVAL wins trackingNumber (spelling), carrier, trackingUrl, fulfillmentId and direction,
  // not the latest event. Here the shop corrects the carrier of a Shopify fulfillment a day later.
  it('BUG-4: the carrier of a shipment is the latest one reported, not the last to arrive', () => {
    const created = parseDelivery({
      provider: 'shopify',
      file: 'fulfillments-create.json',
      headers: { 'x-shopify-topic': 'fulfillments/create' },
    });
    const corrected = parseDelivery({
      provider: 'shopify',
      file: 'fulfillments-update-two-parcels.json',
      headers: { 'x-shopify-topic': 'fulfillments/update' },
      edits: [['"tracking_company": "UPS"', '"tracking_company": "FedEx"']],
    });
    const inOrder = foldEvents([...created, ...corrected]).order(G)!;
    const reversed = foldEvents([...corrected, ...created]).order(G)!;
    expect(inOrder.shipments.find((s) => s.shipmentId === '1Z827WK74630')?.carrier).toBe('FedEx');
    expect(reversed.shipments).toEqual(inOrder.shipments);
  });

  // BUG-5: AfterSaleRequested at the same instant and the same status rank keeps the first arrival's
  // caseType/amount/providerStatus/reason (no tie-break on the event id).
  it('BUG-5: two reports of one request at one instant and status merge the same either way', () => {
    const base = {
      type: 'AfterSaleRequested',
      orderId: H,
      occurredAt: AT[1]!,
      requestId: 'Q1',
      status: 'rejected',
    } as const;
    const [inOrder, reversed] = both([
      event({ ...base, eventId: 'a1', caseType: 'refund_only', amount: 1000, currency: 'CNY' }),
      event({ ...base, eventId: 'a2', caseType: 'return_refund', amount: 1000, currency: 'CNY' }),
    ]);
    expect(reversed!.order(H)).toEqual(inOrder!.order(H));
    expect(reversed!.all('case')).toEqual(inOrder!.all('case'));
  });

  // BUG-6: snapshot fields tie-break on the event id, so which of two different snapshots stamped
  // with the same instant wins depends on the ids, and the same snapshot re-sent under a new id can
  // flip it. Breaking the tie on the value (e.g. a digest of the field's value, then the id) would make
  // a re-sent fact unable to change anything.
  it('BUG-6: re-sending a snapshot under a new event id does not flip a same-instant tie', () => {
    const update = (eventId: string, providerStatus: string) =>
      event({ type: 'OrderUpdated', eventId, orderId: H, occurredAt: AT[1]!, order: { providerStatus } });
    const once = foldEvents([update('a', 'on-hold'), update('b', 'processing')]).order(H)!;
    const resent = foldEvents([
      update('a', 'on-hold'),
      update('b', 'processing'),
      update('c', 'on-hold'),
    ]).order(H)!;
    expect(['on-hold', 'processing']).toContain(once.providerStatus);
    expect(resent.providerStatus).toBe(once.providerStatus);
  });

  // BUG-7: the return ShipmentCreated emitted for a returnTrackingNumber has an id made of
  // (order, request, tracking number) but takes occurredAt/shippedAt from the event that carried it.
  // Two reports of the same return parcel emit two different events under one id; the store applies
  // whichever came first and drops the other, so the return shipment's shippedAt depends on arrival.
  it('BUG-7: the return shipment time does not depend on which request report arrived first', () => {
    const base = {
      type: 'AfterSaleRequested',
      orderId: H,
      requestId: 'Q1',
      caseType: 'return_refund',
      returnTrackingNumber: 'YT6543210987654',
    } as const;
    const [inOrder, reversed] = both([
      event({ ...base, eventId: 'r1', occurredAt: AT[1]!, status: 'return_in_transit' }),
      event({ ...base, eventId: 'r2', occurredAt: AT[2]!, status: 'return_received' }),
    ]);
    expect(reversed!.order(H)!.shipments).toEqual(inOrder!.order(H)!.shipments);
  });

  // BUG-8 (routing): orders used to be keyed by orderId alone, so two providers' orders with the same id
  // (WooCommerce's small sequential ids, any generic system) merged into one Order.

  it('BUG-8: orders of two providers with the same id stay apart', () => {
    const shopifyOrder = parseDelivery({
      provider: 'shopify',
      file: 'orders-create.json',
      headers: { 'x-shopify-topic': 'orders/create' },
    });
    const genericOrder = parseDelivery({ provider: 'generic', file: 'order-placed.json' });
    const [inOrder, reversed] = both([...shopifyOrder, ...genericOrder]);
    expect(reversed!.all('order')).toEqual(inOrder!.all('order'));
  });
});
