import { addLocalDays, localTime, zonedInstant } from './zoned.ts';

/**
 * The lunar holidays by Gregorian date (春节 the first day of the first month, 中秋 the 15th of the
 * eighth), 2026–2040. A year past the table has no date for them: they are skipped, not guessed.
 */
const LUNAR: Record<'spring_festival' | 'mid_autumn', Record<number, string>> = {
  spring_festival: {
    2026: '02-17',
    2027: '02-06',
    2028: '01-26',
    2029: '02-13',
    2030: '02-03',
    2031: '01-23',
    2032: '02-11',
    2033: '01-31',
    2034: '02-19',
    2035: '02-08',
    2036: '01-28',
    2037: '02-15',
    2038: '02-04',
    2039: '01-24',
    2040: '02-12',
  },
  mid_autumn: {
    2026: '09-25',
    2027: '09-15',
    2028: '10-03',
    2029: '09-22',
    2030: '09-12',
    2031: '10-01',
    2032: '09-19',
    2033: '09-08',
    2034: '09-27',
    2035: '09-16',
    2036: '10-04',
    2037: '09-24',
    2038: '09-13',
    2039: '10-02',
    2040: '09-20',
  },
};

const FIXED = { double_eleven: '11-11', christmas: '12-25' } as const;

export type HolidayDate = string; // `MM-DD` or a preset name
export interface Holiday {
  name: string;
  date: HolidayDate;
}

/** The `MM-DD` of a holiday in a year, if it has one then. */
export function holidayDay(date: HolidayDate, year: number): string | undefined {
  if (date === 'spring_festival' || date === 'mid_autumn') return LUNAR[date][year];
  if (date in FIXED) return FIXED[date as keyof typeof FIXED];
  // 02-29 only in leap years.
  const probe = new Date(`${year}-${date}T00:00:00Z`);
  return !Number.isNaN(probe.getTime()) && probe.toISOString().slice(5, 10) === date ? date : undefined;
}

/** The greeting is sent at this local time (the sender still checks quiet hours). */
export const GREETING_TIME = '10:00';

/**
 * The next of the shop's holidays strictly after `after`, at 10:00 in the zone: its name, its key
 * (`name@YYYY-MM-DD`, one greeting per holiday per year) and the instant.
 */
export function nextHoliday(
  holidays: readonly Holiday[],
  after: string,
  timeZone: string,
): { name: string; key: string; at: string } | undefined {
  const { date: today } = localTime(after, timeZone);
  const year = Number(today.slice(0, 4));
  let best: { name: string; key: string; at: string } | undefined;
  for (const h of holidays) {
    for (const y of [year, year + 1]) {
      const day = holidayDay(h.date, y);
      if (!day) continue;
      const at = zonedInstant(`${y}-${day}`, GREETING_TIME, timeZone);
      if (at <= after) continue;
      if (!best || at < best.at) best = { name: h.name, key: `${h.name}@${y}-${day}`, at };
      break;
    }
  }
  return best;
}

/** The next birthday (`MM-DD`) strictly after `after`, at 10:00 in the zone (29 February: the 28th in other years). */
export function nextBirthday(mmdd: string, after: string, timeZone: string): string {
  const { date: today } = localTime(after, timeZone);
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1, year + 2]) {
    const day = holidayDay(mmdd, y) ?? (mmdd === '02-29' ? '02-28' : undefined);
    if (!day) continue;
    const at = zonedInstant(`${y}-${day}`, GREETING_TIME, timeZone);
    if (at > after) return at;
  }
  return zonedInstant(addLocalDays(today, 365), GREETING_TIME, timeZone);
}
