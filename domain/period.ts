import { DomainError, ErrorCode } from './errors';
import {
  addDays,
  compactDate,
  daysInMonth,
  formatLocalDate,
  fromEpochDay,
  isLocalDate,
  isoWeekdayOfEpochDay,
  parseLocalDate,
  toEpochDay,
  type IsoWeekday,
  type LocalDate,
} from './localDate';

/**
 * A reporting period: a run of local calendar dates, both ends included.
 * `key` is stable, sortable within a kind and safe in storage keys
 * (letters, digits, `-` only): `2026-11`, `2026-W47`, `wk7-20261122`, `r-20261101-20261115`.
 */
export interface Period {
  readonly kind: 'month' | 'week' | 'range';
  readonly key: string;
  readonly firstDate: LocalDate;
  /** The last date that belongs to the period (inclusive, hence the name). */
  readonly lastDate: LocalDate;
  readonly label: string;
}

/** Longest custom range the engine accepts: three years covers any reporting need. */
export const MAX_PERIOD_DAYS = 1100;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function periodError(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.invalidPeriod, message, details);
}

/** The calendar month `year`-`month` (1–12). */
export function monthPeriod(year: number, month: number): Period {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || !Number.isInteger(month) || month < 1 || month > 12) {
    throw periodError(`a month period needs a year 1–9999 and a month 1–12; got ${year}-${month}`, { year, month });
  }
  const firstDate = formatLocalDate(year, month, 1);
  return {
    kind: 'month',
    key: firstDate.slice(0, 7),
    firstDate,
    lastDate: formatLocalDate(year, month, daysInMonth(year, month)),
    label: `${MONTH_NAMES[month - 1]} ${year}`,
  };
}

/** ISO 8601 week-numbering year and week of a date (the week belongs to the year of its Thursday). */
export function isoWeekOf(date: LocalDate): { weekYear: number; week: number } {
  const day = toEpochDay(date);
  const thursday = day - isoWeekdayOfEpochDay(day) + 4;
  const weekYear = Number(fromEpochDay(thursday).slice(0, 4));
  const firstThursdayOrdinal = thursday - toEpochDay(formatLocalDate(weekYear, 1, 1));
  return { weekYear, week: Math.floor(firstThursdayOrdinal / 7) + 1 };
}

function assertWeekday(weekStart: number): asserts weekStart is IsoWeekday {
  if (!Number.isInteger(weekStart) || weekStart < 1 || weekStart > 7) {
    throw periodError(`weekStart must be 1 (Monday) to 7 (Sunday); got ${JSON.stringify(weekStart)}`, { field: 'weekStart', value: weekStart });
  }
}

/** The week containing `date`, starting on `weekStart` (1 = Monday, ISO, the default). */
export function weekPeriodContaining(date: LocalDate, weekStart: IsoWeekday = 1): Period {
  parseLocalDate(date, 'date');
  assertWeekday(weekStart);
  const day = toEpochDay(date);
  const back = (isoWeekdayOfEpochDay(day) - weekStart + 7) % 7;
  const firstDate = fromEpochDay(day - back);
  const lastDate = addDays(firstDate, 6);
  if (weekStart === 1) {
    const { weekYear, week } = isoWeekOf(firstDate);
    const key = `${weekYear}-W${String(week).padStart(2, '0')}`;
    return { kind: 'week', key, firstDate, lastDate, label: `Week ${week}, ${weekYear} (${firstDate} – ${lastDate})` };
  }
  return {
    kind: 'week',
    key: `wk${weekStart}-${compactDate(firstDate)}`,
    firstDate,
    lastDate,
    label: `Week from ${WEEKDAY_NAMES[weekStart - 1]} ${firstDate} to ${lastDate}`,
  };
}

/** A custom range of local dates, both ends included, at most MAX_PERIOD_DAYS long. */
export function rangePeriod(firstDate: LocalDate, lastDate: LocalDate): Period {
  parseLocalDate(firstDate, 'firstDate');
  parseLocalDate(lastDate, 'lastDate');
  const days = toEpochDay(lastDate) - toEpochDay(firstDate) + 1;
  if (days < 1) {
    throw periodError(`a range must not end before it starts; got ${firstDate} to ${lastDate}. Swap the dates.`, { firstDate, lastDate });
  }
  if (days > MAX_PERIOD_DAYS) {
    throw periodError(`a range may span at most ${MAX_PERIOD_DAYS} days; ${firstDate} to ${lastDate} spans ${days}. Split it into shorter periods.`, {
      firstDate,
      lastDate,
      days,
    });
  }
  return { kind: 'range', key: `r-${compactDate(firstDate)}-${compactDate(lastDate)}`, firstDate, lastDate, label: `${firstDate} – ${lastDate}` };
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;
const ISO_WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const WEEK_KEY = /^wk([1-7])-(\d{8})$/;
const RANGE_KEY = /^r-(\d{8})-(\d{8})$/;

function expand(compact: string): LocalDate {
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** The period a key names; the inverse of `period.key`. Throws INVALID_PERIOD for anything else. */
export function periodFromKey(key: string): Period {
  let m: RegExpExecArray | null;
  if ((m = MONTH_KEY.exec(key))) return monthPeriod(Number(m[1]), Number(m[2]));
  if ((m = ISO_WEEK_KEY.exec(key))) {
    const weekYear = Number(m[1]);
    const week = Number(m[2]);
    // Week 1 is the week with the year's first Thursday; 4 January is always in it.
    const jan4 = toEpochDay(formatLocalDate(weekYear, 1, 4));
    const monday = jan4 - isoWeekdayOfEpochDay(jan4) + 1 + (week - 1) * 7;
    const period = weekPeriodContaining(fromEpochDay(monday), 1);
    if (week >= 1 && period.key === key) return period;
  } else if ((m = WEEK_KEY.exec(key))) {
    const first = expand(m[2]!);
    if (isLocalDate(first)) {
      const period = weekPeriodContaining(first, Number(m[1]) as IsoWeekday);
      if (period.firstDate === first) return period;
    }
  } else if ((m = RANGE_KEY.exec(key))) {
    const first = expand(m[1]!);
    const last = expand(m[2]!);
    if (isLocalDate(first) && isLocalDate(last)) return rangePeriod(first, last);
  }
  throw periodError(
    `${JSON.stringify(key)} is not a period key; expected a month (2026-11), an ISO week (2026-W47), a week from a start day (wk7-20261122) or a range (r-20261101-20261115)`,
    { key },
  );
}

/** Every date of the period, in order. */
export function periodDates(period: Period): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = toEpochDay(period.firstDate), end = toEpochDay(period.lastDate); d <= end; d++) out.push(fromEpochDay(d));
  return out;
}

/** True when `date` falls inside the period. */
export function periodContains(period: Period, date: LocalDate): boolean {
  return date >= period.firstDate && date <= period.lastDate;
}
