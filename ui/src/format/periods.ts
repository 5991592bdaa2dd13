/**
 * The periods My period offers, as the payloads resolvers take (docs/resolvers.md, "Periods"):
 * a month key (2026-11), an ISO week key (2026-W47) or a range key (r-20261101-20261115).
 * Pure date arithmetic on local dates, in UTC so no browser zone interferes.
 */

const DAY_MS = 86_400_000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => fromMs(toMs(date) + days * DAY_MS);

export function monthKeyOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(monthKey: string, months: number): string {
  const [y, m] = monthKey.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The ISO week key (2026-W47) of a date: the week's Thursday decides its year. */
export function isoWeekKeyOf(date: string): string {
  const ms = toMs(date);
  const weekday = ((new Date(ms).getUTCDay() + 6) % 7) + 1; // 1 = Monday … 7 = Sunday
  const thursday = ms + (4 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week key. */
export function isoWeekMonday(weekKey: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(weekKey);
  if (!m) throw new Error(`not an ISO week key: ${weekKey}`);
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const jan4Weekday = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
  return fromMs(jan4 - (jan4Weekday - 1) * DAY_MS + (Number(m[2]) - 1) * 7 * DAY_MS);
}

export const addWeeks = (weekKey: string, weeks: number): string => isoWeekKeyOf(addDays(isoWeekMonday(weekKey), weeks * 7));

/** The range key both dates included: r-20261101-20261115. */
export const rangeKey = (from: string, to: string): string => `r-${from.replaceAll('-', '')}-${to.replaceAll('-', '')}`;

export type PeriodChoice = { kind: 'month'; key: string } | { kind: 'week'; key: string } | { kind: 'range'; from: string; to: string };

/** The key resolvers take for a choice (periods/status and periods/submit take keys only). */
export function periodKeyOf(choice: PeriodChoice): string {
  return choice.kind === 'range' ? rangeKey(choice.from, choice.to) : choice.key;
}

/** Why a custom range cannot be asked for, or null. Resolvers check again; this only saves a round trip. */
export function rangeProblem(from: string, to: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return 'Choose both a first and a last day.';
  if (to < from) return 'The last day is before the first day; choose a last day on or after the first.';
  if ((toMs(to) - toMs(from)) / DAY_MS + 1 > 366) return 'A range can cover at most 366 days; choose a shorter one.';
  return null;
}
