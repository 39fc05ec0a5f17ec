import type { Shipment } from '../../../schemas/shipment.ts';
import { stableId } from '../../lib/crypto.ts';
import type { Effect } from '../engine/types.ts';
import { carrierDisplayName } from './carriers.ts';
import { staffReasonOf } from './staff-reasons.ts';

/*
 * Milestones: one customer notice per milestone per shipment, never one per checkpoint.
 *
 * The rule: after every event, the milestone of the *current* status is announced if it has not been
 * yet. So only what is true now is ever said: a late "out for delivery" that arrives after "delivered"
 * is not current and is never announced; nothing is announced twice (the ledger `milestonesNotified`);
 * and `shipped` is not announced once any later milestone went out ("your parcel shipped" after "out
 * for delivery" would be silly). Nothing is announced while the shipment is unattached (no order to
 * find the customer by); when the fulfillment arrives, the current milestone is announced then.
 *
 * Notice ids are stableId(shipmentId, milestone key): the same milestone gives the same id on any
 * replay, and `delivered` and `delivered_elsewhere` share the key `delivered`, so at most one of the
 * two can ever be sent.
 */

export type Milestone =
  | 'shipped'
  | 'out_for_delivery'
  | 'available_for_pickup'
  | 'failed_attempt'
  | 'delivered'
  | 'delivered_elsewhere'
  | 'exception'
  | 'returning'
  | 'returned'
  | 'stalled';

/** The ledger slot of a milestone: the two delivery notices are one slot. */
export function milestoneKey(m: Milestone): string {
  return m === 'delivered_elsewhere' ? 'delivered' : m;
}

export function noticeId(shipmentId: string, m: Milestone): string {
  return stableId(shipmentId, milestoneKey(m));
}

export function templateOf(s: Shipment, m: Milestone): string {
  return `${s.direction === 'return' ? 'return' : 'shipment'}.${m}`;
}

/** The milestone the current status stands for; `expired` has none (the stall notice covers it). */
export function currentMilestone(s: Shipment): Milestone | undefined {
  switch (s.status) {
    case 'pending':
    case 'info_received':
    case 'in_transit':
      return 'shipped';
    case 'expired':
      return undefined;
    case 'delivered':
      // A return parcel is "delivered" at the shop; where exactly is not the customer's concern.
      return s.direction !== 'return' && s.deliveredTo && s.deliveredTo !== 'addressee'
        ? 'delivered_elsewhere'
        : 'delivered';
    default:
      return s.status;
  }
}

function allowed(s: Shipment, m: Milestone): boolean {
  if (s.milestonesNotified.includes(milestoneKey(m))) return false;
  if (m === 'shipped') return !s.milestonesNotified.some((k) => k !== 'stalled');
  return true;
}

function common(s: Shipment): Record<string, unknown> {
  return {
    trackingNumber: s.trackingNumber,
    status: s.status,
    ...(s.carrier && { carrier: s.carrier, carrierName: carrierDisplayName(s.carrier) }),
    ...(s.trackingUrl && { trackingUrl: s.trackingUrl }),
  };
}

function dataFor(s: Shipment, m: Milestone): Record<string, unknown> {
  const provider = {
    subStatus: s.subStatus,
    providerStatus: s.providerStatus,
    lastMessage: s.checkpoints[0]?.message,
  };
  switch (m) {
    case 'shipped':
      return { shippedAt: s.shippedAt, expectedDelivery: s.expectedDelivery };
    case 'out_for_delivery':
      return { expectedDelivery: s.expectedDelivery };
    case 'available_for_pickup':
      return { pickupPoint: s.pickup?.point, pickupCode: s.pickup?.code, ...provider };
    case 'failed_attempt':
    case 'returning':
    case 'returned':
      return provider;
    case 'delivered':
    case 'delivered_elsewhere':
      // 签收提醒: ask the customer to open and check the parcel now, and say how to report damage.
      return {
        deliveredAt: s.deliveredAt,
        signedBy: s.signedBy,
        deliveredTo: s.deliveredTo,
        pickupPoint: s.pickup?.point,
        pickupCode: s.pickup?.code,
        inspectParcelReminder: true,
        reportDamageVia: 'after_sale_request',
      };
    case 'exception':
      return { ...provider, apology: true, nextStep: exceptionNextStep(s) };
    case 'stalled':
      return {
        since: s.stalled?.since,
        reasonCode: s.stalled?.reasonCode,
        lastCheckpointAt: s.lastCheckpointAt,
        apology: true,
        nextStep: 'shop_is_checking_with_carrier',
      };
  }
}

/** What the customer should expect next after an exception, from the problem the status came with. */
function exceptionNextStep(s: Shipment): string {
  if (staffReasonOf(s.status, s.problem)) return 'shop_will_contact_you';
  if (s.problem === 'address_problem') return 'check_address';
  return 'wait_for_carrier_update';
}

function notice(s: Shipment, m: Milestone): Effect {
  return {
    kind: 'notify',
    id: noticeId(s.shipmentId, m),
    template: templateOf(s, m),
    shipmentId: s.shipmentId,
    ...(s.orderId && { orderId: s.orderId }),
    ...(s.orderProvider && { orderProvider: s.orderProvider }),
    data: Object.fromEntries(
      Object.entries({ ...common(s), ...dataFor(s, m) }).filter(([, v]) => v !== undefined),
    ),
  };
}

/** Notices due now (current milestone, stall), recorded in the ledger. Attached shipments only. */
export function planNotices(s: Shipment): Effect[] {
  if (!s.orderId) return [];
  const effects: Effect[] = [];
  const m = currentMilestone(s);
  if (m && allowed(s, m)) {
    effects.push(notice(s, m));
    s.milestonesNotified = [...s.milestonesNotified, milestoneKey(m)];
  }
  if (s.stalled && !s.milestonesNotified.includes('stalled')) {
    effects.push(notice(s, 'stalled'));
    s.milestonesNotified = [...s.milestonesNotified, 'stalled'];
  }
  return effects;
}
