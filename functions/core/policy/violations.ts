import type { CaseType } from '../../../schemas/names.ts';
import type { Policy } from '../../../schemas/policy.ts';
import {
  type PolicyInputParsed,
  type PolicyViolation,
  type PolicyViolationCode,
  Resolution,
} from '../../../schemas/policy-io.ts';
import { exclusionsApply, finalSaleBecause, type ResolvedLine, resolutionsFor } from './lines.ts';
import { type MessageVars, messageFor, reasonWord, resolutionWord, typeWord } from './messages.ts';
import { localDate } from './time.ts';
import { returnWindow, windowAppliesTo } from './window.ts';

/*
 * What the policy refuses, in a fixed order: the order itself (cancelled), each requested line
 * (unknown, reason, type, final sale, quantity, case count, window), then the request as a whole
 * (not delivered, resolution). A complaint claims no goods: only its lines, reasons and type are
 * checked, and it is never late (the window's `appliesTo` leaves it out by default).
 */

export type Violation = PolicyViolation;

/** Case types for which the customer must already hold the goods. */
const GOODS_IN_HAND: readonly CaseType[] = ['return_refund', 'exchange', 'repair'];
/** Case types that pay money back, where the resolution matters. */
export const REFUNDS: readonly CaseType[] = ['refund_only', 'return_refund'];

const FROM_WORDS = { delivery: 'delivery', order: 'the order', fulfillment: 'shipment' } as const;

export interface RequestContext {
  policy: Policy;
  input: PolicyInputParsed;
  lines: ResolvedLine[];
  unknown: PolicyInputParsed['request']['lines'];
  nowMs: number;
  zone: string;
}

/** The resolutions every requested line allows. */
export function allowedResolutions(ctx: RequestContext): Resolution[] {
  return ctx.lines.reduce(
    (allowed, l) => {
      const own = resolutionsFor(ctx.policy, l);
      return allowed.filter((r) => own.includes(r));
    },
    [...Resolution.options],
  );
}

export function findViolations(ctx: RequestContext): Violation[] {
  const { policy, input, nowMs, zone } = ctx;
  const { order, request } = input;
  const type = request.type;
  const found: Violation[] = [];
  const add = (code: PolicyViolationCode, vars: MessageVars, lineId?: string) => {
    const message = messageFor(policy, code, { orderId: order.orderId, ...vars });
    if (!found.some((v) => v.code === code && v.lineId === lineId && v.message === message)) {
      found.push(lineId === undefined ? { code, message } : { code, message, lineId });
    }
  };
  const claims = type !== 'complaint';

  if (claims && order.cancelled) add('order_cancelled', {});
  for (const u of ctx.unknown) add('unknown_line', { lineId: u.lineId }, u.lineId);
  const offered = policy.caseTypes.includes(type);
  if (!offered) add('type_not_allowed', { type: typeWord(type), line: 'this order', reason: 'any reason' });

  const earlier = input.earlierCases.filter((c) => c.type !== 'complaint');
  const requestedOf = (lineId: string) =>
    request.lines.filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);
  const checkWindow = windowAppliesTo(policy, input);

  for (const l of ctx.lines) {
    const { lineId, reason } = l.request;
    const vars = { line: l.line.title, lineId, reason: reasonWord(reason), type: typeWord(type) };
    const rule = policy.reasons[reason];
    if (!rule.allowed) {
      add('reason_not_allowed', vars, lineId);
      continue;
    }
    if (offered && !rule.types.includes(type)) add('type_not_allowed', vars, lineId);
    if (!claims) continue;

    const why = exclusionsApply(policy, reason) ? finalSaleBecause(policy, l) : undefined;
    if (why) add('not_returnable', { ...vars, why }, lineId);

    const claimed = earlier
      .flatMap((c) => c.lines)
      .filter((c) => c.lineId === lineId)
      .reduce((n, c) => n + c.quantity, 0);
    const requested = requestedOf(lineId);
    if (claimed + requested > l.line.quantity) {
      add(
        'quantity_exceeds_purchased',
        { ...vars, requested, purchased: l.line.quantity, available: Math.max(0, l.line.quantity - claimed) },
        lineId,
      );
    }
    const cases = earlier.filter((c) => c.lines.some((cl) => cl.lineId === lineId)).length;
    if (cases >= policy.maxCasesPerLine)
      add('too_many_cases', { ...vars, cases, max: policy.maxCasesPerLine }, lineId);

    if (checkWindow) {
      const w = returnWindow(policy, input, reason, zone);
      // The end itself is still inside: `>`, not `>=`.
      if (w.endMs !== undefined && nowMs > w.endMs) {
        add(
          'outside_return_window',
          {
            ...vars,
            days: w.days,
            from: FROM_WORDS[policy.window.from],
            windowEndsAt: new Date(w.endMs).toISOString(),
            // The last day inside the window, as the shop's calendar shows it.
            windowEndsOn: localDate(policy.window.endsAt === 'end_of_day' ? w.endMs - 1 : w.endMs, zone),
          },
          lineId,
        );
      }
    }
  }

  // Goods that have not arrived cannot be sent back; a refund or reship for them is the rules' call.
  if (checkWindow && policy.window.from !== 'order' && GOODS_IN_HAND.includes(type)) {
    if (returnWindow(policy, input, undefined, zone).startMs === undefined) add('order_not_delivered', {});
  }

  if (claims && REFUNDS.includes(type) && ctx.lines.length > 0) {
    const allowed = allowedResolutions(ctx);
    if (allowed.length === 0 || (request.resolution !== undefined && !allowed.includes(request.resolution))) {
      add('resolution_not_allowed', { resolution: resolutionWord(request.resolution) });
    }
  }
  return found;
}
