/**
 * The port through which holidays are imported into a calendar.
 *
 *   interface HolidaySource {
 *     id: 'offline' | 'nager-date';
 *     egress: HolidaySourceEgress;                        // which host, what leaves the site
 *     countries(): Promise<HolidayCountry[]>;             // sorted by code
 *     regions?(country): Promise<HolidayRegion[]>;        // ISO 3166-2 style codes ("DE-BY"); absent when the provider has no list
 *     holidays(country, region | null, year): Promise<Holiday[]>;
 *   }
 *
 * `holidays` answers one calendar year as the engine stores it (domain/holidays.ts): civil dates
 * (YYYY-MM-DD, no instants), the provider's type mapped to a HolidayType, fraction 0.5 for a half
 * day, `regions` null for a nationwide holiday and a list of region codes for a regional one.
 * Regional holidays come only for the region asked for (none when `region` is null). Sorted by
 * date then name; at most one entry per (date, name).
 *
 * Providers: src/holidays/offlineHolidays.ts (date-holidays, no egress, the default) and
 * src/holidays/nagerDate.ts (Nager.Date v3 over an injected transport).
 *
 * Failures are HolidaySourceError (a DomainError, so resolvers answer with its code and message):
 * the code says what went wrong, the message what to do.
 */
import { DomainError } from '../../domain/errors';
import type { Holiday, HolidayType } from '../../domain/holidays';

export interface HolidayCountry {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly code: string;
  readonly name: string;
}

export interface HolidayRegion {
  /** "DE-BY": the country code, a hyphen and the provider's subdivision code. */
  readonly code: string;
  readonly name: string;
}

/** What using this provider sends off the site, for the admin guide, settings and the manifest's egress. */
export interface HolidaySourceEgress {
  /** The host requests go to, or null when nothing leaves the site. */
  readonly host: string | null;
  /** In words: what a request carries. */
  readonly sends: string;
}

export type HolidaySourceId = 'offline' | 'nager-date';

export interface HolidaySource {
  readonly id: HolidaySourceId;
  /** A name to show an admin. */
  readonly name: string;
  readonly egress: HolidaySourceEgress;
  countries(): Promise<HolidayCountry[]>;
  regions?(country: string): Promise<HolidayRegion[]>;
  holidays(country: string, region: string | null, year: number): Promise<Holiday[]>;
}

/** Stable codes of a provider's refusals and failures. */
export const HolidaySourceErrorCode = {
  /** The country code is malformed or the provider does not know it. */
  unknownCountry: 'HOLIDAY_UNKNOWN_COUNTRY',
  /** The region is not one of the country's regions. */
  unknownRegion: 'HOLIDAY_UNKNOWN_REGION',
  /** The provider has no holidays for this country and year (404 for a known country, 204, an empty list). */
  noData: 'HOLIDAY_NO_DATA',
  /** The year is outside what the provider accepts. */
  yearOutOfRange: 'HOLIDAY_YEAR_OUT_OF_RANGE',
  /** The provider is rate limiting; `details.retryAfterSeconds` says when to try again. */
  rateLimited: 'HOLIDAY_SOURCE_RATE_LIMITED',
  /** The provider did not answer in time, failed (5xx, network) or answered something unreadable. */
  unavailable: 'HOLIDAY_SOURCE_UNAVAILABLE',
} as const;
export type HolidaySourceErrorCode = (typeof HolidaySourceErrorCode)[keyof typeof HolidaySourceErrorCode];

export class HolidaySourceError extends DomainError {
  constructor(code: HolidaySourceErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'HolidaySourceError';
  }
}

/** Years every provider accepts; outside them the request is refused before anything is sent. */
export const HOLIDAY_YEAR_MIN = 1900;
export const HOLIDAY_YEAR_MAX = 2100;

/** Refuses a malformed country code or year with a message that says what to send instead. */
export function checkHolidayRequest(providerName: string, country: string, region: string | null, year: number): void {
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) {
    throw new HolidaySourceError(HolidaySourceErrorCode.unknownCountry, `${JSON.stringify(country)} is not a country code: send two upper-case letters such as "BE" (ISO 3166-1 alpha-2)`, { country });
  }
  if (region !== null && (typeof region !== 'string' || !region.startsWith(`${country}-`) || region.length < 4)) {
    throw new HolidaySourceError(HolidaySourceErrorCode.unknownRegion, `${JSON.stringify(region)} is not a region of ${country}: send a code such as "${country}-XX" from the country's region list, or null for nationwide holidays only`, { country, region });
  }
  if (!Number.isInteger(year) || year < HOLIDAY_YEAR_MIN || year > HOLIDAY_YEAR_MAX) {
    throw new HolidaySourceError(HolidaySourceErrorCode.yearOutOfRange, `${providerName} imports years ${HOLIDAY_YEAR_MIN} to ${HOLIDAY_YEAR_MAX}; got ${JSON.stringify(year)}`, { year });
  }
}

/**
 * When a provider gives several types for one holiday (Nager.Date: ["Public", "Bank"]), the one that
 * most often means a day off wins, so that a site counting public holidays does not miss it.
 */
export const HOLIDAY_TYPE_PRECEDENCE: readonly HolidayType[] = ['public', 'bank', 'optional', 'school', 'observance'];

export function strongestType(types: readonly HolidayType[]): HolidayType | null {
  for (const t of HOLIDAY_TYPE_PRECEDENCE) if (types.includes(t)) return t;
  return null;
}

/** Date, then name: the order every provider returns. */
export function byDateThenName(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
