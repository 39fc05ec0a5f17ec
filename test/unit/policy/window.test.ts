import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { asking, policy, policyInput } from './builders.ts';

const codes = (e: ReturnType<typeof evaluatePolicy>) => e.violations.map((v) => v.code);
const plusMinute = (iso: string) => new Date(Date.parse(iso) + 60_000).toISOString();

describe('the return window', () => {
  // Delivered 2026-11-15 10:00 UTC; day 1 is the 16th, day 30 the 15th of December.
  const END = '2026-12-16T00:00:00.000Z';

  it('counts days from the day after delivery and closes at midnight of the last one', () => {
    const e = evaluatePolicy(policy(), policyInput({ now: END }));
    expect(e.violations).toEqual([]);
    expect(e.terms.windowEndsAt).toBe(END);
  });

  it('refuses a request one minute past the end, naming the line and the last day', () => {
    const e = evaluatePolicy(policy(), policyInput({ now: plusMinute(END) }));
    expect(e.violations).toEqual([
      {
        code: 'outside_return_window',
        lineId: 'L1',
        message: 'The return window for Black tee closed on 2026-12-15 (30 days from delivery).',
      },
    ]);
    expect(e.decision).toBeUndefined();
  });

  it('with `same_time`, ends exactly days x 24 hours after delivery', () => {
    const p = policy({ window: { days: 30, endsAt: 'same_time' } });
    const end = '2026-12-15T10:00:00.000Z';
    expect(evaluatePolicy(p, policyInput({ now: end })).violations).toEqual([]);
    expect(evaluatePolicy(p, policyInput({ now: end })).terms.windowEndsAt).toBe(end);
    expect(codes(evaluatePolicy(p, policyInput({ now: plusMinute(end) })))).toEqual([
      'outside_return_window',
    ]);
  });

  it('counts from the order when `from` is `order`', () => {
    const p = policy({ window: { days: 7, from: 'order', endsAt: 'same_time' } });
    const end = '2026-11-17T08:00:00.000Z'; // placed 2026-11-10 08:00
    expect(evaluatePolicy(p, policyInput({ now: end })).violations).toEqual([]);
    expect(codes(evaluatePolicy(p, policyInput({ now: plusMinute(end) })))).toEqual([
      'outside_return_window',
    ]);
  });

  it('counts from the first shipment when `from` is `fulfillment`', () => {
    const p = policy({ window: { days: 10, from: 'fulfillment', endsAt: 'same_time' } });
    const end = '2026-11-22T09:00:00.000Z'; // shipped 2026-11-12 09:00
    expect(evaluatePolicy(p, policyInput({ now: end })).terms.windowEndsAt).toBe(end);
    expect(evaluatePolicy(p, policyInput({ now: end })).violations).toEqual([]);
    expect(codes(evaluatePolicy(p, policyInput({ now: plusMinute(end) })))).toEqual([
      'outside_return_window',
    ]);
  });

  it("closes at midnight in the shop's zone (signed 14:00 in Shanghai: seven days end at 24:00 on the 27th)", () => {
    const p = policy({ window: { days: 7 } });
    const shop = { locale: 'zh-CN', timezone: 'Asia/Shanghai' };
    const order = { deliveredAt: '2026-11-20T14:00:00+08:00' };
    const end = '2026-11-27T16:00:00.000Z';
    expect(evaluatePolicy(p, policyInput({ shop, order, now: end })).terms.windowEndsAt).toBe(end);
    const late = evaluatePolicy(p, policyInput({ shop, order, now: plusMinute(end) }));
    expect(late.violations[0]?.message).toContain('closed on 2026-11-27');
  });

  it('counts a zh-CN shop without a zone in China Standard Time', () => {
    const p = policy({ window: { days: 7 } });
    const e = evaluatePolicy(
      p,
      policyInput({
        shop: { locale: 'zh-CN', timezone: undefined },
        order: { deliveredAt: '2026-11-20T06:00:00Z' },
      }),
    );
    expect(e.terms.windowEndsAt).toBe('2026-11-27T16:00:00.000Z');
  });

  it('ends at local midnight across a daylight-saving change', () => {
    // New York leaves daylight time on 2026-11-01: the window closes at 00:00 EST, 05:00 UTC.
    const p = policy({ window: { days: 7 } });
    const e = evaluatePolicy(
      p,
      policyInput({ shop: { timezone: 'America/New_York' }, order: { deliveredAt: '2026-10-30T15:00:00Z' } }),
    );
    expect(e.terms.windowEndsAt).toBe('2026-11-07T05:00:00.000Z');
  });

  it('gives a reason its own length (`byReason`) and reports the earliest end of the requested lines', () => {
    const p = policy({ window: { days: 7, byReason: { defective: 30 } } });
    const now = '2026-12-01T00:00:00.000Z';
    expect(evaluatePolicy(p, policyInput({ now, request: asking('L1', 'defective') })).violations).toEqual(
      [],
    );
    const both = evaluatePolicy(
      p,
      policyInput({
        now,
        request: {
          lines: [
            { lineId: 'L1', quantity: 1, reason: 'defective' },
            { lineId: 'L3', quantity: 1, reason: 'changed_mind' },
          ],
        },
      }),
    );
    expect(both.violations.map((v) => [v.code, v.lineId])).toEqual([['outside_return_window', 'L3']]);
    expect(both.terms.windowEndsAt).toBe('2026-11-23T00:00:00.000Z');
  });

  it('never makes a complaint late', () => {
    const e = evaluatePolicy(
      policy({ window: { days: 7 } }),
      policyInput({ now: '2027-06-01T00:00:00Z', request: asking('L1', 'defective', 'complaint') }),
    );
    expect(e.violations).toEqual([]);
    expect(e.terms.windowEndsAt).toBeUndefined();
    expect(e.firstResponseWithinHours).toBe(24);
  });

  describe('an order not delivered yet', () => {
    const undelivered = { deliveredAt: undefined };

    it('refuses a return with order_not_delivered, not outside_return_window', () => {
      const e = evaluatePolicy(policy(), policyInput({ order: undelivered, now: '2027-06-01T00:00:00Z' }));
      expect(codes(e)).toEqual(['order_not_delivered']);
      expect(e.terms.windowEndsAt).toBeUndefined();
    });

    it('leaves a refund without return to the rules, noting that the window has not started', () => {
      const e = evaluatePolicy(
        policy(),
        policyInput({ order: undelivered, request: asking('L1', 'missing_item', 'refund_only') }),
      );
      expect(e.violations).toEqual([]);
      expect(e.decision?.action).toBe('review');
      expect(e.decision?.reasons).toContain(
        'The return window has not started: the order has no delivery time yet.',
      );
    });

    it('refuses a return of goods not shipped yet under a `fulfillment` window', () => {
      const p = policy({ window: { from: 'fulfillment' } });
      const e = evaluatePolicy(p, policyInput({ order: { deliveredAt: undefined, shippedAt: undefined } }));
      expect(codes(e)).toEqual(['order_not_delivered']);
    });

    it('accepts a return under an `order` window, which is running already', () => {
      const p = policy({ window: { from: 'order' } });
      expect(evaluatePolicy(p, policyInput({ order: undelivered })).violations).toEqual([]);
    });
  });
});
