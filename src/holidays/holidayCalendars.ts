/**
 * Holiday calendars as HR admins keep them: the use cases behind the `holidays/*` resolvers.
 * A calendar's description { id, country, region } is stored under keys.calendar(id), each year's
 * holidays under keys.holidays(id, year) (as src/app/loadReport.ts reads them).
 *
 *   holidaySourceFor(provider, { kv, nagerFetch })        → HolidaySource (settings.holidayProvider picks it)
 *   holidayCountries(source, { country? })                → `holidays/countries`
 *   previewHolidayImport(kv, source, HolidayImportInput)  → `holidays/preview`: what an import would do, per year; writes nothing
 *   importHolidays(deps, actor, source, HolidayImportInput) → `holidays/import`: the same, written and audited
 *   getHolidayCalendar(kv, { calendarId?, years? })       → `holidays/calendar`: one calendar's years, or every calendar
 *   saveHolidays(deps, actor, HolidaySaveInput)           → `holidays/save`: create a calendar, or HR edits to one year
 *
 * Payload schemas: holidayCountriesSchema, holidayImportSchema (preview and import), holidayCalendarSchema,
 * holidaySaveSchema.
 *
 * - An import of a calendar that does not exist yet creates it for the country and region asked; one
 *   that exists must be asked with its own country and region (a calendar never changes country).
 * - Every year is fetched and checked before anything is written; a provider failure writes nothing.
 * - Imports and saves of one calendar hold its mutex (`holidays#<calendarId>`, src/app/mutex.ts) from
 *   their first read of it to their last write (the provider is asked before), so an import racing an
 *   HR edit never overwrites the edit, and two edits of one year are both kept.
 * - Re-import keeps HR's edits unless `overwriteManual` (domain/holidayImport.ts).
 * - Each written year appends an audit entry (`holidays.import`, `holidays.save`; target the year's
 *   key; details: calendar, year, provider, and the entries added, changed (before and after) and
 *   removed) BEFORE the write, as every use case does. A call that changes nothing writes nothing.
 */
import { z } from 'zod';
import { plainText } from '../app/plainText';
import type { JsonObject } from '../../domain/canonicalJson';
import { DomainError } from '../../domain/errors';
import { applyImport, editCalendarYear, previewImport, type HolidayEditRequest, type ImportPreview } from '../../domain/holidayImport';
import { HOLIDAY_TYPES, validateHolidayCalendar, type Holiday, type HolidayCalendar } from '../../domain/holidays';
import { appendAudit } from '../app/auditLog';
import { withMutex } from '../app/mutex';
import { queryAll } from '../app/queryAll';
import { keys } from '../app/storageKeys';
import type { Clock, KvOperation, KvStore } from '../ports';
import { HOLIDAY_YEAR_MAX, HOLIDAY_YEAR_MIN, type HolidayCountry, type HolidayRegion, type HolidaySource } from './holidaySource';
import { NagerDateSource, type HttpFetch, type NagerDateOptions } from './nagerDate';
import { OfflineHolidaySource } from './offlineHolidays';

export interface HolidayDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type CalendarDescription = Omit<HolidayCalendar, 'holidays'>;

/** At most this many years an import or a calendar read: each year is one request to the provider and one key. */
export const MAX_IMPORT_YEARS = 10;
/** Nager.Date answers are kept this long (its data changes a few times a year). */
export const HOLIDAY_CACHE_TTL_SECONDS = 30 * 24 * 3600;
/** Cached provider answers, per provider, country, region and year. */
export const holidayCacheKey = (provider: string, country: string, region: string | null, year: number) => `holcache#${provider}#${country}#${region ?? '-'}#${year}`;

const calendarId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a calendar id: 1–64 letters, digits, ".", "_" or "-"' });
const country = z.string().regex(/^[A-Z]{2}$/, { message: 'must be a two-letter country code such as "BE"' });
const region = z.string().min(3).max(32).regex(/^[A-Z]{2}-[A-Za-z0-9-]+$/, { message: 'must be a region code such as "DE-BY"' }).nullable();
const year = z.number().int().min(HOLIDAY_YEAR_MIN).max(HOLIDAY_YEAR_MAX);
const years = z
  .array(year)
  .min(1)
  .max(MAX_IMPORT_YEARS)
  .refine((ys) => new Set(ys).size === ys.length, { message: 'must not name a year twice' });
const holiday = z.strictObject({
  date: z.string().max(10),
  name: plainText(1, 200),
  type: z.enum(HOLIDAY_TYPES as [Holiday['type'], ...Holiday['type'][]]).optional(),
  fraction: z.union([z.literal(1), z.literal(0.5)]).optional(),
  regions: z.array(z.string().min(1).max(32)).max(50).nullable().optional(),
});
const slot = z.string().min(12).max(260);

/** `holidays/countries`: the provider's countries, or with `country` that country's regions. */
export const holidayCountriesSchema = z.strictObject({ country: country.optional() });
/** `holidays/preview` and `holidays/import`. */
export const holidayImportSchema = z.strictObject({ calendarId, country, region: region.optional(), years, overwriteManual: z.boolean().optional() });
/** `holidays/calendar`: one calendar (with `years`, its holidays of those years), or without an id every calendar's description. */
export const holidayCalendarSchema = z.strictObject({ calendarId: calendarId.optional(), years: years.optional() });
/** `holidays/save`: create a calendar (country, region), and/or HR's edits to one year of it, applied in order. */
export const holidaySaveSchema = z
  .strictObject({
    calendarId,
    country: country.optional(),
    region: region.optional(),
    year: year.optional(),
    edits: z
      .array(
        z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('add'), holiday }),
          z.strictObject({ kind: z.literal('edit'), slot, holiday }),
          z.strictObject({ kind: z.literal('remove'), slot }),
        ]),
      )
      .max(100)
      .optional(),
  })
  .refine((s) => (s.edits === undefined) === (s.year === undefined), { message: 'edits and year go together: name the year the edits are for' });

export type HolidayImportInput = z.infer<typeof holidayImportSchema>;
export type HolidaySaveInput = z.infer<typeof holidaySaveSchema>;

/**
 * The provider settings name. Nager.Date needs the runtime's fetch (`@forge/api` fetch in Forge,
 * with the egress declared): without one it is refused, naming the setting to change.
 */
export function holidaySourceFor(provider: 'offline' | 'nager-date', deps: { kv?: KvStore; nagerFetch?: HttpFetch | null; nagerOptions?: NagerDateOptions }): HolidaySource {
  if (provider === 'offline') return new OfflineHolidaySource();
  if (!deps.nagerFetch) {
    throw new DomainError('HOLIDAY_PROVIDER_UNAVAILABLE', 'the holiday provider is set to Nager.Date, but this installation may not reach date.nager.at; set the holiday provider to "offline" in settings, or deploy with the Nager.Date egress enabled', {
      provider,
    });
  }
  const source = new NagerDateSource(deps.nagerFetch, deps.nagerOptions);
  return deps.kv ? cachedHolidaySource(deps.kv, source) : source;
}

/** A provider whose yearly answers are kept in storage for HOLIDAY_CACHE_TTL_SECONDS; failures are not kept. */
export function cachedHolidaySource(kv: KvStore, source: HolidaySource, ttlSeconds = HOLIDAY_CACHE_TTL_SECONDS): HolidaySource {
  return {
    id: source.id,
    name: source.name,
    egress: source.egress,
    countries: () => source.countries(),
    ...(source.regions ? { regions: (c: string) => source.regions!(c) } : {}),
    async holidays(c, r, y) {
      const key = holidayCacheKey(source.id, c, r, y);
      const kept = await kv.get<Holiday[]>(key);
      if (kept !== undefined) return kept;
      const fresh = await source.holidays(c, r, y);
      await kv.set(key, fresh, { ttlSeconds });
      return fresh;
    },
  };
}

export interface HolidayCountriesAnswer {
  readonly provider: HolidaySource['id'];
  readonly providerName: string;
  readonly egress: HolidaySource['egress'];
  readonly countries?: HolidayCountry[];
  readonly regions?: HolidayRegion[];
}

export async function holidayCountries(source: HolidaySource, input: { country?: string | undefined }): Promise<HolidayCountriesAnswer> {
  const base = { provider: source.id, providerName: source.name, egress: source.egress };
  if (input.country === undefined) return { ...base, countries: await source.countries() };
  return { ...base, regions: source.regions ? await source.regions(input.country) : [] };
}

/** One year of a preview, as the resolver answers it: the domain's preview without the resulting year. */
export type YearPreview = Omit<ImportPreview, 'result'>;

export interface HolidayImportAnswer {
  readonly calendar: CalendarDescription;
  /** True when the calendar does not exist yet (the import creates it). */
  readonly newCalendar: boolean;
  readonly provider: HolidaySource['id'];
  readonly years: readonly YearPreview[];
  /** False when nothing would change (preview) or nothing was written (import). */
  readonly changes: boolean;
}

async function readCalendar(kv: KvStore, id: string): Promise<CalendarDescription | undefined> {
  return kv.get<CalendarDescription>(keys.calendar(id));
}

async function readYear(kv: KvStore, id: string, y: number): Promise<Holiday[]> {
  return (await kv.get<Holiday[]>(keys.holidays(id, y))) ?? [];
}

interface PlannedImport {
  readonly answer: HolidayImportAnswer;
  readonly previews: readonly { readonly preview: ImportPreview; readonly stored: readonly Holiday[] }[];
}

/** Each year's holidays from the provider, fetched before anything is read or held: a provider failure writes nothing. */
async function fetchYears(source: HolidaySource, input: HolidayImportInput): Promise<Map<number, Holiday[]>> {
  const fetched = new Map<number, Holiday[]>();
  for (const y of [...input.years].sort((a, b) => a - b)) fetched.set(y, await source.holidays(input.country, input.region ?? null, y));
  return fetched;
}

async function planImport(kv: KvStore, source: HolidaySource, input: HolidayImportInput, fetched: ReadonlyMap<number, Holiday[]>): Promise<PlannedImport> {
  const wanted: CalendarDescription = { id: input.calendarId, country: input.country, region: input.region ?? null };
  const existing = await readCalendar(kv, input.calendarId);
  if (existing && (existing.country !== wanted.country || existing.region !== wanted.region)) {
    const is = `${existing.country}${existing.region ? ` / ${existing.region}` : ''}`;
    throw new DomainError('HOLIDAY_CALENDAR_MISMATCH', `calendar "${existing.id}" is for ${is}, not ${wanted.country}${wanted.region ? ` / ${wanted.region}` : ''}; import into it with its own country and region, or into a new calendar id. Nothing was imported.`, {
      calendarId: existing.id,
    });
  }
  const previews = [];
  for (const [y, imported] of fetched) {
    const stored = await readYear(kv, input.calendarId, y);
    previews.push({ stored, preview: previewImport(stored, imported, { year: y, overwriteManual: input.overwriteManual ?? false }) });
  }
  const years = previews.map(({ preview: p }) => ({ year: p.year, added: p.added, changed: p.changed, removed: p.removed, keptManual: p.keptManual, unchanged: p.unchanged }));
  const changes = !existing || years.some((p) => p.added.length + p.changed.length + p.removed.length > 0);
  return { answer: { calendar: existing ?? wanted, newCalendar: !existing, provider: source.id, years, changes }, previews };
}

/** Holds the calendar's mutex from the first read of it to the last write: imports and HR's edits of one calendar are made one after the other. */
const withCalendar = <T>(deps: HolidayDeps, calendarId: string, what: string, fn: () => Promise<T>) => withMutex(deps, `holidays#${calendarId}`, { what: `${what} calendar ${calendarId}`, waitMs: 8_000 }, fn);

/** What importing would add, change and remove in each year; nothing is written. */
export async function previewHolidayImport(kv: KvStore, source: HolidaySource, input: HolidayImportInput): Promise<HolidayImportAnswer> {
  return (await planImport(kv, source, input, await fetchYears(source, input))).answer;
}

const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as JsonObject[string];

/** Imports the years (fetched again, so it writes what a fresh preview shows), audited, in one transaction. */
export async function importHolidays(deps: HolidayDeps, actor: string, source: HolidaySource, input: HolidayImportInput): Promise<HolidayImportAnswer> {
  const fetched = await fetchYears(source, input);
  return withCalendar(deps, input.calendarId, 'importing into', () => importFetched(deps, actor, source, input, fetched));
}

async function importFetched(deps: HolidayDeps, actor: string, source: HolidaySource, input: HolidayImportInput, fetched: ReadonlyMap<number, Holiday[]>): Promise<HolidayImportAnswer> {
  const { answer, previews } = await planImport(deps.kv, source, input, fetched);
  if (!answer.changes) return answer;
  const ops: KvOperation[] = [];
  if (answer.newCalendar) {
    ops.push({ kind: 'set', key: keys.calendar(answer.calendar.id), value: answer.calendar });
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action: 'holidays.calendar', target: keys.calendar(answer.calendar.id), details: { before: null, after: json(answer.calendar) } });
  }
  for (const { stored, preview } of previews) {
    if (preview.added.length + preview.changed.length + preview.removed.length === 0) continue;
    const key = keys.holidays(answer.calendar.id, preview.year);
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      action: 'holidays.import',
      target: key,
      details: {
        calendarId: answer.calendar.id,
        year: preview.year,
        provider: source.id,
        overwriteManual: input.overwriteManual ?? false,
        added: json(preview.added),
        changed: json(preview.changed),
        removed: json(preview.removed),
      },
    });
    ops.push({ kind: 'set', key, value: applyImport(stored, preview) });
  }
  await deps.kv.transact(ops);
  return answer;
}

export interface HolidayCalendarAnswer {
  readonly calendars?: CalendarDescription[];
  readonly calendar?: CalendarDescription;
  /** Per year asked, every stored entry (HR's removed markers included, marked `manual: "removed"`). */
  readonly years?: { readonly year: number; readonly holidays: readonly Holiday[] }[];
}

export async function getHolidayCalendar(kv: KvStore, input: { calendarId?: string | undefined; years?: readonly number[] | undefined }): Promise<HolidayCalendarAnswer> {
  if (input.calendarId === undefined) return { calendars: (await queryAll<CalendarDescription>(kv, 'hcal#')).map((r) => r.value) };
  const calendar = await readCalendar(kv, input.calendarId);
  if (!calendar) throw notFound(input.calendarId);
  const ys = [...(input.years ?? [])].sort((a, b) => a - b);
  return { calendar, years: await Promise.all(ys.map(async (y) => ({ year: y, holidays: await readYear(kv, calendar.id, y) }))) };
}

const notFound = (id: string) =>
  new DomainError('HOLIDAY_CALENDAR_NOT_FOUND', `there is no holiday calendar "${id}"; create it first (holidays/save with a country, or holidays/import). Nothing was changed.`, { calendarId: id });

export interface HolidaySaveAnswer {
  readonly calendar: CalendarDescription;
  readonly year?: number;
  readonly holidays?: readonly Holiday[];
  readonly changed: boolean;
}

/** Creates the calendar when it is new (country needed), then applies the year's edits in order; all checked before anything is written. */
export async function saveHolidays(deps: HolidayDeps, actor: string, input: HolidaySaveInput): Promise<HolidaySaveAnswer> {
  return withCalendar(deps, input.calendarId, 'saving', () => saveUnderMutex(deps, actor, input));
}

async function saveUnderMutex(deps: HolidayDeps, actor: string, input: HolidaySaveInput): Promise<HolidaySaveAnswer> {
  const existing = await readCalendar(deps.kv, input.calendarId);
  let calendar: CalendarDescription;
  if (existing) {
    if ((input.country !== undefined && input.country !== existing.country) || (input.region !== undefined && input.region !== existing.region)) {
      throw new DomainError('HOLIDAY_CALENDAR_MISMATCH', `calendar "${existing.id}" is for ${existing.country}${existing.region ? ` / ${existing.region}` : ''}; a calendar never changes country or region: create another calendar id. Nothing was changed.`, {
        calendarId: existing.id,
      });
    }
    calendar = existing;
  } else {
    if (input.country === undefined) throw notFound(input.calendarId);
    calendar = validateHolidayCalendar({ id: input.calendarId, country: input.country, region: input.region ?? null, holidays: [] });
    calendar = { id: calendar.id, country: calendar.country, region: calendar.region };
  }
  const ops: KvOperation[] = [];
  if (!existing) {
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action: 'holidays.calendar', target: keys.calendar(calendar.id), details: { before: null, after: json(calendar) } });
    ops.push({ kind: 'set', key: keys.calendar(calendar.id), value: calendar });
  }
  if (input.year === undefined || input.edits === undefined) {
    if (ops.length > 0) await deps.kv.transact(ops);
    return { calendar, changed: ops.length > 0 };
  }
  const before = await readYear(deps.kv, calendar.id, input.year);
  let after: Holiday[] = before;
  for (const edit of input.edits) after = editCalendarYear(after, input.year, edit as HolidayEditRequest);
  const key = keys.holidays(calendar.id, input.year);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    const beforeSlots = new Map(before.map((h) => [JSON.stringify(h), h]));
    const afterSlots = new Map(after.map((h) => [JSON.stringify(h), h]));
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      action: 'holidays.save',
      target: key,
      details: { calendarId: calendar.id, year: input.year, before: json([...beforeSlots].filter(([k]) => !afterSlots.has(k)).map(([, h]) => h)), after: json([...afterSlots].filter(([k]) => !beforeSlots.has(k)).map(([, h]) => h)) },
    });
    ops.push({ kind: 'set', key, value: after });
  }
  if (ops.length > 0) await deps.kv.transact(ops);
  return { calendar, year: input.year, holidays: after, changed: ops.length > 0 };
}
