import { describe, expect, it } from 'vitest';
import { holidayDay, nextBirthday, nextHoliday } from '../../../functions/core/outreach/holidays.ts';
import { isVip, rfmOf } from '../../../functions/core/outreach/rfm.ts';
import { Customer } from '../../../schemas/customer.ts';

const NOW = '2026-12-01T00:00:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();

/** A customer with orders `days` ago, each of `total` minor units. */
function customer(orders: Array<{ days: number; total: number; currency?: string }>) {
  const entries = orders.map((o, i) => [`shopify:${i}`, daysAgo(o.days)] as const);
  return Customer.parse({
    customerId: 'c1',
    orders: Object.fromEntries(entries),
    orderIds: entries.map(([id]) => id),
    orderTotals: Object.fromEntries(
      orders.map((o, i) => [`shopify:${i}`, { total: o.total, currency: o.currency ?? 'CNY' }]),
    ),
    lastOrderAt: entries
      .map(([, at]) => at)
      .sort()
      .at(-1),
  });
}

describe('RFM', () => {
  it('has nothing before a first order', () => {
    expect(rfmOf(Customer.parse({ customerId: 'c0' }), NOW)).toBeUndefined();
  });

  it.each([
    ['champions', Array.from({ length: 6 }, (_, i) => ({ days: 5 + i * 20, total: 50_000 }))],
    ['loyal', Array.from({ length: 5 }, (_, i) => ({ days: 70 + i * 10, total: 10_000 }))],
    ['recent', [{ days: 3, total: 9_900 }]],
    ['at_risk', Array.from({ length: 4 }, (_, i) => ({ days: 200 + i * 30, total: 30_000 }))],
    ['inactive', [{ days: 400, total: 9_900 }]],
    [
      'needs_attention',
      [
        { days: 75, total: 9_900 },
        { days: 120, total: 9_900 },
      ],
    ],
  ] as const)('puts a customer in %s', (segment, orders) => {
    expect(rfmOf(customer([...orders]), NOW)?.segment).toBe(segment);
  });

  it('scores recency, frequency and money by the thresholds, money in the main currency only', () => {
    const rfm = rfmOf(
      customer([
        { days: 45, total: 100_000 },
        { days: 100, total: 100_000 },
        { days: 300, total: 999_999, currency: 'USD' },
      ]),
      NOW,
    );
    expect(rfm).toMatchObject({
      recencyDays: 45,
      r: 4,
      frequency: 3,
      f: 3,
      monetary: 200_000,
      currency: 'CNY',
      m: 4,
    });
  });

  it('moves with time alone: the same customer a year later is at risk', () => {
    const c = customer(Array.from({ length: 6 }, (_, i) => ({ days: 5 + i * 20, total: 50_000 })));
    expect(rfmOf(c, '2027-12-01T00:00:00.000Z')?.segment).toBe('at_risk');
  });
});

describe('holidays and birthdays', () => {
  it('knows the presets: 春节 and 中秋 by the lunar calendar, 双十一 and Christmas fixed', () => {
    expect(holidayDay('spring_festival', 2027)).toBe('02-06');
    expect(holidayDay('mid_autumn', 2027)).toBe('09-15');
    expect(holidayDay('double_eleven', 2027)).toBe('11-11');
    expect(holidayDay('christmas', 2027)).toBe('12-25');
    expect(holidayDay('spring_festival', 2099)).toBeUndefined();
    expect(holidayDay('02-29', 2027)).toBeUndefined();
    expect(holidayDay('02-29', 2028)).toBe('02-29');
  });

  it('picks the next holiday after now, at 10:00 local time', () => {
    const dates = [
      { name: '春节', date: 'spring_festival' },
      { name: '圣诞', date: 'christmas' },
      { name: '店庆', date: '06-18' },
    ];
    expect(nextHoliday(dates, NOW, 'Asia/Shanghai')).toEqual({
      name: '圣诞',
      key: '圣诞@2026-12-25',
      at: '2026-12-25T02:00:00.000Z',
    });
    expect(nextHoliday(dates, '2026-12-25T02:00:00.000Z', 'Asia/Shanghai')?.key).toBe('春节@2027-02-06');
    expect(nextHoliday([], NOW, 'Asia/Shanghai')).toBeUndefined();
  });

  it('picks the next birthday, 29 February on the 28th in other years', () => {
    expect(nextBirthday('12-02', NOW, 'Asia/Shanghai')).toBe('2026-12-02T02:00:00.000Z');
    expect(nextBirthday('11-30', NOW, 'Asia/Shanghai')).toBe('2027-11-30T02:00:00.000Z');
    expect(nextBirthday('02-29', NOW, 'Asia/Shanghai')).toBe('2027-02-28T02:00:00.000Z');
  });
});

describe('isVip', () => {
  const vip = { segments: ['champions' as const], tags: ['vip', '大客户'] };
  it('is a VIP by segment or by tag, and not otherwise', () => {
    expect(isVip({}, 'champions', vip)).toBe(true);
    expect(isVip({ tags: ['大客户'] }, 'inactive', vip)).toBe(true);
    expect(isVip({ tags: ['wholesale'] }, 'loyal', vip)).toBe(false);
    expect(isVip({}, undefined, vip)).toBe(false);
    expect(isVip({ tags: ['vip'] }, 'champions', { segments: [], tags: [] })).toBe(false);
  });
});
