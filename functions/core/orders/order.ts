import type { CanonicalEvent, EventOf, OrderFacts } from '../../../schemas/events.ts';
import type { CaseStatus } from '../../../schemas/names.ts';
import type { Order, Stamp } from '../../../schemas/order.ts';
import { stableId } from '../../lib/crypto.ts';
import { maskEmail, maskPhone, resolveCustomer } from '../customers/identity.ts';
import { shipmentIdFor } from '../engine/route.ts';
import type { Applied, ApplyContext, Effect, Reducer } from '../engine/types.ts';
import { deriveStatus } from './derive-status.ts';

const TIMELINE_CAP = 200;

/** Snapshot fields that merge last-writer-wins, each on its own stamp. */
const SNAPSHOT_FIELDS = [
  'number',
  'currency',
  'lines',
  'totals',
  'shippingAddress',
  'placedAt',
  'fulfillment',
  'providerStatus',
  'note',
] as const;

/** Later (at, eventId) wins; the event id breaks ties so the result never depends on arrival. */
function newer(candidate: Stamp, current: Stamp | undefined): boolean {
  if (!current) return true;
  if (candidate.at !== current.at) return candidate.at > current.at;
  return candidate.eventId > current.eventId;
}

function emptyOrder(event: { orderId: string; provider: string }): Omit<Order, 'status'> {
  return {
    orderId: event.orderId,
    provider: event.provider,
    placeholder: true,
    lines: [],
    stamps: {},
    refunds: [],
    refundedTotal: 0,
    shipments: [],
    afterSales: [],
    timeline: [],
  };
}

function mergeFacts(
  order: Omit<Order, 'status'>,
  facts: OrderFacts,
  stamp: Stamp & { provider: string },
  ctx: ApplyContext,
): void {
  for (const field of SNAPSHOT_FIELDS) {
    const value = facts[field];
    if (value === undefined || !newer(stamp, order.stamps[field])) continue;
    (order as Record<string, unknown>)[field] = value;
    order.stamps[field] = { at: stamp.at, eventId: stamp.eventId };
  }
  const resolved = resolveCustomer(ctx.shop.shopId, stamp.provider, facts.customer, ctx.shop.defaultRegion);
  if (resolved && newer(stamp, order.stamps.customer)) {
    order.customer = {
      customerId: resolved.customerId,
      ...(facts.customer?.name && { name: facts.customer.name }),
      ...(resolved.email && { emailMasked: maskEmail(resolved.email) }),
      ...(resolved.phone && { phoneMasked: maskPhone(resolved.phone) }),
    };
    order.stamps.customer = { at: stamp.at, eventId: stamp.eventId };
  }
}

function earliest(a: string | undefined, b: string): string {
  return a && a < b ? a : b;
}

/** Where a request stands; later statuses in this list win a tie at the same event time. */
const CASE_STATUS_RANK: CaseStatus[] = [
  'requested',
  'pending_review',
  'approved',
  'awaiting_return',
  'return_in_transit',
  'return_received',
  'inspected',
  'replacement_shipped',
  'rejected',
  'refunded',
  'resolved',
  'cancelled',
  'closed',
];

function summarize(event: CanonicalEvent): string {
  switch (event.type) {
    case 'OrderPlaced':
      return 'order placed';
    case 'OrderUpdated':
      return `order updated${event.order.providerStatus ? ` (${event.order.providerStatus})` : ''}`;
    case 'OrderPaid':
      return 'payment received';
    case 'OrderCancelled':
      return `order cancelled${event.reason ? `: ${event.reason}` : ''}`;
    case 'OrderRestored':
      return 'order restored';
    case 'OrderRefunded':
      return `refund ${event.refundId}: ${event.amount} ${event.currency} (minor units)`;
    case 'OrderDelivered':
      return `delivered (confirmed by ${event.confirmedBy})`;
    case 'ShipmentCreated':
      return `${event.direction ?? 'outbound'} shipment ${event.carrier ?? ''} ${event.trackingNumber}`.replace(
        /\s+/g,
        ' ',
      );
    case 'AfterSaleRequested':
      return `${event.caseType} request ${event.requestId}: ${event.status}`;
    default:
      return event.type;
  }
}

function applyEvent(
  order: Omit<Order, 'status'>,
  event: CanonicalEvent,
  ctx: ApplyContext,
  effects: Effect[],
): void {
  const stamp = { at: event.occurredAt, eventId: event.eventId, provider: event.provider };
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderUpdated':
      order.placeholder = false;
      mergeFacts(order, event.order, stamp, ctx);
      break;
    case 'OrderPaid':
      order.paidAt = earliest(order.paidAt, event.paidAt);
      if (event.order) mergeFacts(order, event.order, stamp, ctx);
      break;
    case 'OrderCancelled':
      if (!order.cancelledAt || event.cancelledAt > order.cancelledAt) {
        order.cancelledAt = event.cancelledAt;
        if (event.reason) order.cancelReason = event.reason;
      }
      if (event.order) mergeFacts(order, event.order, stamp, ctx);
      break;
    case 'OrderRestored':
      if (!order.restoredAt || event.occurredAt > order.restoredAt) order.restoredAt = event.occurredAt;
      if (event.order) mergeFacts(order, event.order, stamp, ctx);
      break;
    case 'OrderRefunded': {
      if (order.refunds.some((r) => r.refundId === event.refundId)) break;
      order.refunds.push({
        refundId: event.refundId,
        amount: event.amount,
        currency: event.currency,
        at: event.occurredAt,
        ...(event.reason && { reason: event.reason }),
      });
      order.refunds.sort((a, b) => a.at.localeCompare(b.at) || a.refundId.localeCompare(b.refundId));
      order.refundedTotal = order.refunds.reduce((sum, r) => sum + r.amount, 0);
      effects.push({
        kind: 'notify',
        id: stableId(order.orderId, 'refund', event.refundId),
        template: 'order.refunded',
        orderId: order.orderId,
        ...(order.customer && { customerId: order.customer.customerId }),
        data: { refundId: event.refundId, amount: event.amount, currency: event.currency },
      });
      break;
    }
    case 'OrderDelivered':
      if (!order.deliveredAt || event.deliveredAt < order.deliveredAt) {
        order.deliveredAt = event.deliveredAt;
        order.deliveredConfirmedBy = event.confirmedBy;
      }
      break;
    case 'ShipmentCreated': {
      const shipmentId = shipmentIdFor(event.trackingNumber);
      const existing = order.shipments.find((s) => s.shipmentId === shipmentId);
      const ref = {
        shipmentId,
        trackingNumber: event.trackingNumber,
        direction: event.direction,
        shippedAt: existing ? earliest(existing.shippedAt, event.shippedAt) : event.shippedAt,
        ...((event.carrier ?? existing?.carrier) && { carrier: event.carrier ?? existing?.carrier }),
        ...((event.trackingUrl ?? existing?.trackingUrl) && {
          trackingUrl: event.trackingUrl ?? existing?.trackingUrl,
        }),
        ...((event.fulfillmentId ?? existing?.fulfillmentId) && {
          fulfillmentId: event.fulfillmentId ?? existing?.fulfillmentId,
        }),
      };
      order.shipments = [...order.shipments.filter((s) => s.shipmentId !== shipmentId), ref].sort(
        (a, b) => a.shippedAt.localeCompare(b.shippedAt) || a.shipmentId.localeCompare(b.shipmentId),
      );
      break;
    }
    case 'AfterSaleRequested': {
      const existing = order.afterSales.find((a) => a.requestId === event.requestId);
      const rank = (s: CaseStatus) => CASE_STATUS_RANK.indexOf(s);
      const wins =
        !existing ||
        event.occurredAt > existing.updatedAt ||
        (event.occurredAt === existing.updatedAt && rank(event.status) > rank(existing.status));
      const merged = {
        requestId: event.requestId,
        caseType: wins ? event.caseType : existing!.caseType,
        status: wins ? event.status : existing!.status,
        requestedAt: existing ? earliest(existing.requestedAt, event.occurredAt) : event.occurredAt,
        updatedAt: wins ? event.occurredAt : existing!.updatedAt,
        ...pick(wins ? event : existing!, ['providerStatus', 'amount', 'currency', 'reason']),
      };
      order.afterSales = [...order.afterSales.filter((a) => a.requestId !== event.requestId), merged].sort(
        (a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.requestId.localeCompare(b.requestId),
      );
      // The customer's return parcel is tracked like any other: it becomes a return shipment.
      if (event.returnTrackingNumber) {
        effects.push({
          kind: 'emit',
          event: {
            type: 'ShipmentCreated',
            eventId: stableId(order.orderId, 'return-shipment', event.requestId, event.returnTrackingNumber),
            provider: 'system',
            occurredAt: event.occurredAt,
            orderId: order.orderId,
            trackingNumber: event.returnTrackingNumber,
            direction: 'return',
            shippedAt: event.occurredAt,
            ...(event.returnCarrier && { carrier: event.returnCarrier }),
          },
        });
      }
      break;
    }
    default:
      return;
  }
  recordTimeline(order, event);
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function recordTimeline(order: Omit<Order, 'status'>, event: CanonicalEvent): void {
  if (order.timeline.some((t) => t.eventId === event.eventId)) return;
  order.timeline.push({
    eventId: event.eventId,
    type: event.type,
    at: event.occurredAt,
    provider: event.provider,
    summary: summarize(event),
  });
  // Newest first; the cap drops the oldest entries, which no late event can bring back.
  order.timeline.sort((a, b) => b.at.localeCompare(a.at) || b.eventId.localeCompare(a.eventId));
  if (order.timeline.length > TIMELINE_CAP) order.timeline.length = TIMELINE_CAP;
}

/** The Order state machine: merges facts, derives the status, plans refund notices and return shipments. */
export const orderReducer: Reducer<Order> = {
  aggregate: 'order',
  apply(state: Order | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Order> {
    if (!('orderId' in event) || event.orderId === undefined) return { state: state!, effects: [] };
    const order: Omit<Order, 'status'> & { status?: Order['status'] } = state
      ? structuredClone(state)
      : emptyOrder(eventOrderRef(event));
    // The order belongs to its marketplace; a follow-on event of ours may have created it first.
    if (order.provider === 'system' && event.provider !== 'system') order.provider = event.provider;
    const effects: Effect[] = [];
    applyEvent(order, event, ctx, effects);
    return { state: { ...order, status: deriveStatus(order) }, effects };
  },
};

function eventOrderRef(event: CanonicalEvent): { orderId: string; provider: string } {
  const orderId = (event as EventOf<'OrderPlaced'>).orderId;
  return { orderId, provider: event.provider };
}
