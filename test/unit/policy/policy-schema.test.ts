import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { parsePolicy } from '../../../functions/core/policy/parse-policy.ts';
import { InvalidRequestError } from '../../../functions/lib/errors.ts';
import { Policy } from '../../../schemas/policy.ts';
import { policyInput } from './builders.ts';

function refusal(document: unknown): InvalidRequestError {
  try {
    parsePolicy(document);
  } catch (err) {
    if (err instanceof InvalidRequestError) return err;
    throw err;
  }
  throw new Error('the policy was accepted');
}

const leafRule = (when: unknown) => ({ rules: [{ id: 'r', action: 'approve', when }] });

describe('the policy document', () => {
  it('is complete when empty: every field has its default', () => {
    const p = parsePolicy({});
    expect(p).toMatchObject({
      version: 0,
      window: { days: 30, from: 'delivery', endsAt: 'end_of_day' },
      maxCasesPerLine: 3,
      fees: { restocking: [], returnPostage: { paidBy: 'buyer' } },
      deadlines: { shipReturnWithinDays: 7, refundWithinDays: 7, complaintFirstResponseHours: 24 },
      rules: [],
      defaultAction: 'review',
    });
    expect(p.reasons.changed_mind).toEqual({
      allowed: true,
      types: ['return_refund', 'exchange'],
      resolutions: ['original_payment', 'store_credit'],
    });
    expect(p.reasons.defective.types).toContain('repair');
    expect(p.fees.returnPostage.shopPaysFor).toEqual([
      'defective',
      'not_as_described',
      'wrong_item',
      'damaged_in_transit',
      'missing_item',
    ]);
  });

  it('keeps the per-reason defaults of a reason the shop changed only in part', () => {
    const p = parsePolicy({ reasons: { missing_item: { resolutions: ['store_credit'] } } });
    expect(p.reasons.missing_item).toEqual({
      allowed: true,
      types: ['refund_only', 'reship', 'complaint'],
      resolutions: ['store_credit'],
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown top-level field', { windw: {} }, '(document): Unrecognized key: "windw"'],
    ['a negative window', { window: { days: -1 } }, 'window.days: Too small'],
    ['an unknown window basis', { window: { from: 'payment' } }, 'window.from: Invalid option'],
    ['an unknown reason', { reasons: { bored: {} } }, 'reasons: Unrecognized key: "bored"'],
    [
      'a fee with both percent and fixed',
      { fees: { restocking: [{ percent: 10, fixed: 100 }] } },
      'fees.restocking[0]: a restocking fee has either',
    ],
    [
      'a percentage with three decimals',
      { fees: { restocking: [{ percent: 10.125 }] } },
      'fees.restocking[0].percent: at most two decimals',
    ],
    [
      'a catalog entry matching nothing',
      { catalog: [{ tags: ['x'] }] },
      'catalog[0]: a catalog entry matches a sku or a productId',
    ],
    [
      'an unknown field',
      leafRule({ field: 'basketSize', op: 'gt', value: 1 }),
      'rules[0].when.field: Invalid option',
    ],
    [
      'an op the field does not take',
      leafRule({ field: 'caseValue', op: 'includes', value: 1 }),
      'rules[0].when.op: `includes` does not apply to caseValue (a number)',
    ],
    [
      'a list op on a word',
      leafRule({ field: 'type', op: 'lt', value: 'exchange' }),
      'rules[0].when.op: `lt` does not apply to type',
    ],
    [
      'a text value for a number',
      leafRule({ field: 'caseValue', op: 'gt', value: '100' }),
      'rules[0].when.value: caseValue is compared with a whole number',
    ],
    [
      'a scalar for `in`',
      leafRule({ field: 'country', op: 'in', value: 'CN' }),
      'rules[0].when.value: `in` takes a non-empty list',
    ],
    [
      'an unknown reason in a list, deep in the tree',
      leafRule({ all: [{ any: [{ field: 'reasons', op: 'in', value: ['changed_mind', 'bored'] }] }] }),
      'rules[0].when.all[0].any[0].value[1]: "bored" is not a reason',
    ],
    [
      'an unknown case type',
      leafRule({ not: { field: 'type', op: 'eq', value: 'refund' } }),
      'rules[0].when.not.value: "refund" is not a type',
    ],
    [
      'customerCases without days',
      leafRule({ field: 'customerCases', op: 'eq', value: 0 }),
      'rules[0].when.days: customerCases counts the cases of the last `days` days',
    ],
    [
      'days on another field',
      leafRule({ field: 'lifetimeOrders', op: 'eq', value: 0, days: 30 }),
      'rules[0].when.days: `days` belongs to customerCases only',
    ],
    [
      'two forms in one node',
      leafRule({ all: [{ field: 'origin', op: 'eq', value: 'customer' }], field: 'origin' }),
      'rules[0].when: a condition has one form, not all and field',
    ],
    ['an empty condition', leafRule({}), 'rules[0].when: a condition is {all: [...]}'],
    ['an empty `all`', leafRule({ all: [] }), 'rules[0].when.all: Too small'],
    [
      'a leaf without a value',
      leafRule({ field: 'customerTags', op: 'includes' }),
      'rules[0].when.value: a leaf on customerTags needs a `value`',
    ],
    [
      'a reject without a reason code',
      { rules: [{ id: 'no', action: 'reject', when: { field: 'origin', op: 'eq', value: 'customer' } }] },
      'rules[0].reasonCode: a reject rule needs a `reasonCode`',
    ],
    [
      'a rule id used twice',
      {
        rules: [
          { id: 'a', action: 'approve', when: { field: 'origin', op: 'eq', value: 'customer' } },
          { id: 'a', action: 'review', when: { field: 'origin', op: 'eq', value: 'staff' } },
        ],
      },
      'rules[1].id: rule id a is used twice',
    ],
    [
      'a rule called default',
      {
        rules: [{ id: 'default', action: 'approve', when: { field: 'origin', op: 'eq', value: 'customer' } }],
      },
      'rules[0].id: `default` names the default action',
    ],
    [
      'an unknown action',
      { rules: [{ id: 'r', action: 'accept', when: { field: 'origin', op: 'eq', value: 'customer' } }] },
      'rules[0].action: Invalid option',
    ],
    [
      'a rule of more than 50 leaves',
      leafRule({
        all: [1, 2].map(() => ({
          any: Array.from({ length: 30 }, (_, i) => ({ field: 'lifetimeOrders', op: 'eq', value: i })),
        })),
      }),
      'rules[0].when: a rule tests at most 50 leaves',
    ],
  ])('refuses %s, naming the path', (_name, document, expected) => {
    const err = refusal(document);
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain(expected);
  });

  it('lists each issue in the details', () => {
    const err = refusal({ window: { days: -1 }, maxCasesPerLine: 0 });
    expect(err.details).toEqual([
      { path: 'window.days', message: expect.stringContaining('Too small') },
      { path: 'maxCasesPerLine', message: expect.stringContaining('Too small') },
    ]);
  });

  it('accepts the example of docs/policy.md, which the engine evaluates', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/policy.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const p = parsePolicy(JSON.parse(example!));
    expect(p.rules.length).toBeGreaterThan(2);
    expect(Policy.parse(p)).toEqual(p);
    const e = evaluatePolicy(p, policyInput());
    expect(e.policyVersion).toBe(p.version);
  });
});
