/** Which holiday calendar an import goes into: ids as the server accepts them, and the default for a country and region. */

export interface CalendarInfo {
  readonly id: string;
  readonly country: string;
  readonly region: string | null;
}

/** The calendar ids holidays/import accepts (src/holidays/holidayCalendars.ts): case matters, so "BE" and "be" are two calendars. */
export const CALENDAR_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The calendar an import for this country and region goes into by default: the site's own calendar
 * for that place when there is one (so an import updates the calendar contracts use), else the
 * region or country code as it is written (upper case, as the demo's calendars are).
 */
export function defaultCalendarId(calendars: readonly CalendarInfo[], country: string, region: string): string {
  if (!country) return '';
  const existing = calendars.find((c) => c.country === country && (c.region ?? '') === region);
  return existing?.id ?? (region || country);
}

/** The years a holiday calendar holds (src/holidays/holidaySource.ts, HOLIDAY_YEAR_MIN and _MAX). */
export const HOLIDAY_YEAR_MIN = 1900;
export const HOLIDAY_YEAR_MAX = 2100;

/** What is wrong with a typed year, or null when it is one the server takes. */
export function yearProblem(text: string, what = 'The year'): string | null {
  const t = text.trim();
  if (!/^\d{4}$/.test(t)) return `${what} is four digits, such as ${new Date().getFullYear()}.`;
  const y = Number(t);
  if (y < HOLIDAY_YEAR_MIN || y > HOLIDAY_YEAR_MAX) return `${what} is between ${HOLIDAY_YEAR_MIN} and ${HOLIDAY_YEAR_MAX}.`;
  return null;
}
