import type { Locale } from '../../../schemas/notifications.ts';
import { carrierDisplayName, isKnownCarrier, normalizeCarrier } from '../tracking/carriers.ts';
import { formatAddress, formatDate, formatDateTime, formatList, formatMoney, isCurrency } from './format.ts';
import { CARRIER_NAMES_ZH, type VariableSpec } from './variables.ts';

/*
 * A notice's data as a template sees it: each declared variable formatted by its type for the
 * customer's language and zone. A value of the wrong shape (a money amount that is not an integer,
 * a date that does not parse, a code with no label) is no value, and says why, so a required one
 * fails with a message that names it.
 */

export interface Formatted {
  /** The text a placeholder shows; undefined when the variable has no value. */
  text: string | undefined;
  /** Whether {{#if}} on it is kept. */
  present: boolean;
  /** Why a value that was given is not usable. */
  invalid?: string;
}

const ABSENT: Formatted = { text: undefined, present: false };
const some = (text: string | undefined): Formatted =>
  text === undefined || text === '' ? ABSENT : { text, present: true };
const bad = (why: string): Formatted => ({ ...ABSENT, invalid: why });

export interface FormatContext {
  locale: Locale;
  timeZone: string;
  vars: Record<string, unknown>;
  variables: Record<string, VariableSpec>;
}

function isUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function carrierName(code: string, ctx: FormatContext, nameFrom: string | undefined): string {
  const known = normalizeCarrier(code);
  if (ctx.locale === 'zh-CN' && known && CARRIER_NAMES_ZH[known]) return CARRIER_NAMES_ZH[known];
  if (known && isKnownCarrier(known)) return carrierDisplayName(known);
  const given = nameFrom ? ctx.vars[nameFrom] : undefined;
  return typeof given === 'string' && given.trim() ? given.trim() : code;
}

function formatOne(name: string, spec: VariableSpec, ctx: FormatContext): Formatted {
  const value = ctx.vars[name];
  if (value === undefined || value === null || value === '') return ABSENT;
  const { locale, timeZone } = ctx;
  switch (spec.type) {
    case 'text':
      if (typeof value === 'string') return some(value.trim());
      if (typeof value === 'number' && Number.isFinite(value)) return some(String(value));
      return bad(`expected text, got ${typeof value}`);
    case 'url':
      return typeof value === 'string' && isUrl(value.trim())
        ? some(value.trim())
        : bad('not an http(s) URL');
    case 'currency':
      return isCurrency(value) ? some(value.toUpperCase()) : bad('not an ISO 4217 currency code');
    case 'money': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return bad('not an integer amount in minor units');
      const code = spec.currency ? ctx.vars[spec.currency] : undefined;
      if (!isCurrency(code)) return bad(`its currency (${spec.currency}) is missing or not an ISO 4217 code`);
      return some(formatMoney(value, code, locale));
    }
    case 'date':
      return formatDate(value, locale, timeZone) === undefined
        ? bad('not an ISO date')
        : some(formatDate(value, locale, timeZone));
    case 'datetime':
      return formatDateTime(value, locale, timeZone) === undefined
        ? bad('not an ISO instant')
        : some(formatDateTime(value, locale, timeZone));
    case 'enum': {
      const label = typeof value === 'string' ? spec.labels?.[value]?.[locale] : undefined;
      return label
        ? some(label)
        : bad(`"${String(value)}" is not one of ${Object.keys(spec.labels ?? {}).join(', ')}`);
    }
    case 'address':
      return some(formatAddress(value, locale));
    case 'list':
      return some(formatList(value, locale));
    case 'flag':
      return value === true ? { text: '', present: true } : ABSENT;
    case 'carrier':
      return typeof value === 'string' && value.trim()
        ? some(carrierName(value.trim(), ctx, spec.nameFrom))
        : bad('not a carrier code');
  }
}

/** A variable's value, or its fallback's when it has none. */
export function formatVariable(name: string, ctx: FormatContext, seen = new Set<string>()): Formatted {
  const spec = ctx.variables[name];
  if (!spec) return ABSENT;
  const own = formatOne(name, spec, ctx);
  if (own.present || !spec.fallback || seen.has(spec.fallback)) return own;
  seen.add(name);
  const other = formatVariable(spec.fallback, ctx, seen);
  return other.present ? other : own;
}
