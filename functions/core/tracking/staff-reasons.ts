import type { ShipmentStatus, StaffReasonCode } from '../../../schemas/names.ts';

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
