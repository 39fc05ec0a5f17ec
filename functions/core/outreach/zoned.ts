/*
 * Wall-clock time in a zone, with Intl only: what hour it is for the customer, and which instant
 * a local time of day is (daylight-saving changes included).
 */

import { offsetMsAt, wallTime } from '../zone.ts';

export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

export function localTime(iso: string, timeZone: string): LocalTime {
  const p = wallTime(Date.parse(iso), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, minutes: p.hour * 60 + p.minute };
}

/** `HH:MM` → minutes since midnight. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The instant a local date and time of day is in the zone, UTC ISO. A time that does not exist
 * (skipped by a daylight-saving change) is the instant the clocks jumped to.
 */
export function zonedInstant(date: string, hhmm: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5)));
  // The offset at the wall time read as UTC, then the one that holds at that guess: one of the two
  // shows the wall time asked for; in a gap neither does, and the later one is after the jump.
  const first = wall - offsetMsAt(wall, timeZone);
  const second = wall - offsetMsAt(first, timeZone);
  const shows = (ms: number) => ms + offsetMsAt(ms, timeZone) === wall;
  const ms = shows(second) ? second : shows(first) ? first : Math.max(first, second);
  return new Date(ms).toISOString();
}

/** The local date `days` after `date`. */
export function addLocalDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO week of a local date: `2026-W49`. */
export function isoWeek(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
