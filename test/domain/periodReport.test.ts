import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Absence } from '../../domain/absence';
import { validateContract, type Contract } from '../../domain/contract';
import type { HolidayCalendar } from '../../domain/holidays';
import { fromEpochDay, MS_PER_DAY } from '../../domain/localDate';
import { monthPeriod, rangePeriod } from '../../domain/period';
import { computePeriodReport, type PeriodReportInput } from '../../domain/periodReport';
import type { Worklog } from '../../domain/worklog';
import { zoneOverrideScenarioArb } from '../arbitraries/contracts';
import { worklogsArb } from '../arbitraries/worklogs';
import { zoneArb } from '../arbitraries/zones';

const H = 3600;
const weekdays8h = { kind: 'weekdays', secondsByWeekday: [8 * H, 8 * H, 8 * H, 8 * H, 8 * H, 0, 0] };
const contract = (over: Record<string, unknown>): Contract =>
  validateContract({ id: 'c', personId: 'a1', firstDate: '2026-01-01', lastDate: null, schedule: weekdays8h, partTimeFactor: '1', holidayCalendarId: 'BE', timeZone: null, ...over });

const BE: HolidayCalendar = {
  id: 'BE',
  country: 'BE',
  region: null,
  holidays: [
    { date: '2026-12-06', name: 'Saint Nicholas', type: 'observance', fraction: 1, regions: null },
    { date: '2026-12-24', name: 'Christmas Eve (afternoon)', type: 'public', fraction: 0.5, regions: null },
    { date: '2026-12-25', name: 'Christmas Day', type: 'public', fraction: 1, regions: null },
    { date: '2026-12-26', name: 'Boxing Day', type: 'bank', fraction: 1, regions: null },
  ],
};

const wl = (id: string, started: string, seconds: number): Worklog => ({ id, authorId: 'a1', started: Date.parse(started), seconds });

function input(over: Partial<PeriodReportInput>): PeriodReportInput {
  return {
    person: { id: 'a1', timeZone: 'Europe/Brussels' },
    siteTimeZone: 'UTC',
    period: monthPeriod(2026, 12),
    worklogs: [],
    contracts: [contract({})],
    holidayCalendars: [BE],
    absences: [],
    openingBalanceSeconds: 0,
    dayPolicy: 'start-day',
    ...over,
  };
}

describe('period report: known answers', () => {
  it('an 80 % part-timer with a half-day holiday on 24 December', () => {
    const report = computePeriodReport(input({ contracts: [contract({ partTimeFactor: '0.8' })], worklogs: [wl('1', '2026-12-24T07:00:00Z', 4 * H)] }));
    const eve = report.days.find((d) => d.date === '2026-12-24')!;
    expect(eve).toMatchObject({ contractSeconds: 23_040, holidaySeconds: 11_520, expectedSeconds: 11_520, workedSeconds: 4 * H, deltaSeconds: 2_880 });
    expect(eve.holiday).toEqual({ name: 'Christmas Eve (afternoon)', type: 'public', fraction: 0.5 });
    const christmas = report.days.find((d) => d.date === '2026-12-25')!;
    expect(christmas).toMatchObject({ contractSeconds: 23_040, holidaySeconds: 23_040, expectedSeconds: 0 });
    // 23 working days × 6.4 h, less 3.2 h and 6.4 h of holidays.
    expect(report.totals).toMatchObject({ contractSeconds: 23 * 23_040, holidaySeconds: 34_560, expectedSeconds: 23 * 23_040 - 34_560 });
  });

  it('a half-day holiday on an odd number of seconds removes half rounded down: the spare second stays expected', () => {
    // 8 h 0 min 1 s on Thursdays; half of 28,801 s is 14,400.5 s.
    const odd = contract({ schedule: { kind: 'weekdays', secondsByWeekday: [0, 0, 0, 8 * H + 1, 0, 0, 0] } });
    const report = computePeriodReport(input({ contracts: [odd], period: rangePeriod('2026-12-24', '2026-12-24') }));
    expect(report.days[0]).toMatchObject({ contractSeconds: 28_801, holidaySeconds: 14_400, expectedSeconds: 14_401 });
  });

  it('observances are shown but never reduce expected time, and uncounted types neither', () => {
    const report = computePeriodReport(input({}));
    expect(report.days.find((d) => d.date === '2026-12-06')).toMatchObject({ holiday: null, otherHolidays: ['Saint Nicholas (observance)'] });
    // Boxing Day is a bank holiday: not counted by default, but counted when the site says so.
    expect(report.days.find((d) => d.date === '2026-12-26')!.holidaySeconds).toBe(0);
    const counted = computePeriodReport(input({ countedHolidayTypes: ['public', 'bank'], period: rangePeriod('2026-12-26', '2026-12-26'), contracts: [contract({ schedule: { kind: 'weekdays', secondsByWeekday: [1, 1, 1, 1, 1, 8 * H, 0] } })] }));
    expect(counted.days[0]).toMatchObject({ holidaySeconds: 8 * H, expectedSeconds: 0 });
  });

  it('a contract change on the 15th splits the period at the change', () => {
    const contracts = [contract({ id: 'full', lastDate: '2026-11-14' }), contract({ id: 'part', firstDate: '2026-11-15', partTimeFactor: '0.5' })];
    const report = computePeriodReport(input({ period: monthPeriod(2026, 11), contracts }));
    expect(report.segments).toEqual([
      { contractId: 'full', firstDate: '2026-11-01', lastDate: '2026-11-14', workedSeconds: 0, expectedSeconds: 10 * 8 * H },
      { contractId: 'part', firstDate: '2026-11-15', lastDate: '2026-11-30', workedSeconds: 0, expectedSeconds: 11 * 4 * H },
    ]);
    expect(report.totals.expectedSeconds).toBe(10 * 8 * H + 11 * 4 * H);
  });

  it('absences credit what remains after holidays, never more', () => {
    const absences: Absence[] = [
      { id: 'v', personId: 'a1', type: 'vacation', firstDate: '2026-12-24', lastDate: '2026-12-27', portion: { kind: 'whole' } },
      { id: 's', personId: 'a1', type: 'sick', firstDate: '2026-12-02', lastDate: '2026-12-02', portion: { kind: 'half' } },
      { id: 'd', personId: 'a1', type: 'other', firstDate: '2026-12-03', lastDate: '2026-12-03', portion: { kind: 'seconds', seconds: 2 * H } },
    ];
    const report = computePeriodReport(input({ absences }));
    const day = (d: string) => report.days.find((x) => x.date === d)!;
    expect(day('2026-12-24')).toMatchObject({ holidaySeconds: 4 * H, absenceSeconds: 4 * H, expectedSeconds: 0 });
    expect(day('2026-12-25')).toMatchObject({ holidaySeconds: 8 * H, absenceSeconds: 0 });
    expect(day('2026-12-26')).toMatchObject({ absenceSeconds: 0 }); // a Saturday
    expect(day('2026-12-02')).toMatchObject({ absenceSeconds: 4 * H, expectedSeconds: 4 * H, absences: [{ id: 's', type: 'sick', seconds: 4 * H }] });
    expect(day('2026-12-03')).toMatchObject({ absenceSeconds: 2 * H, expectedSeconds: 6 * H });
    expect(report.totals.absenceSecondsByType).toEqual({ sick: 4 * H, vacation: 4 * H, training: 0, other: 2 * H });
  });

  it('a worklog late in the evening counts on the local day, not the UTC day', () => {
    // 23:30 in Brussels on 30 November is 22:30 UTC; the period is December: it must not count.
    const report = computePeriodReport(input({ worklogs: [wl('1', '2026-11-30T22:30:00Z', H), wl('2', '2026-11-30T23:30:00Z', H)] }));
    expect(report.totals.workedSeconds).toBe(H);
    expect(report.days[0]).toMatchObject({ date: '2026-12-01', workedSeconds: H });
  });

  it('a contract zone override moves the day boundary for the days it covers', () => {
    const report = computePeriodReport(
      input({
        contracts: [contract({ timeZone: 'Australia/Sydney' })],
        worklogs: [wl('1', '2026-12-01T14:00:00Z', H)], // 15:00 in Brussels, 01:00 on 2 Dec in Sydney
      }),
    );
    expect(report.days.find((d) => d.date === '2026-12-02')!.workedSeconds).toBe(H);
    expect(report.days.find((d) => d.date === '2026-12-02')!.timeZone).toBe('Australia/Sydney');
  });

  it('worked time follows the zone in force at each instant: a Tokyo contract from 11 March takes effect at Brussels midnight', () => {
    const contracts = [contract({ id: 'be', lastDate: '2026-03-10' }), contract({ id: 'jp', firstDate: '2026-03-11', timeZone: 'Asia/Tokyo' })];
    const period = rangePeriod('2026-03-10', '2026-03-12');
    const worklogs = [wl('1', '2026-03-10T22:00:00Z', 24 * H)];
    const split = computePeriodReport(input({ period, contracts, worklogs, dayPolicy: 'split' }));
    expect(split.days.map((d) => [d.date, d.timeZone, d.workedSeconds])).toEqual([
      ['2026-03-10', 'Europe/Brussels', H],
      ['2026-03-11', 'Asia/Tokyo', 16 * H],
      ['2026-03-12', 'Asia/Tokyo', 7 * H],
    ]);
    const startDay = computePeriodReport(input({ period, contracts, worklogs, dayPolicy: 'start-day' }));
    expect(startDay.days.map((d) => d.workedSeconds)).toEqual([24 * H, 0, 0]);
  });

  it('says when the site zone stood in for a missing one, and which dates had no contract', () => {
    const report = computePeriodReport(input({ person: { id: 'a1', timeZone: null }, siteTimeZone: 'Asia/Kathmandu', contracts: [contract({ firstDate: '2026-12-10' })] }));
    expect(report.notices.map((n) => n.kind)).toEqual(['zone-defaulted', 'no-contract']);
    expect(report.notices[1]).toMatchObject({ dates: expect.arrayContaining(['2026-12-01', '2026-12-09']) });
    expect(report.days[0]!.timeZone).toBe('Asia/Kathmandu');
  });

  it('the closing balance is the opening balance plus the credit', () => {
    const report = computePeriodReport(input({ period: rangePeriod('2026-12-01', '2026-12-01'), openingBalanceSeconds: 5 * H, worklogs: [wl('1', '2026-12-01T07:00:00Z', 10 * H)] }));
    expect(report.totals).toMatchObject({ deltaSeconds: 2 * H, overtimeSeconds: 2 * H, shortfallSeconds: 0, creditedSeconds: 2 * H, closingBalanceSeconds: 7 * H });
  });
});

describe('period report: laws', () => {
  const reportArb = fc.record({
    worklogs: worklogsArb(['a1'], 30),
    zone: zoneArb,
    policy: fc.constantFrom('start-day' as const, 'split' as const),
    factor: fc.constantFrom('1', '0.8', '0.5', '0.33'),
    month: fc.integer({ min: 1, max: 12 }),
    year: fc.integer({ min: 2016, max: 2029 }),
    opening: fc.integer({ min: -100 * H, max: 100 * H }),
  });

  it('totals are exactly the sums of the day rows, and each row adds up', () => {
    fc.assert(
      fc.property(reportArb, ({ worklogs, zone, policy, factor, month, year, opening }) => {
        const report = computePeriodReport(
          input({ person: { id: 'a1', timeZone: zone }, worklogs, dayPolicy: policy, contracts: [contract({ partTimeFactor: factor, firstDate: '2010-01-01' })], period: monthPeriod(year, month), openingBalanceSeconds: opening }),
        );
        const sum = (f: (d: (typeof report.days)[number]) => number) => report.days.reduce((s, d) => s + f(d), 0);
        const t = report.totals;
        expect(t.workedSeconds).toBe(sum((d) => d.workedSeconds));
        expect(t.expectedSeconds).toBe(sum((d) => d.expectedSeconds));
        expect(t.deltaSeconds).toBe(sum((d) => d.deltaSeconds));
        expect(t.overtimeSeconds - t.shortfallSeconds).toBe(t.deltaSeconds);
        expect(t.closingBalanceSeconds).toBe(opening + t.creditedSeconds);
        for (const d of report.days) {
          expect(d.expectedSeconds).toBe(d.contractSeconds - d.holidaySeconds - d.absenceSeconds);
          expect(d.expectedSeconds).toBeGreaterThanOrEqual(0);
        }
        expect(report.segments.reduce((s, g) => s + g.expectedSeconds, 0)).toBe(t.expectedSeconds);
      }),
      { numRuns: 150 },
    );
  });

  it('worked time is conserved: a period covering all worklogs reports all their seconds', () => {
    const in2016 = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 1e9 }).map(String),
        authorId: fc.constant('a1'),
        started: fc.integer({ min: Date.parse('2016-01-01') / 1000, max: Date.parse('2016-12-30') / 1000 }).map((s) => s * 1000),
        seconds: fc.integer({ min: 0, max: 30 * H }),
      }),
      { selector: (w) => w.id, maxLength: 20 },
    );
    fc.assert(
      fc.property(in2016, zoneArb, fc.constantFrom('start-day' as const, 'split' as const), (worklogs, zone, policy) => {
        const report = computePeriodReport(input({ person: { id: 'a1', timeZone: zone }, worklogs, dayPolicy: policy, period: rangePeriod('2015-12-31', '2017-01-02') }));
        expect(report.totals.workedSeconds).toBe(worklogs.reduce((s, w) => s + w.seconds, 0));
      }),
      { numRuns: 100 },
    );
  });

  it('with zone overrides coming and going, a period around all worklogs reports all their seconds, under both policies', () => {
    fc.assert(
      fc.property(zoneOverrideScenarioArb(), fc.constantFrom('start-day' as const, 'split' as const), ({ personZone, contracts, worklogs }, policy) => {
        fc.pre(worklogs.length > 0);
        // From two days before the first start to two days after the last end (UTC dates): every local date they touch.
        const first = fromEpochDay(Math.floor(Math.min(...worklogs.map((w) => w.started)) / MS_PER_DAY) - 2);
        const last = fromEpochDay(Math.floor(Math.max(...worklogs.map((w) => w.started + w.seconds * 1000)) / MS_PER_DAY) + 2);
        const report = computePeriodReport(
          input({ person: { id: 'p', timeZone: personZone }, contracts, worklogs, dayPolicy: policy, holidayCalendars: [], period: rangePeriod(first, last) }),
        );
        expect(report.totals.workedSeconds).toBe(worklogs.reduce((s, w) => s + w.seconds, 0));
      }),
      { numRuns: 100 },
    );
  });
});
