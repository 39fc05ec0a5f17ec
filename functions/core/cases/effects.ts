import type { Case } from '../../../schemas/case.ts';
import type { EventOf } from '../../../schemas/events.ts';
import type { OutboundType } from '../../../schemas/names.ts';
import { stableId } from '../../lib/crypto.ts';
import { timerEffect } from '../engine/timer-effect.ts';
import type { Effect, ShopSettings } from '../engine/types.ts';

/*
 * What a case asks of the world at its milestones: one customer notice per milestone, the events
 * the shop's own systems execute (refunds, exchanges, reships), and its deadlines. Every id is
 * derived from the case and the milestone, so a replay plans the same effects and nothing is sent
 * twice.
 */

/** The case-facing part of a notice: the sender resolves the customer and renders the template. */
export function caseNotice(c: Case, milestone: string, data: Record<string, unknown> = {}, key = ''): Effect {
  return {
    kind: 'notify',
    id: stableId(c.caseId, 'notice', milestone, key),
    template: `case.${milestone}`,
    ...(c.orderId && { orderId: c.orderId }),
    ...(c.orderProvider && { orderProvider: c.orderProvider }),
    ...(c.customerId && { customerId: c.customerId }),
    data: {
      caseId: c.caseId,
      number: c.number,
      type: c.type,
      status: c.status,
      ...(c.currency && { currency: c.currency }),
      ...data,
    },
  };
}

/**
 * An alert to the shop's staff about a case (chat groups, the notice log): never to the customer.
 * `key` tells apart repeated alerts of one kind (each SLA).
 */
export function staffNotice(
  c: Case,
  template: 'staff.delivery_exception' | 'staff.sla_breach' | 'staff.case_waiting',
  data: Record<string, unknown> = {},
  key = '',
): Effect {
  return {
    kind: 'notify',
    id: stableId(c.caseId, 'staff', template, key),
    template,
    ...(c.orderId && { orderId: c.orderId }),
    ...(c.orderProvider && { orderProvider: c.orderProvider }),
    ...(c.shipmentId && { shipmentId: c.shipmentId }),
    data: {
      caseId: c.caseId,
      number: c.number,
      type: c.type,
      status: c.status,
      ...(c.reason && { reason: c.reason }),
      ...(c.reasonCode && { reasonCode: c.reasonCode }),
      ...data,
    },
  };
}

export function caseOutbound(
  c: Case,
  type: OutboundType,
  data: Record<string, unknown> = {},
  key = '',
): Effect {
  return {
    kind: 'outbound',
    id: stableId(c.caseId, 'outbound', type, key),
    type,
    caseId: c.caseId,
    data: {
      caseId: c.caseId,
      number: c.number,
      caseType: c.type,
      status: c.status,
      ...(c.orderId && { orderId: c.orderId, orderProvider: c.orderProvider }),
      lines: c.lines,
      ...(c.amount !== undefined && { amount: c.amount, currency: c.currency }),
      ...(c.resolution && { resolution: c.resolution }),
      ...(c.marketplace && {
        marketplace: { provider: c.marketplace.provider, requestId: c.marketplace.requestId },
      }),
      ...data,
    },
  };
}

export const CASE_TIMER = {
  shipBy: 'case.ship_by',
  refundDue: 'case.refund_due',
  firstResponse: 'case.first_response',
  /** A case still waiting for a clerk after the first-response hours: a staff alert. */
  waiting: 'case.waiting',
} as const;

export function caseTimer(c: Case, kind: string, dueAt: string): Effect {
  const id = stableId(c.caseId, 'timer', kind, dueAt);
  return timerEffect(id, dueAt, kind, { aggregate: 'case', id: c.caseId });
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

/** What the customer needs to send the goods back: the RMA number, the address, the deadline. */
export function returnInstructions(c: Case, shop: ShopSettings): Record<string, unknown> {
  return {
    rma: c.number,
    returnBy: c.returnBy,
    ...(shop.cases.returnAddress && { returnAddress: shop.cases.returnAddress }),
    ...(shop.cases.returnInstructions && { instructions: shop.cases.returnInstructions }),
    postagePaidBy: c.policy?.terms.returnPostagePaidBy ?? 'buyer',
    mustBeIntact: c.policy?.terms.mustBeIntact ?? false,
  };
}

/** A parcel the case sends or expects, as a shipment fact: tracked like any other parcel. */
export function parcelShipment(
  c: Case,
  direction: 'return' | 'outbound',
  parcel: { trackingNumber: string; carrier?: string | undefined },
  at: string,
): Effect[] {
  if (!c.orderId || !c.orderProvider) return [];
  const event: EventOf<'ShipmentCreated'> = {
    type: 'ShipmentCreated',
    eventId: stableId(c.caseId, 'parcel', direction, parcel.trackingNumber),
    provider: 'system',
    occurredAt: at,
    orderId: c.orderId,
    orderProvider: c.orderProvider as EventOf<'ShipmentCreated'>['provider'],
    caseId: c.caseId,
    trackingNumber: parcel.trackingNumber,
    direction,
    shippedAt: at,
    ...(parcel.carrier && { carrier: parcel.carrier }),
  };
  return [{ kind: 'emit', event }];
}
