import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../domain/errors';
import { addDays, compactDate, fromEpochDay, isLocalDate, isoWeekday, toEpochDay } from '../../domain/localDate';
import { isoWeekOf, monthPeriod, periodDates, periodFromKey, rangePeriod, weekPeriodContaining, whyNotACalendarDate } from '../../domain/period';
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

  // Each message says what is wrong with the key as it was typed, and what to send instead.
  it.each([
    ['2026-00', '"2026-00" is not a period: months run from 01 to 12, so the months of 2026 are 2026-01 to 2026-12'],
    ['2026-13', '"2026-13" is not a period: months run from 01 to 12, so the months of 2026 are 2026-01 to 2026-12'],
    ['0000-01', '"0000-01" is not a period: years run from 0001 to 9999'],
    ['2025-W53', '"2025-W53" is not a period: 2025 has 52 ISO weeks, 2025-W01 to 2025-W52; the week after 2025-W52 is 2026-W01'],
    ['2026-W54', '"2026-W54" is not a period: 2026 has 53 ISO weeks, 2026-W01 to 2026-W53; the week after 2026-W53 is 2027-W01'],
    ['2026-W00', '"2026-W00" is not a period: 2026 has 53 ISO weeks, 2026-W01 to 2026-W53; the week before 2026-W01 is 2025-W52'],
    ['0000-W01', '"0000-W01" is not a period: years run from 0001 to 9999'],
    ['wk1-20261122', '"wk1-20261122" is not a period: a wk1 week starts on a Monday, and 2026-11-22 is a Sunday; the wk1 week that contains 2026-11-22 is wk1-20261116 (ISO week 2026-W47)'],
    ['wk7-20261121', '"wk7-20261121" is not a period: a wk7 week starts on a Sunday, and 2026-11-21 is a Saturday; the wk7 week that contains 2026-11-21 is wk7-20261115'],
    ['wk1-20261124', '"wk1-20261124" is not a period: a wk1 week starts on a Monday, and 2026-11-24 is a Tuesday; the wk1 week that contains 2026-11-24 is wk1-20261123 (ISO week 2026-W48)'],
    ['wk8-20261122', '"wk8-20261122" is not a period: the digit after "wk" is the weekday the week starts on, 1 (Monday) to 7 (Sunday), such as wk7-20261122'],
    ['wk1-20261131', '"wk1-20261131" is not a period: 20261131 is not a calendar date (November 2026 has 30 days)'],
    ['r-20261131-20261201', '"r-20261131-20261201" is not a period: 20261131 is not a calendar date (November 2026 has 30 days)'],
    ['r-20261101-20270229', '"r-20261101-20270229" is not a period: 20270229 is not a calendar date (February 2027 has 28 days)'],
    ['r-20261301-20261302', '"r-20261301-20261302" is not a period: 20261301 is not a calendar date (months run from 01 to 12)'],
    ['r-20261100-20261130', '"r-20261100-20261130" is not a period: 20261100 is not a calendar date (days start at 01)'],
    ['r-20261115-20261101', '"r-20261115-20261101" is not a period: it ends (2026-11-01) before it starts (2026-11-15); swap the dates: r-20261101-20261115'],
    ['0001-W00', '"0001-W00" is not a period: 0001 has 52 ISO weeks, 0001-W01 to 0001-W52'],
    ['9999-W53', '"9999-W53" is not a period: 9999 has 52 ISO weeks, 9999-W01 to 9999-W52'],
    ['9999-W52', '"9999-W52" is not a period: it would end after 9999-12-31 (years run from 0001 to 9999)'],
    ['wk7-99991226', '"wk7-99991226" is not a period: it would end after 9999-12-31 (years run from 0001 to 9999)'],
    ['wk7-00000102', '"wk7-00000102" is not a period: 00000102 is in year 0000 (years run from 0001 to 9999)'],
    ['r-00000101-00000102', '"r-00000101-00000102" is not a period: 00000101 is in year 0000 (years run from 0001 to 9999)'],
    ['r-20260101-20290105', '"r-20260101-20290105" is not a period: it spans 1101 days, and a range may span at most 1100; split it into shorter periods'],
    ['november', '"november" is not a period key; expected a month (2026-11), an ISO week (2026-W47), a week from a start day (wk7-20261122) or a range (r-20261101-20261115)'],
    ['2026-W47 ', '"2026-W47 " is not a period key; expected a month (2026-11), an ISO week (2026-W47), a week from a start day (wk7-20261122) or a range (r-20261101-20261115)'],
  ])('refuses %s: %s', (key, message) => {
    let thrown: unknown;
    try {
      periodFromKey(key);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: ErrorCode.invalidPeriod, message });
  });

  it('accepts the first and the last ISO week of a year, and a leap day in a range', () => {
    expect(periodFromKey('2026-W53')).toMatchObject({ firstDate: '2026-12-28', lastDate: '2027-01-03' });
    expect(periodFromKey('2025-W52')).toMatchObject({ firstDate: '2025-12-22', lastDate: '2025-12-28' });
    expect(periodFromKey('2025-W01')).toMatchObject({ firstDate: '2024-12-30', lastDate: '2025-01-05' });
    expect(periodFromKey('r-20280229-20280301')).toMatchObject({ firstDate: '2028-02-29', lastDate: '2028-03-01' });
    // The first and last weeks that fit in four-digit years, keys written with four-digit years.
    expect(periodFromKey('0001-W01')).toMatchObject({ key: '0001-W01', firstDate: '0001-01-01', lastDate: '0001-01-07' });
    expect(periodFromKey('9999-W51')).toMatchObject({ key: '9999-W51', lastDate: '9999-12-26' });
    expect(periodFromKey('wk6-99991225')).toMatchObject({ lastDate: '9999-12-31' });
  });
});

describe('why a date is not a calendar date', () => {
  it.each([
    [2026, 11, 31, 'November 2026 has 30 days'],
    [2027, 2, 29, 'February 2027 has 28 days'],
    [2028, 2, 30, 'February 2028 has 29 days'],
    [2026, 0, 1, 'months run from 01 to 12'],
    [2026, 13, 1, 'months run from 01 to 12'],
    [2026, 1, 0, 'days start at 01'],
    [2028, 2, 29, null],
    [2026, 12, 31, null],
  ])('%i-%i-%i: %s', (year, month, day, why) => {
    expect(whyNotACalendarDate(year, month, day)).toBe(why);
  });

  it('says nothing exactly when the date is one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const written = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        expect(whyNotACalendarDate(year, month, day) === null).toBe(isLocalDate(written));
      }),
    );
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

  it('a key-shaped string is a period, or INVALID_PERIOD with a message that starts with it as typed; never another error', () => {
    const keyLike = fc.oneof(
      fc.stringMatching(/^\d{4}-\d{2}$/),
      fc.stringMatching(/^\d{4}-W\d{2}$/),
      fc.stringMatching(/^wk\d-\d{8}$/),
      fc.stringMatching(/^r-\d{8}-\d{8}$/),
      // Ranges of real dates: backwards, too long, or right.
      fc.tuple(fc.integer({ min: toEpochDay('0001-01-01'), max: toEpochDay('9999-12-31') }), fc.integer({ min: -2000, max: 2000 })).map(
        ([day, len]) => `r-${compactDate(fromEpochDay(day))}-${compactDate(fromEpochDay(Math.min(day + len, toEpochDay('9999-12-31'))))}`,
      ),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(keyLike, (key) => {
        try {
          periodFromKey(key);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          expect((e as DomainError).code).toBe(ErrorCode.invalidPeriod);
          expect((e as DomainError).message.startsWith(`${JSON.stringify(key)} is not a period`)).toBe(true);
        }
      }),
      { numRuns: 2000 },
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
