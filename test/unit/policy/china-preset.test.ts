import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../functions/core/policy/evaluate.ts';
import { chinaSevenDayPolicy, defaultPolicy, standardPolicy } from '../../../schemas/policy.ts';
import type { PolicyInput } from '../../../schemas/policy-io.ts';
import { asking, type InputOverrides, policyInput } from './builders.ts';

/*
 * 七天无理由退货 (消费者权益保护法 第二十五条; 网络购买商品七日无理由退货暂行办法): a Tmall order
 * signed for at 14:00 Beijing time on 2026-11-20.
 */

const preset = chinaSevenDayPolicy();

const LINES: PolicyInput['order']['lines'] = [
  { lineId: 'T1', sku: 'DRESS-RED-S', title: '连衣裙', quantity: 1, unitPrice: 29_900, total: 29_900 },
  {
    lineId: 'T2',
    sku: 'CAKE-01',
    title: '生日蛋糕',
    quantity: 1,
    unitPrice: 8800,
    total: 8800,
    categories: ['perishable'],
  },
  {
    lineId: 'T3',
    sku: 'NAME-MUG',
    title: '定制刻字杯',
    quantity: 1,
    unitPrice: 5900,
    total: 5900,
    categories: ['made_to_order'],
  },
  {
    lineId: 'T4',
    sku: 'KEY-WIN',
    title: '软件激活码',
    quantity: 1,
    unitPrice: 9900,
    total: 9900,
    categories: ['digital_opened'],
  },
  {
    lineId: 'T5',
    sku: 'MAG-2026-11',
    title: '杂志 11 月刊',
    quantity: 1,
    unitPrice: 1500,
    total: 1500,
    categories: ['newspaper_periodical'],
  },
  {
    lineId: 'T6',
    sku: 'LIPSTICK-01',
    title: '口红(拆封不退)',
    quantity: 1,
    unitPrice: 2900,
    total: 2900,
    tags: ['non_returnable'],
  },
  { lineId: 'T7', sku: 'SOCKS-01', title: '袜子', quantity: 5, unitPrice: 900, total: 4500 },
];

function tmall(o: InputOverrides = {}): PolicyInput {
  return policyInput({
    now: '2026-11-24T02:00:00Z',
    ...o,
    shop: { locale: 'zh-CN', timezone: 'Asia/Shanghai', country: 'CN', ...o.shop },
    order: {
      provider: 'taobao',
      orderId: '3456789012345678901',
      currency: 'CNY',
      total: 63_400,
      placedAt: '2026-11-17T20:00:00+08:00',
      shippedAt: '2026-11-18T10:00:00+08:00',
      deliveredAt: '2026-11-20T14:00:00+08:00',
      country: 'CN',
      lines: LINES,
      ...o.order,
    },
  });
}

describe('the 7-day no-reason preset', () => {
  it('is what a zh-CN shop starts with; other shops get the standard policy', () => {
    expect(defaultPolicy('zh-CN')).toEqual(preset);
    expect(defaultPolicy('en')).toEqual(standardPolicy());
    expect(preset.window).toMatchObject({ days: 7, from: 'delivery', endsAt: 'end_of_day' });
    expect(standardPolicy().window).toMatchObject({ days: 30, from: 'delivery' });
  });

  it('counts seven days from the day after signing: in until 24:00 on the 27th, out a minute later', () => {
    const end = '2026-11-27T16:00:00.000Z';
    const inside = evaluatePolicy(preset, tmall({ now: end, request: asking('T1', 'changed_mind') }));
    expect(inside.violations).toEqual([]);
    expect(inside.terms.windowEndsAt).toBe(end);
    const late = evaluatePolicy(
      preset,
      tmall({ now: '2026-11-27T16:01:00Z', request: asking('T1', 'changed_mind') }),
    );
    expect(late.violations).toEqual([
      { code: 'outside_return_window', lineId: 'T1', message: '连衣裙 已超过售后期限(2026-11-27 截止)。' },
    ]);
  });

  it('keeps 15 days for a quality problem', () => {
    const e = evaluatePolicy(
      preset,
      tmall({ now: '2026-12-04T02:00:00Z', request: asking('T1', 'defective') }),
    );
    expect(e.violations).toEqual([]);
  });

  it.each([
    ['T2', 'perishable (鲜活易腐)'],
    ['T3', 'made to order (定作)'],
    ['T4', 'downloaded or unsealed digital goods (拆封的数字化商品)'],
    ['T5', 'newspapers and periodicals (报纸、期刊)'],
    ['T6', 'marked non-returnable at sale'],
  ])('excludes %s, %s, from no-reason returns', (lineId) => {
    const e = evaluatePolicy(preset, tmall({ request: asking(lineId, 'changed_mind') }));
    expect(e.violations.map((v) => [v.code, v.lineId])).toEqual([['not_returnable', lineId]]);
    expect(e.violations[0]?.message).toContain('不支持七天无理由退货');
  });

  it('takes back an excluded item that arrived defective', () => {
    const e = evaluatePolicy(preset, tmall({ request: asking('T2', 'defective', 'refund_only') }));
    expect(e.violations).toEqual([]);
  });

  it('wants a no-reason return back intact, and the buyer pays its postage', () => {
    const e = evaluatePolicy(preset, tmall({ request: asking('T1', 'changed_mind') }));
    expect(e.terms).toMatchObject({ mustBeIntact: true, returnPostagePaidBy: 'buyer', refundWithinDays: 7 });
  });

  it('has the shop pay the postage of a faulty item, with no intactness condition', () => {
    for (const reason of ['defective', 'not_as_described', 'wrong_item', 'damaged_in_transit'] as const) {
      const e = evaluatePolicy(preset, tmall({ request: asking('T1', reason) }));
      expect(e.terms, reason).toMatchObject({ mustBeIntact: false, returnPostagePaidBy: 'shop' });
    }
  });

  it('refunds within 7 days of receiving the return and gives 7 days to send it', () => {
    const e = evaluatePolicy(preset, tmall({ request: asking('T7', 'size_too_large', 'exchange') }));
    expect(e.terms).toMatchObject({
      refundWithinDays: 7,
      shipWithinDays: 7,
      mustBeIntact: true,
      restockingFee: 0,
    });
  });

  it('approves a small no-reason return of a customer without recent cases, and explains it in Chinese', () => {
    const e = evaluatePolicy(preset, tmall({ request: asking('T7', 'changed_mind', 'return_refund', 2) }));
    expect(e.decision).toMatchObject({ action: 'approve', rule: 'small-no-reason-return' });
    expect(e.decision?.reasons[0]).toContain('自动同意');
    const big = evaluatePolicy(preset, tmall({ request: asking('T1', 'changed_mind') }));
    expect(big.decision).toMatchObject({ action: 'review', rule: 'default' });
  });
});
