import type { CaseType } from '../../../schemas/names.ts';
import type { Policy } from '../../../schemas/policy.ts';
import type { PolicyViolationCode, Resolution, ReturnReason } from '../../../schemas/policy-io.ts';

/*
 * What a refusal says. The policy's `messages` give the shop's own words (the 7-day preset's are
 * Chinese); these are the defaults. `{name}` placeholders are filled from the violation's facts.
 */

const DEFAULT_MESSAGES: Record<PolicyViolationCode, string> = {
  outside_return_window: 'The return window for {line} closed on {windowEndsOn} ({days} days from {from}).',
  order_not_delivered: 'The order has not been delivered yet: a return can be requested once it arrives.',
  not_returnable: '{line} cannot be returned ({why}).',
  quantity_exceeds_purchased:
    '{requested} of {line} requested, but only {available} of the {purchased} bought can still be claimed.',
  resolution_not_allowed: 'Being paid back by {resolution} is not offered for this request.',
  type_not_allowed: 'A {type} is not offered for {line} ({reason}).',
  reason_not_allowed: '"{reason}" is not accepted as a reason ({line}).',
  too_many_cases: '{line} has reached the limit of {max} after-sale cases per item.',
  unknown_line: 'Line {lineId} is not part of order {orderId}.',
  order_cancelled: 'Order {orderId} was cancelled.',
};

const TYPE_WORDS: Record<CaseType, string> = {
  refund_only: 'refund without return',
  return_refund: 'return and refund',
  exchange: 'exchange',
  reship: 'reshipment',
  repair: 'repair',
  complaint: 'complaint',
};

export const typeWord = (t: CaseType) => TYPE_WORDS[t];
export const reasonWord = (r: ReturnReason) => r.replaceAll('_', ' ');
export const resolutionWord = (r: Resolution | undefined) => (r ? r.replaceAll('_', ' ') : 'any means');

export type MessageVars = Record<string, string | number | undefined>;

export function messageFor(policy: Policy, code: PolicyViolationCode, vars: MessageVars): string {
  const template = policy.messages[code] ?? DEFAULT_MESSAGES[code];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}
