import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { asking, policy, policyInput } from './builders.ts';

describe('terms', () => {
  it('carries the deadlines of the policy', () => {
    const p = policy({ deadlines: { shipReturnWithinDays: 14, refundWithinDays: 3 } });
    expect(evaluatePolicy(p, policyInput()).terms).toMatchObject({ shipWithinDays: 14, refundWithinDays: 3 });
    expect(evaluatePolicy(policy(), policyInput()).terms).toMatchObject({
      shipWithinDays: 7,
      refundWithinDays: 7,
    });
  });

  describe('return postage', () => {
    it('is the buyer’s for a change of mind and the shop’s when the shop is at fault', () => {
      expect(evaluatePolicy(policy(), policyInput()).terms.returnPostagePaidBy).toBe('buyer');
      for (const reason of ['defective', 'wrong_item', 'damaged_in_transit', 'not_as_described'] as const) {
        expect(
          evaluatePolicy(policy(), policyInput({ request: asking('L1', reason) })).terms.returnPostagePaidBy,
        ).toBe('shop');
      }
    });

    it('is the shop’s for the whole parcel when any line in it is at fault', () => {
      const request = {
        lines: [
          { lineId: 'L1', quantity: 1, reason: 'changed_mind' as const },
          { lineId: 'L3', quantity: 1, reason: 'defective' as const },
        ],
      };
      expect(evaluatePolicy(policy(), policyInput({ request })).terms.returnPostagePaidBy).toBe('shop');
    });

    it('is always the shop’s when the policy says so', () => {
      const p = policy({ fees: { returnPostage: { paidBy: 'shop' } } });
      expect(evaluatePolicy(p, policyInput()).terms.returnPostagePaidBy).toBe('shop');
    });
  });

  describe('restocking fee', () => {
    it('takes a percentage of the requested lines, rounded down, for the reasons it names', () => {
      const p = policy({ fees: { restocking: [{ reasons: ['changed_mind'], percent: 15 }] } });
      // One tee of two (40.00) and the jacket (120.00): 15% of 160.00.
      const request = {
        lines: [
          { lineId: 'L1', quantity: 1, reason: 'changed_mind' as const },
          { lineId: 'L3', quantity: 1, reason: 'changed_mind' as const },
        ],
      };
      expect(evaluatePolicy(p, policyInput({ request })).terms.restockingFee).toBe(2400);
      const odd = policy({ fees: { restocking: [{ percent: 12.5 }] } });
      const threeOfSeven = [{ lineId: 'L1', title: 'Cup', quantity: 7, unitPrice: 333, total: 2331 }];
      // 3 of 7 cups of 23.31 are 9.99; 12.5% of 999 is 124.875, so 124.
      const e = evaluatePolicy(
        odd,
        policyInput({
          order: { lines: threeOfSeven },
          request: asking('L1', 'size_too_small', 'return_refund', 3),
        }),
      );
      expect(e.terms.restockingFee).toBe(124);
    });

    it('charges nothing for a defect, nor for an exchange (the default scope is buyer-side returns)', () => {
      const p = policy({ fees: { restocking: [{ percent: 10 }] } });
      expect(evaluatePolicy(p, policyInput()).terms.restockingFee).toBe(400);
      expect(evaluatePolicy(p, policyInput({ request: asking('L1', 'defective') })).terms.restockingFee).toBe(
        0,
      );
      expect(
        evaluatePolicy(p, policyInput({ request: asking('L1', 'changed_mind', 'exchange') })).terms
          .restockingFee,
      ).toBe(0);
    });

    it('charges a fixed fee once per case and never more than the lines are worth', () => {
      const p = policy({ fees: { restocking: [{ fixed: 500 }] } });
      const request = {
        lines: [
          { lineId: 'L1', quantity: 2, reason: 'changed_mind' as const },
          { lineId: 'L3', quantity: 1, reason: 'size_too_large' as const },
        ],
      };
      expect(evaluatePolicy(p, policyInput({ request })).terms.restockingFee).toBe(500);
      const huge = policy({ fees: { restocking: [{ fixed: 1_000_000 }] } });
      expect(evaluatePolicy(huge, policyInput()).terms.restockingFee).toBe(4000);
    });

    it('each line pays the first fee that matches it', () => {
      const p = policy({
        fees: {
          restocking: [{ reasons: ['size_too_small'], percent: 5 }, { percent: 20 }],
        },
      });
      expect(
        evaluatePolicy(p, policyInput({ request: asking('L1', 'size_too_small') })).terms.restockingFee,
      ).toBe(200);
      expect(evaluatePolicy(p, policyInput()).terms.restockingFee).toBe(800);
    });
  });

  it('wants the goods intact for a no-reason return or exchange, not for a defect or a refund only', () => {
    expect(evaluatePolicy(policy(), policyInput()).terms.mustBeIntact).toBe(true);
    expect(
      evaluatePolicy(policy(), policyInput({ request: asking('L1', 'size_too_large', 'exchange') })).terms
        .mustBeIntact,
    ).toBe(true);
    expect(
      evaluatePolicy(policy(), policyInput({ request: asking('L1', 'defective') })).terms.mustBeIntact,
    ).toBe(false);
    expect(evaluatePolicy(policy({ intactFor: [] }), policyInput()).terms.mustBeIntact).toBe(false);
  });

  it('lists the resolutions for a refund, and none for an exchange', () => {
    expect(evaluatePolicy(policy(), policyInput()).resolutions).toEqual(['original_payment', 'store_credit']);
    expect(
      evaluatePolicy(policy(), policyInput({ request: asking('L1', 'changed_mind', 'exchange') }))
        .resolutions,
    ).toBeUndefined();
  });

  it('keeps `terms` to its six fields, whatever the request', () => {
    const keys = [
      'mustBeIntact',
      'refundWithinDays',
      'restockingFee',
      'returnPostagePaidBy',
      'shipWithinDays',
      'windowEndsAt',
    ];
    for (const request of [asking('L1', 'changed_mind'), asking('L1', 'defective', 'complaint')]) {
      expect(Object.keys(evaluatePolicy(policy(), policyInput({ request })).terms).sort()).toEqual(
        request.type === 'complaint' ? keys.filter((k) => k !== 'windowEndsAt') : keys,
      );
    }
  });
});
