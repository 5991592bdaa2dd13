import { DomainError, ErrorCode } from './errors';
import { isLocalDate, type LocalDate } from './localDate';

/** Holiday types, as date-holidays and Nager.Date classify them. Only counted types reduce expected time. */
export type HolidayType = 'public' | 'bank' | 'school' | 'optional' | 'observance';
export const HOLIDAY_TYPES: readonly HolidayType[] = ['public', 'bank', 'school', 'optional', 'observance'];

/** What a site counts by default: public holidays only. Observances (Mother's Day) never count. */
export const DEFAULT_COUNTED_HOLIDAY_TYPES: readonly HolidayType[] = ['public'];

export interface Holiday {
  readonly date: LocalDate;
  readonly name: string;
  readonly type: HolidayType;
  /** 1 for a whole day off, 0.5 for a half day (24 December in many contracts). */
  readonly fraction: 1 | 0.5;
  /** Regions (e.g. "BE-VLG", "DE-BY") the holiday is limited to; null for the whole country. */
  readonly regions: readonly string[] | null;
  /**
   * Absent for a holiday as a provider imported it. Set when an HR admin changed the calendar, so that
   * a re-import keeps the change (domain/holidayImport.ts): `added` by hand; `edited` (an imported
   * holiday changed); `removed` (an imported holiday taken out: kept as a marker that never counts
   * and is never shown, so a re-import does not bring it back).
   */
  readonly manual?: HolidayEdit;
  /**
   * For `edited` and `removed` only: the imported holiday this entry stands for, as "YYYY-MM-DD|name"
   * at import time (holidayKey), since the edit may change the date or the name.
   */
  readonly importKey?: string;
}

export type HolidayEdit = 'added' | 'edited' | 'removed';
export const HOLIDAY_EDITS: readonly HolidayEdit[] = ['added', 'edited', 'removed'];

/** How an imported holiday is recognised on re-import: its date and name. */
export const holidayKey = (h: Pick<Holiday, 'date' | 'name'>): string => `${h.date}|${h.name}`;

export interface HolidayCalendar {
  readonly id: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /** The region this calendar is for (ISO 3166-2), or null for nationwide holidays only. */
  readonly region: string | null;
  readonly holidays: readonly Holiday[];
}

const holidayError = (where: string, field: string, why: string, value: unknown, extra: Record<string, unknown> = {}): never => {
  throw new DomainError(ErrorCode.invalidHoliday, `${where}: ${field} ${why}; got ${JSON.stringify(value)}`, { field, value, ...extra });
};

/** Returns a well-formed calendar or throws INVALID_HOLIDAY naming the calendar, the holiday and the field. */
export function validateHolidayCalendar(input: unknown, index?: number): HolidayCalendar {
  const c = (input ?? {}) as Record<string, unknown>;
  const where = `holiday calendar ${JSON.stringify(c.id ?? null)}${index === undefined ? '' : ` (#${index})`}`;
  if (typeof c.id !== 'string' || c.id.length === 0) holidayError(where, 'id', 'must be a non-empty string', c.id);
  if (typeof c.country !== 'string' || !/^[A-Z]{2}$/.test(c.country)) holidayError(where, 'country', 'must be a two-letter country code such as "BE"', c.country);
  const region = c.region ?? null;
  if (region !== null && (typeof region !== 'string' || region.length === 0)) holidayError(where, 'region', 'must be a region code such as "BE-VLG", or null', region);
  if (!Array.isArray(c.holidays)) holidayError(where, 'holidays', 'must be a list', c.holidays);
  const holidays = (c.holidays as unknown[]).map((raw, i): Holiday => {
    const h = (raw ?? {}) as Record<string, unknown>;
    const at = `${where} holiday #${i} (${JSON.stringify(h.date ?? null)})`;
    const ctx = { calendarId: c.id, holidayIndex: i };
    if (!isLocalDate(h.date)) holidayError(at, 'date', 'must be a date YYYY-MM-DD', h.date, ctx);
    if (typeof h.name !== 'string' || h.name.trim().length === 0) holidayError(at, 'name', 'must be a non-empty name', h.name, ctx);
    const type = h.type ?? 'public';
    if (!HOLIDAY_TYPES.includes(type as HolidayType)) holidayError(at, 'type', `must be one of ${HOLIDAY_TYPES.join(', ')}`, type, ctx);
    const fraction = h.fraction ?? 1;
    if (fraction !== 1 && fraction !== 0.5) holidayError(at, 'fraction', 'must be 1 (whole day) or 0.5 (half day)', fraction, ctx);
    const regions = h.regions ?? null;
    if (regions !== null && (!Array.isArray(regions) || regions.some((r) => typeof r !== 'string' || r.length === 0))) {
      holidayError(at, 'regions', 'must be a list of region codes, or null for the whole country', regions, ctx);
    }
    const manual = h.manual;
    if (manual !== undefined && !HOLIDAY_EDITS.includes(manual as HolidayEdit)) holidayError(at, 'manual', `must be one of ${HOLIDAY_EDITS.join(', ')}, or absent for an imported holiday`, manual, ctx);
    const importKey = h.importKey;
    const needsKey = manual === 'edited' || manual === 'removed';
    if (needsKey && (typeof importKey !== 'string' || !/^\d{4}-\d{2}-\d{2}\|./.test(importKey))) {
      holidayError(at, 'importKey', `must name the imported holiday a ${String(manual)} entry stands for, as "YYYY-MM-DD|name"`, importKey, ctx);
    }
    if (!needsKey && importKey !== undefined) holidayError(at, 'importKey', 'belongs only to an edited or removed holiday', importKey, ctx);
    return {
      date: h.date as string,
      name: h.name as string,
      type: type as HolidayType,
      fraction: fraction as 1 | 0.5,
      regions: regions as string[] | null,
      ...(manual === undefined ? {} : { manual: manual as HolidayEdit }),
      ...(needsKey ? { importKey: importKey as string } : {}),
    };
  });
  return { id: c.id as string, country: c.country as string, region: region as string | null, holidays };
}

/**
 * The holiday on `date` that reduces expected time, if any: of a counted type,
 * nationwide or in the calendar's region. When several apply (a public holiday
 * on a half-day bank holiday), the largest fraction wins; they never add up.
 */
export function countedHolidayOn(
  calendar: HolidayCalendar | null,
  date: LocalDate,
  countedTypes: readonly HolidayType[] = DEFAULT_COUNTED_HOLIDAY_TYPES,
): Holiday | null {
  if (!calendar) return null;
  let best: Holiday | null = null;
  for (const h of calendar.holidays) {
    if (h.date !== date || h.manual === 'removed' || !countedTypes.includes(h.type) || h.type === 'observance') continue;
    if (h.regions !== null && (calendar.region === null || !h.regions.includes(calendar.region))) continue;
    if (best === null || h.fraction > best.fraction) best = h;
  }
  return best;
}

/** Every holiday on `date` a person might want to see, counted or not (observances included; removed ones not). */
export function holidaysOn(calendar: HolidayCalendar | null, date: LocalDate): Holiday[] {
  if (!calendar) return [];
  return calendar.holidays.filter(
    (h) => h.date === date && h.manual !== 'removed' && (h.regions === null || (calendar.region !== null && h.regions.includes(calendar.region))),
  );
}
