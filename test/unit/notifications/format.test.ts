import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatAddress,
  formatDate,
  formatDateTime,
  formatMoney,
} from '../../../functions/core/notifications/format.ts';

describe('formatMoney', () => {
  it('formats integer minor units with the currency of the amount, per locale', () => {
    expect(formatMoney(12_800, 'CNY', 'zh-CN')).toBe('¥128.00');
    expect(formatMoney(12_800, 'CNY', 'en')).toBe('CN¥128.00');
    expect(formatMoney(12_800, 'USD', 'en')).toBe('$128.00');
    expect(formatMoney(12_800, 'USD', 'zh-CN')).toBe('US$128.00');
    expect(formatMoney(1_999, 'EUR', 'en')).toBe('€19.99');
    expect(formatMoney(1_288_800, 'CNY', 'zh-CN')).toBe('¥12,888.00');
  });

  it('uses the digits of the currency: yen have none, dinars three', () => {
    expect(formatMoney(12_800, 'JPY', 'en')).toBe('¥12,800');
    expect(formatMoney(12_800, 'JPY', 'zh-CN')).toBe('JP¥12,800');
    expect(formatMoney(12_345, 'KWD', 'en')).toBe('KWD 12.345');
  });

  it('refuses fractions of a minor unit and codes that are not ISO 4217', () => {
    expect(() => formatMoney(12.5, 'CNY', 'en')).toThrow(RangeError);
    expect(() => formatMoney(100, 'RMB!', 'en')).toThrow(/ISO 4217/);
  });
});

describe('formatDate and formatDateTime', () => {
  // 2026-11-20T17:30Z is the 21st in Shanghai and still the 20th in Los Angeles.
  const at = '2026-11-20T17:30:00.000Z';

  it('shows the instant in the customer zone and language', () => {
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月21日 01:30');
    expect(formatDateTime(at, 'en', 'America/Los_Angeles')).toBe('Nov 20, 2026, 9:30 AM');
    expect(formatDate(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月21日');
    expect(formatDate(at, 'en', 'America/Los_Angeles')).toBe('Nov 20, 2026');
    expect(formatDate(at, 'zh-CN', 'America/Los_Angeles')).toBe('2026年11月20日');
  });

  it('keeps a bare date on its calendar day in every zone', () => {
    expect(formatDate('2026-11-20', 'en', 'America/Los_Angeles')).toBe('Nov 20, 2026');
    expect(formatDate('2026-11-20', 'zh-CN', 'Pacific/Kiritimati')).toBe('2026年11月20日');
    expect(formatDateTime('2026-11-20', 'en', 'America/Los_Angeles')).toBe('Nov 20, 2026');
  });

  it('uses plain spaces only (ICU puts U+202F before AM/PM)', () => {
    expect(formatDateTime(at, 'en', 'UTC')).not.toMatch(/[\u00a0\u202f]/);
  });

  it('has no value for what is not a date', () => {
    expect(formatDate('next week', 'en', 'UTC')).toBeUndefined();
    expect(formatDateTime(1_700_000_000, 'en', 'UTC')).toBeUndefined();
  });
});

describe('formatAddress', () => {
  it('writes a Chinese address from the province down, then who receives it', () => {
    expect(
      formatAddress(
        {
          name: '王小二',
          phone: '0571-88888888',
          country: 'CN',
          province: '浙江省',
          city: '杭州市',
          district: '余杭区',
          address1: '文一西路969号',
          postalCode: '311121',
        },
        'zh-CN',
      ),
    ).toBe('浙江省杭州市余杭区文一西路969号 王小二 0571-88888888');
  });

  it('writes other addresses from the street up', () => {
    expect(
      formatAddress(
        {
          name: 'Returns Dept.',
          address1: '1200 Commerce Way',
          city: 'Reno',
          province: 'NV',
          postalCode: '89502',
          country: 'US',
        },
        'en',
      ),
    ).toBe('Returns Dept., 1200 Commerce Way, Reno, NV 89502, US');
  });

  it('has no value for an empty address', () => {
    expect(formatAddress({}, 'en')).toBeUndefined();
    expect(formatAddress(42, 'en')).toBeUndefined();
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
