import { describe, expect, it } from 'vitest';
import { outsideQuietHours } from '../../../functions/core/outreach/quiet-hours.ts';
import { addLocalDays, isoWeek, localTime, zonedInstant } from '../../../functions/core/outreach/zoned.ts';

const NIGHT = { start: '21:00', end: '08:00' };

describe('wall-clock time in a zone', () => {
  it('reads the local date and minute of an instant', () => {
    expect(localTime('2026-12-01T15:00:00.000Z', 'Asia/Shanghai')).toEqual({
      date: '2026-12-01',
      minutes: 23 * 60,
    });
    expect(localTime('2026-12-01T16:30:00.000Z', 'Asia/Shanghai')).toEqual({
      date: '2026-12-02',
      minutes: 30,
    });
    expect(localTime('2026-12-01T03:00:00.000Z', 'America/New_York')).toEqual({
      date: '2026-11-30',
      minutes: 22 * 60,
    });
  });

  it('finds the instant of a local time, across daylight-saving changes', () => {
    expect(zonedInstant('2026-12-02', '08:00', 'Asia/Shanghai')).toBe('2026-12-02T00:00:00.000Z');
    // New York: EDT (−4) before 1 November 2026, EST (−5) after.
    expect(zonedInstant('2026-10-31', '08:00', 'America/New_York')).toBe('2026-10-31T12:00:00.000Z');
    expect(zonedInstant('2026-11-02', '08:00', 'America/New_York')).toBe('2026-11-02T13:00:00.000Z');
    // 02:30 does not exist on 8 March 2026 in New York: the instant the clocks jumped to.
    expect(zonedInstant('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('counts local days and ISO weeks', () => {
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isoWeek('2026-12-01')).toBe('2026-W49');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
  });
});

describe('quiet hours', () => {
  it('holds a message due at 23:00 customer time to 08:00 the next morning', () => {
    // 23:00 in Shanghai is 15:00 UTC; 08:00 the next day is 00:00 UTC.
    expect(outsideQuietHours('2026-12-01T15:00:00.000Z', 'Asia/Shanghai', NIGHT)).toBe(
      '2026-12-02T00:00:00.000Z',
    );
  });

  it('holds one due after midnight to 08:00 the same morning', () => {
    expect(outsideQuietHours('2026-12-01T19:00:00.000Z', 'Asia/Shanghai', NIGHT)).toBe(
      '2026-12-02T00:00:00.000Z',
    );
  });

  it('lets daytime messages go at once, the edges included', () => {
    for (const at of ['2026-12-01T00:00:00.000Z', '2026-12-01T06:00:00.000Z', '2026-12-01T12:59:00.000Z']) {
      expect(outsideQuietHours(at, 'Asia/Shanghai', NIGHT)).toBe(at);
    }
    // 21:00 sharp is inside.
    expect(outsideQuietHours('2026-12-01T13:00:00.000Z', 'Asia/Shanghai', NIGHT)).toBe(
      '2026-12-02T00:00:00.000Z',
    );
  });

  it('uses the zone it is given: 23:00 in Shanghai is 10:00 in New York', () => {
    expect(outsideQuietHours('2026-12-01T15:00:00.000Z', 'America/New_York', NIGHT)).toBe(
      '2026-12-01T15:00:00.000Z',
    );
  });

  it('handles a same-day window and no window', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(outsideQuietHours('2026-12-01T04:30:00.000Z', 'Asia/Shanghai', lunch)).toBe(
      '2026-12-01T06:00:00.000Z',
    );
    expect(
      outsideQuietHours('2026-12-01T15:00:00.000Z', 'Asia/Shanghai', { start: '00:00', end: '00:00' }),
    ).toBe('2026-12-01T15:00:00.000Z');
  });
});
