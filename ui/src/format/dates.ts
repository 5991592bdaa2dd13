/**
 * Dates as the person's calendar has them. Reports speak in local dates (YYYY-MM-DD) that are
 * already in the person's zone; instants (epoch ms) are shown in the zone named. Formatting a
 * local date goes through UTC noon so that no zone of the reader's browser can shift the day.
 */

import { dateTimeFormat } from './intlCache';

const asUtcNoon = (date: string) => new Date(`${date}T12:00:00Z`);

/** "Tue 3 Nov 2026" in the reader's locale. */
export function formatLocalDate(date: string, locale?: string, style: 'short' | 'long' = 'short'): string {
  return dateTimeFormat(locale, { timeZone: 'UTC', weekday: style, day: 'numeric', month: style, year: 'numeric' }).format(asUtcNoon(date));
}

/** "November 2026" for a month key "2026-11". */
export function formatMonth(monthKey: string, locale?: string): string {
  return dateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(asUtcNoon(`${monthKey}-01`));
}

/** An instant as a date and time in `zone`. */
export function formatInstant(epochMs: number, zone: string, locale?: string): string {
  return dateTimeFormat(locale, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochMs));
}

/** Today's local date (YYYY-MM-DD) in `zone`. */
export function todayIn(zone: string, now: number = Date.now()): string {
  const parts = dateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whether `zone` is an IANA zone this browser knows. */
export function isKnownZone(zone: string): boolean {
  try {
    dateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone: the fallback before the person's zone is known. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
