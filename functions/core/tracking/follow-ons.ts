import type { ProviderName } from '../../../schemas/common.ts';
import type { StaffReasonCode } from '../../../schemas/names.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import { stableId } from '../../lib/crypto.ts';
import { planCaseFor } from '../cases/plan-case.ts';
import type { ApplyContext, Effect } from '../engine/types.ts';
import { caseIdFor } from '../ids.ts';

/*
 * Events the shipment raises for other aggregates: staff cases and the order's delivery confirmation.
 * Both wait until the shipment is attached to an order (a case without an order cannot be acted on,
 * and there is no order to confirm), and both carry deterministic ids, so a replay is recognised.
 */

/**
 * A CaseRequested for every staff reason seen (refused, lost, damaged, returned) and for an active
 * stall, once each. The reasons are facts (a set), so the same cases are requested in any arrival
 * order; a stall is not (a stall cleared before anyone noticed may never raise one).
 */
export function planCases(s: Shipment, ctx: ApplyContext): Effect[] {
  if (!s.orderId) return [];
  const reasons = [...s.staffReasons];
  if (s.stalled) reasons.push({ code: s.stalled.reasonCode, at: s.stalled.since });
  const effects: Effect[] = [];
  for (const { code, at } of reasons) {
    if (s.casesRequested.includes(code)) continue;
    const plan = planCaseFor(code as StaffReasonCode, s.direction ?? 'outbound', ctx.shop);
    const caseId = caseIdFor(s.shipmentId, code);
    effects.push({
      kind: 'emit',
      event: {
        type: 'CaseRequested',
        eventId: stableId(caseId, 'CaseRequested'),
        provider: 'system',
        occurredAt: at,
        caseId,
        caseType: plan.caseType,
        origin: 'system',
        reason: s.stalled?.reasonCode === code ? s.stalled.reason : plan.reason,
        reasonCode: code,
        orderId: s.orderId,
        ...(s.orderProvider && { orderProvider: s.orderProvider as ProviderName }),
        shipmentId: s.shipmentId,
        proposedRemedy: plan.proposedRemedy,
      },
    });
    s.casesRequested = [...s.casesRequested, code];
  }
  return effects;
}

function confirmsDelivery(s: Shipment | undefined): boolean {
  return Boolean(s?.orderId && s.direction === 'outbound' && s.deliveredAt);
}

/**
 * OrderDelivered when the shipment becomes "attached, outbound and delivered" (in either order: the
 * delivery push first and the fulfillment later, or the other way round). An order id and a delivery
 * time never go away once known, so the transition happens once per shipment (only a later fulfillment
 * turning the shipment into a return and back could repeat it, and then with the same event id).
 */
export function planDeliveryConfirmation(prev: Shipment | undefined, s: Shipment): Effect[] {
  if (!confirmsDelivery(s) || confirmsDelivery(prev)) return [];
  return [
    {
      kind: 'emit',
      event: {
        type: 'OrderDelivered',
        eventId: stableId(s.shipmentId, 'OrderDelivered'),
        provider: 'system',
        occurredAt: s.deliveredAt!,
        orderId: s.orderId!,
        ...(s.orderProvider && { orderProvider: s.orderProvider as ProviderName }),
        deliveredAt: s.deliveredAt!,
        shipmentId: s.shipmentId,
        confirmedBy: 'carrier',
      },
    },
  ];
}

/**
 * A case's parcel moving tells its case: the customer's return parcel scanned for the first time
 * (return_scanned) and delivered to the shop (return_delivered), a replacement delivered to the
 * customer (replacement_delivered). Each at most once per shipment (the ids say which), whatever
 * arrived first; the case records a change that no longer fits without moving.
 */
export function planCaseProgress(prev: Shipment | undefined, s: Shipment): Effect[] {
  if (!s.caseId) return [];
  const effects: Effect[] = [];
  const tell = (action: 'return_scanned' | 'return_delivered' | 'replacement_delivered', at: string) =>
    effects.push({
      kind: 'emit',
      event: {
        type: 'CaseChanged',
        eventId: stableId(s.shipmentId, s.caseId!, action),
        provider: 'system',
        occurredAt: at,
        caseId: s.caseId!,
        by: { kind: 'carrier', id: s.carrier ?? 'carrier' },
        change: { action, shipmentId: s.shipmentId },
      },
    });
  const scannedAt = s.checkpoints.length ? s.checkpoints.at(-1)!.at : undefined;
  const wasScanned = Boolean(prev?.caseId && prev.checkpoints.length);
  if (s.direction === 'return') {
    if (scannedAt && !wasScanned && !s.deliveredAt) tell('return_scanned', scannedAt);
    if (s.deliveredAt && !(prev?.caseId && prev.deliveredAt)) tell('return_delivered', s.deliveredAt);
  } else if (s.deliveredAt && !(prev?.caseId && prev.deliveredAt)) {
    tell('replacement_delivered', s.deliveredAt);
  }
  return effects;
}
