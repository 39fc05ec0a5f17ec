/*
 * Windows in the shop's calendar. A window counted in days (`end_of_day`) starts the day after the
 * start (次日起算) and closes at midnight of its last day in the shop's zone, which is what the
 * customer reads on the calendar; `same_time` is plain arithmetic. Only Intl, no clock: the time is
 * always the caller's `now`.
 */

import { offsetMsAt, wallTime } from '../zone.ts';

export const DAY_MS = 86_400_000;

/** Minutes the zone is ahead of UTC at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  return Math.round(offsetMsAt(ms, timeZone) / 60_000);
}

/** The instant a local midnight falls on (the month and day may overflow: Date.UTC rolls them over). */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(guess, timeZone) * 60_000;
  // Across a DST change the offset at the result differs from the one at the guess: once more.
  return guess - offsetAt(first, timeZone) * 60_000;
}

/** When a window of `days` from `startMs` closes (inclusive: a request at this instant is still in). */
export function windowEnd(
  startMs: number,
  days: number,
  endsAt: 'end_of_day' | 'same_time',
  timeZone: string,
): number {
  if (endsAt === 'same_time') return startMs + days * DAY_MS;
  const start = wallTime(startMs, timeZone);
  // Day 1 is the day after the start; the window closes as its last day ends.
  return localMidnight(start.year, start.month, start.day + days + 1, timeZone);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Whole days from one instant to another, never negative. */
export function wholeDaysBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / DAY_MS));
}
