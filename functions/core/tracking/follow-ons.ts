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
