import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, roundSeconds } from '../../ui/src/format/duration';
import { formatLocalDate, todayIn } from '../../ui/src/format/dates';
import { addMonths, addWeeks, isoWeekKeyOf, isoWeekMonday, periodKeyOf, rangeProblem } from '../../ui/src/format/periods';

describe('durations as hours and minutes in the reader’s locale', () => {
  it.each([
    [0, 'en-GB', {}, '0 mins'],
    [59, 'en-GB', {}, '1 min'],
    [29, 'en-GB', {}, '0 mins'],
    [30, 'en-GB', {}, '1 min'], // half away from zero
    [27_360, 'en-GB', {}, '7 hrs 36 mins'],
    [7 * 3600, 'en-GB', {}, '7 hrs'],
    [-1800, 'en-GB', { signed: true }, '−30 mins'],
    [5400, 'en-GB', { signed: true }, '+1 hr 30 mins'],
    [27_360, 'de-DE', {}, '7 Std., 36 Min.'],
    [27_360, 'en-GB', { rounding: 'decimal-hours-2' as const }, '7.60 hrs'],
    [27_365, 'en-GB', { rounding: 'exact-seconds' as const }, '7 hrs 36 mins 5 secs'],
    [27_000 + 420, 'en-GB', { rounding: 'nearest-quarter-hour' as const }, '7 hrs 30 mins'],
  ])('%i s in %s %o is %s', (seconds, locale, options, shown) => {
    expect(formatDuration(seconds, { locale, ...options }).replace(/\u00a0/g, ' ')).toBe(shown);
  });

  it('rounds half away from zero, symmetric around zero, to a multiple of the step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.constantFrom('nearest-minute' as const, 'nearest-quarter-hour' as const, 'exact-seconds' as const), (s, policy) => {
        const r = roundSeconds(s, policy);
        const step = policy === 'nearest-minute' ? 60 : policy === 'nearest-quarter-hour' ? 900 : 1;
        expect(Math.abs(r % step)).toBe(0);
        expect(Math.abs(r - s)).toBeLessThanOrEqual(step / 2);
        expect(roundSeconds(-s, policy)).toBe(r === 0 ? 0 : -r);
      }),
    );
  });
});

describe('dates in the person’s zone', () => {
  it('shows a local date as that date whatever zone the reader is in', () => {
    expect(formatLocalDate('2026-11-02', 'en-GB')).toBe('Mon, 2 Nov 2026');
  });

  it('takes today from the zone: 23:30 UTC on 30 November is already 1 December in Brussels, still 30 November in New York', () => {
    const instant = Date.UTC(2026, 10, 30, 23, 30);
    expect(todayIn('Europe/Brussels', instant)).toBe('2026-12-01');
    expect(todayIn('America/New_York', instant)).toBe('2026-11-30');
  });
});

describe('periods as resolvers take them', () => {
  it.each([
    ['2026-01-01', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2026-11-22', '2026-W47'],
    ['2024-12-30', '2025-W01'],
  ])('%s is in ISO week %s', (date, week) => {
    expect(isoWeekKeyOf(date)).toBe(week);
  });

  it('steps months across years and weeks across ISO years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(isoWeekMonday('2026-W47')).toBe('2026-11-16');
  });

  it('every date lies in the week its ISO week key names (Monday to Sunday)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const date = new Date(ms).toISOString().slice(0, 10);
        const monday = isoWeekMonday(isoWeekKeyOf(date));
        const days = (Date.parse(date) - Date.parse(monday)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(0);
        expect(days).toBeLessThan(7);
      }),
    );
  });

  it('names a custom range by its range key, and refuses a backwards or too long range before asking', () => {
    expect(periodKeyOf({ kind: 'range', from: '2026-11-01', to: '2026-11-15' })).toBe('r-20261101-20261115');
    expect(rangeProblem('2026-11-15', '2026-11-01')).toMatch(/before the first day/);
    expect(rangeProblem('2026-01-01', '2027-01-02')).toMatch(/at most 366 days/);
    expect(rangeProblem('2026-01-01', '2027-01-01')).toBeNull();
  });
});
