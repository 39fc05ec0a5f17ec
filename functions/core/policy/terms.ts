import type { PolicyEvaluation } from '../../../schemas/policy-io.ts';
import { goodsComeBack } from '../cases/case-types.ts';
import { percentOf } from './lines.ts';
import { allowedResolutions, REFUNDS, type RequestContext } from './violations.ts';
import { returnWindow, windowAppliesTo } from './window.ts';

/*
 * What applies to a case if it goes ahead: the window's end, the deadlines, who pays the return
 * postage, the restocking fee and whether the goods must come back intact.
 */

export type Terms = PolicyEvaluation['terms'];

/** The earliest window end among the requested lines (each reason may have its own length). */
function windowEndsAt(ctx: RequestContext): string | undefined {
  if (!windowAppliesTo(ctx.policy, ctx.input)) return undefined;
  const reasons = ctx.lines.length > 0 ? ctx.lines.map((l) => l.request.reason) : [undefined];
  const ends = reasons
    .map((r) => returnWindow(ctx.policy, ctx.input, r, ctx.zone).endMs)
    .filter((ms): ms is number => ms !== undefined);
  return ends.length > 0 ? new Date(Math.min(...ends)).toISOString() : undefined;
}

/**
 * Each line pays the first fee matching its reason and the case type: a percentage of its value,
 * or a fixed fee charged once per case. Never more than the lines are worth.
 */
export function restockingFee(ctx: RequestContext): number {
  const fees = ctx.policy.fees.restocking;
  const type = ctx.input.request.type;
  const charged = new Set<number>();
  let total = 0;
  for (const l of ctx.lines) {
    const i = fees.findIndex((f) => f.reasons.includes(l.request.reason) && f.types.includes(type));
    const fee = fees[i];
    if (!fee) continue;
    if (fee.percent !== undefined) total += percentOf(l.value, fee.percent);
    else if (!charged.has(i)) {
      charged.add(i);
      total += fee.fixed ?? 0;
    }
  }
  const value = ctx.lines.reduce((sum, l) => sum + l.value, 0);
  return Math.max(0, Math.min(total, value));
}

export function termsOf(ctx: RequestContext): Terms {
  const { policy, input } = ctx;
  const type = input.request.type;
  const reasons = input.request.lines.map((l) => l.reason);
  const postage = policy.fees.returnPostage;
  const shopAtFault = reasons.some((r) => postage.shopPaysFor.includes(r));
  const windowEnd = windowEndsAt(ctx);
  return {
    ...(windowEnd !== undefined && { windowEndsAt: windowEnd }),
    shipWithinDays: policy.deadlines.shipReturnWithinDays,
    refundWithinDays: policy.deadlines.refundWithinDays,
    // One parcel goes back: if any line in it is the shop's fault, the shop pays for it.
    returnPostagePaidBy: postage.paidBy === 'shop' || shopAtFault ? 'shop' : 'buyer',
    restockingFee: restockingFee(ctx),
    mustBeIntact: goodsComeBack(type) && reasons.some((r) => policy.intactFor.includes(r)),
  };
}

/** The terms kept beside `terms`: resolutions for a refund, the first response time for a complaint. */
export function extraTermsOf(
  ctx: RequestContext,
): Pick<PolicyEvaluation, 'resolutions' | 'firstResponseWithinHours'> {
  const type = ctx.input.request.type;
  return {
    ...(REFUNDS.includes(type) && { resolutions: allowedResolutions(ctx) }),
    ...(type === 'complaint' && {
      firstResponseWithinHours: ctx.policy.deadlines.complaintFirstResponseHours,
    }),
  };
}
