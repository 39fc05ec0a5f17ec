import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { type ConditionNode, standardPolicy } from '../../../schemas/policy.ts';
import { PolicyEvaluation } from '../../../schemas/policy-io.ts';
import { asking, policy, policyInput } from './builders.ts';

const RULES = policy({
  version: 4,
  rules: [
    {
      id: 'block-abusers',
      description: 'Customers tagged as abusers are refused.',
      when: { field: 'customerTags', op: 'includes', value: 'abuser' },
      action: 'reject',
      reasonCode: 'customer_blocked',
    },
    {
      id: 'small-returns',
      description: 'Small returns go ahead.',
      when: {
        all: [
          { field: 'caseValue', op: 'lte', value: 5000 },
          { not: { field: 'customerCases', op: 'gt', value: 2, days: 30 } },
        ],
      },
      action: 'approve',
    },
    {
      id: 'all-returns',
      when: { field: 'type', op: 'eq', value: 'return_refund' },
      action: 'review',
    },
  ],
});

describe('auto-approval rules', () => {
  it('the first matching rule wins, even when a later one matches too', () => {
    const e = evaluatePolicy(RULES, policyInput({ customer: { tags: ['abuser'] } }));
    expect(e.decision).toMatchObject({
      action: 'reject',
      rule: 'block-abusers',
      reasonCode: 'customer_blocked',
      reasons: ['Customers tagged as abusers are refused.'],
    });
    expect(e.policyVersion).toBe(4);
    expect(() => PolicyEvaluation.parse(e)).not.toThrow();
  });

  it('moves on to the next rule when one does not match', () => {
    const e = evaluatePolicy(RULES, policyInput());
    expect(e.decision).toMatchObject({
      action: 'approve',
      rule: 'small-returns',
      reasons: ['Small returns go ahead.'],
    });
    expect(e.decision?.reasonCode).toBeUndefined();
    const big = evaluatePolicy(RULES, policyInput({ request: asking('L3', 'changed_mind') }));
    expect(big.decision).toMatchObject({
      action: 'review',
      rule: 'all-returns',
      reasons: ['Rule all-returns matched.'],
    });
  });

  it('traces every leaf of the deciding rule with the value it saw, its path and its own result', () => {
    const e = evaluatePolicy(RULES, policyInput());
    expect(e.decision?.trace).toEqual([
      { test: 'all[0]: caseValue lte 5000', value: 4000, passed: true },
      // Under `not`: the leaf fails, so the rule holds.
      { test: 'all[1].not: customerCases(30d) gt 2', value: 0, passed: false },
    ]);
  });

  it('traces every leaf of an `any`, not only up to the first that held', () => {
    const p = policy({
      rules: [
        {
          id: 'either',
          when: {
            any: [
              { field: 'origin', op: 'eq', value: 'customer' },
              { field: 'lifetimeOrders', op: 'gt', value: 10 },
            ],
          },
          action: 'approve',
        },
      ],
    });
    expect(evaluatePolicy(p, policyInput()).decision?.trace).toEqual([
      { test: 'any[0]: origin eq "customer"', value: 'customer', passed: true },
      { test: 'any[1]: lifetimeOrders gt 10', value: 3, passed: false },
    ]);
  });

  it('says no rule matched for the default action, with what each rule saw', () => {
    const p = policy({ rules: RULES.rules.slice(0, 2) });
    const e = evaluatePolicy(p, policyInput({ request: asking('L3', 'changed_mind') }));
    expect(e.decision).toMatchObject({
      action: 'review',
      rule: 'default',
      reasons: ['No rule matched: the default action (review) applies.'],
    });
    expect(e.decision?.trace).toEqual([
      { test: 'no rule matched', value: ['block-abusers', 'small-returns'], passed: false },
      { test: 'rule block-abusers · customerTags includes "abuser"', value: [], passed: false },
      { test: 'rule small-returns · all[0]: caseValue lte 5000', value: 12_000, passed: false },
      { test: 'rule small-returns · all[1].not: customerCases(30d) gt 2', value: 0, passed: false },
    ]);
  });

  it('keeps the near misses of a default decision to 150 steps, saying how many it left out', () => {
    const fifty: ConditionNode = {
      all: Array.from({ length: 50 }, (_, i) => ({ field: 'lifetimeOrders', op: 'eq', value: i + 100 })),
    };
    const rules = ['a', 'b', 'c', 'd'].map((id) => ({ id, when: fifty, action: 'approve' as const }));
    const trace = evaluatePolicy(policy({ rules }), policyInput()).decision?.trace ?? [];
    expect(trace).toHaveLength(151);
    expect(trace.at(-1)).toEqual({ test: 'more leaves not shown', value: 51, passed: false });
  });

  it('a default reject carries a reason code', () => {
    const e = evaluatePolicy(policy({ defaultAction: 'reject' }), policyInput());
    expect(e.decision).toMatchObject({ action: 'reject', rule: 'default', reasonCode: 'no_rule_matched' });
  });

  it('refuses before any rule runs: a refused request has no decision', () => {
    const e = evaluatePolicy(
      RULES,
      policyInput({ customer: { tags: ['abuser'] }, order: { cancelled: true } }),
    );
    expect(e.decision).toBeUndefined();
    expect(e.violations.map((v) => v.code)).toEqual(['order_cancelled']);
  });

  describe('the standard policy', () => {
    const standard = standardPolicy();

    it('approves a small change-of-mind return from a customer without recent cases', () => {
      expect(evaluatePolicy(standard, policyInput()).decision).toMatchObject({
        action: 'approve',
        rule: 'small-no-reason-return',
      });
    });

    it('reviews it when the customer had a case in the last 60 days, or it is over 100.00, or defective', () => {
      const recent = { cases: [{ at: '2026-10-01T00:00:00Z', type: 'exchange' as const }] };
      expect(evaluatePolicy(standard, policyInput({ customer: recent })).decision?.rule).toBe('default');
      const old = { cases: [{ at: '2026-09-01T00:00:00Z', type: 'exchange' as const }] };
      expect(evaluatePolicy(standard, policyInput({ customer: old })).decision?.rule).toBe(
        'small-no-reason-return',
      );
      expect(
        evaluatePolicy(standard, policyInput({ request: asking('L3', 'changed_mind') })).decision?.rule,
      ).toBe('default');
      expect(
        evaluatePolicy(standard, policyInput({ request: asking('L1', 'defective') })).decision?.action,
      ).toBe('review');
    });

    it('reviews a marketplace request rather than approving it for the marketplace', () => {
      const e = evaluatePolicy(
        standard,
        policyInput({ request: { ...asking('L1', 'changed_mind'), origin: 'marketplace' } }),
      );
      expect(e.decision).toMatchObject({ action: 'review', rule: 'default' });
      expect(e.waived).toEqual([]);
    });
  });
});
