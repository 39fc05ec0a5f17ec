import fc from 'fast-check';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../../schemas/names.ts';
import { event } from '../../support/orders.ts';
import { arrivalArb, arrive } from './scenarios.ts';

/*
 * C. Hand-built events for one order, with few distinct instants so that ties are common. Where two
 * events describe the same thing (a refund id, a tracking number, a request at one instant) they
 * agree on it, except for the conflicts a `true` flag below lets through: those were bugs (pinned in
 * order-arrival-bugs.test.ts), all fixed now, so every flag is on and this property covers them.
 */
const CONFLICTS = {
  /** BUG-1 */ cancelReason: true,
  /** BUG-2 */ refundContent: true,
  /** BUG-3 */ deliveredBy: true,
  /** BUG-4 */ shipmentRef: true,
  /** BUG-5 */ afterSaleTie: true,
  /** BUG-7 */ returnShipmentTime: true,
};

export const H = 'H-1001';
export const AT = ['2026-11-20T08:00:00.000Z', '2026-11-20T09:00:00.000Z', '2026-11-20T10:00:00.000Z'];
const atArb = fc.constantFrom(...AT);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const pick = <T>(values: readonly T[], conflict: boolean, canonical: T): fc.Arbitrary<T> =>
  conflict ? fc.constantFrom(...values) : fc.constant(canonical);
type Make = (eventId: string) => CanonicalEvent;

const snapshotArb: fc.Arbitrary<Make> = fc
  .record({
    type: fc.constantFrom('OrderPlaced' as const, 'OrderUpdated' as const),
    at: atArb,
    providerStatus: opt(fc.constantFrom('pending', 'processing', 'completed')),
    fulfillment: opt(fc.constantFrom('unfulfilled' as const, 'fulfilled' as const)),
    note: opt(fc.constantFrom('gift wrap', '')),
    total: opt(fc.constantFrom(25600, 30000)),
    email: opt(fc.constantFrom('Li.Lei@Example.com', ' li.lei@example.com', 'han.mei@example.com')),
    phone: opt(fc.constantFrom('138 0013 8000', '+86 139 0013 9000')),
    externalId: opt(fc.constantFrom('cust-42')),
  })
  .map((r) => (eventId) => {
    const hasCustomer = r.email !== undefined || r.phone !== undefined || r.externalId !== undefined;
    return event({
      type: r.type,
      eventId,
      orderId: H,
      occurredAt: r.at,
      order: {
        ...(r.type === 'OrderPlaced' && { placedAt: AT[0], number: '#1001', currency: 'CNY' }),
        providerStatus: r.providerStatus,
        fulfillment: r.fulfillment,
        note: r.note,
        totals: r.total === undefined ? undefined : { total: r.total },
        customer: hasCustomer ? { email: r.email, phone: r.phone, externalId: r.externalId } : undefined,
      },
    });
  });

const REFUNDS = {
  R1: { amount: 1000, at: AT[1]!, reason: 'damaged' },
  R2: { amount: 25600, at: AT[2]!, reason: undefined },
};

const makers: Array<fc.Arbitrary<Make>> = [
  snapshotArb,
  fc
    .record({ at: atArb, paidAt: atArb })
    .map(
      (r) => (eventId) =>
        event({ type: 'OrderPaid', eventId, orderId: H, occurredAt: r.at, paidAt: r.paidAt }),
    ),
  fc
    .record({ at: atArb, reason: pick([undefined, 'customer', 'fraud'], CONFLICTS.cancelReason, 'customer') })
    .map(
      (r) => (eventId) =>
        event({
          type: 'OrderCancelled',
          eventId,
          orderId: H,
          occurredAt: r.at,
          cancelledAt: r.at,
          reason: r.reason,
        }),
    ),
  atArb.map((at) => (eventId) => event({ type: 'OrderRestored', eventId, orderId: H, occurredAt: at })),
  fc
    .record({
      id: fc.constantFrom('R1' as const, 'R2' as const),
      amount: fc.constantFrom(1000, 2000),
      at: atArb,
      reason: opt(fc.constantFrom('damaged', 'late')),
    })
    .map((r) => (eventId) => {
      const content = CONFLICTS.refundContent ? r : REFUNDS[r.id];
      return event({
        type: 'OrderRefunded',
        eventId,
        orderId: H,
        occurredAt: content.at,
        refundId: r.id,
        amount: content.amount,
        currency: 'CNY',
        reason: content.reason,
      });
    }),
  fc.record({ at: atArb, by: fc.constantFrom('carrier' as const, 'buyer' as const) }).map(
    (r) => (eventId) =>
      event({
        type: 'OrderDelivered',
        eventId,
        orderId: H,
        occurredAt: r.at,
        deliveredAt: r.at,
        // Without the conflict, one instant has one confirmer.
        confirmedBy: CONFLICTS.deliveredBy ? r.by : r.at === AT[0] ? 'buyer' : 'carrier',
      }),
  ),
  fc
    .record({
      parcel: fc.constantFrom(0, 1),
      spelling: fc.constantFrom(0, 1, 2),
      carrier: opt(fc.constantFrom('sf-express', 'SF Express')),
      direction: fc.constantFrom('outbound' as const, 'return' as const),
      at: atArb,
      shippedAt: atArb,
    })
    .map((r) => (eventId) => {
      const spellings = [
        ['SF1234567890', 'sf 1234 567 890', 'SF-1234-567890'],
        ['YT9876543210', 'yt9876543210', 'YT 9876 5432 10'],
      ][r.parcel]!;
      const conflict = CONFLICTS.shipmentRef;
      return event({
        type: 'ShipmentCreated',
        eventId,
        orderId: H,
        occurredAt: r.at,
        trackingNumber: conflict ? spellings[r.spelling]! : spellings[0]!,
        carrier: conflict ? r.carrier : ['sf-express', 'yto'][r.parcel],
        direction: conflict ? r.direction : 'outbound',
        shippedAt: r.shippedAt,
      });
    }),
  fc
    .record({
      requestId: fc.constantFrom('Q1', 'Q2'),
      at: atArb,
      status: fc.constantFrom<CaseStatus>(
        'requested',
        'approved',
        'rejected',
        'return_in_transit',
        'refunded',
      ),
      caseType: fc.constantFrom<CaseType>('refund_only', 'return_refund'),
      amount: opt(fc.constantFrom(1000, 2000)),
      tracking: fc.boolean(),
    })
    .map((r) => (eventId) => {
      const tie = CONFLICTS.afterSaleTie;
      // Without the conflicts, what a request says at one instant in one status is one thing, and a
      // return parcel is announced once.
      const tracking = CONFLICTS.returnShipmentTime
        ? r.tracking
          ? `RT-${r.requestId}`
          : undefined
        : r.status === 'return_in_transit'
          ? `RT-${r.requestId}-${AT.indexOf(r.at)}`
          : undefined;
      return event({
        type: 'AfterSaleRequested',
        eventId,
        orderId: H,
        occurredAt: r.at,
        requestId: r.requestId,
        caseType: tie ? r.caseType : r.requestId === 'Q1' ? 'refund_only' : 'return_refund',
        status: r.status,
        providerStatus: tie ? undefined : `${r.status}@${AT.indexOf(r.at)}`,
        amount: tie ? r.amount : 1000 + AT.indexOf(r.at),
        currency: 'CNY',
        returnTrackingNumber: tracking,
        returnCarrier: tracking ? 'sf-express' : undefined,
      });
    }),
];

export const handBuiltArb = fc
  .array(fc.oneof(...makers), { minLength: 1, maxLength: 8 })
  .map((ms) => ms.map((make, i) => make(`h-${i}`)))
  .chain((events) =>
    fc
      .record(arrivalArb)
      .map(({ keys, duplicates }) => ({ events, arrived: arrive(events, keys, duplicates) })),
  );
