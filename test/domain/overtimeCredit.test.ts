import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown';
import { creditForPeriod, validateOvertimeMultipliers, type DayWork, type OvertimeMultiplier } from '../../domain/overtimeCredit';
import { addDays, isoWeekday, type IsoWeekday } from '../../domain/localDate';

const H = 3600;
/** Days from Monday 23 November 2026, 8 h expected Monday to Friday. */
const week = (hours: number[], expected = 8 * H): DayWork[] => hours.map((h, i) => ({ date: addDays('2026-11-23', i), workedSeconds: h * H, expectedSeconds: i < 5 ? expected : 0 }));
const rules = (overtime: OvertimeMultiplier[]) => ({ overtime });

describe('overtime credit: known answers', () => {
  it('×1.5 above 10 h a day: a 12 h day earns 1 h extra', () => {
    const credit = creditForPeriod(week([12, 8, 8, 8, 8, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }]), 1);
    expect(credit).toMatchObject({ deltaSeconds: 4 * H, bonusSeconds: 1 * H, creditedSeconds: 5 * H });
    expect(credit.breakdown).toEqual([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5', seconds: 2 * H, extraSeconds: '3600' }]);
  });

  it('brackets: ×1.25 above 8 h and ×1.5 above 10 h make a 12 h day worth 1.5 h extra', () => {
    // Given out of order on purpose: the breakdown lists brackets by threshold.
    const credit = creditForPeriod(week([12, 8, 8, 8, 8, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }, { per: 'day', aboveSeconds: 8 * H, factor: '1.25' }]), 1);
    expect(credit.bonusSeconds).toBe(1.5 * H);
    expect(credit.breakdown.map((b) => [b.aboveSeconds, b.seconds, b.extraSeconds])).toEqual([
      [8 * H, 2 * H, '1800'],
      [10 * H, 2 * H, '3600'],
    ]);
  });

  it('weekly ×1.25 above 40 h: five 9 h days earn 1.25 h', () => {
    expect(creditForPeriod(week([9, 9, 9, 9, 9, 0, 0]), rules([{ per: 'week', aboveSeconds: 40 * H, factor: '1.25' }]), 1).bonusSeconds).toBe(1.25 * H);
  });

  it('daily first, then weekly on the rest: no second earns two premiums', () => {
    // 12 + 4×9 = 48 h. Daily: 2 h above 10 h → 1 h. Weekly on the other 46 h: 6 h above 40 → 1.5 h.
    const credit = creditForPeriod(week([12, 9, 9, 9, 9, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }, { per: 'week', aboveSeconds: 40 * H, factor: '1.25' }]), 1);
    expect(credit.bonusSeconds).toBe(2.5 * H);
    expect(credit.weeks).toEqual([{ firstDate: '2026-11-23', lastDate: '2026-11-29', workedSeconds: 48 * H, countedSeconds: 46 * H }]);
    expect(credit.breakdown.map((b) => [b.per, b.seconds, b.extraSeconds])).toEqual([
      ['day', 2 * H, '3600'],
      ['week', 6 * H, '5400'],
    ]);
  });

  it('weeks are cut at the configured first weekday', () => {
    const days = week([9, 9, 9, 9, 9, 9, 9]);
    const mondayWeeks = creditForPeriod(days, rules([{ per: 'week', aboveSeconds: 40 * H, factor: '2' }]), 1);
    const thursdayWeeks = creditForPeriod(days, rules([{ per: 'week', aboveSeconds: 40 * H, factor: '2' }]), 4);
    expect(mondayWeeks.bonusSeconds).toBe(23 * H); // one week of 63 h
    expect(thursdayWeeks.bonusSeconds).toBe(0); // Mon–Wed (27 h) and Thu–Sun (36 h)
    expect(thursdayWeeks.weeks.map((w) => [w.firstDate, w.lastDate, w.workedSeconds])).toEqual([
      ['2026-11-23', '2026-11-25', 27 * H],
      ['2026-11-26', '2026-11-29', 36 * H],
    ]);
  });

  it('week lines: a period starting mid-week counts only its own days of that week', () => {
    // Wednesday 25 November to Tuesday 1 December 2026, Monday weeks.
    const days = ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'].map((date, i) => ({
      date,
      workedSeconds: [12, 9, 9, 0, 0, 11, 9][i]! * H,
      expectedSeconds: 8 * H,
    }));
    const credit = creditForPeriod(days, rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }, { per: 'week', aboveSeconds: 20 * H, factor: '1.25' }]), 1);
    expect(credit.weeks).toEqual([
      // 12 + 9 + 9 = 30 h worked; 2 h of it above the daily 10 h, so 28 h count for the week.
      { firstDate: '2026-11-25', lastDate: '2026-11-29', workedSeconds: 30 * H, countedSeconds: 28 * H },
      // 11 + 9 = 20 h worked; 1 h above the daily 10 h, so 19 h count.
      { firstDate: '2026-11-30', lastDate: '2026-12-01', workedSeconds: 20 * H, countedSeconds: 19 * H },
    ]);
    // Daily: 3 h × 0.5 = 1.5 h. Weekly: 8 h above 20 h in the first week × 0.25 = 2 h, none in the second.
    expect(credit).toMatchObject({ deltaSeconds: -6 * H, bonusSeconds: 3.5 * H, creditedSeconds: -2.5 * H });
  });

  it('the bonus is rounded once per period, half up, not day by day', () => {
    // Three days of 8 h 0 min 1 s with ×1.5 above 8 h: 0.5 s extra each, 1.5 s in all, 2 s once rounded (day by day it would be 3 s).
    const days = [0, 1, 2].map((i) => ({ date: addDays('2026-11-23', i), workedSeconds: 8 * H + 1, expectedSeconds: 8 * H }));
    const credit = creditForPeriod(days, rules([{ per: 'day', aboveSeconds: 8 * H, factor: '1.5' }]), 1);
    expect(credit.breakdown[0]).toMatchObject({ seconds: 3, extraSeconds: '1.5' });
    expect(credit).toMatchObject({ deltaSeconds: 3, bonusSeconds: 2, creditedSeconds: 5 });
  });

  it('a ×1 daily threshold pays nothing but still keeps its seconds out of the weekly count', () => {
    const credit = creditForPeriod(week([12, 9, 9, 9, 9, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1' }, { per: 'week', aboveSeconds: 40 * H, factor: '1.25' }]), 1);
    expect(credit.weeks[0]!.countedSeconds).toBe(46 * H);
    expect(credit.bonusSeconds).toBe(1.5 * H);
  });

  it.each<[unknown, string, string]>([
    [
      [
        { per: 'day', aboveSeconds: 36000, factor: '1.5' },
        { per: 'week', aboveSeconds: 36000, factor: '2' },
        { per: 'day', aboveSeconds: 36000, factor: '2' },
      ],
      'overtime[2].aboveSeconds',
      'overtime[2].aboveSeconds repeats the day threshold of overtime[0]; one threshold takes one factor, so remove one of them; got 36000',
    ],
    [[{ per: 'day', aboveSeconds: 36000, factor: '1.5', above: 1 }], 'overtime[0].above', 'overtime[0].above is not a multiplier setting (use per, aboveSeconds, factor); got 1'],
    [[{ per: 'month', aboveSeconds: 36000, factor: '1.5' }], 'overtime[0].per', 'overtime[0].per must be "day" or "week"; got "month"'],
    [[{ per: 'day', aboveSeconds: 90000, factor: '1.5' }], 'overtime[0].aboveSeconds', 'overtime[0].aboveSeconds must be whole seconds from 0 to 86400 (a day)'],
    [[{ per: 'day', aboveSeconds: 36000, factor: 1.5 }], 'overtime[0].factor', 'overtime[0].factor must be a decimal string between "1" and "10"'],
    [[{ per: 'day', aboveSeconds: 36000, factor: '1e1' }], 'overtime[0].factor', 'got "1e1"'],
    [[{ per: 'day', aboveSeconds: 36000, factor: '1.3333333' }], 'overtime[0].factor', 'with at most 6 decimals'],
    [{ per: 'day' }, 'overtime', 'overtime must be a list of multipliers'],
    [Array.from({ length: 11 }, (_, i) => ({ per: 'day', aboveSeconds: 3600 * (i + 1), factor: '1.5' })), 'overtime', 'overtime has at most 10 multipliers'],
  ])('refuses multipliers %j', (input, field, message) => {
    const error = thrown(() => validateOvertimeMultipliers(input));
    expect(error.code).toBe('INVALID_POLICY');
    expect(error.message).toContain(message);
    expect(error.details.field).toBe(field);
  });

  it('writes factors canonically and accepts the same threshold per day and per week', () => {
    expect(validateOvertimeMultipliers([{ per: 'day', aboveSeconds: 36000, factor: '1.50' }, { per: 'week', aboveSeconds: 36000, factor: '2.000000' }])).toEqual([
      { per: 'day', aboveSeconds: 36000, factor: '1.5' },
      { per: 'week', aboveSeconds: 36000, factor: '2' },
    ]);
  });

  it.each<[unknown[], string, string]>([
    [[{ date: '2026-11-23', workedSeconds: 1, expectedSeconds: 0 }, { date: '2026-11-23', workedSeconds: 2, expectedSeconds: 0 }], 'date', 'day row 2 (days[1]): date repeats day row 1'],
    [[{ date: '2026-11-31', workedSeconds: 1, expectedSeconds: 0 }], 'date', 'day row 1 (days[0]): date must be a calendar date written YYYY-MM-DD; got "2026-11-31"'],
    [[{ date: '2026-11-23', workedSeconds: -1, expectedSeconds: 0 }], 'workedSeconds', 'day row 1 (days[0]): workedSeconds must be whole seconds, 0 or more; got -1'],
    [[{ date: '2026-11-23', workedSeconds: 1, expectedSeconds: 0.5 }], 'expectedSeconds', 'expectedSeconds must be whole seconds, 0 or more; got 0.5'],
  ])('refuses day rows, naming the row and field (%#)', (days, field, message) => {
    const error = thrown(() => creditForPeriod(days as DayWork[], rules([]), 1));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(message);
    expect(error.details.field).toBe(field);
  });

  it('refuses a week start that is not a weekday', () => {
    expect(() => creditForPeriod(week([8]), rules([]), 0 as IsoWeekday)).toThrow('weekStart must be 1 (Monday) to 7 (Sunday); got 0');
  });
});

describe('overtime credit: laws', () => {
  const daysArb = fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 16 * H }), fc.integer({ min: 0, max: 8 * H })), { minLength: 1, maxLength: 31 }))
    .map(([offset, xs]) => xs.map(([worked, expected], i): DayWork => ({ date: addDays('2026-10-01', offset + i), workedSeconds: worked, expectedSeconds: expected })));
  const factorArb = fc.constantFrom('1', '1.1', '1.25', '1.5', '1.333333', '2', '3.75');
  // Thresholds are distinct per kind (a repeated one is refused); days up to 24 h, weeks up to 60 h.
  const multipliersArb = fc
    .tuple(
      fc.uniqueArray(fc.record({ aboveSeconds: fc.integer({ min: 0, max: 24 * H }), factor: factorArb }), { selector: (m) => m.aboveSeconds, maxLength: 3 }),
      fc.uniqueArray(fc.record({ aboveSeconds: fc.integer({ min: 0, max: 60 * H }), factor: factorArb }), { selector: (m) => m.aboveSeconds, maxLength: 3 }),
    )
    .chain(([daily, weekly]) =>
      fc.shuffledSubarray(
        [...daily.map((m) => ({ per: 'day' as const, ...m })), ...weekly.map((m) => ({ per: 'week' as const, ...m }))],
        { minLength: daily.length + weekly.length },
      ),
    );
  const weekStartArb = fc.integer({ min: 1, max: 7 }).map((n) => n as IsoWeekday);

  /**
   * The bonus computed another way, as marginal rates: a bracket above `a` at factor f adds (f − f_below) for
   * every second above `a`, where f_below is the factor of the bracket under it (1 under the lowest). Weeks
   * are grouped by counting back to the week start, and see each day's time up to the lowest daily threshold.
   */
  function referenceBonus(days: readonly DayWork[], ms: readonly OvertimeMultiplier[], weekStart: IsoWeekday): number {
    const marginal = (worked: number, tiers: readonly OvertimeMultiplier[]) => {
      let total = new Decimal(0);
      let below = new Decimal(1);
      for (const t of [...tiers].sort((a, b) => a.aboveSeconds - b.aboveSeconds)) {
        total = total.plus(new Decimal(t.factor).minus(below).times(Math.max(0, worked - t.aboveSeconds)));
        below = new Decimal(t.factor);
      }
      return total;
    };
    const daily = ms.filter((m) => m.per === 'day');
    const weekly = ms.filter((m) => m.per === 'week');
    const lowestDaily = Math.min(...daily.map((m) => m.aboveSeconds));
    const weeks = new Map<string, number>();
    let exact = new Decimal(0);
    for (const d of days) {
      exact = exact.plus(marginal(d.workedSeconds, daily));
      const start = addDays(d.date, -((isoWeekday(d.date) - weekStart + 7) % 7));
      weeks.set(start, (weeks.get(start) ?? 0) + Math.min(d.workedSeconds, lowestDaily));
    }
    for (const counted of weeks.values()) exact = exact.plus(marginal(counted, weekly));
    return exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  }

  it('credited = delta + bonus, the bonus is never negative, and it matches the marginal-rate reference', () => {
    let withBonus = 0;
    fc.assert(
      fc.property(daysArb, multipliersArb, weekStartArb, (days, ms, start) => {
        const c = creditForPeriod(days, rules(ms), start);
        expect(c.creditedSeconds).toBe(c.deltaSeconds + c.bonusSeconds);
        expect(c.bonusSeconds).toBeGreaterThanOrEqual(0);
        expect(c.deltaSeconds).toBe(days.reduce((s, d) => s + d.workedSeconds - d.expectedSeconds, 0));
        expect(c.bonusSeconds).toBe(referenceBonus(days, ms, start));
        expect(c.bonusSeconds).toBe(
          c.breakdown
            .reduce((s, b) => s.plus(b.extraSeconds), new Decimal(0))
            .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
            .toNumber(),
        );
        withBonus += c.bonusSeconds > 0 ? 1 : 0;
      }),
    );
    expect(withBonus).toBeGreaterThan(0);
  });

  it('week lines cover every day once, within one week start to the next', () => {
    fc.assert(
      fc.property(daysArb, multipliersArb, weekStartArb, (days, ms, start) => {
        const { weeks } = creditForPeriod(days, rules(ms), start);
        expect(weeks.reduce((s, w) => s + w.workedSeconds, 0)).toBe(days.reduce((s, d) => s + d.workedSeconds, 0));
        weeks.forEach((w, i) => {
          expect(w.countedSeconds).toBeLessThanOrEqual(w.workedSeconds);
          // No week start falls after a week's first date and on or before its last.
          for (let d = addDays(w.firstDate, 1); d <= w.lastDate; d = addDays(d, 1)) expect(isoWeekday(d)).not.toBe(start);
          expect(addDays(w.firstDate, 6) >= w.lastDate).toBe(true);
          if (i > 0) expect(weeks[i - 1]!.lastDate < w.firstDate).toBe(true);
        });
        if (!ms.some((m) => m.per === 'day')) for (const w of weeks) expect(w.countedSeconds).toBe(w.workedSeconds);
      }),
    );
  });

  it('working more never lowers the bonus', () => {
    let rose = 0;
    fc.assert(
      fc.property(daysArb, multipliersArb, weekStartArb, fc.nat(30), fc.integer({ min: 1, max: 4 * H }), (days, ms, start, pick, extra) => {
        const i = pick % days.length;
        const more = days.map((d, j) => (j === i ? { ...d, workedSeconds: d.workedSeconds + extra } : d));
        const before = creditForPeriod(days, rules(ms), start).bonusSeconds;
        const after = creditForPeriod(more, rules(ms), start).bonusSeconds;
        expect(after).toBeGreaterThanOrEqual(before);
        rose += after > before ? 1 : 0;
      }),
    );
    expect(rose).toBeGreaterThan(0);
  });

  it('without multipliers, or with only ×1, there is no bonus', () => {
    fc.assert(
      fc.property(daysArb, multipliersArb, weekStartArb, (days, ms, start) => {
        expect(creditForPeriod(days, rules([]), start).bonusSeconds).toBe(0);
        expect(creditForPeriod(days, rules(ms.map((m) => ({ ...m, factor: '1' }))), start).bonusSeconds).toBe(0);
      }),
    );
  });
});
