import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { countedHolidayOn, type Holiday } from '../../../domain/holidays';
import { listAudit } from '../../../src/app/auditLog';
import { listRevealed } from '../../support/revealedAudit';
import { keys } from '../../../src/app/storageKeys';
import {
  cachedHolidaySource,
  getHolidayCalendar,
  holidayCacheKey,
  holidayCountries,
  holidayImportSchema,
  holidaySaveSchema,
  holidaySourceFor,
  importHolidays,
  previewHolidayImport,
  saveHolidays,
} from '../../../src/holidays/holidayCalendars';
import { HolidaySourceError, HolidaySourceErrorCode, type HolidaySource } from '../../../src/holidays/holidaySource';
import { OfflineHolidaySource } from '../../../src/holidays/offlineHolidays';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { rejectedWith } from '../../support/thrown';

let now = Date.UTC(2026, 11, 2);
const clock = { now: () => now };

function setup() {
  const kv = new MemoryKvStore(clock);
  return { kv, deps: { kv, clock } };
}

/** Everything stored, to compare before and after a call that must write nothing. */
async function snapshot(kv: MemoryKvStore) {
  const out: Record<string, unknown> = {};
  for (const prefix of ['hcal#', 'hol#', 'audit', 'holcache#']) {
    const page = await kv.query(prefix, { limit: 100 });
    for (const r of page.results) out[r.key] = r.value;
  }
  return out;
}


/** A provider whose answers a test sets, counting calls. */
function scripted(answers: Record<string, Holiday[] | Error>): HolidaySource & { calls: string[] } {
  const calls: string[] = [];
  return {
    id: 'nager-date',
    name: 'scripted',
    egress: { host: 'example.invalid', sends: 'a country code and a year' },
    calls,
    countries: async () => [{ code: 'BE', name: 'Belgium' }],
    async holidays(country, region, year) {
      calls.push(`${country}/${region}/${year}`);
      const a = answers[`${country}/${year}`];
      if (a === undefined || a instanceof Error) throw a ?? new Error('no answer scripted');
      return a;
    },
  };
}

const offline = new OfflineHolidaySource();
const BE = { calendarId: 'be', country: 'BE', region: null, years: [2026, 2027] };

describe('holiday calendars: import, preview, edits', () => {
  it('preview writes nothing; import creates the calendar and its years, audited; the same import again writes nothing', async () => {
    const { kv, deps } = setup();
    const preview = await previewHolidayImport(kv, offline, BE);
    expect(preview.newCalendar).toBe(true);
    expect(preview.years.map((y) => [y.year, y.added.filter((h) => h.type === 'public').length, y.changed.length, y.removed.length])).toEqual([
      [2026, 10, 0, 0],
      [2027, 10, 0, 0],
    ]);
    expect(await snapshot(kv)).toEqual({});

    const imported = await importHolidays(deps, 'hr-1', offline, BE);
    expect(imported.years).toEqual(preview.years);
    const year = (await getHolidayCalendar(kv, { calendarId: 'be', years: [2026] })).years![0]!;
    expect(year.holidays.map((h) => h.date)).toContain('2026-07-21');
    const calendar = { id: 'be', country: 'BE', region: null, holidays: year.holidays };
    expect(countedHolidayOn(calendar, '2026-07-21')?.name).toBe('National Holiday');
    const audit = (await listRevealed(kv)).entries; // people as the auditor sees them, not as pseudonyms
    expect(audit.map((e) => [e.action, e.target, e.actor])).toEqual([
      ['holidays.import', keys.holidays('be', 2027), 'hr-1'],
      ['holidays.import', keys.holidays('be', 2026), 'hr-1'],
      ['holidays.calendar', keys.calendar('be'), 'hr-1'],
    ]);

    const before = await snapshot(kv);
    const again = await importHolidays(deps, 'hr-1', offline, BE);
    expect(again.changes).toBe(false);
    expect(await snapshot(kv)).toEqual(before);
  });

  it('HR edits survive a re-import; overwriteManual undoes them', async () => {
    const { kv, deps } = setup();
    await importHolidays(deps, 'hr-1', offline, { ...BE, years: [2026] });
    await saveHolidays(deps, 'hr-1', {
      calendarId: 'be',
      year: 2026,
      edits: [
        { kind: 'remove', slot: '2026-11-11|Armistice Day' },
        { kind: 'add', holiday: { date: '2026-12-24', name: 'Company day', type: 'public', fraction: 0.5 } },
      ],
    });
    const kept = await previewHolidayImport(kv, offline, { ...BE, years: [2026] });
    expect(kept.changes).toBe(false);
    expect(kept.years[0]!.keptManual.map((h) => [h.name, h.manual])).toEqual([
      ['Armistice Day', 'removed'],
      ['Company day', 'added'],
    ]);
    const stored = (await getHolidayCalendar(kv, { calendarId: 'be', years: [2026] })).years![0]!.holidays;
    expect(countedHolidayOn({ id: 'be', country: 'BE', region: null, holidays: stored }, '2026-11-11')).toBeNull();

    const undone = await importHolidays(deps, 'hr-1', offline, { ...BE, years: [2026], overwriteManual: true });
    expect(undone.years[0]!.changed.map((c) => c.after.name)).toEqual(['Armistice Day']);
    expect(undone.years[0]!.removed.map((h) => h.name)).toEqual(['Company day']);
    expect((await listAudit(kv)).entries[0]!.details).toMatchObject({ overwriteManual: true, year: 2026 });
  });

  it('a provider failure in any year writes nothing', async () => {
    const { kv, deps } = setup();
    const source = scripted({ 'BE/2026': [{ date: '2026-07-21', name: 'National Day', type: 'public', fraction: 1, regions: null }], 'BE/2027': new HolidaySourceError(HolidaySourceErrorCode.unavailable, 'Nager.Date failed with HTTP 500') });
    const e = await rejectedWith(importHolidays(deps, 'hr-1', source, BE));
    expect(e.code).toBe(HolidaySourceErrorCode.unavailable);
    expect(await snapshot(kv)).toEqual({});
  });

  it('a calendar keeps its country and region', async () => {
    const { kv, deps } = setup();
    await saveHolidays(deps, 'hr-1', { calendarId: 'by', country: 'DE', region: 'DE-BY' });
    const before = await snapshot(kv);
    const e = await rejectedWith(importHolidays(deps, 'hr-1', offline, { calendarId: 'by', country: 'DE', region: null, years: [2026] }));
    expect([e.code, e.message]).toEqual(['HOLIDAY_CALENDAR_MISMATCH', expect.stringMatching(/calendar "by" is for DE \/ DE-BY, not DE;/)]);
    expect((await rejectedWith(saveHolidays(deps, 'hr-1', { calendarId: 'by', country: 'AT' }))).code).toBe('HOLIDAY_CALENDAR_MISMATCH');
    expect((await rejectedWith(saveHolidays(deps, 'hr-1', { calendarId: 'nope', year: 2026, edits: [] }))).code).toBe('HOLIDAY_CALENDAR_NOT_FOUND');
    expect(await snapshot(kv)).toEqual(before);
    // Imported with its own region: Bavaria's Epiphany is there.
    await importHolidays(deps, 'hr-1', offline, { calendarId: 'by', country: 'DE', region: 'DE-BY', years: [2026] });
    expect((await getHolidayCalendar(kv, { calendarId: 'by', years: [2026] })).years![0]!.holidays.find((h) => h.date === '2026-01-06')?.name).toBe('Epiphany');
    expect((await getHolidayCalendar(kv, {})).calendars).toEqual([{ id: 'by', country: 'DE', region: 'DE-BY' }]);
  });

  it('an edit that cannot apply is refused and writes nothing', async () => {
    const { kv, deps } = setup();
    await importHolidays(deps, 'hr-1', offline, { ...BE, years: [2026] });
    const before = await snapshot(kv);
    const e = await rejectedWith(saveHolidays(deps, 'hr-1', { calendarId: 'be', year: 2026, edits: [{ kind: 'remove', slot: '2026-11-11|Armistice Day' }, { kind: 'remove', slot: '2026-02-30|Nothing' }] }));
    expect(e.message).toMatch(/no holiday "2026-02-30\|Nothing" in 2026/);
    expect(await snapshot(kv)).toEqual(before);
  });
});

describe('providers', () => {
  it('Nager.Date answers are cached per country, region and year for 30 days; failures are not', async () => {
    const { kv } = setup();
    const inner = scripted({ 'BE/2026': [{ date: '2026-07-21', name: 'National Day', type: 'public', fraction: 1, regions: null }], 'BE/2027': new Error('down') });
    const source = cachedHolidaySource(kv, inner);
    await source.holidays('BE', null, 2026);
    await source.holidays('BE', null, 2026);
    await expect(source.holidays('BE', null, 2027)).rejects.toThrow('down');
    await expect(source.holidays('BE', null, 2027)).rejects.toThrow('down');
    expect(inner.calls).toEqual(['BE/null/2026', 'BE/null/2027', 'BE/null/2027']);
    now += 31 * 24 * 3600 * 1000;
    expect(await kv.get(holidayCacheKey('nager-date', 'BE', null, 2026))).toBeUndefined();
  });

  it('the provider in settings: offline by default; Nager.Date refused without a fetch, naming the setting', async () => {
    expect(holidaySourceFor('offline', {}).egress.host).toBeNull();
    const e = await rejectedWith((async () => holidaySourceFor('nager-date', { nagerFetch: null }))());
    expect([e.code, e.message]).toEqual(['HOLIDAY_PROVIDER_UNAVAILABLE', expect.stringMatching(/set the holiday provider to "offline" in settings/)]);
    expect(holidaySourceFor('nager-date', { nagerFetch: fetch }).egress.host).toBe('date.nager.at');
    const answer = await holidayCountries(offline, { country: 'BE' });
    expect(answer.regions!.map((r) => r.code)).toEqual(['BE-BRU', 'BE-DE', 'BE-VLG', 'BE-WAL']);
  });

  it('payload schemas refuse what the use cases cannot take', () => {
    expect(holidayImportSchema.safeParse({ calendarId: 'be', country: 'BE', years: [2026, 2026] }).success).toBe(false);
    expect(holidayImportSchema.safeParse({ calendarId: 'be', country: 'BE', years: Array.from({ length: 11 }, (_, i) => 2020 + i) }).success).toBe(false);
    expect(holidayImportSchema.safeParse({ calendarId: 'be', country: 'be', years: [2026] }).success).toBe(false);
    expect(holidayImportSchema.safeParse({ calendarId: 'be', country: 'BE', region: 'BE-VLG', years: [2026], overwriteManual: true }).success).toBe(true);
    expect(holidaySaveSchema.safeParse({ calendarId: 'be', edits: [] }).success).toBe(false);
    expect(holidaySaveSchema.safeParse({ calendarId: 'be', year: 2026, edits: [{ kind: 'remove', slot: '2026-11-11|Armistice Day' }] }).success).toBe(true);
  });
});
