import { TEMPLATE_CATALOG, type TemplateSpec } from '../../../functions/core/notifications/catalog.ts';
import type { Locale, TemplateId } from '../../../schemas/notifications.ts';

/*
 * Values for the renderer tests: the catalog's examples (realistic, in each language), and a
 * "long but realistic" set for the SMS limits: a 20-character shop name, a six-character Chinese
 * name, a 19-digit Taobao order number, 15- and 18-character tracking numbers, a pickup point with
 * its street address, a return address with building and department.
 */

export const ZONES: Record<Locale, string> = { 'zh-CN': 'Asia/Shanghai', en: 'America/New_York' };

export const ALL_TEMPLATES = Object.keys(TEMPLATE_CATALOG) as TemplateId[];

export function examplesOf(spec: TemplateSpec, locale: Locale): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec.variables)
      .filter(([, v]) => !v.auto)
      .map(([name, v]) => [name, v.example[locale]]),
  );
}

/** Only what the template requires: every optional variable absent. */
export function requiredOf(spec: TemplateSpec, locale: Locale): Record<string, unknown> {
  const all = examplesOf(spec, locale);
  const needed = new Set(
    Object.entries(spec.variables)
      .filter(([, v]) => v.required && !v.auto)
      .flatMap(([name, v]) => [name, ...(v.currency ? [v.currency] : [])]),
  );
  return Object.fromEntries(Object.entries(all).filter(([name]) => needed.has(name)));
}

export const LONG_SHOP: Record<Locale, string> = {
  'zh-CN': '浙江义乌市小商品城家居日用百货专营旗舰店', // 20
  en: 'Northwind Outdoor Co.', // 21
};

const LONG: Record<Locale, Record<string, unknown>> = {
  'zh-CN': {
    name: '阿卜杜热合曼', // six characters
    customerName: '阿卜杜热合曼',
    orderNumber: '3912345678901234567',
    orderId: '3912345678901234567',
    trackingNumber: '773245678901234', // 15 digits (STO)
    carrier: 'sto',
    carrierName: 'STO Express',
    pickupPoint: '菜鸟驿站（余杭区文一西路969号西溪园区东门店）',
    pickupCode: '16-3-30182',
    number: 'RMA-7F3A9C21',
    rma: 'RMA-7F3A9C21',
    returnAddress: {
      name: '王小二',
      phone: '0571-88888888',
      province: '浙江省',
      city: '杭州市',
      district: '余杭区',
      address1: '五常街道文一西路969号3号楼2层售后部',
    },
    amount: 1_288_800,
    refundAmount: 1_288_800,
    currency: 'CNY',
    holidayName: '中秋节',
  },
  en: {
    name: 'Alexandra Whitfield',
    customerName: 'Alexandra Whitfield',
    orderNumber: '#1002345',
    orderId: '5512345678901',
    trackingNumber: '1Z999AA10123456784', // 18 (UPS)
    carrier: 'ups',
    carrierName: 'UPS',
    pickupPoint: 'InPost locker, Tesco Extra, 12 Kirkstall Road, Leeds',
    pickupCode: '4829-1377',
    number: 'RMA-7F3A9C21',
    rma: 'RMA-7F3A9C21',
    returnAddress: {
      name: 'Returns Dept.',
      address1: '1200 Commerce Way',
      address2: 'Unit 4B',
      city: 'Reno',
      province: 'NV',
      postalCode: '89502',
      country: 'US',
    },
    amount: 1_288_800,
    refundAmount: 1_288_800,
    currency: 'USD',
    holidayName: 'Mid-Autumn Festival',
  },
};

/** Examples overlaid with the long values and, for every code, the code whose label is longest. */
export function longOf(spec: TemplateSpec, locale: Locale): Record<string, unknown> {
  const vars = examplesOf(spec, locale);
  for (const [name, v] of Object.entries(spec.variables)) {
    if (name in LONG[locale]) vars[name] = LONG[locale][name];
    if (v.type === 'enum' && v.labels) {
      vars[name] = Object.entries(v.labels).reduce((a, b) =>
        b[1][locale].length > a[1][locale].length ? b : a,
      )[0];
    }
  }
  return vars;
}
