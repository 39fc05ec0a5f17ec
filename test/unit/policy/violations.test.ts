import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { asking, policy, policyInput } from './builders.ts';

const codes = (e: ReturnType<typeof evaluatePolicy>) => e.violations.map((v) => [v.code, v.lineId]);

describe('policy violations', () => {
  it('allows the plain request the tests start from', () => {
    const e = evaluatePolicy(policy(), policyInput());
    expect(e.violations).toEqual([]);
    expect(e.decision?.action).toBe('review');
  });

  it('order_cancelled: nothing can be claimed on a cancelled order', () => {
    const e = evaluatePolicy(policy(), policyInput({ order: { cancelled: true } }));
    expect(e.violations).toEqual([
      { code: 'order_cancelled', message: 'Order 820982911946154508 was cancelled.' },
    ]);
    expect(e.decision).toBeUndefined();
  });

  it('unknown_line: a line the order does not have, named', () => {
    const e = evaluatePolicy(policy(), policyInput({ request: asking('L9', 'changed_mind') }));
    expect(e.violations).toEqual([
      { code: 'unknown_line', lineId: 'L9', message: 'Line L9 is not part of order 820982911946154508.' },
    ]);
  });

  describe('not_returnable', () => {
    it('refuses a line whose SKU matches an excluded glob, naming it', () => {
      const p = policy({ exclusions: { skus: ['gift-*'] } });
      const e = evaluatePolicy(p, policyInput({ request: asking('L2', 'changed_mind') }));
      expect(e.violations).toEqual([
        {
          code: 'not_returnable',
          lineId: 'L2',
          message: 'Gift card cannot be returned (SKU GIFT-CARD-50 (gift-*)).',
        },
      ]);
    });

    it('refuses by product id, by a tag the catalog gives, and by the line’s own category', () => {
      const byProduct = policy({ exclusions: { productIds: ['P-G*'] } });
      expect(
        codes(evaluatePolicy(byProduct, policyInput({ request: asking('L2', 'changed_mind') }))),
      ).toEqual([['not_returnable', 'L2']]);
      const byTag = policy({
        exclusions: { tags: ['final-sale'] },
        catalog: [{ sku: 'TEE-*', tags: ['Final-Sale'] }],
      });
      expect(codes(evaluatePolicy(byTag, policyInput()))).toEqual([['not_returnable', 'L1']]);
      const byCategory = policy({ exclusions: { categories: ['underwear'] } });
      const lines = [
        { lineId: 'L1', title: 'Socks', quantity: 1, unitPrice: 900, total: 900, categories: ['underwear'] },
      ];
      expect(codes(evaluatePolicy(byCategory, policyInput({ order: { lines } })))).toEqual([
        ['not_returnable', 'L1'],
      ]);
    });

    it('a catalog entry with a sku and a product id needs both to match', () => {
      const p = policy({
        exclusions: { tags: ['final-sale'] },
        catalog: [{ sku: 'TEE-*', productId: 'P-OTHER', tags: ['final-sale'] }],
      });
      expect(evaluatePolicy(p, policyInput()).violations).toEqual([]);
    });

    it('refuses a line discounted over the limit as final sale (60% off the list price)', () => {
      const p = policy({ exclusions: { discounted: [{ overPercent: 50, treatment: 'final_sale' }] } });
      const e = evaluatePolicy(p, policyInput({ request: asking('L3', 'size_too_small') }));
      expect(e.violations).toEqual([
        { code: 'not_returnable', lineId: 'L3', message: 'Jacket cannot be returned (discounted over 50%).' },
      ]);
      // 60% is not over 60%.
      const at = policy({ exclusions: { discounted: [{ overPercent: 60, treatment: 'final_sale' }] } });
      expect(evaluatePolicy(at, policyInput({ request: asking('L3', 'size_too_small') })).violations).toEqual(
        [],
      );
    });

    it('still takes back an excluded line that is defective (exclusions are for buyer-side reasons)', () => {
      const p = policy({ exclusions: { skus: ['GIFT-*'] } });
      expect(evaluatePolicy(p, policyInput({ request: asking('L2', 'defective') })).violations).toEqual([]);
    });
  });

  describe('quantity_exceeds_purchased', () => {
    it('counts what earlier cases claimed on the line', () => {
      const e = evaluatePolicy(
        policy(),
        policyInput({
          request: asking('L1', 'changed_mind', 'return_refund', 2),
          earlierCases: [{ caseId: 'c-1', lines: [{ lineId: 'L1', quantity: 1 }] }],
        }),
      );
      expect(e.violations).toEqual([
        {
          code: 'quantity_exceeds_purchased',
          lineId: 'L1',
          message: '2 of Black tee requested, but only 1 of the 2 bought can still be claimed.',
        },
      ]);
    });

    it('allows exactly what is left, and adds up a line requested twice', () => {
      const earlierCases = [{ caseId: 'c-1', lines: [{ lineId: 'L1', quantity: 1 }] }];
      expect(evaluatePolicy(policy(), policyInput({ earlierCases })).violations).toEqual([]);
      const twice = {
        lines: [
          { lineId: 'L1', quantity: 1, reason: 'changed_mind' as const },
          { lineId: 'L1', quantity: 1, reason: 'size_too_large' as const },
        ],
      };
      expect(codes(evaluatePolicy(policy(), policyInput({ earlierCases, request: twice })))).toEqual([
        ['quantity_exceeds_purchased', 'L1'],
      ]);
    });

    it('does not count an earlier complaint, which claimed no goods', () => {
      const earlierCases = [
        { caseId: 'c-1', type: 'complaint' as const, lines: [{ lineId: 'L1', quantity: 2 }] },
      ];
      expect(evaluatePolicy(policy(), policyInput({ earlierCases })).violations).toEqual([]);
    });
  });

  it('resolution_not_allowed: a resolution the reason does not offer', () => {
    const p = policy({ reasons: { changed_mind: { resolutions: ['store_credit'] } } });
    const e = evaluatePolicy(
      p,
      policyInput({ request: { ...asking('L1', 'changed_mind'), resolution: 'original_payment' } }),
    );
    expect(e.violations).toEqual([
      {
        code: 'resolution_not_allowed',
        message: 'Being paid back by original payment is not offered for this request.',
      },
    ]);
    const credit = evaluatePolicy(
      p,
      policyInput({ request: { ...asking('L1', 'changed_mind'), resolution: 'store_credit' } }),
    );
    expect(credit.violations).toEqual([]);
    expect(credit.resolutions).toEqual(['store_credit']);
  });

  it('resolution_not_allowed: a line discounted over the limit is store credit only', () => {
    const p = policy({ exclusions: { discounted: [{ overPercent: 30, treatment: 'store_credit_only' }] } });
    const request = { ...asking('L3', 'changed_mind'), resolution: 'original_payment' as const };
    expect(codes(evaluatePolicy(p, policyInput({ request })))).toEqual([
      ['resolution_not_allowed', undefined],
    ]);
    expect(evaluatePolicy(p, policyInput({ request: asking('L3', 'changed_mind') })).resolutions).toEqual([
      'store_credit',
    ]);
    // A defect is refunded to the original payment whatever the discount.
    expect(
      evaluatePolicy(
        p,
        policyInput({ request: { ...request, lines: [{ lineId: 'L3', quantity: 1, reason: 'defective' }] } }),
      ).violations,
    ).toEqual([]);
  });

  it('type_not_allowed: a case type the reason does not allow', () => {
    const e = evaluatePolicy(policy(), policyInput({ request: asking('L1', 'changed_mind', 'refund_only') }));
    expect(e.violations).toEqual([
      {
        code: 'type_not_allowed',
        lineId: 'L1',
        message: 'A refund without return is not offered for Black tee (changed mind).',
      },
    ]);
  });

  it('type_not_allowed: a case type the shop does not offer at all', () => {
    const p = policy({ caseTypes: ['return_refund', 'exchange', 'complaint'] });
    const e = evaluatePolicy(p, policyInput({ request: asking('L1', 'defective', 'repair') }));
    expect(e.violations).toEqual([
      { code: 'type_not_allowed', message: 'A repair is not offered for this order (any reason).' },
    ]);
  });

  it('reason_not_allowed: a reason the policy turned off', () => {
    const p = policy({ reasons: { other: { allowed: false } } });
    const e = evaluatePolicy(p, policyInput({ request: asking('L1', 'other') }));
    expect(e.violations).toEqual([
      {
        code: 'reason_not_allowed',
        lineId: 'L1',
        message: '"other" is not accepted as a reason (Black tee).',
      },
    ]);
  });

  it('too_many_cases: a line at its case limit', () => {
    const p = policy({ maxCasesPerLine: 1 });
    const earlierCases = [
      { caseId: 'c-1', type: 'exchange' as const, lines: [{ lineId: 'L1', quantity: 1 }] },
    ];
    const e = evaluatePolicy(p, policyInput({ earlierCases }));
    expect(e.violations).toEqual([
      {
        code: 'too_many_cases',
        lineId: 'L1',
        message: 'Black tee has reached the limit of 1 after-sale cases per item.',
      },
    ]);
    expect(evaluatePolicy(policy({ maxCasesPerLine: 2 }), policyInput({ earlierCases })).violations).toEqual(
      [],
    );
  });

  it('reports every violation of a request, in a fixed order', () => {
    const e = evaluatePolicy(
      policy({ exclusions: { skus: ['GIFT-*'] } }),
      policyInput({
        now: '2027-01-30T00:00:00Z',
        order: { cancelled: true },
        request: {
          type: 'return_refund',
          lines: [
            { lineId: 'L2', quantity: 1, reason: 'changed_mind' },
            { lineId: 'L9', quantity: 1, reason: 'changed_mind' },
          ],
        },
      }),
    );
    expect(codes(e)).toEqual([
      ['order_cancelled', undefined],
      ['unknown_line', 'L9'],
      ['not_returnable', 'L2'],
      ['outside_return_window', 'L2'],
    ]);
  });

  it("speaks in the policy's own words where it gives them", () => {
    const p = policy({ messages: { order_cancelled: '订单 {orderId} 已取消。' } });
    const e = evaluatePolicy(p, policyInput({ order: { cancelled: true } }));
    expect(e.violations[0]?.message).toBe('订单 820982911946154508 已取消。');
  });

  describe('requests that are never refused', () => {
    it.each(['marketplace', 'system'] as const)(
      'a %s request: violations waived, the rules still decide',
      (origin) => {
        const e = evaluatePolicy(
          policy({
            rules: [
              {
                id: 'accept-from-origin',
                when: { field: 'origin', op: 'eq', value: origin },
                action: 'approve',
              },
            ],
          }),
          policyInput({ now: '2027-01-30T00:00:00Z', request: { ...asking('L1', 'changed_mind'), origin } }),
        );
        expect(e.violations).toEqual([]);
        expect(e.waived?.map((v) => v.code)).toEqual(['outside_return_window']);
        expect(e.decision?.action).toBe('approve');
        expect(
          e.decision?.reasons.some((r) => r.includes('Not enforced') && r.includes('outside_return_window')),
        ).toBe(true);
      },
    );

    it('a staff request is refused like a customer’s', () => {
      const e = evaluatePolicy(
        policy(),
        policyInput({
          order: { cancelled: true },
          request: { ...asking('L1', 'changed_mind'), origin: 'staff' },
        }),
      );
      expect(codes(e)).toEqual([['order_cancelled', undefined]]);
      expect(e.waived).toBeUndefined();
    });
  });
});
