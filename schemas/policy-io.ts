import * as z from 'zod';
import { IsoInstant } from './common.ts';
import { CaseType } from './names.ts';

/*
 * What the policy engine (functions/core/policy/) is asked and what it answers. The policy
 * document itself is schemas/policy.ts. The engine is pure: the caller gathers these inputs (the
 * order, the customer's history, earlier cases on the same lines) and stores the answer, with its
 * trace, on the case.
 */

/** Why the customer wants to send something back (or complain). */
export const ReturnReason = z.enum([
  'size_too_small',
  'size_too_large',
  'defective', // 质量问题
  'not_as_described', // 与描述不符
  'wrong_item', // 发错货
  'damaged_in_transit',
  'missing_item', // 少件
  'changed_mind', // 七天无理由
  'other',
]);
export type ReturnReason = z.infer<typeof ReturnReason>;

/** How the customer is paid back. */
export const Resolution = z.enum(['original_payment', 'store_credit']);
export type Resolution = z.infer<typeof Resolution>;

export const PolicyAction = z.enum(['approve', 'review', 'reject']);
export type PolicyAction = z.infer<typeof PolicyAction>;

/**
 * Who asks. `marketplace` (the marketplace already holds the request) and `system` (we noticed a
 * parcel problem) are never refused: the engine reports what it found but does not enforce it.
 */
export const RequestOrigin = z.enum(['customer', 'staff', 'marketplace', 'system']);
export type RequestOrigin = z.infer<typeof RequestOrigin>;

/** Refusals the customer sees as 422 `{"error":{"code"}}`, in the policy's own words. */
export const PolicyViolationCode = z.enum([
  'outside_return_window',
  'not_returnable',
  'quantity_exceeds_purchased',
  'order_not_delivered',
  'resolution_not_allowed',
  'type_not_allowed',
  'reason_not_allowed',
  'too_many_cases',
  'unknown_line',
  'order_cancelled',
]);
export type PolicyViolationCode = z.infer<typeof PolicyViolationCode>;

const PolicyLine = z.object({
  lineId: z.string(),
  sku: z.string().optional(),
  productId: z.string().optional(),
  variantId: z.string().optional(),
  title: z.string(),
  quantity: z.number().int().nonnegative(),
  /** Minor units, in the order's currency. */
  unitPrice: z.number().int(),
  total: z.number().int(),
  /** The list price before any markdown, when the shop knows it; discounts are measured from it. */
  compareAtUnitPrice: z.number().int().optional(),
  /** Product tags and categories the caller knows; the policy's catalog adds its own. */
  tags: z.array(z.string()).default([]),
  categories: z.array(z.string()).default([]),
});

export const PolicyInput = z.object({
  /** The decision's time (an ISO instant naming its zone): windows are measured to it. */
  now: IsoInstant,
  shop: z.object({
    locale: z.string(),
    country: z.string().optional(),
    /**
     * The shop's IANA zone: a window counted in days ends at midnight there. Without it, zh-CN
     * shops count in Asia/Shanghai and the others in UTC.
     */
    timezone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Shanghai')
      .optional(),
  }),
  order: z.object({
    provider: z.string(),
    orderId: z.string(),
    currency: z.string().optional(),
    /** Order total, minor units. */
    total: z.number().int().optional(),
    placedAt: IsoInstant.optional(),
    /** Earliest shipment of the order. */
    shippedAt: IsoInstant.optional(),
    /** When the customer received it (carrier or buyer confirmation). */
    deliveredAt: IsoInstant.optional(),
    cancelled: z.boolean().default(false),
    country: z.string().optional(),
    lines: z.array(PolicyLine),
  }),
  customer: z.object({
    /** Earlier cases of this customer (any order), newest first, with when they were opened. */
    cases: z.array(z.object({ at: IsoInstant, type: CaseType })).default([]),
    lifetimeOrders: z.number().int().nonnegative().default(0),
    /** Refunded to date, minor units (in the shop's usual currency). */
    lifetimeRefunds: z.number().int().nonnegative().default(0),
    tags: z.array(z.string()).default([]),
  }),
  request: z.object({
    type: CaseType,
    origin: RequestOrigin,
    lines: z.array(
      z.object({
        lineId: z.string(),
        quantity: z.number().int().positive(),
        reason: ReturnReason,
        exchangeFor: z.object({ variantId: z.string(), sku: z.string().optional() }).optional(),
      }),
    ),
    resolution: Resolution.optional(),
  }),
  /** Earlier, not cancelled or rejected, cases on this order's lines (quantities already claimed). */
  earlierCases: z
    .array(
      z.object({
        caseId: z.string(),
        /** A complaint claims no goods: it counts neither against the quantity nor the case limit. */
        type: CaseType.optional(),
        lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int() })),
      }),
    )
    .default([]),
});
export type PolicyInput = z.input<typeof PolicyInput>;
export type PolicyInputParsed = z.output<typeof PolicyInput>;

/** One condition the deciding rule tested, with the value it saw: the trace staff read. */
export const TraceStep = z.object({ test: z.string(), value: z.unknown(), passed: z.boolean() });

export const PolicyViolation = z.object({
  code: PolicyViolationCode,
  message: z.string(),
  lineId: z.string().optional(),
});
export type PolicyViolation = z.infer<typeof PolicyViolation>;

export const PolicyEvaluation = z.object({
  policyVersion: z.number().int(),
  /** Empty when the request is allowed at all. */
  violations: z.array(PolicyViolation),
  /**
   * What would have been violations on a request that is never refused (origin `marketplace` or
   * `system`): reported for staff, also among the decision's reasons, never enforced.
   */
  waived: z.array(PolicyViolation).optional(),
  decision: z
    .object({
      action: PolicyAction,
      /** The id of the auto-approval rule that decided, or `default` when none matched. */
      rule: z.string(),
      /** Set for a reject: the machine-readable reason. */
      reasonCode: z.string().optional(),
      /** Human-readable reasons, in the shop's language where the policy gives them. */
      reasons: z.array(z.string()),
      trace: z.array(TraceStep),
    })
    .optional(),
  /** What applies to this case if it goes ahead. */
  terms: z.object({
    /**
     * The last day a return is accepted (end of the window), if the policy has one: the instant the
     * window closes, itself still inside (for a window in days, midnight ending its last day).
     */
    windowEndsAt: z.string().optional(),
    /** Days the customer has to ship the return once approved. */
    shipWithinDays: z.number().int().positive(),
    /** Days the shop has to refund once the return is received (China: 7). */
    refundWithinDays: z.number().int().positive(),
    /** Who pays the return postage: the buyer, unless the shop is at fault or the policy says otherwise. */
    returnPostagePaidBy: z.enum(['buyer', 'shop']),
    /** Fees deducted from the refund, minor units. */
    restockingFee: z.number().int().nonnegative(),
    /** The goods must come back intact (unused, with tags) for a no-reason return. */
    mustBeIntact: z.boolean(),
  }),
  // Beside `terms` rather than in it, so a case that stores `terms` keeps its shape.
  /** For a refund: how the customer may be paid back (a heavily discounted line: store credit only). */
  resolutions: z.array(Resolution).optional(),
  /** For a complaint: hours the shop has to answer it first. */
  firstResponseWithinHours: z.number().int().positive().optional(),
});
export type PolicyEvaluation = z.infer<typeof PolicyEvaluation>;
