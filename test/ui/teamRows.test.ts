import { describe, expect, it } from 'vitest';
import type { PeriodReport } from '../../ui/src/client/answers';
import { ResolverError } from '../../ui/src/client/resolverClient';
import { failedToLoad, filterRows, needsAttention, rowFigures, sortRows, type TeamRow } from '../../ui/src/views/team/teamRows';

const row = (over: Partial<TeamRow>): TeamRow => ({ accountId: 'a', label: 'A', report: null, figures: null, status: null, error: null, missingDays: [], shortDays: [], ...over });

it('a report that could not be loaded is a failure, not a person with missing or short days', () => {
  const failed = row({ accountId: 'f', error: new ResolverError('RATE_LIMITED', 'try again', 'report/person') });
  const missing = row({ accountId: 'm', missingDays: ['2026-05-04'] });
  const short = row({ accountId: 's', shortDays: ['2026-05-05'] });
  const fine = row({ accountId: 'ok' });
  expect([failed, missing, short, fine].map(needsAttention)).toEqual([false, true, true, false]);
  expect([failed, missing, short, fine].map(failedToLoad)).toEqual([true, false, false, false]);
  expect(filterRows([failed, missing, short, fine], { text: '', attentionOnly: true, status: 'any' }).map((r) => r.accountId)).toEqual(['m', 's']);
});

describe('what a row shows for a period', () => {
  const day = (date: string, worked: number, expected: number) => ({ date, weekday: 1, timeZone: 'Europe/Brussels', workedSeconds: worked, expectedSeconds: expected, holiday: null, otherHolidays: [], holidaySeconds: 0, absences: [], absenceSeconds: 0, deltaSeconds: worked - expected });
  const report = (days: ReturnType<typeof day>[]) =>
    ({
      personId: 'p',
      period: { kind: 'month', key: '2026-12', firstDate: days[0]!.date, lastDate: days[days.length - 1]!.date, label: 'December 2026' },
      days,
      totals: { workedSeconds: days.reduce((s, d) => s + d.workedSeconds, 0), expectedSeconds: days.reduce((s, d) => s + d.expectedSeconds, 0), holidaySeconds: 0, absenceSeconds: 0, deltaSeconds: days.reduce((s, d) => s + d.deltaSeconds, 0), overtimeSeconds: 0, shortfallSeconds: 0, creditedSeconds: 0, openingBalanceSeconds: 0, closingBalanceSeconds: 0 },
      notices: [],
    }) as PeriodReport;
  const H = 3600;
  const december = report([day('2026-12-01', 8 * H, 8 * H), day('2026-12-02', 7 * H, 8 * H), day('2026-12-03', 0, 8 * H), day('2026-12-04', 0, 8 * H)]);

  it('while the period runs: the days through the person’s today, not the whole period’s expected time', () => {
    expect(rowFigures(december, '2026-12-02')).toEqual({ workedSeconds: 15 * H, expectedSeconds: 16 * H, deltaSeconds: -H, through: '2026-12-02' });
  });
  it('once it has ended: the whole period', () => {
    expect(rowFigures(december, '2027-01-05')).toEqual({ workedSeconds: 15 * H, expectedSeconds: 32 * H, deltaSeconds: -17 * H, through: null });
  });
  it('before it starts: nothing yet', () => {
    expect(rowFigures(december, '2026-11-30')).toEqual({ workedSeconds: 0, expectedSeconds: 0, deltaSeconds: 0, through: '2026-11-30' });
  });
  it('sorts by the difference it shows', () => {
    const a = row({ accountId: 'a', label: 'A', figures: { workedSeconds: 0, expectedSeconds: 0, deltaSeconds: -2 * H, through: '2026-12-02' } });
    const b = row({ accountId: 'b', label: 'B', figures: { workedSeconds: 0, expectedSeconds: 0, deltaSeconds: H, through: '2026-12-02' } });
    expect(sortRows([a, b], { key: 'delta', direction: 'descending' }).map((r) => r.accountId)).toEqual(['b', 'a']);
  });
});
