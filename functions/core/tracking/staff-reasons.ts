import type { CaseType, ShipmentStatus } from '../../../schemas/names.ts';
import type { ShopSettings } from '../engine/types.ts';

/** Problems that need a staff decision, as machine-readable reason codes on CaseRequested. */
export type StaffReasonCode =
  | 'delivery_refused'
  | 'parcel_lost'
  | 'parcel_damaged'
  | 'returned_to_sender'
  | 'shipment_stalled'
  | 'no_tracking_info'
  | 'tracking_stopped';

/**
 * Provider sub-statuses that mean refused, lost, damaged or returned. Keyed by provider because the
 * codes are the providers' own (TrackingUpdated.subStatus and Checkpoint.subStatus carry them raw):
 * - AfterShip subtags: Exception_003 customer refused, Exception_011 returned to sender,
 *   Exception_012 shipment damage, Exception_013 shipment lost.
 * - 17TRACK sub_status: Exception_Rejected / DeliveryFailure_Rejected, Exception_Lost,
 *   Exception_Destroyed, Exception_Damage, Exception_Returned.
 * - Kuaidi100 state codes: 14 拒签 refused, 203 拒收 refused (advanced code), 209 破损 damaged,
 *   4 退签 returned and signed by the sender.
 * - EasyPost status_detail: refused, lost, damaged.
 * Any provider's `returned` status also counts as returned to sender (see staffReasonOf).
 */
const BY_PROVIDER: Record<string, Record<string, StaffReasonCode>> = {
  aftership: {
    exception_003: 'delivery_refused',
    exception_011: 'returned_to_sender',
    exception_012: 'parcel_damaged',
    exception_013: 'parcel_lost',
  },
  '17track': {
    exception_rejected: 'delivery_refused',
    deliveryfailure_rejected: 'delivery_refused',
    exception_lost: 'parcel_lost',
    exception_destroyed: 'parcel_lost',
    exception_damage: 'parcel_damaged',
    exception_returned: 'returned_to_sender',
  },
  kuaidi100: {
    '14': 'delivery_refused',
    '203': 'delivery_refused',
    '209': 'parcel_damaged',
    '4': 'returned_to_sender',
  },
  easypost: {
    refused: 'delivery_refused',
    lost: 'parcel_lost',
    damaged: 'parcel_damaged',
  },
};

/** The staff reason a provider's (status, sub-status) pair stands for, if any. */
export function staffReasonOf(
  provider: string,
  status: ShipmentStatus,
  subStatus: string | undefined,
): StaffReasonCode | undefined {
  const bySub = subStatus ? BY_PROVIDER[provider]?.[subStatus.trim().toLowerCase()] : undefined;
  if (bySub) return bySub;
  return status === 'returned' ? 'returned_to_sender' : undefined;
}

/** Sub-statuses where the customer can help: a wrong or outdated address. */
const ADDRESS_PROBLEMS = new Set([
  'aftership:exception_002',
  'aftership:exception_007',
  '17track:deliveryfailure_invalidaddress',
  'easypost:address_correction',
]);

export function isAddressProblem(provider: string, subStatus: string | undefined): boolean {
  return subStatus !== undefined && ADDRESS_PROBLEMS.has(`${provider}:${subStatus.trim().toLowerCase()}`);
}

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
export function casePlanFor(
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
