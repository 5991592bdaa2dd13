import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromEpochDay, isoWeekday, toEpochDay } from '../../domain/localDate';
import { isoWeekOf, monthPeriod, periodDates, periodFromKey, rangePeriod, weekPeriodContaining } from '../../domain/period';
import { DateTime } from 'luxon';

const dateArb = fc.integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2060-12-31') }).map(fromEpochDay);

describe('periods: known answers', () => {
  it.each([
    [2026, 2, '2026-02-01', '2026-02-28', '2026-02', 28],
    [2028, 2, '2028-02-01', '2028-02-29', '2028-02', 29],
    [2026, 12, '2026-12-01', '2026-12-31', '2026-12', 31],
  ])('month %i-%i runs %s to %s', (y, m, first, last, key, n) => {
    const p = monthPeriod(y, m);
    expect([p.firstDate, p.lastDate, p.key, periodDates(p).length]).toEqual([first, last, key, n]);
  });

  it.each([
    ['2026-11-23', 1, '2026-11-23', '2026-11-29', '2026-W48'],
    ['2027-01-01', 1, '2026-12-28', '2027-01-03', '2026-W53'],
    ['2024-12-30', 1, '2024-12-30', '2025-01-05', '2025-W01'],
    ['2026-11-23', 7, '2026-11-22', '2026-11-28', 'wk7-20261122'],
    ['2026-11-23', 6, '2026-11-21', '2026-11-27', 'wk6-20261121'],
  ])('the week of %s starting on weekday %i runs %s to %s (%s)', (date, start, first, last, key) => {
    const p = weekPeriodContaining(date, start as 1);
    expect([p.firstDate, p.lastDate, p.key]).toEqual([first, last, key]);
  });

  it('a range keeps both ends and refuses to run backwards', () => {
    expect(rangePeriod('2026-11-01', '2026-11-15').key).toBe('r-20261101-20261115');
    expect(() => rangePeriod('2026-11-15', '2026-11-01')).toThrow(/must not end before it starts.*Swap the dates/);
    expect(() => rangePeriod('2026-02-30', '2026-03-01')).toThrow(/firstDate must be a calendar date/);
  });

  it('rejects keys that only look right', () => {
    for (const bad of ['2026-13', '2026-W54', '2025-W53', 'wk1-20261124', 'r-20261301-20261302', 'november']) {
      expect(() => periodFromKey(bad), bad).toThrow(/is not a period key|a month 1–12/);
    }
  });
});

describe('periods: laws', () => {
  it('ISO week numbers agree with luxon', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const dt = DateTime.fromISO(date, { zone: 'UTC' });
        expect(isoWeekOf(date)).toEqual({ weekYear: dt.weekYear, week: dt.weekNumber });
      }),
    );
  });

  it('a week has seven consecutive dates, starts on its start day and contains the date', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 7 }), (date, start) => {
        const p = weekPeriodContaining(date, start as 1);
        const dates = periodDates(p);
        expect(dates).toHaveLength(7);
        expect(isoWeekday(p.firstDate)).toBe(start);
        expect(dates).toContain(date);
      }),
    );
  });

  it('keys round-trip for every kind', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 400 }), (date, start, len) => {
        const [y, m] = date.split('-').map(Number) as [number, number];
        for (const p of [monthPeriod(y, m), weekPeriodContaining(date, start as 1), rangePeriod(date, addDays(date, len))]) {
          expect(periodFromKey(p.key)).toEqual(p);
        }
      }),
    );
  });
});
