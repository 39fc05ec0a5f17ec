import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import type { ConditionNode } from '../../../schemas/policy.ts';
import { type InputOverrides, policy, policyInput } from './builders.ts';

/*
 * Every field and every op, one leaf at a time: a rule `when: leaf -> approve` over the test
 * request (one black tee, 40.00, changed mind, delivered 9 days ago, placed 14 days ago), the
 * default being review. The trace shows the value the leaf saw.
 */

const CASES = {
  cases: [
    { at: '2026-11-20T00:00:00Z', type: 'exchange' as const },
    { at: '2026-10-01T00:00:00Z', type: 'return_refund' as const },
    { at: '2026-06-01T00:00:00Z', type: 'complaint' as const },
  ],
};
const TAGGED = {
  catalog: [
    { sku: 'TEE-*', tags: ['cotton', 'Summer'] },
    { productId: 'P-TEE', categories: ['apparel'] },
  ],
};

type Row = [string, ConditionNode, InputOverrides, boolean, unknown];

const rows: Row[] = [
  // numbers
  ['caseValue eq', { field: 'caseValue', op: 'eq', value: 4000 }, {}, true, 4000],
  ['caseValue ne', { field: 'caseValue', op: 'ne', value: 4000 }, {}, false, 4000],
  ['caseValue lt', { field: 'caseValue', op: 'lt', value: 4000 }, {}, false, 4000],
  ['caseValue lte', { field: 'caseValue', op: 'lte', value: 4000 }, {}, true, 4000],
  ['caseValue gt', { field: 'caseValue', op: 'gt', value: 3999 }, {}, true, 4000],
  ['caseValue gte', { field: 'caseValue', op: 'gte', value: 4001 }, {}, false, 4000],
  [
    'caseValue sums the requested lines',
    { field: 'caseValue', op: 'eq', value: 20_000 },
    {
      request: {
        lines: [
          { lineId: 'L1', quantity: 2, reason: 'changed_mind' },
          { lineId: 'L3', quantity: 1, reason: 'changed_mind' },
        ],
      },
    },
    true,
    20_000,
  ],
  ['orderValue gt', { field: 'orderValue', op: 'gt', value: 20_000 }, {}, true, 25_000],
  [
    'orderValue unknown',
    { field: 'orderValue', op: 'lt', value: 1_000_000 },
    { order: { total: undefined } },
    false,
    null,
  ],
  ['daysSinceDelivery eq', { field: 'daysSinceDelivery', op: 'eq', value: 9 }, {}, true, 9],
  [
    'daysSinceDelivery unknown (not delivered)',
    { field: 'daysSinceDelivery', op: 'lte', value: 1000 },
    {
      order: { deliveredAt: undefined },
      request: { type: 'refund_only', lines: [{ lineId: 'L1', quantity: 1, reason: 'missing_item' }] },
    },
    false,
    null,
  ],
  ['daysSinceOrder gte', { field: 'daysSinceOrder', op: 'gte', value: 14 }, {}, true, 14],
  ['lifetimeOrders gte', { field: 'lifetimeOrders', op: 'gte', value: 3 }, {}, true, 3],
  [
    'lifetimeRefunds lt',
    { field: 'lifetimeRefunds', op: 'lt', value: 5000 },
    { customer: { lifetimeRefunds: 5000 } },
    false,
    5000,
  ],
  // the customer's recent cases, over `days`
  [
    'customerCases in 30 days',
    { field: 'customerCases', op: 'eq', value: 1, days: 30 },
    { customer: CASES },
    true,
    1,
  ],
  [
    'customerCases in 60 days',
    { field: 'customerCases', op: 'eq', value: 2, days: 60 },
    { customer: CASES },
    true,
    2,
  ],
  [
    'customerCases in 365 days',
    { field: 'customerCases', op: 'gte', value: 3, days: 365 },
    { customer: CASES },
    true,
    3,
  ],
  ['customerCases, none', { field: 'customerCases', op: 'eq', value: 0, days: 30 }, {}, true, 0],
  // words
  ['type eq', { field: 'type', op: 'eq', value: 'return_refund' }, {}, true, 'return_refund'],
  ['type ne', { field: 'type', op: 'ne', value: 'exchange' }, {}, true, 'return_refund'],
  ['type in', { field: 'type', op: 'in', value: ['exchange', 'return_refund'] }, {}, true, 'return_refund'],
  ['type notIn', { field: 'type', op: 'notIn', value: ['return_refund'] }, {}, false, 'return_refund'],
  [
    'resolution eq',
    { field: 'resolution', op: 'eq', value: 'store_credit' },
    {
      request: { lines: [{ lineId: 'L1', quantity: 1, reason: 'changed_mind' }], resolution: 'store_credit' },
    },
    true,
    'store_credit',
  ],
  ['resolution not given', { field: 'resolution', op: 'ne', value: 'store_credit' }, {}, false, null],
  ['origin eq', { field: 'origin', op: 'eq', value: 'customer' }, {}, true, 'customer'],
  ['country eq, ignoring case', { field: 'country', op: 'eq', value: 'us' }, {}, true, 'US'],
  ['country in', { field: 'country', op: 'in', value: ['CN', 'US'] }, {}, true, 'US'],
  ['country notIn', { field: 'country', op: 'notIn', value: ['US'] }, {}, false, 'US'],
  [
    "country falls back to the shop's",
    { field: 'country', op: 'eq', value: 'CN' },
    { order: { country: undefined }, shop: { country: 'CN' } },
    true,
    'CN',
  ],
  ['marketplace eq', { field: 'marketplace', op: 'eq', value: 'shopify' }, {}, true, 'shopify'],
  ['marketplace ne', { field: 'marketplace', op: 'ne', value: 'taobao' }, {}, true, 'shopify'],
  // lists
  [
    'reasons includes',
    { field: 'reasons', op: 'includes', value: 'changed_mind' },
    {},
    true,
    ['changed_mind'],
  ],
  [
    'reasons includes any of',
    { field: 'reasons', op: 'includes', value: ['defective', 'changed_mind'] },
    {},
    true,
    ['changed_mind'],
  ],
  [
    'reasons excludes',
    { field: 'reasons', op: 'excludes', value: ['defective'] },
    {},
    true,
    ['changed_mind'],
  ],
  [
    'reasons in',
    { field: 'reasons', op: 'in', value: ['changed_mind', 'size_too_small'] },
    {},
    true,
    ['changed_mind'],
  ],
  [
    'reasons in, one of them not',
    { field: 'reasons', op: 'in', value: ['changed_mind'] },
    {
      request: {
        lines: [
          { lineId: 'L1', quantity: 1, reason: 'changed_mind' },
          { lineId: 'L3', quantity: 1, reason: 'defective' },
        ],
      },
    },
    false,
    ['changed_mind', 'defective'],
  ],
  ['reasons notIn', { field: 'reasons', op: 'notIn', value: ['changed_mind'] }, {}, false, ['changed_mind']],
  [
    'customerTags includes, ignoring case',
    { field: 'customerTags', op: 'includes', value: 'vip' },
    { customer: { tags: ['VIP'] } },
    true,
    ['VIP'],
  ],
  ['customerTags excludes', { field: 'customerTags', op: 'excludes', value: 'blocked' }, {}, true, []],
  ['customerTags in, empty list', { field: 'customerTags', op: 'in', value: ['vip'] }, {}, false, []],
  [
    'productTags includes (from the catalog)',
    { field: 'productTags', op: 'includes', value: 'summer' },
    {},
    true,
    ['cotton', 'summer'],
  ],
  [
    'productTags excludes',
    { field: 'productTags', op: 'excludes', value: ['cotton'] },
    {},
    false,
    ['cotton', 'summer'],
  ],
  ['categories in', { field: 'categories', op: 'in', value: ['apparel', 'shoes'] }, {}, true, ['apparel']],
  ['categories notIn', { field: 'categories', op: 'notIn', value: ['shoes'] }, {}, true, ['apparel']],
];

describe('conditions', () => {
  it.each(rows)('%s', (_name, leaf, overrides, passed, value) => {
    const p = policy({ ...TAGGED, rules: [{ id: 'leaf', when: leaf, action: 'approve' }] });
    const e = evaluatePolicy(p, policyInput(overrides));
    expect(e.violations).toEqual([]);
    expect(e.decision?.action).toBe(passed ? 'approve' : 'review');
    const step = passed ? e.decision?.trace[0] : e.decision?.trace[1];
    expect(step).toMatchObject({ value, passed });
  });

  it('covers every op and every field', () => {
    const ops = new Set(rows.map((r) => r[1].op));
    const fields = new Set(rows.map((r) => r[1].field));
    expect([...ops].sort()).toEqual([
      'eq',
      'excludes',
      'gt',
      'gte',
      'in',
      'includes',
      'lt',
      'lte',
      'ne',
      'notIn',
    ]);
    expect(fields.size).toBe(16);
  });

  it('combines with all, any and not', () => {
    const tee = { field: 'reasons', op: 'includes', value: 'changed_mind' } as const;
    const big = { field: 'caseValue', op: 'gt', value: 100_000 } as const;
    const cases: Array<[ConditionNode, boolean]> = [
      [{ all: [tee, big] }, false],
      [{ any: [tee, big] }, true],
      [{ not: big }, true],
      [{ all: [tee, { not: { any: [big, { field: 'country', op: 'eq', value: 'CN' }] } }] }, true],
    ];
    for (const [when, passed] of cases) {
      const e = evaluatePolicy(policy({ rules: [{ id: 'r', when, action: 'approve' }] }), policyInput());
      expect(e.decision?.action, JSON.stringify(when)).toBe(passed ? 'approve' : 'review');
    }
  });
});
