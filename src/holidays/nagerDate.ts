/**
 * Nager.Date v3 as a HolidaySource (see holidaySource.ts). Off unless an admin enables it in settings:
 * it needs egress to date.nager.at, and each request carries only a country code and a year.
 *
 *   new NagerDateSource(transport: HttpFetch, options?: NagerDateOptions)
 *     .countries()                      GET /api/v3/AvailableCountries
 *     .holidays(country, region, year)  GET /api/v3/PublicHolidays/{year}/{country}
 *     .regions(country)                 the counties named in this year's holidays (Nager has no region list)
 *
 * `transport` is fetch-shaped, so the Forge adapter passes `@forge/api`'s fetch and tests a local server.
 *
 * Mapping:
 * - `types`: Public → public, Bank → bank, School → school, Optional → optional, Observance → observance,
 *   and Authorities → bank: Nager.Date means "authorities are closed", a closure of offices that, like a
 *   bank holiday, is no general day off for employees, which is what date-holidays calls a bank holiday.
 *   With several types the one that most often means a day off wins (HOLIDAY_TYPE_PRECEDENCE).
 * - `global: true` → nationwide (regions null). `global: false` → kept only when `counties` contains the
 *   calendar's region, with regions = counties; a calendar without a region gets no regional holidays.
 * - Nager.Date has no half days: every holiday is a whole day (fraction 1).
 * - Names are the English `name` (the `localName` when there is none), as the offline provider's, so a
 *   re-import from either provider matches the same holidays by name.
 * - Entries with the same date and name (Nager.Date lists some once per group of counties) become one.
 *
 * Failures (HolidaySourceError): 404 → unknown country, or no data for the year when the country is
 * available; 204 or an empty list → no data; 400 → year out of range; 429 → waited out when Retry-After
 * is at most `maxInlineWaitSeconds`, otherwise rate-limited with the time to retry; 5xx and network
 * errors → retried `maxAttempts` times, then unavailable; no answer within `timeoutMs` → unavailable;
 * anything but the documented JSON → unavailable.
 */
import type { Holiday, HolidayType } from '../../domain/holidays';
import { retryAfterSeconds } from '../sources/jiraClient';
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

/** The part of `fetch` (global or `@forge/api`) the client uses. */
export type HttpFetch = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface NagerDateOptions {
  /** Default https://date.nager.at; tests pass a loopback server. */
  readonly baseUrl?: string;
  /** Per request, headers and body included. Default 8000 ms (a resolver has 25 s in all). */
  readonly timeoutMs?: number;
  /** Longest Retry-After waited out before retrying; longer ones fail with the time to retry. Default 5 s. */
  readonly maxInlineWaitSeconds?: number;
  /** Attempts for a 5xx, a network error or a short 429. Default 2. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The current year, for `regions` (Nager.Date lists counties per year). Default: the clock's UTC year. */
  readonly currentYear?: () => number;
}

export const NAGER_DATE_HOST = 'date.nager.at';

const TYPE_MAP: Readonly<Record<string, HolidayType>> = {
  Public: 'public',
  Bank: 'bank',
  Authorities: 'bank',
  School: 'school',
  Optional: 'optional',
  Observance: 'observance',
};

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

export class NagerDateSource implements HolidaySource {
  readonly id = 'nager-date' as const;
  readonly name = 'Nager.Date';
  readonly egress = { host: NAGER_DATE_HOST, sends: 'a country code and a year in the request path; nothing else (no people, no worklogs, no site name)' };
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxInlineWaitSeconds: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly currentYear: () => number;
  private available: Promise<HolidayCountry[]> | null = null;
  /** Requests sent, for tests and budgets. */
  requests = 0;

  constructor(
    private readonly fetchImpl: HttpFetch,
    options: NagerDateOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? `https://${NAGER_DATE_HOST}`).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 8000;
    this.maxInlineWaitSeconds = options.maxInlineWaitSeconds ?? 5;
    this.maxAttempts = options.maxAttempts ?? 2;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.currentYear = options.currentYear ?? (() => new Date().getUTCFullYear());
  }

  async countries(): Promise<HolidayCountry[]> {
    // Kept per instance: the 404 of an unknown country asks for it again.
    this.available ??= this.fetchCountries().catch((e: unknown) => {
      this.available = null;
      throw e;
    });
    return [...(await this.available)];
  }

  async regions(country: string): Promise<HolidayRegion[]> {
    const codes = new Set<string>();
    for (const dto of await this.publicHolidays(country, this.currentYear())) for (const c of dto.counties ?? []) codes.add(c);
    return [...codes].sort().map((code) => ({ code, name: code }));
  }

  async holidays(country: string, region: string | null, year: number): Promise<Holiday[]> {
    checkHolidayRequest(this.name, country, region, year);
    const merged = new Map<string, Holiday>();
    for (const dto of await this.publicHolidays(country, year)) {
      const h = toHoliday(dto, region);
      if (h === null) continue;
      const key = `${h.date}|${h.name}`;
      const seen = merged.get(key);
      merged.set(key, seen ? mergeSame(seen, h) : h);
    }
    return [...merged.values()].sort(byDateThenName);
  }

  private async fetchCountries(): Promise<HolidayCountry[]> {
    const path = '/api/v3/AvailableCountries';
    const answer = await this.get(path);
    if (answer.status !== 200) throw this.unexpected(path, answer);
    const body = this.parse(path, answer.body);
    if (!Array.isArray(body) || body.some((c) => typeof c?.countryCode !== 'string' || typeof c?.name !== 'string')) {
      throw malformed(path, 'a list of { countryCode, name }');
    }
    return (body as { countryCode: string; name: string }[])
      .map((c) => ({ code: c.countryCode.toUpperCase(), name: c.name }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  private async publicHolidays(country: string, year: number): Promise<PublicHolidayDto[]> {
    checkHolidayRequest(this.name, country, null, year);
    const path = `/api/v3/PublicHolidays/${year}/${country}`;
    const answer = await this.get(path);
    if (answer.status === 404) throw await this.notFound(country, year);
    if (answer.status === 204) throw noData(country, year, 'answered 204 No Content');
    if (answer.status === 400) {
      throw new HolidaySourceError(
        HolidaySourceErrorCode.yearOutOfRange,
        `Nager.Date refused year ${year} for ${country} (HTTP 400${problemDetail(answer.body)}): the year is outside the range it serves; pick a year closer to today, or use the offline provider`,
        { country, year, status: 400 },
      );
    }
    if (answer.status !== 200) throw this.unexpected(path, answer);
    const body = this.parse(path, answer.body);
    if (!Array.isArray(body)) throw malformed(path, 'a list of public holidays');
    if (body.length === 0) throw noData(country, year, 'answered an empty list');
    return body.map((raw, i) => checkDto(raw, i, path, year));
  }

  /** Nager.Date answers 404 both for an unknown country and for a year it has no data for; the country list tells them apart. */
  private async notFound(country: string, year: number): Promise<HolidaySourceError> {
    let known: boolean | null = null;
    try {
      known = (await this.countries()).some((c) => c.code === country);
    } catch {
      known = null;
    }
    if (known === false) {
      return new HolidaySourceError(HolidaySourceErrorCode.unknownCountry, `Nager.Date does not know the country ${country} (HTTP 404); pick one from its country list, or use the offline provider`, { country, year, status: 404 });
    }
    return noData(country, year, known ? 'answered 404 for this year although it knows the country' : 'answered 404: it does not know the country, or has no data for that year');
  }

  private unexpected(path: string, answer: Answer): HolidaySourceError {
    const why = answer.status >= 500 ? `failed with HTTP ${answer.status} (a fault on its side)` : `answered HTTP ${answer.status}`;
    return new HolidaySourceError(HolidaySourceErrorCode.unavailable, `Nager.Date ${path} ${why}${problemDetail(answer.body)}; try again later, or use the offline provider`, { path, status: answer.status });
  }

  private parse(path: string, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw malformed(path, 'JSON');
    }
  }

  /** One GET with timeout, waiting out short 429s and retrying 5xx and network errors. */
  private async get(path: string): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.once(path);
      } catch (e) {
        if (e instanceof HolidaySourceError) throw e; // a timeout: the time is spent, do not try again
        if (attempt >= this.maxAttempts) {
          throw new HolidaySourceError(HolidaySourceErrorCode.unavailable, `Nager.Date could not be reached (${(e as Error).message}); check that egress to ${NAGER_DATE_HOST} is allowed, try again later, or use the offline provider`, { path });
        }
        await this.sleep(500 * attempt);
        continue;
      }
      if (answer.status === 429) {
        const wait = retryAfterSeconds(answer.retryAfter);
        if (wait <= this.maxInlineWaitSeconds && attempt < this.maxAttempts) {
          await this.sleep(wait * 1000);
          continue;
        }
        throw new HolidaySourceError(HolidaySourceErrorCode.rateLimited, `Nager.Date is rate limiting this site (HTTP 429); try again in ${wait} s`, { path, retryAfterSeconds: wait });
      }
      if (answer.status >= 500 && attempt < this.maxAttempts) {
        await this.sleep(500 * attempt);
        continue;
      }
      return answer;
    }
  }

  private async once(path: string): Promise<Answer> {
    this.requests++;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Raced as well as aborted: a fetch that ignores the signal (or a body that stalls) still times out.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new HolidaySourceError(HolidaySourceErrorCode.unavailable, `Nager.Date did not answer ${path} within ${this.timeoutMs / 1000} s; try again later, or use the offline provider`, { path, timeoutMs: this.timeoutMs }),
        );
      }, this.timeoutMs);
    });
    const request = (async (): Promise<Answer> => {
      const res = await this.fetchImpl(this.baseUrl + path, { method: 'GET', headers: { Accept: 'application/json' }, signal: controller.signal });
      return { status: res.status, retryAfter: res.headers.get('Retry-After'), body: await res.text() };
    })();
    request.catch(() => undefined); // after a timeout its rejection (the abort) has no one left to tell
    try {
      return await Promise.race([request, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** PublicHolidayV3Dto, the fields the client reads. */
interface PublicHolidayDto {
  readonly date: string;
  readonly name: string;
  readonly global: boolean;
  readonly counties: readonly string[] | null;
  readonly types: readonly HolidayType[];
}

function checkDto(raw: unknown, index: number, path: string, year: number): PublicHolidayDto {
  const d = (raw ?? {}) as Record<string, unknown>;
  const bad = (what: string): never => {
    throw malformed(path, `holiday #${index} with ${what}`);
  };
  const date = d.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !date.startsWith(`${year}-`)) bad(`a date in ${year} as YYYY-MM-DD (got ${JSON.stringify(date)})`);
  const name = typeof d.name === 'string' && d.name.trim() !== '' ? d.name.trim() : typeof d.localName === 'string' && d.localName.trim() !== '' ? d.localName.trim() : bad('a name');
  if (typeof d.global !== 'boolean') bad('global true or false');
  const counties = d.counties ?? null;
  if (counties !== null && (!Array.isArray(counties) || counties.some((c) => typeof c !== 'string'))) bad('counties as a list of codes or null');
  if (!Array.isArray(d.types)) bad('a list of types');
  const types = (d.types as unknown[]).map((t) => (typeof t === 'string' ? TYPE_MAP[t] : undefined)).filter((t): t is HolidayType => t !== undefined);
  if (types.length === 0) bad(`a type among ${Object.keys(TYPE_MAP).join(', ')} (got ${JSON.stringify(d.types)})`);
  return { date: date as string, name: name as string, global: d.global as boolean, counties: counties as string[] | null, types };
}

function toHoliday(dto: PublicHolidayDto, region: string | null): Holiday | null {
  const type = strongestType(dto.types) as HolidayType;
  if (dto.global) return { date: dto.date, name: dto.name, type, fraction: 1, regions: null };
  if (region === null || dto.counties === null || !dto.counties.includes(region)) return null;
  return { date: dto.date, name: dto.name, type, fraction: 1, regions: [...dto.counties].sort() };
}

function mergeSame(a: Holiday, b: Holiday): Holiday {
  const type = strongestType([a.type, b.type]) as HolidayType;
  const regions = a.regions === null || b.regions === null ? null : [...new Set([...a.regions, ...b.regions])].sort();
  return { ...a, type, regions };
}

function noData(country: string, year: number, why: string): HolidaySourceError {
  return new HolidaySourceError(HolidaySourceErrorCode.noData, `Nager.Date has no holidays for ${country} in ${year} (it ${why}); pick another year, or use the offline provider`, { country, year });
}

function malformed(path: string, expected: string): HolidaySourceError {
  return new HolidaySourceError(HolidaySourceErrorCode.unavailable, `Nager.Date ${path} answered something other than ${expected}; nothing was imported. Try again later, or use the offline provider`, { path });
}

/** " (title)" of an RFC 7807 problem answer, or a short excerpt of the text, or nothing. */
function problemDetail(text: string): string {
  if (text.trim() === '') return '';
  try {
    const p = JSON.parse(text) as { title?: unknown; detail?: unknown };
    const said = [p.title, p.detail].filter((s) => typeof s === 'string' && s !== '').join(': ');
    if (said) return ` — ${said.slice(0, 200)}`;
  } catch {
    /* not JSON: show the text */
  }
  return ` — ${text.trim().slice(0, 200)}`;
}
