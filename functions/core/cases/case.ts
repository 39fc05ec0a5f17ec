import { isDeepStrictEqual } from 'node:util';
import type { Case } from '../../../schemas/case.ts';
import type { CanonicalEvent, CaseChange, EventOf } from '../../../schemas/events.ts';
import type { CaseStatus } from '../../../schemas/names.ts';
import { stableId } from '../../lib/crypto.ts';
import type { Applied, ApplyContext, Effect, Reducer, ShopSettings } from '../engine/types.ts';
import { afterSaleCaseId, orderProviderOf, shipmentIdFor } from '../ids.ts';
import { earliest, offer, stampOf } from '../registers.ts';
import {
  addDays,
  addHours,
  CASE_TIMER,
  caseNotice,
  caseOutbound,
  caseTimer,
  parcelShipment,
  returnInstructions,
  staffNotice,
} from './effects.ts';
import { nextStatus } from './transitions.ts';

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

const rank = (s: CaseStatus) => CASE_STATUS_RANK.indexOf(s);

/** The case number staff and customers use: short, stable, readable on the phone. */
export function caseNumber(caseId: string): string {
  return `RMA-${caseId.slice(0, 8).toUpperCase()}`;
}

/**
 * A marketplace case stands at the further of our own status and the marketplace's: our decisions
 * never move it behind what the marketplace says, and where the marketplace rules (a Taobao
 * platform ruling, a refund it executed), the case follows.
 */
function settleStatus(c: Case): void {
  if (!c.marketplace) return;
  const own = c.ownStatus ?? c.marketplace.status;
  c.status = rank(c.marketplace.status) > rank(own) ? c.marketplace.status : own;
}

/**
 * What the staff hear when a case opens waiting for them: a problem the system noticed (a lost,
 * refused or stalled parcel) at once; any case still waiting after the first-response hours.
 */
function staffAlertsOnOpen(c: Case, ctx: ApplyContext): Effect[] {
  const effects: Effect[] = [];
  if (c.origin === 'system') effects.push(staffNotice(c, 'staff.delivery_exception'));
  effects.push(caseTimer(c, CASE_TIMER.waiting, addHours(c.requestedAt, ctx.shop.cases.firstResponseHours)));
  return effects;
}

/** A system-noticed problem (CaseRequested): opened once for staff review; the same id changes nothing. */
function openRequestedCase(event: EventOf<'CaseRequested'>): Case {
  return {
    caseId: event.caseId,
    number: caseNumber(event.caseId),
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
    refunds: [],
    refundedTotal: 0,
    slaBreaches: [],
    notes: [],
    stamps: {},
    decisionTrail: [{ at: event.occurredAt, action: 'requested', by: event.origin, note: event.reason }],
  };
}

const DETAILS = ['providerStatus', 'amount', 'currency', 'reason', 'lines', 'returnCarrier'] as const;

/**
 * A marketplace request (AfterSaleRequested): the case mirrors where the marketplace says it
 * stands. Every field of the mirror is a register or a join, so the same reports give the same
 * case in any arrival order:
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
  const caseId = afterSaleCaseId(marketplace, event.requestId);
  const c: Case = state
    ? structuredClone(state)
    : {
        caseId,
        number: caseNumber(caseId),
        type: event.caseType,
        status: event.status,
        origin: 'marketplace',
        orderId: event.orderId,
        orderProvider: marketplace,
        proposedRemedy: 'none',
        requestedAt: event.occurredAt,
        lines: [],
        refunds: [],
        refundedTotal: 0,
        slaBreaches: [],
        notes: [],
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
  const statusRank = String(rank(event.status)).padStart(2, '0');
  if (
    offer(
      c.stamps,
      'marketplace',
      stampOf(event.occurredAt, [event.status, event.caseType], `${statusRank}:`),
    )
  ) {
    mirror.status = event.status;
    mirror.updatedAt = event.occurredAt;
    c.type = event.caseType;
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
  // One marketplace entry per (time, status) reported; two reports of one instant and status keep
  // the larger status word, so these entries are a join too. The first is the request.
  const same = c.decisionTrail.find(
    (d) => d.by === 'marketplace' && d.at === event.occurredAt && d.status === event.status,
  );
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
  }
  sortTrail(c);
  const firstReport = c.decisionTrail.find((d) => d.by === 'marketplace');
  for (const d of c.decisionTrail) {
    if (d.by === 'marketplace') d.action = d === firstReport ? 'requested' : 'marketplace_update';
  }
  settleStatus(c);

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
        caseId,
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

function sortTrail(c: Case): void {
  c.decisionTrail.sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      (a.eventId ?? '').localeCompare(b.eventId ?? '') ||
      (a.status ?? '').localeCompare(b.status ?? ''),
  );
}

/** A case opened by a customer or a clerk, where the policy's decision put it. */
function openCase(event: EventOf<'CaseChanged'>, change: Extract<CaseChange, { action: 'open' }>): Case {
  return {
    caseId: event.caseId,
    number: caseNumber(event.caseId),
    type: change.caseType,
    status: change.status,
    origin: change.origin,
    orderId: change.orderId,
    orderProvider: change.orderProvider,
    ...(change.customerId && { customerId: change.customerId }),
    proposedRemedy: 'none',
    requestedAt: event.occurredAt,
    lines: change.lines,
    reasons: [...new Set(change.lines.map((l) => l.reason))].sort(),
    ...(change.resolution && { resolution: change.resolution }),
    ...(change.photos && { photos: change.photos }),
    ...(change.note && { reason: change.note }),
    amount: change.amount,
    currency: change.currency,
    policy: change.policy,
    refunds: [],
    refundedTotal: 0,
    slaBreaches: [],
    notes: [],
    stamps: {},
    decisionTrail: [],
  };
}

/** Deadlines and notices of a case that has just been approved (at open or by staff). */
function onApproved(c: Case, at: string, shop: ShopSettings, effects: Effect[]): void {
  c.approvedAt = at;
  const terms = c.policy?.terms;
  if (c.status === 'awaiting_return') {
    c.returnBy = addDays(at, terms?.shipWithinDays ?? shop.cases.shipWithinDays);
    effects.push(caseTimer(c, CASE_TIMER.shipBy, c.returnBy));
  }
  effects.push(caseNotice(c, 'approved', c.status === 'awaiting_return' ? returnInstructions(c, shop) : {}));
  effects.push(caseOutbound(c, 'case.approved'));
  if (c.type === 'refund_only') effects.push(caseOutbound(c, 'refund.requested', { amount: refundDue(c) }));
  if (c.type === 'reship') effects.push(caseOutbound(c, 'reship.requested'));
}

/** What is still to be refunded: the value asked for, less fees and what was refunded already. */
function refundDue(c: Case): number {
  const fee = c.policy?.terms.restockingFee ?? 0;
  return Math.max(0, (c.amount ?? 0) - fee - c.refundedTotal);
}

/**
 * Applies one change to a case. Where the transition table allows it, the status moves and the
 * milestone's notice, outbound events, timers and parcels follow; where it does not (a late scan, a
 * fact that no longer fits), the trail records it and nothing moves.
 */
function applyChange(
  state: Case | undefined,
  event: EventOf<'CaseChanged'>,
  ctx: ApplyContext,
): Applied<Case> {
  const { change } = event;
  const at = event.occurredAt;
  const by = event.by.kind === 'staff' ? event.by.id : event.by.kind;
  const effects: Effect[] = [];
  if (!state) {
    if (change.action !== 'open') return { effects: [] };
    const c = openCase(event, change);
    c.decisionTrail.push({
      at,
      action: 'open',
      by,
      status: c.status,
      policyVersion: change.policy.version,
      rule: change.policy.rule,
      ...(change.policy.reasonCode && { reasonCode: change.policy.reasonCode }),
      ...(change.policy.reasons.length && { note: change.policy.reasons.join(' ') }),
      eventId: event.eventId,
    });
    effects.push(caseNotice(c, 'requested'));
    if (c.status === 'rejected') {
      effects.push(
        caseNotice(c, 'rejected', { reasons: change.policy.reasons, reasonCode: change.policy.reasonCode }),
      );
    } else if (c.status !== 'pending_review') {
      onApproved(c, at, ctx.shop, effects);
    }
    if (c.type === 'complaint') {
      c.firstResponseDueBy = addHours(at, ctx.shop.cases.firstResponseHours);
      effects.push(caseTimer(c, CASE_TIMER.firstResponse, c.firstResponseDueBy));
    }
    if (c.status === 'pending_review' && c.type !== 'complaint') effects.push(...staffAlertsOnOpen(c, ctx));
    return { state: c, effects };
  }
  if (change.action === 'open') return { effects: [] };
  if (state.decisionTrail.some((d) => d.eventId === event.eventId)) return { effects: [] };

  const c = structuredClone(state);
  const from = c.status;
  const to = nextStatus(c.type, from, change.action);
  const entry = {
    at,
    action: change.action,
    by,
    from,
    eventId: event.eventId,
    ...('note' in change && change.note && { note: change.note }),
    ...(change.action === 'reject' && { reasonCode: change.reasonCode }),
  };
  if (to === undefined) {
    c.decisionTrail.push({ ...entry, note: `not applied: ${change.action} is not allowed while ${from}` });
    sortTrail(c);
    return { state: c, effects };
  }
  if (c.marketplace) c.ownStatus = to;
  c.status = to;
  settleStatus(c);
  c.decisionTrail.push({ ...entry, status: c.status });
  sortTrail(c);
  const moved = c.status !== from;

  switch (change.action) {
    case 'approve':
      onApproved(c, at, ctx.shop, effects);
      break;
    case 'reject':
      effects.push(caseNotice(c, 'rejected', { reasonCode: change.reasonCode, note: change.note }));
      break;
    case 'cancel':
      effects.push(caseNotice(c, 'cancelled', { note: change.note }));
      break;
    case 'expire':
      effects.push(caseNotice(c, 'cancelled', { reason: 'not_shipped_in_time', returnBy: c.returnBy }));
      break;
    case 'register_return': {
      const shipmentId = shipmentIdFor(change.trackingNumber);
      c.returnParcel = {
        shipmentId,
        trackingNumber: change.trackingNumber,
        ...(change.carrier && { carrier: change.carrier }),
        registeredAt: at,
      };
      effects.push(...parcelShipment(c, 'return', change, at));
      break;
    }
    case 'return_scanned':
      if (c.returnParcel) c.returnParcel.scannedAt = earliest(c.returnParcel.scannedAt, at);
      if (moved) effects.push(caseNotice(c, 'return_in_transit'));
      break;
    case 'return_delivered':
    case 'receive': {
      if (change.action === 'return_delivered' && c.returnParcel) c.returnParcel.deliveredAt = at;
      if (moved) {
        c.receivedAt = at;
        c.refundDueBy = addDays(at, c.policy?.terms.refundWithinDays ?? ctx.shop.cases.refundWithinDays);
        effects.push(caseTimer(c, CASE_TIMER.refundDue, c.refundDueBy));
        effects.push(caseNotice(c, 'return_received'));
      }
      break;
    }
    case 'inspect':
      c.inspection = {
        at,
        passed: change.passed,
        by,
        ...(change.note && { note: change.note }),
        ...(change.photos && { photos: change.photos }),
        ...(change.refundAmount !== undefined && { refundAmount: change.refundAmount }),
      };
      if (change.passed) {
        if (c.type === 'return_refund')
          effects.push(caseOutbound(c, 'refund.requested', { amount: refundDue(c) }, 'inspected'));
        if (c.type === 'exchange') effects.push(caseOutbound(c, 'exchange.requested'));
      } else {
        effects.push(
          caseNotice(c, 'inspection_failed', { note: change.note, refundAmount: change.refundAmount }),
        );
        if (change.refundAmount) {
          effects.push(
            caseOutbound(c, 'refund.requested', { amount: change.refundAmount, partial: true }, 'partial'),
          );
        }
      }
      break;
    case 'refund':
      recordRefund(c, {
        at,
        amount: change.amount,
        currency: change.currency,
        method: change.method,
        reference: change.reference,
        by,
      });
      effects.push(
        caseNotice(
          c,
          'refunded',
          { amount: change.amount, currency: change.currency, method: change.method },
          change.reference,
        ),
      );
      break;
    case 'ship_replacement':
      c.replacement = {
        shipmentId: shipmentIdFor(change.trackingNumber),
        trackingNumber: change.trackingNumber,
        ...(change.carrier && { carrier: change.carrier }),
        registeredAt: at,
        scannedAt: at,
      };
      effects.push(...parcelShipment(c, 'outbound', change, at));
      effects.push(
        caseNotice(
          c,
          'replacement_shipped',
          { trackingNumber: change.trackingNumber, carrier: change.carrier },
          change.trackingNumber,
        ),
      );
      break;
    case 'replacement_delivered':
    case 'resolve':
      if (change.action === 'replacement_delivered' && c.replacement) c.replacement.deliveredAt = at;
      if (moved) effects.push(caseNotice(c, 'resolved'));
      break;
    case 'close':
      c.closedAt = at;
      effects.push(caseOutbound(c, 'case.closed'));
      break;
    case 'note':
      c.notes.push({ at, by, text: change.text, eventId: event.eventId });
      c.notes.sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
      break;
    case 'assign':
      c.assignee = change.assignee;
      break;
    case 'acknowledge':
      c.complaintStep = 'acknowledged';
      c.respondedAt = earliest(c.respondedAt, at);
      effects.push(caseNotice(c, 'acknowledged'));
      break;
    case 'investigate':
      c.complaintStep = 'investigating';
      break;
    case 'propose':
      c.complaintStep = 'proposed';
      effects.push(caseNotice(c, 'proposal', { note: change.note }, at));
      break;
    case 'agree':
      c.complaintStep = 'agreed';
      break;
    case 'follow_up':
      c.complaintStep = 'following_up';
      effects.push(caseNotice(c, 'resolved'));
      break;
    case 'sla_breach':
      if (!c.slaBreaches.some((b) => b.sla === change.sla)) {
        c.slaBreaches.push({ sla: change.sla, at });
        effects.push(staffNotice(c, 'staff.sla_breach', { sla: change.sla }, change.sla));
      }
      break;
  }
  return { state: c, effects };
}

function recordRefund(c: Case, refund: Case['refunds'][number]): void {
  if (c.refunds.some((r) => r.reference === refund.reference)) return;
  c.refunds.push(refund);
  c.refunds.sort((a, b) => a.at.localeCompare(b.at) || a.reference.localeCompare(b.reference));
  c.refundedTotal = c.refunds
    .filter((r) => !c.currency || r.currency === c.currency)
    .reduce((sum, r) => sum + r.amount, 0);
}

/**
 * The shop's own system refunded (its answer to refund.requested). A fact: recorded whatever the
 * status; it moves the case to `refunded` where the table allows a refund.
 */
function applyRefundRecorded(
  state: Case | undefined,
  event: EventOf<'RefundRecorded'>,
  ctx: ApplyContext,
): Applied<Case> {
  if (!state) return { effects: [] };
  if (state.refunds.some((r) => r.reference === event.reference)) return { effects: [] };
  return applyChange(
    state,
    {
      type: 'CaseChanged',
      eventId: event.eventId,
      provider: event.provider,
      occurredAt: event.occurredAt,
      caseId: event.caseId,
      by: { kind: 'shop', id: event.provider },
      change: {
        action: 'refund',
        amount: event.amount,
        currency: event.currency,
        method: event.method ?? state.resolution ?? 'original_payment',
        reference: event.reference,
      },
    },
    ctx,
  );
}

/** A case deadline came due: decide from the state whether it still matters. */
function fireTimer(state: Case | undefined, event: EventOf<'TimerFired'>, ctx: ApplyContext): Applied<Case> {
  if (!state) return { effects: [] };
  let change: CaseChange | undefined;
  if (event.kind === CASE_TIMER.shipBy && state.status === 'awaiting_return' && !state.returnParcel) {
    change = { action: 'expire' };
  } else if (
    event.kind === CASE_TIMER.refundDue &&
    (state.status === 'return_received' || state.status === 'inspected') &&
    state.refundedTotal === 0
  ) {
    change = { action: 'sla_breach', sla: 'refund_due' };
  } else if (event.kind === CASE_TIMER.firstResponse && state.type === 'complaint' && !state.respondedAt) {
    change = { action: 'sla_breach', sla: 'first_response' };
  } else if (event.kind === CASE_TIMER.waiting) {
    // Still waiting for a clerk: the staff hear of it (once; the case itself does not move).
    const waiting = state.status === 'pending_review' || state.status === 'requested';
    return {
      effects: waiting
        ? [staffNotice(state, 'staff.case_waiting', { hours: ctx.shop.cases.firstResponseHours })]
        : [],
    };
  }
  if (!change) return { effects: [] };
  return applyChange(
    state,
    {
      type: 'CaseChanged',
      eventId: event.eventId,
      provider: 'system',
      occurredAt: event.occurredAt,
      caseId: state.caseId,
      by: { kind: 'system', id: 'timer' },
      change,
    },
    ctx,
  );
}

/**
 * The Case state machine (facts half). CaseRequested opens a system case for staff review (its id
 * is deterministic, e.g. from shipment + reason, so a second request for the same problem is the
 * same case); AfterSaleRequested opens or updates the case mirroring a marketplace request;
 * CaseChanged records a decision (from the decider) or a fact (a return parcel scan, a timer);
 * RefundRecorded is the shop's system reporting a refund; TimerFired checks a deadline.
 */
export const caseReducer: Reducer<Case> = {
  apply(state: Case | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Case> {
    switch (event.type) {
      case 'CaseRequested': {
        if (state) return { effects: [] };
        const c = openRequestedCase(event);
        return { state: c, effects: [...staffAlertsOnOpen(c, ctx)] };
      }
      case 'AfterSaleRequested':
        return mirrorMarketplaceRequest(state, event);
      case 'CaseChanged':
        return applyChange(state, event, ctx);
      case 'RefundRecorded':
        return applyRefundRecorded(state, event, ctx);
      case 'TimerFired':
        return fireTimer(state, event, ctx);
      default:
        return { effects: [] };
    }
  },
};
