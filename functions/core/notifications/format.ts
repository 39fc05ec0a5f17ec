import type { Locale } from '../../../schemas/notifications.ts';

/*
 * How values read in a message: money in the currency's own digits, times in the customer's zone,
 * addresses in the order each language writes them. All of it through Intl, never by hand, and
 * every result with plain spaces (ICU puts U+202F before "PM" and U+00A0 in some formats: one such
 * character turns an English SMS from GSM-7 into UCS-2 and halves what fits in a segment).
 */

const plainSpaces = (s: string) => s.replace(/[\u00a0\u2007\u202f]/g, ' ');

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

const CURRENCY = /^[A-Z]{3}$/;

/** Integer minor units in a currency: 12800 CNY is ¥128.00 in zh-CN and CN¥128.00 in en; 500 JPY is ¥500. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const code = currency.toUpperCase();
  if (!Number.isSafeInteger(minor)) throw new RangeError(`money must be integer minor units, got ${minor}`);
  if (!CURRENCY.test(code)) throw new RangeError(`not an ISO 4217 currency code: ${currency}`);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return plainSpaces(format.format(minor / 10 ** digits));
}

export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value.toUpperCase());
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO instant or a bare `YYYY-MM-DD`, as a Date; undefined when it is neither. */
function parseTime(value: unknown): { at: Date; bare: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return { at: new Date(ms), bare: BARE_DATE.test(value) };
}

/**
 * A day, in the customer's zone: 2026年11月20日 / Nov 20, 2026. A bare date (a carrier's estimate,
 * `2026-11-20`) is a calendar day, not midnight UTC, so it is never shifted to the day before.
 */
export function formatDate(value: unknown, locale: Locale, timeZone: string): string | undefined {
  const t = parseTime(value);
  if (!t) return undefined;
  const zone = t.bare ? 'UTC' : timeZone;
  return plainSpaces(new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: zone }).format(t.at));
}

/** A moment, in the customer's zone: 2026年11月20日 14:00 / Nov 20, 2026, 2:00 PM. */
export function formatDateTime(value: unknown, locale: Locale, timeZone: string): string | undefined {
  const t = parseTime(value);
  if (!t) return undefined;
  if (t.bare) return formatDate(value, locale, timeZone);
  return plainSpaces(
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(t.at),
  );
}

const HOME_COUNTRIES = new Set(['cn', 'chn', 'china', '中国', '中国大陆', '中华人民共和国']);

/**
 * An address on one line: Chinese from the province down, then who receives it
 * (浙江省杭州市余杭区文一西路969号 王小二 0571-88888888); otherwise from the street up
 * (Returns Dept, 1 Main St, Springfield, IL 62701, US, +1 217 555 0100).
 */
export function formatAddress(value: unknown, locale: Locale): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (!value || typeof value !== 'object') return undefined;
  const a = value as Record<string, unknown>;
  const s = (k: string) => (typeof a[k] === 'string' ? (a[k] as string).trim() : '');
  const country = s('country');
  const home = HOME_COUNTRIES.has(country.toLowerCase());
  let parts: string[];
  if (locale === 'zh-CN') {
    const place = [
      home ? '' : country,
      s('province'),
      s('city'),
      s('district'),
      s('address1'),
      s('address2'),
    ];
    // Chinese couriers route by the written address; the postal code adds nothing there.
    parts = [place.filter(Boolean).join(''), s('name'), s('phone')];
  } else {
    const cityLine = [s('city'), [s('province'), s('postalCode')].filter(Boolean).join(' ')].filter(Boolean);
    parts = [s('name'), s('address1'), s('address2'), s('district'), ...cityLine, country, s('phone')];
    return parts.filter(Boolean).join(', ') || undefined;
  }
  return parts.filter(Boolean).join(' ') || undefined;
}

export function formatList(value: unknown, locale: Locale): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim());
  if (!items.length) return undefined;
  return items.join(locale === 'zh-CN' ? '；' : '; ');
}
