import { DomainError, ErrorCode } from './errors';
import {
  addDays,
  compactDate,
  daysInMonth,
  formatLocalDate,
  fromEpochDay,
  isLocalDate,
  isoWeekday,
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
    throw periodError(`a month period needs a year 1–9999 and a month 1–12; got year ${year}, month ${month}`, { year, month });
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

/** `2026-W47`: the ISO week's key, its year written with four digits like every date. */
function isoWeekKey(weekYear: number, week: number): string {
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
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
    return { kind: 'week', key: isoWeekKey(weekYear, week), firstDate, lastDate, label: `Week ${week}, ${weekYear} (${firstDate} – ${lastDate})` };
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
const WEEK_KEY = /^wk(\d)-(\d{4})(\d{2})(\d{2})$/;
const RANGE_KEY = /^r-((\d{4})(\d{2})(\d{2}))-((\d{4})(\d{2})(\d{2}))$/;

/** Why year-month-day is no calendar date (`null` when it is one), in words a person can act on. */
export function whyNotACalendarDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return 'months run from 01 to 12';
  if (day < 1) return 'days start at 01';
  const days = daysInMonth(year, month);
  return day > days ? `${MONTH_NAMES[month - 1]} ${year} has ${days} days` : null;
}

const YEARS = 'years run from 0001 to 9999';
/** The last day a week key may reach: dates have four-digit years. */
const LAST_EPOCH_DAY = toEpochDay('9999-12-31');

/** The date a key writes as YYYYMMDD, or the reason it is none. */
function keyDate(compact: string, year: string, month: string, day: string): LocalDate | string {
  if (Number(year) < 1) return `${compact} is in year 0000 (${YEARS})`;
  const why = whyNotACalendarDate(Number(year), Number(month), Number(day));
  return why === null ? `${year}-${month}-${day}` : `${compact} is not a calendar date (${why})`;
}

/** A week that would run past 9999-12-31, whose last date cannot be written. */
function pastLastYear(period: Period): boolean {
  return toEpochDay(period.firstDate) + 6 > LAST_EPOCH_DAY;
}

/** How many ISO weeks `weekYear` has (52 or 53): 28 December is always in the last one. */
function isoWeeksIn(weekYear: number): number {
  return isoWeekOf(formatLocalDate(weekYear, 12, 28)).week;
}

/** The period a key names; the inverse of `period.key`. Throws INVALID_PERIOD saying what is wrong with the key as typed. */
export function periodFromKey(key: string): Period {
  const notAPeriod = (why: string) => periodError(`${JSON.stringify(key)} is not a period: ${why}`, { key });
  let m: RegExpExecArray | null;
  if ((m = MONTH_KEY.exec(key))) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (year < 1) throw notAPeriod(YEARS);
    if (month < 1 || month > 12) throw notAPeriod(`months run from 01 to 12, so the months of ${m[1]} are ${m[1]}-01 to ${m[1]}-12`);
    return monthPeriod(year, month);
  }
  if ((m = ISO_WEEK_KEY.exec(key))) {
    const weekYear = Number(m[1]);
    const week = Number(m[2]);
    if (weekYear < 1) throw notAPeriod(YEARS);
    const weeks = isoWeeksIn(weekYear);
    if (week < 1 || week > weeks) {
      const range = `${m[1]} has ${weeks} ISO weeks, ${isoWeekKey(weekYear, 1)} to ${isoWeekKey(weekYear, weeks)}`;
      if (week < 1) throw notAPeriod(weekYear > 1 ? `${range}; the week before ${isoWeekKey(weekYear, 1)} is ${isoWeekKey(weekYear - 1, isoWeeksIn(weekYear - 1))}` : range);
      throw notAPeriod(weekYear < 9999 ? `${range}; the week after ${isoWeekKey(weekYear, weeks)} is ${isoWeekKey(weekYear + 1, 1)}` : range);
    }
    // Week 1 is the week with the year's first Thursday; 4 January is always in it.
    const jan4 = toEpochDay(formatLocalDate(weekYear, 1, 4));
    const period = weekPeriodContaining(fromEpochDay(jan4 - isoWeekdayOfEpochDay(jan4) + 1 + (week - 1) * 7), 1);
    if (pastLastYear(period)) throw notAPeriod(`it would end after 9999-12-31 (${YEARS})`);
    return period;
  }
  if ((m = WEEK_KEY.exec(key))) {
    const weekStart = Number(m[1]);
    if (weekStart < 1 || weekStart > 7) throw notAPeriod('the digit after "wk" is the weekday the week starts on, 1 (Monday) to 7 (Sunday), such as wk7-20261122');
    const first = keyDate(`${m[2]}${m[3]}${m[4]}`, m[2]!, m[3]!, m[4]!);
    if (!isLocalDate(first)) throw notAPeriod(first);
    const period = weekPeriodContaining(first, weekStart as IsoWeekday);
    if (pastLastYear(period)) throw notAPeriod(`it would end after 9999-12-31 (${YEARS})`);
    if (period.firstDate !== first) {
      // A Monday week's own key is its ISO week; name both, as either is accepted.
      const suggestion = `wk${weekStart}-${compactDate(period.firstDate)}${weekStart === 1 ? ` (ISO week ${period.key})` : ''}`;
      throw notAPeriod(
        `a wk${weekStart} week starts on a ${WEEKDAY_NAMES[weekStart - 1]}, and ${first} is a ${WEEKDAY_NAMES[isoWeekday(first) - 1]}; the wk${weekStart} week that contains ${first} is ${suggestion}`,
      );
    }
    return period;
  }
  if ((m = RANGE_KEY.exec(key))) {
    const first = keyDate(m[1]!, m[2]!, m[3]!, m[4]!);
    const last = keyDate(m[5]!, m[6]!, m[7]!, m[8]!);
    for (const end of [first, last]) if (!isLocalDate(end)) throw notAPeriod(end);
    if (last < first) throw notAPeriod(`it ends (${last}) before it starts (${first}); swap the dates: r-${m[5]}-${m[1]}`);
    const days = toEpochDay(last) - toEpochDay(first) + 1;
    if (days > MAX_PERIOD_DAYS) throw notAPeriod(`it spans ${days} days, and a range may span at most ${MAX_PERIOD_DAYS}; split it into shorter periods`);
    return rangePeriod(first, last);
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
