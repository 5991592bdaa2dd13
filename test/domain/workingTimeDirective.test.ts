import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, datesFromTo, isoWeekday } from '../../domain/localDate';
import { checkWorkingTimeDirective, validateWorkingTimeRules } from '../../domain/workingTimeDirective';
import type { Worklog } from '../../domain/worklog';

const H = 3600;
const ZONE = 'Europe/Brussels';
let id = 0;
const at = (date: string, time: string, seconds: number): Worklog => ({ id: String(++id), authorId: 'a', started: Date.parse(`${date}T${time}:00+01:00`), seconds });
const check = (worklogs: Worklog[], firstDate: string, lastDate: string, rules = {}) => checkWorkingTimeDirective(worklogs, ZONE, { firstDate, lastDate, rules }).findings;

describe('working-time directive: known answers', () => {
  it('a late shift ending 23:00 followed by a 07:00 start leaves 8 h of rest: a daily-rest finding', () => {
    const findings = check([at('2026-11-23', '15:00', 8 * H), at('2026-11-24', '07:00', 8 * H)], '2026-11-23', '2026-11-29');
    const daily = findings.filter((f) => f.rule === 'daily-rest');
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ date: '2026-11-23', measuredSeconds: 8 * H, requiredSeconds: 11 * H });
    expect(daily[0]!.message).toBe('In the 24 hours from 2026-11-23 15:00, the longest rest was 8 h (2026-11-23 23:00 to 2026-11-24 07:00); at least 11 h in a row are required.');
  });

  it('a 9-to-5 week has no findings', () => {
    const week = datesFromTo('2026-11-23', '2026-11-27').map((d) => at(d, '09:00', 8 * H));
    expect(check(week, '2026-11-23', '2026-11-29')).toEqual([]);
  });

  it('seven days straight leave no 35 h rest: a weekly-rest finding with the longest rest measured', () => {
    const week = datesFromTo('2026-11-23', '2026-11-29').map((d) => at(d, '09:00', 8 * H));
    const weekly = check(week, '2026-11-23', '2026-11-29').filter((f) => f.rule === 'weekly-rest');
    expect(weekly).toEqual([expect.objectContaining({ date: '2026-11-23', requiredSeconds: 35 * H, measuredSeconds: 16 * H })]);
  });

  it('a 14 h day breaks the daily rest even when a long rest follows', () => {
    const findings = check([at('2026-11-24', '07:00', 14 * H)], '2026-11-23', '2026-11-29');
    expect(findings.filter((f) => f.rule === 'daily-rest').map((f) => f.measuredSeconds)).toEqual([10 * H]);
  });

  it('17 weeks averaging 50 h break the 48 h average; 47 h do not', () => {
    const weeks = (hoursPerDay: number) =>
      datesFromTo('2026-06-01', addDays('2026-06-01', 17 * 7 - 1))
        .filter((d) => isoWeekday(d) <= 5)
        .map((d) => at(d, '07:00', hoursPerDay * H));
    const last = addDays('2026-06-01', 17 * 7 - 1);
    const fifty = check(weeks(10), '2026-06-01', last).filter((f) => f.rule === 'average-week');
    expect(fifty).toEqual([expect.objectContaining({ measuredSeconds: 50 * H, requiredSeconds: 48 * H, date: last })]);
    expect(fifty[0]!.message).toBe(`Over the 17 weeks from 2026-06-01 to ${last}, the average week was 50 h; the maximum is 48 h.`);
    expect(check(weeks(9.4), '2026-06-01', last).filter((f) => f.rule === 'average-week')).toEqual([]);
  });

  it('the rules are configurable and checked', () => {
    expect(validateWorkingTimeRules({ referencePeriodWeeks: 4 }).referencePeriodWeeks).toBe(4);
    expect(() => validateWorkingTimeRules({ referencePeriodWeeks: 0 })).toThrow(/referencePeriodWeeks must be a whole number of weeks from 1 to 52; got 0/);
    expect(() => validateWorkingTimeRules({ weeklyRestPeriodDays: 10 })).toThrow(/weeklyRestPeriodDays must be 7 or 14/);
  });
});

describe('working-time directive: laws', () => {
  const blocksArb = fc.array(fc.record({ startMinute: fc.integer({ min: 0, max: 13 * 24 * 60 }), seconds: fc.integer({ min: 60, max: 16 * H }) }), { maxLength: 20 }).map((xs) =>
    xs.map((x, i): Worklog => ({ id: String(i + 1), authorId: 'a', started: Date.parse('2026-03-23T00:00:00Z') + x.startMinute * 60_000, seconds: x.seconds })),
  );

  it('a rest finding always measured less than it required', () => {
    fc.assert(
      fc.property(blocksArb, (worklogs) => {
        for (const f of checkWorkingTimeDirective(worklogs, ZONE, { firstDate: '2026-03-23', lastDate: '2026-04-05' }).findings) {
          if (f.rule === 'average-week') expect(f.measuredSeconds).toBeGreaterThan(f.requiredSeconds);
          else expect(f.measuredSeconds).toBeLessThan(f.requiredSeconds);
        }
      }),
    );
  });

  it('work blocks of at most 13 h separated by at least 11 h of rest never break the daily rest', () => {
    const spacedArb = fc.array(fc.tuple(fc.integer({ min: 60, max: 13 * H }), fc.integer({ min: 11 * H, max: 40 * H })), { maxLength: 15 }).map((xs) => {
      let t = Date.parse('2026-03-23T06:00:00Z');
      return xs.map(([work, rest], i): Worklog => {
        const w = { id: String(i + 1), authorId: 'a', started: t, seconds: work };
        t += (work + rest) * 1000;
        return w;
      });
    });
    fc.assert(
      fc.property(spacedArb, (worklogs) => {
        const findings = checkWorkingTimeDirective(worklogs, ZONE, { firstDate: '2026-03-20', lastDate: '2026-04-30' }).findings;
        expect(findings.filter((f) => f.rule === 'daily-rest')).toEqual([]);
      }),
    );
  });

  it('shifting every worklog by whole weeks shifts the daily-rest findings with it', () => {
    fc.assert(
      fc.property(blocksArb, (worklogs) => {
        const week = 7 * 86_400_000;
        const base = checkWorkingTimeDirective(worklogs, 'UTC', { firstDate: '2026-03-16', lastDate: '2026-04-12' }).findings.filter((f) => f.rule === 'daily-rest');
        const moved = checkWorkingTimeDirective(worklogs.map((w) => ({ ...w, started: w.started + week })), 'UTC', { firstDate: '2026-03-23', lastDate: '2026-04-19' }).findings.filter((f) => f.rule === 'daily-rest');
        expect(moved.map((f) => [f.fromMs - week, f.toMs - week, f.measuredSeconds])).toEqual(base.map((f) => [f.fromMs, f.toMs, f.measuredSeconds]));
      }),
    );
  });
});
