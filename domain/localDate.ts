import { DomainError, ErrorCode } from './errors';

/**
 * A calendar date with no time and no zone, as an ISO string `YYYY-MM-DD`.
 * Arithmetic goes through the epoch day (days since 1970-01-01), computed with
 * integer civil-calendar formulas: no Date, no luxon, no zone can leak in.
 */
export type LocalDate = string;

/** 1 = Monday … 7 = Sunday, as ISO 8601 and luxon number them. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MS_PER_DAY = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real proleptic-Gregorian date written `YYYY-MM-DD`. */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/** Returns `value` as a LocalDate, or throws INVALID_DATE naming `what` and the value given. */
export function parseLocalDate(value: unknown, what = 'date'): LocalDate {
  if (!isLocalDate(value)) {
    throw new DomainError(
      ErrorCode.invalidDate,
      `${what} must be a calendar date written YYYY-MM-DD (for example 2026-03-29); got ${JSON.stringify(value)}`,
      { field: what, value },
    );
  }
  return value;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given civil date (negative before it). */
export function epochDayOf(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: years start in March so the leap day is last.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of an epoch day. */
export function civilOfEpochDay(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Epoch day of a LocalDate (assumed valid; parse untrusted input first). */
export function toEpochDay(date: LocalDate): number {
  return epochDayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** The LocalDate of an epoch day. */
export function fromEpochDay(epochDay: number): LocalDate {
  const { year, month, day } = civilOfEpochDay(epochDay);
  return formatLocalDate(year, month, day);
}

export function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** ISO weekday of an epoch day: 1970-01-01 was a Thursday (4). */
export function isoWeekdayOfEpochDay(epochDay: number): IsoWeekday {
  return ((((epochDay + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

export function isoWeekday(date: LocalDate): IsoWeekday {
  return isoWeekdayOfEpochDay(toEpochDay(date));
}

/** Every date from `first` to `last`, both included, in order. */
export function datesFromTo(first: LocalDate, last: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = toEpochDay(first), end = toEpochDay(last); d <= end; d++) out.push(fromEpochDay(d));
  return out;
}

/** `YYYYMMDD`, the compact form used inside storage keys. */
export function compactDate(date: LocalDate): string {
  return date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** Lexicographic order of ISO dates is chronological order. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `date` plus a whole number of calendar months, the day clamped to the
 * target month's end (31 Jan + 1 month = 28 or 29 Feb), as luxon's `plus({ months })` does.
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  if (!Number.isSafeInteger(months)) {
    throw new DomainError(ErrorCode.invalidInput, `months must be a whole number; got ${JSON.stringify(months)}`, { field: 'months', value: months });
  }
  const monthIndex = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  // Past 9999 the date would no longer be YYYY-MM-DD, and "10000-01-31" sorts before "9999-12-31".
  if (year < 0 || year > 9999) {
    throw new DomainError(ErrorCode.invalidDate, `${date} plus ${months} month(s) falls outside the years 0000 to 9999`, { field: 'months', value: months, date });
  }
  return formatLocalDate(year, month, Math.min(Number(date.slice(8, 10)), daysInMonth(year, month)));
}
