import { isDeepStrictEqual } from 'node:util';
import type { Case } from '../../../schemas/case.ts';
import type { CanonicalEvent, EventOf } from '../../../schemas/events.ts';
import type { CaseStatus } from '../../../schemas/names.ts';
import { stableId } from '../../lib/crypto.ts';
import type { Applied, ApplyContext, Effect, Reducer } from '../engine/types.ts';
import { afterSaleCaseId, orderProviderOf } from '../ids.ts';
import { earliest, offer, stampOf } from '../registers.ts';

/** Where a request stands; at the same instant the later status in this list wins. */
export const CASE_STATUS_RANK: CaseStatus[] = [
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

/** A system-noticed problem (CaseRequested): opened once for staff review, the same id changes nothing. */
function openRequestedCase(event: EventOf<'CaseRequested'>): Case {
  return {
    caseId: event.caseId,
    type: event.caseType,
    status: 'pending_review',
    origin: event.origin,
    reason: event.reason,
    reasonCode: event.reasonCode,
    ...(event.orderId !== undefined && { orderId: event.orderId }),
    ...(event.orderProvider !== undefined && { orderProvider: event.orderProvider }),
    ...(event.shipmentId !== undefined && { shipmentId: event.shipmentId }),
    proposedRemedy: event.proposedRemedy,
    requestedAt: event.occurredAt,
    lines: [],
    stamps: {},
    decisionTrail: [{ at: event.occurredAt, action: 'requested', by: event.origin, note: event.reason }],
  };
}

const DETAILS = ['providerStatus', 'amount', 'currency', 'reason', 'lines', 'returnCarrier'] as const;

/**
 * A marketplace request (AfterSaleRequested): the case mirrors where the marketplace says it
 * stands. Every field is a register or a join, so the same reports give the same case in any
 * arrival order:
 * - status and type: the latest report; at one instant the further status, then the value's key;
 * - details (amount, reason, lines, the marketplace's status word): each the latest report;
 * - requested at: the earliest report; the trail: one entry per (time, status) reported.
 * The customer's return parcel is tracked like any other: it becomes a return shipment of the
 * order. The event id includes the report's time, so two reports of the parcel are two facts the
 * shipment merges (its shipped time is their earliest).
 */
function mirrorMarketplaceRequest(
  state: Case | undefined,
  event: EventOf<'AfterSaleRequested'>,
): Applied<Case> {
  const marketplace = orderProviderOf(event);
  const c: Case = state
    ? structuredClone(state)
    : {
        caseId: afterSaleCaseId(marketplace, event.requestId),
        type: event.caseType,
        status: event.status,
        origin: 'marketplace',
        orderId: event.orderId,
        orderProvider: marketplace,
        proposedRemedy: 'none',
        requestedAt: event.occurredAt,
        lines: [],
        stamps: {},
        decisionTrail: [],
        marketplace: {
          provider: marketplace,
          requestId: event.requestId,
          status: event.status,
          updatedAt: event.occurredAt,
        },
      };
  c.requestedAt = earliest(c.requestedAt, event.occurredAt);
  const mirror = c.marketplace!;
  const rank = String(CASE_STATUS_RANK.indexOf(event.status)).padStart(2, '0');
  if (offer(c.stamps, 'marketplace', stampOf(event.occurredAt, [event.status, event.caseType], `${rank}:`))) {
    mirror.status = event.status;
    mirror.updatedAt = event.occurredAt;
    c.type = event.caseType;
    // Until staff and customers decide on cases themselves, a marketplace case stands where the
    // marketplace says it does.
    c.status = event.status;
  }
  for (const field of DETAILS) {
    const value = event[field];
    if (value === undefined || !offer(c.stamps, `marketplace:${field}`, stampOf(event.occurredAt, value)))
      continue;
    if (field === 'providerStatus' || field === 'returnCarrier') mirror[field] = value as string;
    else if (field === 'lines') c.lines = value as Case['lines'];
    else if (field === 'amount') c.amount = value as number;
    else if (field === 'currency') c.currency = value as string;
    else c.reason = value as string;
  }
  if (event.returnTrackingNumber) {
    const tracking = event.returnTrackingNumber;
    if (offer(c.stamps, 'marketplace:returnTrackingNumber', stampOf(event.occurredAt, tracking))) {
      mirror.returnTrackingNumber = tracking;
    }
  }
  // One entry per (time, status) reported; two reports of one instant and status keep the larger
  // status word, so the trail is a join too.
  const same = c.decisionTrail.find((d) => d.at === event.occurredAt && d.status === event.status);
  if (same) {
    if (event.providerStatus && (!same.note || event.providerStatus > same.note))
      same.note = event.providerStatus;
  } else {
    c.decisionTrail.push({
      at: event.occurredAt,
      action: 'marketplace_update',
      by: 'marketplace',
      status: event.status,
      ...(event.providerStatus && { note: event.providerStatus }),
    });
    c.decisionTrail.sort(
      (a, b) => a.at.localeCompare(b.at) || (a.status ?? '').localeCompare(b.status ?? ''),
    );
  }
  // The first report is the request, whichever arrived first.
  c.decisionTrail = c.decisionTrail.map((d, i) => ({
    ...d,
    action: i === 0 ? 'requested' : 'marketplace_update',
  }));

  const effects: Effect[] = [];
  if (event.returnTrackingNumber) {
    effects.push({
      kind: 'emit',
      event: {
        type: 'ShipmentCreated',
        eventId: stableId(
          event.orderId,
          'return-shipment',
          event.requestId,
          event.returnTrackingNumber,
          event.occurredAt,
        ),
        provider: 'system',
        occurredAt: event.occurredAt,
        orderId: event.orderId,
        orderProvider: marketplace as EventOf<'ShipmentCreated'>['provider'],
        trackingNumber: event.returnTrackingNumber,
        direction: 'return',
        shippedAt: event.occurredAt,
        ...(event.returnCarrier && { carrier: event.returnCarrier }),
      },
    });
  }
  if (state && isDeepStrictEqual(state, c)) return { effects };
  return { state: c, effects };
}

/**
 * The Case state machine (facts half). CaseRequested opens a system case for staff review (its id
 * is deterministic, e.g. from shipment + reason, so a second request for the same problem is the
 * same case and changes nothing); AfterSaleRequested opens or updates the case mirroring a
 * marketplace request. Staff find new cases in their queue (cases indexed by status).
 */
export const caseReducer: Reducer<Case> = {
  apply(state: Case | undefined, event: CanonicalEvent, _ctx: ApplyContext): Applied<Case> {
    switch (event.type) {
      case 'CaseRequested':
        return state ? { effects: [] } : { state: openRequestedCase(event), effects: [] };
      case 'AfterSaleRequested':
        return mirrorMarketplaceRequest(state, event);
      default:
        return { effects: [] };
    }
  },
};
