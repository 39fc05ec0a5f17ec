import { UnparseablePayloadError } from './errors.ts';

/*
 * Provider times as UTC instants, never in the zone of the machine that parses them:
 * `new Date('2026-11-20T10:00:00')` is local time wherever the code happens to run, so no provider
 * text goes to `Date.parse` here. A time with `Z` or an offset is that instant. A zone-less one
 * ("2026-11-20T10:00:00", "2026-11-20 10:00:00", "2026-11-20") is read by the rule of the provider
 * that sent it; each connector has exactly one (connectors/times.ts, docs/connectors.md "Times").
 */

/**
 * What a zone-less time means:
 * - `utc`: the provider documents it as UTC;
 * - `china`: China Standard Time, UTC+8 all year (no DST since 1991), so a fixed offset is exact;
 * - `refuse`: the provider always sends an offset; one without is not trusted (it is not read).
 */
export type ZoneLess = 'utc' | 'china' | 'refuse';

const ZONE_LESS_OFFSET_MINUTES = { utc: 0, china: 8 * 60 } as const;

// Date, optionally time (seconds and fraction optional), optionally a zone after the time.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** `+08:00`, `+0800`, `+08`, `Z` in minutes east of UTC; undefined for an impossible offset. */
function offsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 18 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * An ISO 8601 date-time (or date) as a UTC ISO instant; undefined when it is not one, names a day or
 * time no calendar has, or is zone-less under the `refuse` rule.
 */
export function parseInstant(value: string | null | undefined, zoneLess: ZoneLess): string | undefined {
  const m = ISO.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = m[8];
  const offset = zone
    ? offsetMinutes(zone)
    : zoneLess === 'refuse'
      ? undefined
      : ZONE_LESS_OFFSET_MINUTES[zoneLess];
  if (offset === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const wall = new Date(0);
  wall.setUTCFullYear(y, mo - 1, d);
  // The date rolls 2026-02-30 over into March; reading it back catches impossible dates.
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) {
    return undefined;
  }
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  wall.setUTCHours(h, mi, s, ms);
  return new Date(wall.getTime() - offset * 60_000).toISOString();
}

/** parseInstant, for a time the payload cannot do without: unreadable is unparseable. */
export function toInstant(value: string, zoneLess: ZoneLess): string {
  const instant = parseInstant(value, zoneLess);
  if (instant !== undefined) return instant;
  if (zoneLess === 'refuse' && isZoneLess(value)) {
    throw new UnparseablePayloadError(`a time without a zone offset: ${JSON.stringify(value)}`);
  }
  throw new UnparseablePayloadError(`not an ISO 8601 date-time: ${JSON.stringify(value)}`);
}

/** Whether an ISO-looking time has neither `Z` nor an offset (and so needs a provider's rule). */
export function isZoneLess(value: string): boolean {
  const m = ISO.exec(value.trim());
  return m !== null && m[8] === undefined;
}

/** Unix seconds (number or digit string) as a UTC ISO instant. */
export function unixSecondsToIso(seconds: number | string): string {
  const n = typeof seconds === 'string' && /^\d+$/.test(seconds.trim()) ? Number(seconds) : seconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new UnparseablePayloadError(`not a unix time in seconds: ${String(seconds)}`);
  }
  return new Date(n * 1000).toISOString();
}

const MILLIS_THRESHOLD = 100_000_000_000; // 1e11: seconds reach it in year 5138, millis passed it in 1973.

/**
 * A time in whichever form China-based platforms send it: unix seconds (or epoch millis, as Java
 * relays serialise dates), or ISO 8601 / "yyyy-MM-dd HH:mm:ss" read under the provider's rule.
 */
export function unixOrIsoToInstant(value: string | number, zoneLess: ZoneLess): string {
  if (typeof value === 'number' || /^\d+$/.test(value.trim())) {
    const n = Number(value);
    return n >= MILLIS_THRESHOLD ? unixSecondsToIso(n / 1000) : unixSecondsToIso(n);
  }
  const instant = parseInstant(value, zoneLess);
  if (instant === undefined) throw new UnparseablePayloadError(`not a recognised time: ${value}`);
  return instant;
}
