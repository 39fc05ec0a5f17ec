import type { CanonicalEvent, EventOf, OrderFacts } from '../../../schemas/events.ts';
import type { Order } from '../../../schemas/order.ts';
import { stableId } from '../../lib/crypto.ts';
import { maskEmail, maskPhone, regionFor, resolveCustomer } from '../customers/identity.ts';
import { timerEffect } from '../engine/timer-effect.ts';
import type { Applied, ApplyContext, Effect, Reducer } from '../engine/types.ts';
import { afterSaleCaseId, orderProviderOf, shipmentIdFor } from '../ids.ts';
import { earliest, offer, stampOf } from '../registers.ts';
import { deriveStatus } from './derive-status.ts';

const TIMELINE_CAP = 200;

type Draft = Omit<Order, 'status'>;

/** Snapshot fields: each is its own last-writer-wins register (a partial snapshot sets only its own). */
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

function emptyOrder(event: { orderId: string; provider: string }): Draft {
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
    cases: [],
    timeline: [],
  };
}

function mergeFacts(order: Draft, facts: OrderFacts, at: string, provider: string, ctx: ApplyContext): void {
  // A snapshot that says what was bought (on a payment or cancellation too) fills a placeholder.
  if (facts.lines?.length) order.placeholder = false;
  for (const field of SNAPSHOT_FIELDS) {
    const value = facts[field];
    if (value !== undefined && offer(order.stamps, field, stampOf(at, value))) {
      (order as Record<string, unknown>)[field] = value;
    }
  }
  const region = regionFor(facts, ctx.shop);
  const resolved = resolveCustomer(ctx.shop.shopId, provider, facts.customer, region);
  if (resolved) {
    const customer = {
      customerId: resolved.customerId,
      ...(facts.customer?.name && { name: facts.customer.name }),
      ...(resolved.email && { emailMasked: maskEmail(resolved.email) }),
      ...(resolved.phone && { phoneMasked: maskPhone(resolved.phone) }),
    };
    if (offer(order.stamps, 'customer', stampOf(at, customer))) order.customer = customer;
  }
}

/** Who confirmed a delivery; at the same instant the more authoritative confirmation is kept. */
const CONFIRMER_RANK = ['buyer', 'marketplace', 'carrier'] as const;

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
    case 'CaseChanged':
      return event.change.action === 'open'
        ? `${event.change.caseType} case opened by the ${event.change.origin}`
        : event.type;
    default:
      return event.type;
  }
}

function applyRefund(order: Draft, event: EventOf<'OrderRefunded'>, effects: Effect[]): void {
  const existing = order.refunds.find((r) => r.refundId === event.refundId);
  const content = {
    amount: event.amount,
    currency: event.currency,
    ...(event.reason && { reason: event.reason }),
  };
  // The refund happened at the earliest time anyone reported it (WooCommerce repeats every refund
  // in later snapshots, stamped with the snapshot's time); its content is a register.
  const at = earliest(existing?.at, event.occurredAt);
  const current = existing && {
    amount: existing.amount,
    currency: existing.currency,
    reason: existing.reason,
  };
  const chosen = offer(order.stamps, `refund:${event.refundId}`, stampOf(event.occurredAt, content))
    ? content
    : current!;
  order.refunds = [
    ...order.refunds.filter((r) => r.refundId !== event.refundId),
    {
      refundId: event.refundId,
      at,
      amount: chosen.amount,
      currency: chosen.currency,
      ...(chosen.reason && { reason: chosen.reason }),
    },
  ].sort((a, b) => a.at.localeCompare(b.at) || a.refundId.localeCompare(b.refundId));
  // Announced when first seen; a repeat of the refund is the same refund, already announced.
  if (existing) return;
  effects.push({
    kind: 'notify',
    id: stableId(order.orderId, 'refund', event.refundId),
    template: 'order.refunded',
    orderId: order.orderId,
    orderProvider: order.provider,
    ...(order.customer && { customerId: order.customer.customerId }),
    data: { refundId: event.refundId, amount: chosen.amount, currency: chosen.currency },
  });
}

const SHIPMENT_DETAILS = ['trackingNumber', 'carrier', 'trackingUrl', 'fulfillmentId', 'direction'] as const;

function applyShipment(order: Draft, event: EventOf<'ShipmentCreated'>): void {
  const shipmentId = shipmentIdFor(event.trackingNumber);
  const existing = order.shipments.find((s) => s.shipmentId === shipmentId);
  const ref: Record<string, unknown> = {
    ...existing,
    shipmentId,
    shippedAt: earliest(existing?.shippedAt, event.shippedAt),
  };
  // Each detail is a register: the latest report wins, and a report that lacks a detail keeps it.
  for (const field of SHIPMENT_DETAILS) {
    const value = event[field];
    if (
      value !== undefined &&
      offer(order.stamps, `ship:${shipmentId}:${field}`, stampOf(event.occurredAt, value))
    ) {
      ref[field] = value;
    }
  }
  order.shipments = [
    ...order.shipments.filter((s) => s.shipmentId !== shipmentId),
    ref as Order['shipments'][number],
  ].sort((a, b) => a.shippedAt.localeCompare(b.shippedAt) || a.shipmentId.localeCompare(b.shipmentId));
}

/**
 * A marketplace after-sale request: the case (core/cases) is its home and mirrors its status; the
 * order keeps a reference, requested at the earliest report.
 */
function applyAfterSale(order: Draft, event: EventOf<'AfterSaleRequested'>): void {
  const existing = order.afterSales.find((a) => a.requestId === event.requestId);
  const ref = {
    requestId: event.requestId,
    caseId: afterSaleCaseId(order.provider, event.requestId),
    requestedAt: earliest(existing?.requestedAt, event.occurredAt),
  };
  order.afterSales = [...order.afterSales.filter((a) => a.requestId !== event.requestId), ref].sort(
    (a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.requestId.localeCompare(b.requestId),
  );
}

function applyEvent(order: Draft, event: CanonicalEvent, ctx: ApplyContext, effects: Effect[]): void {
  const at = event.occurredAt;
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderUpdated':
      order.placeholder = false;
      mergeFacts(order, event.order, at, event.provider, ctx);
      break;
    case 'OrderPaid':
      order.paidAt = earliest(order.paidAt, event.paidAt);
      if (event.order) mergeFacts(order, event.order, at, event.provider, ctx);
      break;
    case 'OrderCancelled':
      if (!order.cancelledAt || event.cancelledAt > order.cancelledAt) order.cancelledAt = event.cancelledAt;
      if (event.reason && offer(order.stamps, 'cancelReason', stampOf(event.cancelledAt, event.reason))) {
        order.cancelReason = event.reason;
      }
      if (event.order) mergeFacts(order, event.order, at, event.provider, ctx);
      break;
    case 'OrderRestored':
      if (!order.restoredAt || at > order.restoredAt) order.restoredAt = at;
      if (event.order) mergeFacts(order, event.order, at, event.provider, ctx);
      break;
    case 'OrderRefunded':
      applyRefund(order, event, effects);
      break;
    case 'OrderDelivered': {
      const rank = (by: string | undefined) => CONFIRMER_RANK.indexOf(by as (typeof CONFIRMER_RANK)[number]);
      const earlier = !order.deliveredAt || event.deliveredAt < order.deliveredAt;
      const tieButSurer =
        event.deliveredAt === order.deliveredAt && rank(event.confirmedBy) > rank(order.deliveredConfirmedBy);
      if (earlier || tieButSurer) {
        order.deliveredAt = event.deliveredAt;
        order.deliveredConfirmedBy = event.confirmedBy;
      }
      break;
    }
    case 'ShipmentCreated':
      applyShipment(order, event);
      break;
    case 'AfterSaleRequested':
      applyAfterSale(order, event);
      break;
    case 'CaseChanged':
      if (event.change.action !== 'open') return;
      order.cases ??= [];
      if (!order.cases.some((c) => c.caseId === event.caseId)) {
        order.cases = [
          ...order.cases,
          {
            caseId: event.caseId,
            type: event.change.caseType,
            openedAt: event.occurredAt,
            lines: event.change.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
          },
        ].sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId));
      }
      break;
    default:
      return;
  }
  recordTimeline(order, event);
}

function recordTimeline(order: Draft, event: CanonicalEvent): void {
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

/** Values derived from the facts, recomputed after every event so they can never drift. */
function finalize(order: Draft): Order {
  // Only refunds in the order's currency count against its total (Shopify can refund in the
  // buyer's presentment currency; those are listed, not summed into a wrong number).
  const currency = order.currency;
  order.refundedTotal = order.refunds
    .filter((r) => !currency || r.currency === currency)
    .reduce((sum, r) => sum + r.amount, 0);
  return { ...order, status: deriveStatus(order) };
}

/** The Order state machine: merges facts, derives the status, plans refund notices. */
export const ORDER_TIMER = {
  paymentReminder: 'order.payment_reminder',
  checkin: 'order.checkin',
  review: 'order.review',
} as const;

function orderTimer(order: Order, kind: string, dueAt: string): Effect {
  const id = stableId(order.provider, order.orderId, 'timer', kind);
  return timerEffect(id, dueAt, kind, { aggregate: 'order', id: `${order.provider}:${order.orderId}` });
}

function orderNotice(order: Order, template: string, data: Record<string, unknown> = {}): Effect {
  return {
    kind: 'notify',
    id: stableId(order.provider, order.orderId, 'notice', template),
    template,
    orderId: order.orderId,
    orderProvider: order.provider,
    ...(order.customer && { customerId: order.customer.customerId }),
    data: {
      orderId: order.orderId,
      ...(order.number && { orderNumber: order.number }),
      ...(order.customer?.name && { name: order.customer.name }),
      ...(order.totals && { total: order.totals.total }),
      ...(order.currency && { currency: order.currency }),
      ...data,
    },
  };
}

const addMinutes = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * What the order asks of the world besides its state (the programs of docs/notifications.md):
 * - its confirmation, once, when we first know what was bought;
 * - the unpaid-order reminder 催付: a timer when an unpaid order appears; when it fires, a reminder
 *   only if the order is still neither paid nor cancelled (so payment or cancellation cancel it);
 * - the check-in (跟踪使用情况) and review invitation after delivery: timers from the delivery time,
 *   a notice only if the order was not cancelled or refunded meanwhile (the sender applies the
 *   suppression rules: open cases, recent delivery problems, consent, caps).
 */
function programEffects(
  before: Order | undefined,
  after: Order,
  event: CanonicalEvent,
  ctx: ApplyContext,
): Effect[] {
  const programs = ctx.shop.notifications.programs;
  const effects: Effect[] = [];
  if (event.type === 'TimerFired') {
    const closed = after.status === 'cancelled' || after.status === 'refunded';
    if (
      event.kind === ORDER_TIMER.paymentReminder &&
      programs.paymentReminder.enabled &&
      !after.paidAt &&
      !after.cancelledAt
    ) {
      effects.push(orderNotice(after, 'order.payment_reminder'));
    }
    if (event.kind === ORDER_TIMER.checkin && programs.checkin.enabled && !closed) {
      effects.push(orderNotice(after, 'followup.checkin'));
    }
    if (event.kind === ORDER_TIMER.review && programs.review.enabled && !closed) {
      effects.push(orderNotice(after, 'followup.review'));
    }
    return effects;
  }
  const known = (o: Order | undefined) => Boolean(o && !o.placeholder);
  if (known(after) && !known(before)) {
    effects.push(orderNotice(after, 'order.confirmed'));
    if (programs.paymentReminder.enabled && !after.paidAt && !after.cancelledAt && after.placedAt) {
      effects.push(
        orderTimer(
          after,
          ORDER_TIMER.paymentReminder,
          addMinutes(after.placedAt, programs.paymentReminder.afterMinutes),
        ),
      );
    }
  }
  if (after.deliveredAt && !before?.deliveredAt) {
    if (programs.checkin.enabled) {
      effects.push(
        orderTimer(
          after,
          ORDER_TIMER.checkin,
          addMinutes(after.deliveredAt, programs.checkin.afterDays * 1440),
        ),
      );
    }
    if (programs.review.enabled) {
      effects.push(
        orderTimer(
          after,
          ORDER_TIMER.review,
          addMinutes(after.deliveredAt, programs.review.afterDays * 1440),
        ),
      );
    }
  }
  return effects;
}

export const orderReducer: Reducer<Order> = {
  apply(state: Order | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Order> {
    if (event.type === 'TimerFired') {
      return state ? { effects: programEffects(state, state, event, ctx) } : { effects: [] };
    }
    const opened = event.type === 'CaseChanged' && event.change.action === 'open' ? event.change : undefined;
    const orderId = 'orderId' in event ? event.orderId : opened?.orderId;
    if (orderId === undefined) return { effects: [] };
    // A case is opened only on an order we know; it never makes a placeholder.
    if (opened && !state) return { effects: [] };
    const order: Draft & { status?: Order['status'] } = state
      ? structuredClone(state)
      : emptyOrder({ orderId, provider: orderProviderOf(event) });
    const effects: Effect[] = [];
    applyEvent(order, event, ctx, effects);
    const after = finalize(order);
    effects.push(...programEffects(state, after, event, ctx));
    return { state: after, effects };
  },
};
