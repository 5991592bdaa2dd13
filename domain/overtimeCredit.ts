import Decimal from 'decimal.js';
import { DomainError, ErrorCode } from './errors';
import { fromEpochDay, isLocalDate, isoWeekdayOfEpochDay, toEpochDay, type IsoWeekday, type LocalDate } from './localDate';

/**
 * Worked seconds above a threshold, per day or per week, count `factor` times
 * (e.g. above 10 h a day ×1.5). Several thresholds of one kind form brackets,
 * like tax brackets: with ×1.25 above 8 h and ×1.5 above 10 h, a 12 h day has
 * 2 h at ×1.25 and 2 h at ×1.5.
 */
export interface OvertimeMultiplier {
  readonly per: 'day' | 'week';
  readonly aboveSeconds: number;
  /** A decimal string between "1" and "10" with at most 6 decimals, such as "1.5": a string so that it is exact. */
  readonly factor: string;
}

/** One day of a period as the report computed it. */
export interface DayWork {
  readonly date: LocalDate;
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
}

/** One bracket's share of the bonus, so a person can redo the sum by hand. */
export interface BracketLine {
  readonly per: 'day' | 'week';
  readonly aboveSeconds: number;
  readonly factor: string;
  /** Worked seconds that fell in this bracket over the whole period. */
  readonly seconds: number;
  /** (factor − 1) × seconds, exact, before the period's single rounding. */
  readonly extraSeconds: string;
}

/** A week as weekly thresholds see it: only its days inside the period. */
export interface WeekLine {
  readonly firstDate: LocalDate;
  readonly lastDate: LocalDate;
  readonly workedSeconds: number;
  /** The week's worked time not already above a daily threshold: what weekly thresholds apply to. */
  readonly countedSeconds: number;
}

export interface PeriodCredit {
  /** Σ (worked − expected) over the days. */
  readonly deltaSeconds: number;
  /** What the multipliers add on top: Σ extraSeconds, rounded half up to a whole second once per period. */
  readonly bonusSeconds: number;
  /** deltaSeconds + bonusSeconds: what the period adds to the recuperation balance. */
  readonly creditedSeconds: number;
  /** Daily brackets by threshold, then weekly brackets by threshold. */
  readonly breakdown: readonly BracketLine[];
  /** The period's weeks, oldest first (cut at the week start). */
  readonly weeks: readonly WeekLine[];
}

const MULTIPLIER_KEYS = ['per', 'aboveSeconds', 'factor'];
// At most 6 decimals: (factor − 1) × a period's bracket seconds then has at most 16 significant digits, within
// decimal.js's default 20, so extraSeconds and their sum are exact before the single rounding.
const FACTOR_PATTERN = /^(0|[1-9]\d*)(\.\d{1,6})?$/;
const MAX_ABOVE = { day: 86_400, week: 7 * 86_400 } as const;
export const MAX_MULTIPLIERS = 10;

const policyError = (field: string, why: string, value: unknown, extra: Record<string, unknown> = {}): never => {
  throw new DomainError(ErrorCode.invalidPolicy, `${field} ${why}; got ${JSON.stringify(value) ?? String(value)}`, { field, value, ...extra });
};

/** Returns the multipliers with factors written canonically ("1.50" → "1.5"), or throws INVALID_POLICY naming the first bad one. */
export function validateOvertimeMultipliers(input: unknown): OvertimeMultiplier[] {
  if (!Array.isArray(input)) policyError('overtime', 'must be a list of multipliers such as [{ "per": "day", "aboveSeconds": 36000, "factor": "1.5" }]', input);
  // Ten brackets cover any contract; an unbounded list would only make the audit entry of a save too big to write.
  if ((input as unknown[]).length > MAX_MULTIPLIERS) policyError('overtime', `has at most ${MAX_MULTIPLIERS} multipliers (${(input as unknown[]).length} given); keep the brackets that matter`, (input as unknown[]).length);
  const seen = new Map<string, number>();
  return (input as unknown[]).map((m, index) => {
    const where = `overtime[${index}]`;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) policyError(where, 'must be an object { per, aboveSeconds, factor }', m, { index });
    const o = m as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !MULTIPLIER_KEYS.includes(k));
    if (unknown.length > 0) policyError(`${where}.${unknown[0]!}`, `is not a multiplier setting (use ${MULTIPLIER_KEYS.join(', ')})`, o[unknown[0]!], { index });
    if (o.per !== 'day' && o.per !== 'week') policyError(`${where}.per`, 'must be "day" or "week"', o.per, { index });
    const per = o.per as 'day' | 'week';
    const above = o.aboveSeconds;
    if (!Number.isSafeInteger(above) || (above as number) < 0 || (above as number) > MAX_ABOVE[per]) {
      policyError(`${where}.aboveSeconds`, `must be whole seconds from 0 to ${MAX_ABOVE[per]} (a ${per}), such as ${per === 'day' ? 36_000 : 172_800} for ${per === 'day' ? 10 : 48} h`, above, { index });
    }
    // A string, not a number, so "1.1" stays exactly 1.1; the pattern keeps out forms Decimal would also take ("0x2", "1e1", " 2").
    const factor = typeof o.factor === 'string' && FACTOR_PATTERN.test(o.factor) ? new Decimal(o.factor) : null;
    if (factor === null || factor.lt(1) || factor.gt(10)) {
      policyError(`${where}.factor`, 'must be a decimal string between "1" and "10" with at most 6 decimals, such as "1.5" (a factor below 1 would take time away)', o.factor, { index });
    }
    const key = `${per}:${above as number}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      policyError(`${where}.aboveSeconds`, `repeats the ${per} threshold of overtime[${earlier}]; one threshold takes one factor, so remove one of them`, above, { index });
    }
    seen.set(key, index);
    return { per, aboveSeconds: above as number, factor: factor!.toString() };
  });
}

const inputError = (index: number, field: string, why: string, value: unknown): never => {
  throw new DomainError(ErrorCode.invalidInput, `day row ${index + 1} (days[${index}]): ${field} ${why}; got ${JSON.stringify(value) ?? String(value)}`, { index, field, value });
};

function validateDays(days: readonly DayWork[]): void {
  const seen = new Map<string, number>();
  // An index loop, not forEach: forEach skips the holes of a sparse list, which would pass unchecked.
  for (let index = 0; index < days.length; index++) {
    const d: DayWork = days[index]!;
    if (typeof d !== 'object' || d === null) inputError(index, 'row', 'must be an object { date, workedSeconds, expectedSeconds }', d);
    if (!isLocalDate(d.date)) inputError(index, 'date', 'must be a calendar date written YYYY-MM-DD', d.date);
    const before = seen.get(d.date);
    if (before !== undefined) inputError(index, 'date', `repeats day row ${before + 1}; give each date once, with its totals`, d.date);
    seen.set(d.date, index);
    for (const field of ['workedSeconds', 'expectedSeconds'] as const) {
      if (!Number.isSafeInteger(d[field]) || d[field] < 0) inputError(index, field, 'must be whole seconds, 0 or more', d[field]);
    }
  }
}

/** Seconds of `worked` in each bracket of `tiers` (sorted by threshold): each second lands in exactly one, the highest it is above. */
function inBrackets(worked: number, tiers: readonly OvertimeMultiplier[]): number[] {
  return tiers.map((t, i) => {
    const top = tiers[i + 1]?.aboveSeconds ?? Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(worked, top) - t.aboveSeconds);
  });
}

/**
 * The credit a period's days add to the recuperation balance; guarantees
 * credited = delta + bonus and, factors being ≥ 1, bonus ≥ 0.
 *
 * Daily brackets apply first; weekly brackets then apply to each week's time
 * that was *not* already above a daily threshold, so no second earns two
 * premiums (the rule payroll uses where daily and weekly overtime coexist).
 * Weeks are cut at `weekStart`; a week partly outside the period counts only
 * its days inside it, because a period's credit must not depend on days
 * another period credits.
 */
export function creditForPeriod(days: readonly DayWork[], rules: { readonly overtime: readonly OvertimeMultiplier[] }, weekStart: IsoWeekday): PeriodCredit {
  const overtime = validateOvertimeMultipliers(rules.overtime);
  if (!Number.isInteger(weekStart) || weekStart < 1 || weekStart > 7) policyError('weekStart', 'must be 1 (Monday) to 7 (Sunday)', weekStart);
  validateDays(days);

  const byThreshold = (a: OvertimeMultiplier, b: OvertimeMultiplier) => a.aboveSeconds - b.aboveSeconds;
  const daily = overtime.filter((m) => m.per === 'day').sort(byThreshold);
  const weekly = overtime.filter((m) => m.per === 'week').sort(byThreshold);
  const dailySeconds = daily.map(() => 0);
  const weeklySeconds = weekly.map(() => 0);
  const weeks = new Map<number, { first: number; last: number; worked: number; counted: number }>();
  let deltaSeconds = 0;

  for (const d of days) {
    deltaSeconds += d.workedSeconds - d.expectedSeconds;
    const premiums = inBrackets(d.workedSeconds, daily);
    premiums.forEach((s, i) => (dailySeconds[i]! += s));
    const day = toEpochDay(d.date);
    const weekId = day - ((isoWeekdayOfEpochDay(day) - weekStart + 7) % 7);
    const week = weeks.get(weekId) ?? { first: day, last: day, worked: 0, counted: 0 };
    week.first = Math.min(week.first, day);
    week.last = Math.max(week.last, day);
    week.worked += d.workedSeconds;
    week.counted += d.workedSeconds - premiums.reduce((a, b) => a + b, 0);
    weeks.set(weekId, week);
  }
  const weekIds = [...weeks.keys()].sort((a, b) => a - b);
  for (const id of weekIds) inBrackets(weeks.get(id)!.counted, weekly).forEach((s, i) => (weeklySeconds[i]! += s));

  const line = (m: OvertimeMultiplier, seconds: number): BracketLine => ({
    per: m.per,
    aboveSeconds: m.aboveSeconds,
    factor: m.factor,
    seconds,
    extraSeconds: new Decimal(m.factor).minus(1).times(seconds).toString(),
  });
  const breakdown = [...daily.map((m, i) => line(m, dailySeconds[i]!)), ...weekly.map((m, i) => line(m, weeklySeconds[i]!))];
  // One rounding for the whole period, so a month of 1-second premiums is not inflated day by day.
  const exact = breakdown.reduce((sum, b) => sum.plus(b.extraSeconds), new Decimal(0));
  const bonusSeconds = exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  return {
    deltaSeconds,
    bonusSeconds,
    creditedSeconds: deltaSeconds + bonusSeconds,
    breakdown,
    weeks: weekIds.map((id) => {
      const w = weeks.get(id)!;
      return { firstDate: fromEpochDay(w.first), lastDate: fromEpochDay(w.last), workedSeconds: w.worked, countedSeconds: w.counted };
    }),
  };
}
