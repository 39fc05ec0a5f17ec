import { addLocalDays, localTime, minutesOf, zonedInstant } from './zoned.ts';

export interface QuietHours {
  /** `HH:MM`, local. */
  start: string;
  end: string;
}

/**
 * When a message due at `at` may go out: `at` itself outside the quiet hours, else the end of
 * them (the next local morning for the usual 21:00–08:00), as a UTC instant. A window that starts
 * and ends at the same minute is no window.
 */
export function outsideQuietHours(at: string, timeZone: string, quiet: QuietHours): string {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const { date, minutes } = localTime(at, timeZone);
  const wraps = start > end; // 21:00–08:00 spans midnight
  const inside = wraps ? minutes >= start || minutes < end : minutes >= start && minutes < end;
  if (!inside) return at;
  // Late evening: the window ends tomorrow morning; after midnight (or a same-day window): today.
  const endDate = wraps && minutes >= start ? addLocalDays(date, 1) : date;
  return zonedInstant(endDate, quiet.end, timeZone);
}
