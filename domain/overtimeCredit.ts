import Decimal from 'decimal.js';
import { DomainError, ErrorCode } from './errors.ts';
import { isoWeekdayOfEpochDay, toEpochDay, type IsoWeekday, type LocalDate } from './localDate.ts';

/**
 * Worked seconds above a threshold, per day or per week, count `factor` times
 * (e.g. above 10 h a day ×1.5). Several thresholds of one kind form brackets:
 * with ×1.25 above 8 h and ×1.5 above 10 h, a 12 h day has 2 h at ×1.25 and
 * 2 h at ×1.5, like tax brackets.
 */
export interface OvertimeMultiplier {
  readonly per: 'day' | 'week';
  readonly aboveSeconds: number;
  /** A decimal string ≥ 1, such as "1.5". */
  readonly factor: string;
}

export interface DayWork {
  readonly date: LocalDate;
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
}

export interface PeriodCredit {
  /** Σ (worked − expected) over the days. */
  readonly deltaSeconds: number;
  /** What the multipliers add on top, rounded half up once for the period. */
  readonly bonusSeconds: number;
  /** deltaSeconds + bonusSeconds: what the period adds to the balance. */
  readonly creditedSeconds: number;
  /** Seconds counted in each bracket, for a person to check the bonus by hand. */
  readonly breakdown: readonly { readonly per: 'day' | 'week'; readonly aboveSeconds: number; readonly factor: string; readonly seconds: number }[];
}

/** Throws INVALID_POLICY unless every multiplier is well formed. */
export function validateOvertimeMultipliers(input: unknown): OvertimeMultiplier[] {
  if (!Array.isArray(input)) throw new DomainError(ErrorCode.invalidPolicy, `overtime must be a list of multipliers; got ${JSON.stringify(input)}`, { field: 'overtime' });
  return input.map((m, i) => {
    const o = (m ?? {}) as Record<string, unknown>;
    const where = `overtime[${i}]`;
    if (o.per !== 'day' && o.per !== 'week') throw new DomainError(ErrorCode.invalidPolicy, `${where}.per must be "day" or "week"; got ${JSON.stringify(o.per)}`, { field: `${where}.per` });
    const max = o.per === 'day' ? 86_400 : 7 * 86_400;
    if (!Number.isInteger(o.aboveSeconds) || (o.aboveSeconds as number) < 0 || (o.aboveSeconds as number) > max) {
      throw new DomainError(ErrorCode.invalidPolicy, `${where}.aboveSeconds must be whole seconds from 0 to ${max}; got ${JSON.stringify(o.aboveSeconds)}`, { field: `${where}.aboveSeconds` });
    }
    let factor: Decimal | null = null;
    try {
      factor = typeof o.factor === 'string' ? new Decimal(o.factor) : null;
    } catch {
      factor = null;
    }
    if (!factor || !factor.isFinite() || factor.lt(1) || factor.gt(10)) {
      throw new DomainError(ErrorCode.invalidPolicy, `${where}.factor must be a decimal string from "1" to "10", such as "1.5"; got ${JSON.stringify(o.factor)}`, { field: `${where}.factor` });
    }
    return { per: o.per, aboveSeconds: o.aboveSeconds as number, factor: factor.toString() };
  });
}

/** Seconds of `worked` in each bracket of `tiers` (sorted by threshold). */
function brackets(worked: number, tiers: readonly OvertimeMultiplier[]): number[] {
  return tiers.map((t, i) => {
    const top = i + 1 < tiers.length ? tiers[i + 1]!.aboveSeconds : Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(worked, top) - t.aboveSeconds);
  });
}

/**
 * The credit a period's days add to the recuperation balance. Daily brackets
 * apply first; weekly brackets then apply to the week's worked time *not
 * already* above a daily threshold, so no second is paid a premium twice.
 * Weeks are cut at `weekStart`, and a week partly outside the period counts
 * only its days inside it. Guarantees credited = delta + bonus, and bonus ≥ 0.
 */
export function creditForPeriod(days: readonly DayWork[], rules: { readonly overtime: readonly OvertimeMultiplier[] }, weekStart: IsoWeekday): PeriodCredit {
  const deltaSeconds = days.reduce((s, d) => s + d.workedSeconds - d.expectedSeconds, 0);
  const daily = rules.overtime.filter((m) => m.per === 'day').sort((a, b) => a.aboveSeconds - b.aboveSeconds);
  const weekly = rules.overtime.filter((m) => m.per === 'week').sort((a, b) => a.aboveSeconds - b.aboveSeconds);
  const dailySeconds = daily.map(() => 0);
  const weeklySeconds = weekly.map(() => 0);
  const weeks = new Map<number, number>();
  for (const d of days) {
    const inBrackets = brackets(d.workedSeconds, daily);
    inBrackets.forEach((s, i) => (dailySeconds[i]! += s));
    const day = toEpochDay(d.date);
    const weekId = day - ((isoWeekdayOfEpochDay(day) - weekStart + 7) % 7);
    const premiumFree = d.workedSeconds - inBrackets.reduce((a, b) => a + b, 0);
    weeks.set(weekId, (weeks.get(weekId) ?? 0) + premiumFree);
  }
  for (const worked of weeks.values()) brackets(worked, weekly).forEach((s, i) => (weeklySeconds[i]! += s));
  const breakdown = [
    ...daily.map((m, i) => ({ per: m.per, aboveSeconds: m.aboveSeconds, factor: m.factor, seconds: dailySeconds[i]! })),
    ...weekly.map((m, i) => ({ per: m.per, aboveSeconds: m.aboveSeconds, factor: m.factor, seconds: weeklySeconds[i]! })),
  ];
  const bonus = breakdown.reduce((sum, b) => sum.plus(new Decimal(b.factor).minus(1).times(b.seconds)), new Decimal(0));
  const bonusSeconds = bonus.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  return { deltaSeconds, bonusSeconds, creditedSeconds: deltaSeconds + bonusSeconds, breakdown };
}
