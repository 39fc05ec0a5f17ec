import type { CaseAction } from '../../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../../schemas/names.ts';

/*
 * The case state machine as data: for each case type, from each status, which change leads where.
 * A change not listed is not allowed from there (the decider answers 409 invalid_transition; a
 * fact that does not fit, such as a late carrier scan, is recorded in the trail and moves nothing).
 * test/unit/cases/transitions.test.ts walks every (type, status, action) triple.
 *
 * Flows (ARCHITECTURE.md names):
 * - return_refund: pending_review → approved-to-return (awaiting_return) → return_in_transit (first
 *   scan) → return_received (delivered to the shop, or a clerk marks it) → inspected → refunded → closed
 * - exchange, repair: the same up to inspected → replacement_shipped → resolved → closed
 * - refund_only: pending_review → approved → refunded → closed
 * - reship: pending_review → approved → replacement_shipped → resolved (delivered) → closed
 * - complaint: pending_review → approved (acknowledged; investigate, propose, agree) → resolved
 *   (followed up) → closed: the six steps of complaint handling, the step kept on the case
 */

type Table = Partial<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>>;

/** Changes that move nothing and are allowed while a case is open (not rejected, cancelled, closed). */
export const WHILE_OPEN: readonly CaseAction[] = ['assign'];
/** Changes allowed in any status, closed ones included. */
export const ANYTIME: readonly CaseAction[] = ['note'];
/** Statuses nothing leaves. */
export const TERMINAL: readonly CaseStatus[] = ['rejected', 'cancelled', 'closed'];

const review = {
  approve: 'awaiting_return',
  reject: 'rejected',
  cancel: 'cancelled',
} as const;

/** The return legs shared by every type whose goods come back. */
const returnLegs: Table = {
  requested: review,
  pending_review: review,
  // A marketplace may have approved it already (Shopify, Taobao): the customer ships from there.
  approved: {
    register_return: 'awaiting_return',
    return_scanned: 'return_in_transit',
    return_delivered: 'return_received',
    receive: 'return_received',
    reject: 'rejected',
    cancel: 'cancelled',
  },
  awaiting_return: {
    register_return: 'awaiting_return',
    return_scanned: 'return_in_transit',
    return_delivered: 'return_received',
    receive: 'return_received',
    cancel: 'cancelled',
    expire: 'cancelled',
  },
  return_in_transit: {
    register_return: 'return_in_transit',
    return_delivered: 'return_received',
    receive: 'return_received',
  },
  return_received: { inspect: 'inspected', sla_breach: 'return_received', refund: 'refunded' },
  refunded: { close: 'closed' },
};

const returnRefund: Table = {
  ...returnLegs,
  inspected: { refund: 'refunded', reject: 'rejected', sla_breach: 'inspected' },
};

/** Exchange and repair: the goods come back, something goes out again. */
const sendsSomethingBack: Table = {
  ...returnLegs,
  inspected: {
    ship_replacement: 'replacement_shipped',
    refund: 'refunded',
    reject: 'rejected',
    sla_breach: 'inspected',
  },
  replacement_shipped: {
    ship_replacement: 'replacement_shipped',
    replacement_delivered: 'resolved',
    resolve: 'resolved',
  },
  resolved: { close: 'closed' },
};

const noReturn = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

export const TRANSITIONS: Record<CaseType, Table> = {
  return_refund: returnRefund,
  exchange: sendsSomethingBack,
  repair: sendsSomethingBack,
  refund_only: {
    requested: noReturn,
    pending_review: noReturn,
    approved: { refund: 'refunded', cancel: 'cancelled' },
    refunded: { close: 'closed' },
  },
  reship: {
    requested: noReturn,
    pending_review: noReturn,
    // Staff may settle a lost parcel with a refund instead of a new one.
    approved: { ship_replacement: 'replacement_shipped', refund: 'refunded', cancel: 'cancelled' },
    replacement_shipped: {
      ship_replacement: 'replacement_shipped',
      replacement_delivered: 'resolved',
      resolve: 'resolved',
    },
    resolved: { close: 'closed' },
    refunded: { close: 'closed' },
  },
  complaint: {
    requested: { acknowledge: 'approved', reject: 'rejected', close: 'closed', sla_breach: 'requested' },
    pending_review: {
      acknowledge: 'approved',
      reject: 'rejected',
      close: 'closed',
      sla_breach: 'pending_review',
    },
    approved: {
      investigate: 'approved',
      propose: 'approved',
      agree: 'approved',
      follow_up: 'resolved',
      close: 'closed',
    },
    resolved: { close: 'closed' },
  },
};

/** Where `action` leads a case of `type` in `status`; undefined when it is not allowed there. */
export function nextStatus(type: CaseType, status: CaseStatus, action: CaseAction): CaseStatus | undefined {
  if (ANYTIME.includes(action)) return status;
  if (WHILE_OPEN.includes(action)) return TERMINAL.includes(status) ? undefined : status;
  return TRANSITIONS[type][status]?.[action];
}

/** Every change allowed now: what the admin page offers on the case. */
export function allowedActions(type: CaseType, status: CaseStatus): CaseAction[] {
  const fromTable = Object.keys(TRANSITIONS[type][status] ?? {}) as CaseAction[];
  return [...fromTable, ...(TERMINAL.includes(status) ? [] : WHILE_OPEN), ...ANYTIME];
}

/** Where a case starts when the policy has decided at intake. */
export function intakeStatus(type: CaseType, action: 'approve' | 'review' | 'reject'): CaseStatus {
  if (action === 'reject') return 'rejected';
  // Complaints always start with a person: the first of the six steps is theirs.
  if (action === 'review' || type === 'complaint') return 'pending_review';
  return TRANSITIONS[type].pending_review!.approve!;
}
