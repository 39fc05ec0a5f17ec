import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '../../../functions/core/notifications/catalog.ts';
import { renderTemplate } from '../../../functions/core/notifications/render-template.ts';
import {
  isGsm7,
  MAX_SMS_SEGMENTS,
  smsLength,
  smsSegments,
} from '../../../functions/core/notifications/sms.ts';
import { Locale } from '../../../schemas/notifications.ts';
import { ALL_TEMPLATES, LONG_SHOP, longOf, ZONES } from './fixtures.ts';

describe('smsSegments', () => {
  it('counts GSM-7 text as 160 in one segment and 153 per part after that', () => {
    expect(smsSegments('')).toBe(1);
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
  });

  it('counts the GSM extension characters twice', () => {
    expect(smsLength('{€}')).toEqual({ encoding: 'gsm7', units: 6 });
    expect(smsSegments(`${'a'.repeat(158)}€`)).toBe(1);
    expect(smsSegments(`${'a'.repeat(159)}€`)).toBe(2);
  });

  it('sends anything with a Chinese character as UCS-2: 70 in one segment, 67 per part', () => {
    expect(isGsm7('您好')).toBe(false);
    expect(smsSegments('好'.repeat(70))).toBe(1);
    expect(smsSegments('好'.repeat(71))).toBe(2);
    expect(smsSegments('好'.repeat(134))).toBe(2);
    expect(smsSegments('好'.repeat(135))).toBe(3);
    // One Chinese character turns a whole English text to UCS-2.
    expect(smsSegments(`${'a'.repeat(100)}好`)).toBe(2);
  });

  it('treats typographic punctuation as UCS-2 and an emoji as two units', () => {
    expect(isGsm7("it's")).toBe(true);
    expect(isGsm7('it’s')).toBe(false);
    expect(isGsm7('a\u202fb')).toBe(false);
    expect(smsLength('😀')).toEqual({ encoding: 'ucs2', units: 2 });
    expect(smsSegments(`${'好'.repeat(69)}😀`)).toBe(2);
  });
});

describe('the built-in SMS', () => {
  const withSms = ALL_TEMPLATES.filter((id) => TEMPLATE_CATALOG[id].channels.includes('sms'));

  it('exist for every customer template', () => {
    expect(withSms.length).toBe(41);
  });

  for (const locale of Locale.options) {
    it(`fit in ${MAX_SMS_SEGMENTS} segments in ${locale} with the signature and long but realistic values`, () => {
      const over: string[] = [];
      for (const id of withSms) {
        const vars = longOf(TEMPLATE_CATALOG[id], locale);
        const { sms } = renderTemplate(id, {
          locale,
          timeZone: ZONES[locale],
          shopName: LONG_SHOP[locale],
          vars,
        });
        expect(sms!.segments).toBe(smsSegments(sms!.text));
        if (sms!.segments > MAX_SMS_SEGMENTS) over.push(`${id}: ${sms!.segments} segments, ${sms!.text}`);
      }
      expect(over).toEqual([]);
    });
  }

  it('stay GSM-7 in English when the values are (no curly quotes, dashes or narrow spaces from Intl)', () => {
    const ucs2: string[] = [];
    for (const id of withSms) {
      const vars = longOf(TEMPLATE_CATALOG[id], 'en');
      const { sms } = renderTemplate(id, {
        locale: 'en',
        timeZone: 'America/New_York',
        shopName: LONG_SHOP.en,
        vars,
      });
      if (!isGsm7(sms!.text)) ucs2.push(`${id}: ${sms!.text}`);
    }
    expect(ucs2).toEqual([]);
  });
});
