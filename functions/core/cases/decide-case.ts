import type { Case } from '../../../schemas/case.ts';
import type { CaseAction, CaseChange, EventOf } from '../../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../../schemas/names.ts';
import { stableId } from '../../lib/crypto.ts';
import {
  DomainError,
  ForbiddenError,
  InvalidRequestError,
  InvalidTransitionError,
  NotFoundError,
} from '../../lib/errors.ts';
import type { DecideContext, Decider } from '../engine/types.ts';
import { allowedActions, nextStatus } from './transitions.ts';

/** A change staff or a customer asks for: every CaseChange except opening and the system's facts. */
export type CaseCommand = Exclude<
  CaseChange,
  {
    action:
      | 'open'
      | 'return_scanned'
      | 'return_delivered'
      | 'replacement_delivered'
      | 'expire'
      | 'sla_breach';
  }
>;

/** What each kind of actor may ask; the transition table then says whether it may be done now. */
const CUSTOMER_ACTIONS: ReadonlySet<CaseAction> = new Set(['cancel', 'register_return']);
const STAFF_ACTIONS: ReadonlySet<CaseAction> = new Set([
  'approve',
  'reject',
  'cancel',
  'register_return',
  'receive',
  'inspect',
  'refund',
  'ship_replacement',
  'resolve',
  'close',
  'note',
  'assign',
  'acknowledge',
  'investigate',
  'propose',
  'agree',
  'follow_up',
]);

/** What a clerk may do to a case now (what the system alone records, such as a carrier scan, left out). */
export function staffActionsNow(type: CaseType, status: CaseStatus): CaseAction[] {
  return allowedActions(type, status).filter((a) => STAFF_ACTIONS.has(a));
}

export class ApprovalLimitError extends DomainError {
  override readonly statusCode = 403;
  override readonly code = 'approval_limit';
}

export class RefundTooLargeError extends DomainError {
  override readonly statusCode = 422;
  override readonly code = 'refund_exceeds_case';
}

/*
 * Decide a command on a case.
 * 1. the case must exist (404)
 * 2. the actor may ask for it at all: customers cancel and register their return parcel; staff do
 *    the rest (403 otherwise)
 * 3. the transition table must allow it from where the case stands (409 invalid_transition, with
 *    what is allowed now)
 * 4. the guards of the command: a customer cancels only while nothing has shipped; a `staff`
 *    member approves only up to the shop's limit, a `manager` any amount; a refund never exceeds
 *    what the case is worth, in its currency
 * 5. answer the CaseChanged event that records it. Its id derives from the case, its version and
 *    the command, so the same request retried on the same version is recognised, not applied twice.
 */
export const caseDecider: Decider<Case, CaseCommand> = {
  decide(state, command, ctx: DecideContext) {
    if (!state) throw new NotFoundError('no such case');
    const { actor } = ctx;
    const may =
      actor.kind === 'customer' ? CUSTOMER_ACTIONS : actor.kind === 'staff' ? STAFF_ACTIONS : new Set();
    if (!may.has(command.action)) {
      throw new ForbiddenError(
        `${actor.kind === 'customer' ? 'customers' : 'this actor'} may not ${command.action} a case`,
      );
    }
    if (nextStatus(state.type, state.status, command.action) === undefined) {
      throw new InvalidTransitionError(
        `a ${state.type} case that is ${state.status} cannot be ${pastTense(command.action)}`,
        { status: state.status, allowed: allowedActions(state.type, state.status) },
      );
    }
    guard(state, command, ctx);
    const event: EventOf<'CaseChanged'> = {
      type: 'CaseChanged',
      eventId: stableId(state.caseId, 'change', state.version ?? 0, command.action, JSON.stringify(command)),
      provider: 'system',
      occurredAt: ctx.now,
      caseId: state.caseId,
      by: { kind: actor.kind === 'customer' ? 'customer' : 'staff', id: actor.id },
      change: command,
    };
    return [event];
  },
};

function guard(c: Case, command: CaseCommand, ctx: DecideContext): void {
  const roles = ctx.actor.roles ?? [];
  switch (command.action) {
    case 'cancel':
      if (ctx.actor.kind === 'customer' && c.returnParcel) {
        throw new InvalidTransitionError(
          'the return parcel is on its way: the case can no longer be withdrawn',
        );
      }
      return;
    case 'approve':
      if (!roles.includes('manager') && (c.amount ?? 0) > ctx.shop.cases.staffApprovalLimit) {
        throw new ApprovalLimitError(
          `this case is worth ${c.amount} (minor units), above the ${ctx.shop.cases.staffApprovalLimit} staff may approve: a manager must`,
        );
      }
      return;
    case 'refund':
      if (c.currency && command.currency !== c.currency) {
        throw new InvalidRequestError(`the case is in ${c.currency}, not ${command.currency}`);
      }
      if (c.amount !== undefined && c.refundedTotal + command.amount > c.amount) {
        throw new RefundTooLargeError(
          `refunding ${command.amount} would exceed the case's ${c.amount} (already refunded ${c.refundedTotal})`,
        );
      }
      return;
    case 'inspect':
      if (command.refundAmount !== undefined && c.amount !== undefined && command.refundAmount > c.amount) {
        throw new RefundTooLargeError(`a refund of ${command.refundAmount} exceeds the case's ${c.amount}`);
      }
      return;
    default:
      return;
  }
}

function pastTense(action: CaseAction): string {
  const words: Partial<Record<CaseAction, string>> = {
    approve: 'approved',
    reject: 'rejected',
    cancel: 'cancelled',
    register_return: 'given a return parcel',
    receive: 'received',
    inspect: 'inspected',
    refund: 'refunded',
    ship_replacement: 'sent a replacement',
    resolve: 'resolved',
    close: 'closed',
    assign: 'assigned',
    acknowledge: 'acknowledged',
    investigate: 'investigated',
    propose: 'given a proposal',
    agree: 'agreed',
    follow_up: 'followed up',
  };
  return words[action] ?? action;
}
