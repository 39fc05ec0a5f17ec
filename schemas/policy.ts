import * as z from 'zod';
import { MinorUnits } from './common.ts';
import { CaseType } from './names.ts';
import { PolicyAction, PolicyViolationCode, RequestOrigin, Resolution, ReturnReason } from './policy-io.ts';

/*
 * A shop's after-sale policy as data: one strict JSON document, validated here, evaluated by
 * functions/core/policy/evaluate.ts. Every field has a default, so `{}` is a complete policy (the
 * standard one without its rules); docs/policy.md describes each field. `version` is set by the
 * store when a policy is published; the engine only reports it.
 */

const ALL_TYPES = CaseType.options;
const BOTH_RESOLUTIONS: Resolution[] = ['original_payment', 'store_credit'];

/** Reasons where the buyer, not the shop, is the cause: final-sale rules and fees apply to these. */
export const BUYER_SIDE_REASONS: readonly ReturnReason[] = [
  'changed_mind',
  'size_too_small',
  'size_too_large',
  'other',
];
/** Reasons where the shop (or its carrier) is at fault: it pays the return postage. */
export const SHOP_FAULT_REASONS: readonly ReturnReason[] = [
  'defective',
  'not_as_described',
  'wrong_item',
  'damaged_in_transit',
  'missing_item',
];
/** No-reason returns: the goods must come back as they left (完好). */
const NO_REASON_RETURNS: readonly ReturnReason[] = ['changed_mind', 'size_too_small', 'size_too_large'];

const Days = z.number().int().min(0).max(3650);
const PositiveDays = z.number().int().min(1).max(3650);
const Label = z.string().min(1).max(100);
const Labels = z.array(Label).max(500).default([]);
/** `*` any run of characters, `?` one character; matched case-insensitively. */
const Glob = z.string().min(1).max(200);
const Globs = z.array(Glob).max(500).default([]);
const Percent = z
  .number()
  .min(0)
  .max(100)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'at most two decimals');

/** The return window: how long after delivery (or order, or shipment) a case may be opened. */
const ReturnWindow = z
  .object({
    days: Days.default(30),
    from: z.enum(['delivery', 'order', 'fulfillment']).default('delivery'),
    /**
     * `end_of_day`: counting starts the day after (次日起算) and the window closes at midnight of
     * its last day in the shop's zone; `same_time`: exactly `days` x 24 hours after the start.
     */
    endsAt: z.enum(['end_of_day', 'same_time']).default('end_of_day'),
    /** A different length for some reasons (a longer one for defects, say). */
    byReason: z.partialRecord(ReturnReason, Days).default({}),
    /** The case types the window applies to; complaints are never late. */
    appliesTo: z
      .array(CaseType)
      .default(() => ALL_TYPES.filter((t) => t !== 'complaint'))
      .transform((types) => [...new Set(types)]),
  })
  .strict()
  .prefault({});

function reasonRule(types: CaseType[], resolutions: Resolution[] = BOTH_RESOLUTIONS) {
  return z
    .object({
      allowed: z.boolean().default(true),
      types: z
        .array(CaseType)
        .min(1)
        .default(() => [...types]),
      resolutions: z
        .array(Resolution)
        .min(1)
        .default(() => [...resolutions]),
    })
    .strict()
    .prefault({});
}

const GOODS_BACK: CaseType[] = ['return_refund', 'exchange'];
/** Which reasons are accepted, and for each the case types and the resolutions it allows. */
const ReasonRules = z
  .object({
    size_too_small: reasonRule(GOODS_BACK),
    size_too_large: reasonRule(GOODS_BACK),
    changed_mind: reasonRule(GOODS_BACK),
    defective: reasonRule(ALL_TYPES),
    not_as_described: reasonRule(ALL_TYPES),
    wrong_item: reasonRule(['return_refund', 'exchange', 'refund_only', 'reship', 'complaint']),
    damaged_in_transit: reasonRule(ALL_TYPES),
    missing_item: reasonRule(['refund_only', 'reship', 'complaint']),
    other: reasonRule(['return_refund', 'exchange', 'refund_only', 'complaint']),
  })
  .strict()
  .prefault({});

export const DiscountTreatment = z.enum(['final_sale', 'store_credit_only']);

/** Final sale: lines that cannot be returned for the buyer-side reasons in `forReasons`. */
const Exclusions = z
  .object({
    tags: Labels,
    categories: Labels,
    skus: Globs,
    productIds: Globs,
    /** A line discounted by more than `overPercent` (from its list price) is final sale or store credit only. */
    discounted: z
      .array(z.object({ overPercent: Percent, treatment: DiscountTreatment }).strict())
      .max(20)
      .default([]),
    /** The reasons exclusions apply to: a defective final-sale item is still the shop's to put right. */
    forReasons: z.array(ReturnReason).default(() => [...BUYER_SIDE_REASONS]),
  })
  .strict()
  .prefault({});

/** Marketplace lines carry no tags: the catalog gives them some, by SKU and product id. */
const CatalogEntry = z
  .object({ sku: Glob.optional(), productId: Glob.optional(), tags: Labels, categories: Labels })
  .strict()
  .refine((e) => e.sku !== undefined || e.productId !== undefined, {
    message: 'a catalog entry matches a sku or a productId (when both are given, both must match)',
  });

const RestockingFee = z
  .object({
    reasons: z
      .array(ReturnReason)
      .min(1)
      .default(() => [...BUYER_SIDE_REASONS]),
    types: z
      .array(CaseType)
      .min(1)
      .default((): CaseType[] => ['return_refund']),
    /** Of each matching line's requested value, rounded down. */
    percent: Percent.optional(),
    /** Once per case, minor units. */
    fixed: MinorUnits.nonnegative().optional(),
  })
  .strict()
  .superRefine((fee, ctx) => {
    if ((fee.percent === undefined) === (fee.fixed === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a restocking fee has either `percent` or `fixed`', path: [] });
    }
  });

const Fees = z
  .object({
    /** Ordered: each line pays the first fee whose reasons and types match it. */
    restocking: z.array(RestockingFee).max(20).default([]),
    returnPostage: z
      .object({
        paidBy: z.enum(['buyer', 'shop']).default('buyer'),
        /** Reasons for which the shop pays anyway: any requested line with one makes it the shop's. */
        shopPaysFor: z.array(ReturnReason).default(() => [...SHOP_FAULT_REASONS]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const Deadlines = z
  .object({
    shipReturnWithinDays: PositiveDays.default(7),
    refundWithinDays: PositiveDays.default(7),
    complaintFirstResponseHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
  })
  .strict()
  .prefault({});

// ---- Conditions ----------------------------------------------------------------------------

/** What a condition leaf can test, and what kind of value each is. */
export const CONDITION_FIELDS = {
  caseValue: 'number', // sum of the requested lines' share of their totals, minor units
  orderValue: 'number', // the order total, minor units
  daysSinceDelivery: 'number', // whole days
  daysSinceOrder: 'number',
  customerCases: 'number', // the customer's cases opened in the last `days` days
  lifetimeOrders: 'number',
  lifetimeRefunds: 'number', // minor units
  type: 'enum',
  resolution: 'enum',
  origin: 'enum',
  country: 'text',
  marketplace: 'text', // the order's provider: shopify, taobao, doudian...
  reasons: 'list', // of the requested lines
  customerTags: 'list',
  productTags: 'list', // of the requested lines, catalog included
  categories: 'list', // of the requested lines, catalog included
} as const;
export type ConditionField = keyof typeof CONDITION_FIELDS;
export const ConditionField = z.enum(Object.keys(CONDITION_FIELDS) as [ConditionField, ...ConditionField[]]);

export const ConditionOp = z.enum([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'notIn',
  'includes',
  'excludes',
]);
export type ConditionOp = z.infer<typeof ConditionOp>;

const OPS_BY_KIND: Record<'number' | 'enum' | 'text' | 'list', ConditionOp[]> = {
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'],
  enum: ['eq', 'ne', 'in', 'notIn'],
  text: ['eq', 'ne', 'in', 'notIn'],
  list: ['includes', 'excludes', 'in', 'notIn'],
};

const ENUM_VALUES: Partial<Record<ConditionField, readonly string[]>> = {
  type: CaseType.options,
  resolution: Resolution.options,
  origin: RequestOrigin.options,
  reasons: ReturnReason.options,
};

/** The keys a condition may have; exactly one form (`all`, `any`, `not`, or a leaf) per node. */
const FORMS = ['all', 'any', 'not', 'field'] as const;

type Ctx = z.core.$RefinementCtx;

function checkLeafValue(field: ConditionField, op: ConditionOp, value: unknown, ctx: Ctx): void {
  const kind = CONDITION_FIELDS[field];
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'] });
  const known = ENUM_VALUES[field];
  const checkWord = (v: unknown, at: (string | number)[]) => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) {
      ctx.addIssue({ code: 'custom', message: 'expected a non-empty string', path: at });
    } else if (known && !known.includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(v)} is not a ${field === 'reasons' ? 'reason' : field}: expected one of ${known.join(', ')}`,
        path: at,
      });
    }
  };
  const checkWords = (v: unknown) => {
    if (!Array.isArray(v) || v.length === 0 || v.length > 500) {
      issue(`\`${op}\` takes a non-empty list of values`);
      return;
    }
    v.forEach((w, i) => {
      checkWord(w, ['value', i]);
    });
  };
  if (kind === 'number') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      issue(`${field} is compared with a whole number`);
    return;
  }
  // in/notIn take a list; includes/excludes one value or a list of them (any of); eq/ne one value.
  if (op === 'in' || op === 'notIn' || (kind === 'list' && Array.isArray(value))) checkWords(value);
  else checkWord(value, ['value']);
}

function checkCondition(c: ConditionNode, ctx: Ctx): void {
  const forms = FORMS.filter((k) => c[k] !== undefined);
  if (forms.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        forms.length === 0
          ? 'a condition is {all: [...]}, {any: [...]}, {not: {...}} or {field, op, value}'
          : `a condition has one form, not ${forms.join(' and ')}`,
      path: [],
    });
    return;
  }
  const leafKeys = (['op', 'value', 'days'] as const).filter((k) => c[k] !== undefined);
  if (forms[0] !== 'field') {
    for (const k of leafKeys)
      ctx.addIssue({ code: 'custom', message: `\`${k}\` belongs to a leaf`, path: [k] });
    return;
  }
  const field = c.field!;
  if (c.op === undefined) {
    ctx.addIssue({ code: 'custom', message: `a leaf on ${field} needs an \`op\``, path: ['op'] });
    return;
  }
  const kind = CONDITION_FIELDS[field];
  if (!OPS_BY_KIND[kind].includes(c.op)) {
    ctx.addIssue({
      code: 'custom',
      message: `\`${c.op}\` does not apply to ${field} (${kind === 'list' ? 'a list' : `a ${kind}`}): use ${OPS_BY_KIND[kind].join(', ')}`,
      path: ['op'],
    });
    return;
  }
  if (c.value === undefined) {
    ctx.addIssue({ code: 'custom', message: `a leaf on ${field} needs a \`value\``, path: ['value'] });
  } else {
    checkLeafValue(field, c.op, c.value, ctx);
  }
  if (field === 'customerCases' && c.days === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'customerCases counts the cases of the last `days` days: give `days`',
      path: ['days'],
    });
  }
  if (field !== 'customerCases' && c.days !== undefined) {
    ctx.addIssue({ code: 'custom', message: '`days` belongs to customerCases only', path: ['days'] });
  }
}

/** One node of a condition tree, as the schema below leaves it (checked, so exactly one form is set). */
export type ConditionNode = {
  all?: ConditionNode[];
  any?: ConditionNode[];
  not?: ConditionNode;
  field?: ConditionField;
  op?: ConditionOp;
  value?: unknown;
  days?: number;
};

/**
 * `{all: [...]}`, `{any: [...]}`, `{not: {...}}` or a leaf `{field, op, value}` (`days` with
 * `customerCases`). The type is written out because a recursive schema cannot infer its own.
 */
export const Condition: z.ZodType<ConditionNode, ConditionNode> = z
  .object({
    get all() {
      return z.array(Condition).min(1).max(50).optional();
    },
    get any() {
      return z.array(Condition).min(1).max(50).optional();
    },
    get not() {
      return Condition.optional();
    },
    field: ConditionField.optional(),
    op: ConditionOp.optional(),
    value: z.unknown().optional(),
    days: PositiveDays.optional(),
  })
  .strict()
  .superRefine(checkCondition);

const RuleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, `_`, `.` and `-`, up to 64 characters')
  .refine((id) => id !== 'default', '`default` names the default action, not a rule');

/** Leaves per rule: its trace is what staff read, and what the case stores. */
const MAX_LEAVES = 50;

function leafCount(c: ConditionNode): number {
  if (c.all || c.any) return (c.all ?? c.any)!.reduce((n, child) => n + leafCount(child), 0);
  if (c.not) return leafCount(c.not);
  return 1;
}

/** An auto-approval rule. The first whose `when` holds decides. */
export const PolicyRule = z
  .object({
    id: RuleId,
    /** Shown to staff (and on a reject, to the customer): in the shop's language. */
    description: z.string().min(1).max(500).optional(),
    when: Condition,
    action: PolicyAction,
    /** Machine-readable reason for a reject (required then). */
    reasonCode: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, `_`, `.` and `-`')
      .optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (leafCount(rule.when) > MAX_LEAVES) {
      ctx.addIssue({ code: 'custom', message: `a rule tests at most ${MAX_LEAVES} leaves`, path: ['when'] });
    }
    if (rule.action === 'reject' && rule.reasonCode === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a reject rule needs a `reasonCode`', path: ['reasonCode'] });
    }
  });
export type PolicyRule = z.output<typeof PolicyRule>;

export const Policy = z
  .object({
    /** Set by the store on publish (1, 2, ...); 0 for a draft. The engine only reports it. */
    version: z.number().int().nonnegative().default(0),
    name: z.string().max(200).optional(),
    window: ReturnWindow,
    /** The case types the shop offers at all. */
    caseTypes: z
      .array(CaseType)
      .min(1)
      .default(() => [...ALL_TYPES]),
    reasons: ReasonRules,
    exclusions: Exclusions,
    catalog: z.array(CatalogEntry).max(1000).default([]),
    /** How many cases (complaints aside) one order line may have. */
    maxCasesPerLine: z.number().int().min(1).max(100).default(3),
    fees: Fees,
    /** Reasons for which returned goods must be intact (完好): unused, complete, with their tags. */
    intactFor: z.array(ReturnReason).default(() => [...NO_REASON_RETURNS]),
    deadlines: Deadlines,
    rules: z
      .array(PolicyRule)
      .max(100)
      .default([])
      .superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, i) => {
          if (seen.has(rule.id)) {
            ctx.addIssue({ code: 'custom', message: `rule id ${rule.id} is used twice`, path: [i, 'id'] });
          }
          seen.add(rule.id);
        });
      }),
    /** When no rule matches. */
    defaultAction: PolicyAction.default('review'),
    /**
     * The customer-facing text of each violation, in the shop's language; placeholders:
     * {line} {lineId} {orderId} {days} {windowEndsAt} {windowEndsOn} {reason} {type} {resolution}
     * {requested} {available} {purchased} {cases} {max} {why}.
     */
    messages: z.partialRecord(PolicyViolationCode, z.string().min(1).max(500)).default({}),
  })
  .strict();
/** A policy as written (defaults may be left out). */
export type PolicyDocument = z.input<typeof Policy>;
/** A policy as the engine reads it (defaults filled). */
export type Policy = z.output<typeof Policy>;

// ---- Presets -------------------------------------------------------------------------------

/** Small no-reason returns from customers with no case in the last 60 days go ahead. */
function smallNoReasonReturn(description: string): NonNullable<PolicyDocument['rules']> {
  return [
    {
      id: 'small-no-reason-return',
      description,
      action: 'approve',
      when: {
        all: [
          { field: 'type', op: 'in', value: ['return_refund', 'exchange'] },
          { field: 'reasons', op: 'in', value: ['changed_mind', 'size_too_small', 'size_too_large'] },
          { field: 'caseValue', op: 'lte', value: 10_000 },
          { field: 'customerCases', op: 'eq', value: 0, days: 60 },
          { field: 'origin', op: 'in', value: ['customer', 'staff'] },
        ],
      },
    },
  ];
}

/** The standard policy: 30 days from delivery, small no-reason returns approved, the rest reviewed. */
export function standardPolicy(): Policy {
  return Policy.parse({
    name: 'Standard',
    window: { days: 30, from: 'delivery' },
    rules: smallNoReasonReturn(
      'A small return for a change of mind or size, from a customer with no other case in 60 days.',
    ),
    defaultAction: 'review',
  } satisfies PolicyDocument);
}

/**
 * 七天无理由退货: 《消费者权益保护法》第二十五条 and 《网络购买商品七日无理由退货暂行办法》.
 * Seven days counted from the day after receipt (签收次日起算); made-to-order, fresh and perishable,
 * downloaded or unsealed digital goods, and delivered newspapers and periodicals are excluded, as are
 * goods the buyer confirmed at sale as not returnable (tag `non_returnable`); the goods come back
 * intact (完好); the shop refunds within 7 days of receiving them; the buyer pays the return postage
 * unless the goods are at fault. Quality problems keep 15 days (the 三包 exchange period).
 */
export function chinaSevenDayPolicy(): Policy {
  return Policy.parse({
    name: '七天无理由退货',
    window: {
      days: 7,
      from: 'delivery',
      endsAt: 'end_of_day',
      byReason: {
        defective: 15,
        not_as_described: 15,
        wrong_item: 15,
        damaged_in_transit: 15,
        missing_item: 15,
      },
    },
    exclusions: {
      categories: ['made_to_order', 'perishable', 'digital_opened', 'newspaper_periodical'],
      tags: ['non_returnable'],
      forReasons: ['changed_mind', 'size_too_small', 'size_too_large', 'other'],
    },
    fees: { returnPostage: { paidBy: 'buyer', shopPaysFor: [...SHOP_FAULT_REASONS] } },
    intactFor: ['changed_mind', 'size_too_small', 'size_too_large'],
    deadlines: { shipReturnWithinDays: 7, refundWithinDays: 7, complaintFirstResponseHours: 24 },
    rules: smallNoReasonReturn('小额无理由退换货,且该顾客 60 天内无其他售后:自动同意。'),
    defaultAction: 'review',
    messages: {
      outside_return_window: '{line} 已超过售后期限({windowEndsOn} 截止)。',
      order_not_delivered: '订单尚未签收,签收后才能申请退换货。',
      not_returnable: '{line} 不支持七天无理由退货。',
      quantity_exceeds_purchased: '{line} 还可申请 {available} 件,本次申请了 {requested} 件。',
      resolution_not_allowed: '本次申请不支持该退款方式。',
      type_not_allowed: '{line} 不支持以该原因申请此类售后。',
      reason_not_allowed: '不支持以该原因申请售后。',
      too_many_cases: '{line} 的售后申请已达 {max} 次上限。',
      unknown_line: '订单中没有这件商品。',
      order_cancelled: '订单已取消,无法申请售后。',
    },
  } satisfies PolicyDocument);
}

/** The policy a new shop starts with: the 7-day preset for zh-CN shops, the standard one otherwise. */
export function defaultPolicy(locale: string): Policy {
  return locale.toLowerCase() === 'zh-cn' ? chinaSevenDayPolicy() : standardPolicy();
}

// ---- Dry run -------------------------------------------------------------------------------

/** What a policy does with a request: one of its actions, or a refusal (violations). */
export const PolicyOutcome = z.enum(['approve', 'review', 'reject', 'refused']);
export type PolicyOutcome = z.infer<typeof PolicyOutcome>;

const Count = z.number().int().nonnegative();
const OutcomeCounts = z.object({ approve: Count, review: Count, reject: Count, refused: Count }).strict();

/** A draft policy evaluated against the same samples as the current one (functions/core/policy/dry-run.ts). */
export const DryRunReport = z
  .object({
    currentVersion: z.number().int(),
    draftVersion: z.number().int(),
    /** Samples given, and evaluated (the others are in `skipped`). */
    samples: Count,
    evaluated: Count,
    current: OutcomeCounts,
    draft: OutcomeCounts,
    /** Samples whose outcome or violation codes differ. */
    changed: Count,
    transitions: z.array(z.object({ from: PolicyOutcome, to: PolicyOutcome, count: Count }).strict()),
    /** Among the changed samples, how many each draft rule (or `default`, or `refused`) decided. */
    byDraftRule: z.record(z.string(), Count),
    changes: z.array(
      z
        .object({
          caseId: z.string(),
          from: PolicyOutcome,
          to: PolicyOutcome,
          currentRule: z.string().optional(),
          draftRule: z.string().optional(),
          codesAdded: z.array(PolicyViolationCode),
          codesRemoved: z.array(PolicyViolationCode),
        })
        .strict(),
    ),
    skipped: z.array(z.object({ caseId: z.string(), error: z.string() }).strict()),
  })
  .strict();
export type DryRunReport = z.infer<typeof DryRunReport>;
