import type { CaseType, StaffReasonCode } from '../../../schemas/names.ts';
import type { ShopSettings } from '../engine/types.ts';

/*
 * The case-opening rules for problems the system notices itself (a parcel refused, lost, damaged,
 * returned or silent): which kind of case, and what it proposes. Tracking decides that there is a
 * problem; what the shop does about it is a case matter and lives here.
 */

export interface CasePlan {
  caseType: CaseType;
  proposedRemedy: 'none' | 'reship' | 'refund';
  reason: string;
}

const REASON_TEXT: Record<StaffReasonCode, string> = {
  delivery_refused: 'The recipient refused the parcel.',
  parcel_lost: 'The carrier reports the parcel lost.',
  parcel_damaged: 'The carrier reports the parcel damaged.',
  returned_to_sender: 'The parcel was returned to the sender.',
  shipment_stalled: 'No new tracking event since the last checkpoint for longer than the stall limit.',
  no_tracking_info: 'The carrier has shown no tracking information since the parcel was shipped.',
  tracking_stopped: 'The tracking provider stopped tracking the parcel before it was delivered.',
};

/**
 * What the staff case proposes. A parcel that is gone (lost, stalled, stopped) gets the shop's stall
 * remedy (`ShopSettings.tracking.stallRemedy`), which staff still approve; refused, damaged or returned
 * parcels need a person to look first, so they propose nothing. A problem with a customer's return
 * parcel is a complaint to look into: nothing is reshipped or refunded from it automatically.
 */
export function planCaseFor(
  code: StaffReasonCode,
  direction: 'outbound' | 'return',
  shop: ShopSettings,
): CasePlan {
  const reason = REASON_TEXT[code];
  if (direction === 'return') return { caseType: 'complaint', proposedRemedy: 'none', reason };
  const remedy = shop.tracking.stallRemedy;
  const remedyType: CaseType = remedy === 'refund' ? 'refund_only' : 'reship';
  switch (code) {
    case 'parcel_lost':
    case 'shipment_stalled':
    case 'no_tracking_info':
    case 'tracking_stopped':
      return { caseType: remedyType, proposedRemedy: remedy, reason };
    case 'delivery_refused':
      return { caseType: 'return_refund', proposedRemedy: 'none', reason };
    case 'parcel_damaged':
      return { caseType: 'complaint', proposedRemedy: 'none', reason };
    case 'returned_to_sender':
      return { caseType: remedyType, proposedRemedy: 'none', reason };
  }
}
