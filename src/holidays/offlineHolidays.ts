/**
 * The offline HolidaySource (see holidaySource.ts) on the `date-holidays` package: its data ships
 * with the app, so nothing leaves the site. The default provider.
 *
 *   new OfflineHolidaySource()
 *     .countries()                      every country date-holidays knows (English names), by code
 *     .regions(country)                 its states ("DE-BY") and their regions ("DE-BY-A"), by code
 *     .holidays(country, region, year)  one calendar year, every type (the site's settings decide which count)
 *
 * Mapping:
 * - Civil date: the first ten characters of date-holidays' `date` ("2026-12-24 14:00:00" → 2026-12-24);
 *   a trailing offset (" -0600": the holiday begins the evening before, as Islamic and Jewish days do)
 *   does not move the civil date.
 * - Type: date-holidays' own (public, bank, school, optional, observance), which are ours.
 * - Half days: a day the holiday covers only part of is a half day (fraction 0.5): it starts after
 *   local midnight (DE 24 December from 14:00) or ends before the next (BR Ash Wednesday until
 *   14:00). Holidays of several days (Eid, Chinese New Year) become one entry per day they cover.
 *   Covered means at least 20 of the day's hours (a clock change makes a day 23 or 25 hours long);
 *   at least 2 hours makes a half day; less is no holiday on that day.
 * - Regions: a holiday also in the country's nationwide list is nationwide (regions null); one only
 *   in the region's list is limited to that region (regions [region]). Without a region, only
 *   nationwide holidays. Regional lists (DE-BY) include the state's holidays and the nation's.
 * - Names in English, matching Nager.Date's `name`, so either provider's re-import finds the same holidays.
 */
import Holidays, { type HolidaysTypes } from 'date-holidays';
import type { Holiday, HolidayType } from '../../domain/holidays';
import { addDays } from '../../domain/localDate';
import {
  byDateThenName,
  checkHolidayRequest,
  HolidaySourceError,
  HolidaySourceErrorCode,
  strongestType,
  type HolidayCountry,
  type HolidayRegion,
  type HolidaySource,
} from './holidaySource';

const HOUR_MS = 3_600_000;
/** At least this many hours of a day make it a whole holiday (a day is 23 to 25 hours long). */
const WHOLE_DAY_HOURS = 20;
/** At least this many hours make a half day; less is a sliver the data's rounding leaves. */
const PART_DAY_HOURS = 2;

const OUR_TYPES: readonly HolidayType[] = ['public', 'bank', 'school', 'optional', 'observance'];

export class OfflineHolidaySource implements HolidaySource {
  readonly id = 'offline' as const;
  readonly name = 'Offline (date-holidays)';
  readonly egress = { host: null, sends: 'nothing: the holiday data ships with the app' };
  private readonly catalogue = new Holidays();

  async countries(): Promise<HolidayCountry[]> {
    const names = this.catalogue.getCountries('en') as Record<string, string>;
    return Object.entries(names)
      .map(([code, name]) => ({ code, name }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  async regions(country: string): Promise<HolidayRegion[]> {
    this.knownCountry(country);
    const out: HolidayRegion[] = [];
    const states = (this.catalogue.getStates(country, 'en') ?? {}) as Record<string, string>;
    for (const [state, stateName] of Object.entries(states)) {
      out.push({ code: `${country}-${state}`, name: stateName });
      const regions = (this.catalogue.getRegions(country, state, 'en') ?? {}) as Record<string, string>;
      for (const [region, regionName] of Object.entries(regions)) out.push({ code: `${country}-${state}-${region}`, name: `${regionName} (${stateName})` });
    }
    return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  async holidays(country: string, region: string | null, year: number): Promise<Holiday[]> {
    checkHolidayRequest(this.name, country, region, year);
    this.knownCountry(country);
    const nationwide = civilDays(new Holidays(country).getHolidays(year, 'en'), year);
    if (region === null) return finish(nationwide.map((h) => ({ ...h, regions: null })));
    if (!(await this.regions(country)).some((r) => r.code === region)) {
      throw new HolidaySourceError(HolidaySourceErrorCode.unknownRegion, `${region} is not a region of ${country} in the offline holiday data; pick one from the country's region list, or none for nationwide holidays only`, { country, region });
    }
    const [, state, sub] = region.split('-') as [string, string, string | undefined];
    const local = sub === undefined ? new Holidays(country, state) : new Holidays(country, state, sub);
    const same = new Set(nationwide.map(identity));
    return finish(civilDays(local.getHolidays(year, 'en'), year).map((h) => ({ ...h, regions: same.has(identity(h)) ? null : [region] })));
  }

  private knownCountry(country: string): void {
    if (!Object.hasOwn(this.catalogue.getCountries('en') as object, country)) {
      throw new HolidaySourceError(HolidaySourceErrorCode.unknownCountry, `the offline holiday data has no country ${JSON.stringify(country)}; pick one from its country list`, { country });
    }
  }
}

type Unplaced = Omit<Holiday, 'regions'>;

const identity = (h: Unplaced): string => `${h.date}|${h.name}|${h.type}|${h.fraction}`;

/** date-holidays' entries as one whole or half day each, within `year`. */
function civilDays(entries: readonly HolidaysTypes.Holiday[], year: number): Unplaced[] {
  const out: Unplaced[] = [];
  for (const e of entries) {
    if (!OUR_TYPES.includes(e.type as HolidayType)) continue;
    const date = e.date.slice(0, 10);
    const clock = /^\d{4}-\d{2}-\d{2} (\d{2}):(\d{2})/.exec(e.date);
    // Hours from the civil date's local midnight: the clock time in `date`, then the length in real time.
    const from = clock ? Number(clock[1]) + Number(clock[2]) / 60 : 0;
    const to = from + (e.end.getTime() - e.start.getTime()) / HOUR_MS;
    for (let day = 0; day * 24 < to; day++) {
      const covered = Math.min(to, day * 24 + 24) - Math.max(from, day * 24);
      if (covered < PART_DAY_HOURS) continue;
      const civil = day === 0 ? date : addDays(date, day);
      if (!civil.startsWith(`${year}-`)) continue;
      out.push({ date: civil, name: e.name, type: e.type as HolidayType, fraction: covered >= WHOLE_DAY_HOURS ? 1 : 0.5 });
    }
  }
  return out;
}

/** One entry per (date, name), the stronger type and the larger fraction winning; sorted. */
function finish(holidays: Holiday[]): Holiday[] {
  const merged = new Map<string, Holiday>();
  for (const h of holidays) {
    const key = `${h.date}|${h.name}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, h);
    else {
      const regions = seen.regions === null || h.regions === null ? null : [...new Set([...seen.regions, ...h.regions])].sort();
      merged.set(key, { ...seen, type: strongestType([seen.type, h.type]) as HolidayType, fraction: seen.fraction === 1 || h.fraction === 1 ? 1 : 0.5, regions });
    }
  }
  return [...merged.values()].sort(byDateThenName);
}
