import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditForPeriod, type DayWork, type OvertimeMultiplier } from '../../domain/overtimeCredit.ts';
import { addDays } from '../../domain/localDate.ts';

const H = 3600;
const week = (hours: number[], expected = 8 * H): DayWork[] => hours.map((h, i) => ({ date: addDays('2026-11-23', i), workedSeconds: h * H, expectedSeconds: i < 5 ? expected : 0 }));
const rules = (overtime: OvertimeMultiplier[]) => ({ overtime });

describe('overtime credit: known answers', () => {
  it('×1.5 above 10 h a day: a 12 h day earns 1 h extra', () => {
    const credit = creditForPeriod(week([12, 8, 8, 8, 8, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }]), 1);
    expect(credit).toMatchObject({ deltaSeconds: 4 * H, bonusSeconds: 1 * H, creditedSeconds: 5 * H });
  });

  it('brackets: ×1.25 above 8 h and ×1.5 above 10 h make a 12 h day worth 1.5 h extra', () => {
    const credit = creditForPeriod(week([12, 8, 8, 8, 8, 0, 0]), rules([{ per: 'day', aboveSeconds: 8 * H, factor: '1.25' }, { per: 'day', aboveSeconds: 10 * H, factor: '1.5' }]), 1);
    expect(credit.bonusSeconds).toBe(1.5 * H);
    expect(credit.breakdown.map((b) => b.seconds)).toEqual([2 * H, 2 * H]);
  });

  it('weekly ×1.25 above 40 h: five 9 h days earn 1.25 h', () => {
    expect(creditForPeriod(week([9, 9, 9, 9, 9, 0, 0]), rules([{ per: 'week', aboveSeconds: 40 * H, factor: '1.25' }]), 1).bonusSeconds).toBe(1.25 * H);
  });

  it('daily first, then weekly on the rest: no second earns two premiums', () => {
    // 12 + 4×9 = 48 h. Daily: 2 h above 10 h → 1 h. Weekly on the other 46 h: 6 h above 40 → 1.5 h.
    const credit = creditForPeriod(week([12, 9, 9, 9, 9, 0, 0]), rules([{ per: 'day', aboveSeconds: 10 * H, factor: '1.5' }, { per: 'week', aboveSeconds: 40 * H, factor: '1.25' }]), 1);
    expect(credit.bonusSeconds).toBe(2.5 * H);
  });

  it('weeks are cut at the configured first weekday', () => {
    const days = week([9, 9, 9, 9, 9, 9, 9]);
    const mondayWeeks = creditForPeriod(days, rules([{ per: 'week', aboveSeconds: 40 * H, factor: '2' }]), 1);
    const thursdayWeeks = creditForPeriod(days, rules([{ per: 'week', aboveSeconds: 40 * H, factor: '2' }]), 4);
    expect(mondayWeeks.bonusSeconds).toBe(23 * H); // one week of 63 h
    expect(thursdayWeeks.bonusSeconds).toBe(0); // Mon–Wed (27 h) and Thu–Sun (36 h)
  });
});

describe('overtime credit: laws', () => {
  const daysArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 16 * H }), fc.integer({ min: 0, max: 8 * H })), { minLength: 1, maxLength: 31 }).map((xs) =>
    xs.map(([worked, expected], i): DayWork => ({ date: addDays('2026-10-01', i), workedSeconds: worked, expectedSeconds: expected })),
  );
  const multipliersArb = fc.array(
    fc.record({ per: fc.constantFrom('day' as const, 'week' as const), aboveSeconds: fc.integer({ min: 0, max: 60 * H }), factor: fc.constantFrom('1', '1.25', '1.5', '2') }),
    { maxLength: 4 },
  ).map((ms) => ms.map((m) => (m.per === 'day' ? { ...m, aboveSeconds: Math.min(m.aboveSeconds, 86_400) } : m)));

  it('credited = delta + bonus, and the bonus is never negative', () => {
    fc.assert(
      fc.property(daysArb, multipliersArb, fc.integer({ min: 1, max: 7 }), (days, ms, start) => {
        const c = creditForPeriod(days, rules(ms), start as 1);
        expect(c.creditedSeconds).toBe(c.deltaSeconds + c.bonusSeconds);
        expect(c.bonusSeconds).toBeGreaterThanOrEqual(0);
        expect(c.deltaSeconds).toBe(days.reduce((s, d) => s + d.workedSeconds - d.expectedSeconds, 0));
      }),
    );
  });

  it('working more never lowers the bonus', () => {
    fc.assert(
      fc.property(daysArb, multipliersArb, fc.nat(30), fc.integer({ min: 1, max: 4 * H }), (days, ms, pick, extra) => {
        const i = pick % days.length;
        const more = days.map((d, j) => (j === i ? { ...d, workedSeconds: d.workedSeconds + extra } : d));
        expect(creditForPeriod(more, rules(ms), 1).bonusSeconds).toBeGreaterThanOrEqual(creditForPeriod(days, rules(ms), 1).bonusSeconds);
      }),
    );
  });

  it('without multipliers there is no bonus', () => {
    fc.assert(
      fc.property(daysArb, (days) => {
        expect(creditForPeriod(days, rules([]), 1).bonusSeconds).toBe(0);
      }),
    );
  });
});
