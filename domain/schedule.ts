import { DomainError, ErrorCode } from './errors';
import { parseWallTime } from './internal/wallTime';
import {
  daysInMonth,
  formatLocalDate,
  isoWeekdayOfEpochDay,
  isLocalDate,
  MS_PER_DAY,
  toEpochDay,
  type IsoWeekday,
  type LocalDate,
} from './localDate';
import { instantOfLocal } from './zoneOffsets';

/** A named shift in a rotation: wall times in the person's zone; an end at or before the start runs past midnight. */
export interface Shift {
  readonly start: string;
  readonly end: string;
  readonly unpaidBreakMinutes: number;
}

/**
 * Where a shift that crosses midnight counts: all on the day it starts (the
 * default), all on the day it ends, or split at local midnight.
 */
export type NightShiftRule = 'start-day' | 'end-day' | 'split';

/** How much a contract expects on each day, before part-time factor, holidays and absences. */
export type Schedule =
  | { readonly kind: 'weekdays'; readonly secondsByWeekday: readonly number[] /* Monday … Sunday */ }
  | { readonly kind: 'weekly'; readonly weeklySeconds: number; readonly workingDays: readonly IsoWeekday[] }
  | { readonly kind: 'monthly'; readonly monthlySeconds: number; readonly workingDays: readonly IsoWeekday[] }
  | {
      readonly kind: 'rotation';
      /** A Monday: the first day of the first week of the cycle. */
      readonly cycleStart: LocalDate;
      /** N weeks of seven slots, Monday … Sunday: a shift name, or null for a day off. */
      readonly weeks: readonly (readonly (string | null)[])[];
      readonly shifts: Readonly<Record<string, Shift>>;
      readonly nightShifts: NightShiftRule;
    };

const fail = (field: string, message: string, value: unknown): never => {
  throw new DomainError(ErrorCode.invalidContract, `${field} ${message}; got ${JSON.stringify(value)}`, { field, value });
};

const isSeconds = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

function validateWorkingDays(days: unknown, field: string): IsoWeekday[] {
  if (!Array.isArray(days) || days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7) || new Set(days).size !== days.length) {
    fail(field, 'must list distinct weekdays 1 (Monday) to 7 (Sunday), at least one', days);
  }
  return [...(days as IsoWeekday[])].sort((a, b) => a - b);
}

/** Returns a well-formed schedule or throws INVALID_CONTRACT naming the field (prefixed by `field`). */
export function validateSchedule(input: unknown, field = 'schedule'): Schedule {
  const s = input as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) return fail(field, 'must be an object with a kind', input);
  switch (s.kind) {
    case 'weekdays': {
      const v = s.secondsByWeekday;
      if (!Array.isArray(v) || v.length !== 7 || !v.every((x) => isSeconds(x, MS_PER_DAY / 1000))) {
        fail(`${field}.secondsByWeekday`, 'must be seven whole numbers of seconds, Monday to Sunday, each 0–86400', v);
      }
      return { kind: 'weekdays', secondsByWeekday: [...(v as number[])] };
    }
    case 'weekly':
      if (!isSeconds(s.weeklySeconds, 7 * 86_400)) fail(`${field}.weeklySeconds`, 'must be whole seconds, 0–604800', s.weeklySeconds);
      return { kind: 'weekly', weeklySeconds: s.weeklySeconds as number, workingDays: validateWorkingDays(s.workingDays, `${field}.workingDays`) };
    case 'monthly':
      if (!isSeconds(s.monthlySeconds, 31 * 86_400)) fail(`${field}.monthlySeconds`, 'must be whole seconds, 0–2678400', s.monthlySeconds);
      return { kind: 'monthly', monthlySeconds: s.monthlySeconds as number, workingDays: validateWorkingDays(s.workingDays, `${field}.workingDays`) };
    case 'rotation':
      return validateRotation(s, field);
    default:
      return fail(`${field}.kind`, 'must be one of weekdays, weekly, monthly, rotation', s.kind);
  }
}

function validateRotation(s: Record<string, unknown>, field: string): Schedule {
  if (!isLocalDate(s.cycleStart) || isoWeekdayOfEpochDay(toEpochDay(s.cycleStart)) !== 1) {
    fail(`${field}.cycleStart`, 'must be a Monday written YYYY-MM-DD: the first day of week 1 of the cycle', s.cycleStart);
  }
  const shiftsIn = s.shifts as Record<string, unknown> | null;
  if (typeof shiftsIn !== 'object' || shiftsIn === null || Array.isArray(shiftsIn)) fail(`${field}.shifts`, 'must map shift names to {start, end, unpaidBreakMinutes}', shiftsIn);
  const shifts: Record<string, Shift> = {};
  for (const [name, raw] of Object.entries(shiftsIn as Record<string, unknown>)) {
    const sh = raw as Record<string, unknown>;
    const start = parseWallTime(sh?.start, `${field}.shifts.${name}.start`);
    const end = parseWallTime(sh?.end, `${field}.shifts.${name}.end`);
    const lengthMin = ((end - start + MS_PER_DAY) % MS_PER_DAY || MS_PER_DAY) / 60_000;
    const pause = sh.unpaidBreakMinutes ?? 0;
    if (!Number.isInteger(pause) || (pause as number) < 0 || (pause as number) >= lengthMin) {
      fail(`${field}.shifts.${name}.unpaidBreakMinutes`, `must be whole minutes, 0 or more and shorter than the shift (${lengthMin} min)`, pause);
    }
    shifts[name] = { start: sh.start as string, end: sh.end as string, unpaidBreakMinutes: pause as number };
  }
  const weeks = s.weeks;
  if (!Array.isArray(weeks) || weeks.length === 0 || weeks.length > 52) fail(`${field}.weeks`, 'must be 1 to 52 weeks of seven slots', weeks);
  (weeks as unknown[]).forEach((week, w) => {
    if (!Array.isArray(week) || week.length !== 7) fail(`${field}.weeks[${w}]`, 'must have seven slots, Monday to Sunday', week);
    (week as unknown[]).forEach((slot, d) => {
      if (slot !== null && (typeof slot !== 'string' || !(slot in shifts))) {
        fail(`${field}.weeks[${w}][${d}]`, `must be null (day off) or one of the shift names ${Object.keys(shifts).join(', ')}`, slot);
      }
    });
  });
  const nightShifts = s.nightShifts ?? 'start-day';
  if (!['start-day', 'end-day', 'split'].includes(nightShifts as string)) fail(`${field}.nightShifts`, 'must be start-day, end-day or split', nightShifts);
  return {
    kind: 'rotation',
    cycleStart: s.cycleStart as LocalDate,
    weeks: (weeks as (string | null)[][]).map((w) => [...w]),
    shifts,
    nightShifts: nightShifts as NightShiftRule,
  };
}

/** Splits `total` seconds over `count` slots: equal whole seconds, the remainder one each to the first slots. */
function share(total: number, count: number, position: number): number {
  const base = Math.floor(total / count);
  return base + (position < total - base * count ? 1 : 0);
}

function spreadOverWorkingDays(total: number, workingDays: readonly IsoWeekday[], firstDay: number, lastDay: number, day: number): number {
  const weekday = isoWeekdayOfEpochDay(day);
  if (!workingDays.includes(weekday)) return 0;
  let count = 0;
  let position = 0;
  for (let d = firstDay; d <= lastDay; d++) {
    if (workingDays.includes(isoWeekdayOfEpochDay(d))) {
      if (d < day) position++;
      count++;
    }
  }
  return share(total, count, position);
}

/** A shift occurrence's real elapsed seconds on each local day it touches, break deducted pro rata. */
function shiftSecondsOnDay(shift: Shift, startDay: number, day: number, zone: string, rule: NightShiftRule): number {
  const startMs = parseWallTime(shift.start, 'shift.start');
  const endMs = parseWallTime(shift.end, 'shift.end');
  const crosses = endMs <= startMs;
  const from = instantOfLocal(zone, startDay * MS_PER_DAY + startMs);
  const to = instantOfLocal(zone, (startDay + (crosses ? 1 : 0)) * MS_PER_DAY + endMs);
  const paid = Math.max(0, Math.round((to - from) / 1000) - shift.unpaidBreakMinutes * 60);
  if (!crosses || rule === 'start-day') return day === startDay ? paid : 0;
  if (rule === 'end-day') return day === startDay + 1 ? paid : 0;
  // Split at the real instant of local midnight; the break shrinks each part in proportion.
  const midnight = instantOfLocal(zone, (startDay + 1) * MS_PER_DAY);
  const elapsed = Math.round((to - from) / 1000);
  const before = Math.floor((paid * Math.round((midnight - from) / 1000)) / elapsed);
  return day === startDay ? before : paid - before;
}

function rotationSlot(schedule: Extract<Schedule, { kind: 'rotation' }>, day: number): string | null {
  const offset = day - toEpochDay(schedule.cycleStart);
  const n = schedule.weeks.length;
  const week = (((Math.floor(offset / 7)) % n) + n) % n;
  return schedule.weeks[week]![((offset % 7) + 7) % 7] ?? null;
}

/**
 * Seconds `schedule` expects on `date` for a person in `zone`, before
 * part-time factor, holidays and absences. Weekly and monthly totals are
 * spread in whole seconds over the working days of their ISO week or month,
 * so a full week or month always adds up to the total exactly.
 */
export function scheduledSecondsOn(schedule: Schedule, date: LocalDate, zone: string): number {
  const day = toEpochDay(date);
  switch (schedule.kind) {
    case 'weekdays':
      return schedule.secondsByWeekday[isoWeekdayOfEpochDay(day) - 1] ?? 0;
    case 'weekly': {
      const monday = day - isoWeekdayOfEpochDay(day) + 1;
      return spreadOverWorkingDays(schedule.weeklySeconds, schedule.workingDays, monday, monday + 6, day);
    }
    case 'monthly': {
      const year = Number(date.slice(0, 4));
      const month = Number(date.slice(5, 7));
      const first = toEpochDay(formatLocalDate(year, month, 1));
      return spreadOverWorkingDays(schedule.monthlySeconds, schedule.workingDays, first, first + daysInMonth(year, month) - 1, day);
    }
    case 'rotation': {
      let total = 0;
      for (const startDay of [day - 1, day]) {
        const name = rotationSlot(schedule, startDay);
        if (name !== null) total += shiftSecondsOnDay(schedule.shifts[name]!, startDay, day, zone, schedule.nightShifts);
      }
      return total;
    }
  }
}
