import { describe, expect, it } from 'vitest';
import {
  carrierDisplayName,
  isKnownCarrier,
  normalizeCarrier,
} from '../../functions/core/tracking/carriers.ts';

describe('normalizeCarrier', () => {
  it.each([
    // AfterShip slugs are the canonical codes
    ['ups', 'ups'],
    ['sf-express', 'sf-express'],
    ['china-ems', 'ems'],
    // Kuaidi100 codes
    ['shunfeng', 'sf-express'],
    ['yuantong', 'yto'],
    ['zhongtong', 'zto'],
    ['shentong', 'sto'],
    ['yunda', 'yunda'],
    ['jtexpress', 'jtexpress'],
    ['youzhengguonei', 'china-post'],
    ['ems', 'ems'],
    ['jd', 'jd'],
    ['debangwuliu', 'deppon'],
    ['huitongkuaidi', 'best'],
    // EasyPost carrier names
    ['UPS', 'ups'],
    ['USPS', 'usps'],
    ['FedEx', 'fedex'],
    ['DHLExpress', 'dhl'],
    // Shopify tracking_company names, English and Chinese
    ['SF Express', 'sf-express'],
    ['顺丰速运', 'sf-express'],
    ['中通快递', 'zto'],
    ['圆通速递', 'yto'],
    ['J&T Express', 'jtexpress'],
    ['China Post', 'china-post'],
    // 17TRACK numeric carrier keys, as number or string
    [100002, 'ups'],
    [100003, 'fedex'],
    ['21051', 'usps'],
    [100001, 'dhl'],
    [3011, 'china-post'],
    [3013, 'ems'],
  ])('maps %j to %s', (raw, code) => {
    expect(normalizeCarrier(raw)).toBe(code);
  });

  it('ignores case, spaces, dashes and full-width letters', () => {
    expect(normalizeCarrier('  sf   EXPRESS ')).toBe('sf-express');
    expect(normalizeCarrier('Fed_Ex')).toBe('fedex');
    expect(normalizeCarrier('ＵＰＳ')).toBe('ups');
  });

  it('keeps an unknown carrier as a lower-cased slug, so two spellings still agree', () => {
    expect(normalizeCarrier('Royal Mail')).toBe('royal-mail');
    expect(normalizeCarrier('royal_mail')).toBe('royal-mail');
    expect(normalizeCarrier('190271')).toBe('190271');
    expect(isKnownCarrier('royal-mail')).toBe(false);
  });

  it('gives undefined for no carrier at all', () => {
    expect(normalizeCarrier(undefined)).toBeUndefined();
    expect(normalizeCarrier(null)).toBeUndefined();
    expect(normalizeCarrier('')).toBeUndefined();
    expect(normalizeCarrier('   ')).toBeUndefined();
    expect(normalizeCarrier(' - ')).toBeUndefined();
  });
});

describe('carrierDisplayName', () => {
  it('names known carriers and shows unknown codes as given', () => {
    expect(carrierDisplayName('sf-express')).toBe('SF Express');
    expect(carrierDisplayName('ems')).toBe('China EMS');
    expect(carrierDisplayName('royal-mail')).toBe('royal-mail');
    expect(isKnownCarrier('yto')).toBe(true);
  });
});
