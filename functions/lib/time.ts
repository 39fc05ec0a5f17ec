import { UnparseablePayloadError } from './errors.ts';

// China Standard Time is UTC+8 all year (no DST since 1991), so a fixed offset is exact.
const CHINA_OFFSET_HOURS = 8;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/** "2026-11-20 10:15:00" in China time (Taobao, Douyin, Kuaidi100) as a UTC ISO instant. */
export function chinaLocalToIso(local: string): string {
  const m = LOCAL.exec(local.trim());
  if (!m) throw new UnparseablePayloadError(`not a China local time "yyyy-MM-dd HH:mm:ss": ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const utc = Date.UTC(y, mo - 1, d, h - CHINA_OFFSET_HOURS, mi, s, ms);
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches impossible dates.
  const back = new Date(utc + CHINA_OFFSET_HOURS * 3_600_000);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw new UnparseablePayloadError(`not a valid date: ${local}`);
  }
  return new Date(utc).toISOString();
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
 * A time from a China-based platform in whichever form it arrives: unix seconds (or epoch millis, as
 * Java relays serialise dates), China local "yyyy-MM-dd HH:mm:ss", or ISO 8601 with an explicit zone.
 */
export function chinaTimeToIso(value: string | number): string {
  if (typeof value === 'number' || /^\d+$/.test(value.trim())) {
    const n = Number(value);
    return n >= MILLIS_THRESHOLD ? unixSecondsToIso(n / 1000) : unixSecondsToIso(n);
  }
  const text = value.trim();
  if (LOCAL.test(text)) return chinaLocalToIso(text);
  // Only with an explicit zone: a zone-less ISO string would be read in the server's zone.
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(text).toISOString();
  }
  throw new UnparseablePayloadError(`not a recognised time: ${value}`);
}
