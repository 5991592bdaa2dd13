import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { countedHolidayOn, validateHolidayCalendar, type Holiday } from '../../../domain/holidays';
import { HolidaySourceErrorCode } from '../../../src/holidays/holidaySource';
import { OfflineHolidaySource } from '../../../src/holidays/offlineHolidays';
import { rejectedWith } from '../../support/thrown';

const source = new OfflineHolidaySource();
const on = (list: readonly Holiday[], date: string) => list.filter((h) => h.date === date);


describe('offline holidays (date-holidays)', () => {
  it('sends nothing off the site', () => {
    expect(source.egress.host).toBeNull();
  });

  it('lists the countries it knows, by code, and their regions as ISO 3166-2 style codes', async () => {
    const countries = await source.countries();
    expect(countries.length).toBe(207);
    expect(countries.find((c) => c.code === 'BE')).toEqual({ code: 'BE', name: 'Belgium' });
    expect(countries.map((c) => c.code)).toEqual([...countries.map((c) => c.code)].sort());
    const de = (await source.regions('DE')).map((r) => r.code);
    // The 16 Länder, and 7 regions within them (Augsburg, Bavaria's Catholic and Protestant municipalities, 4 Landkreise).
    expect(de.filter((c) => c.split('-').length === 2)).toHaveLength(16);
    expect(de.filter((c) => c.split('-').length === 3)).toEqual(['DE-BY-A', 'DE-BY-EVANG', 'DE-BY-KATH', 'DE-SN-BZ', 'DE-TH-EIC', 'DE-TH-UH', 'DE-TH-WAK']);
    expect((await source.regions('BE')).map((r) => r.code)).toEqual(['BE-BRU', 'BE-DE', 'BE-VLG', 'BE-WAL']);
  });

  // Belgium's statutory public holidays are ten (Law of 4 January 1974): New Year, Easter Monday,
  // Labour Day, Ascension, Whit Monday, National Day, Assumption, All Saints, Armistice, Christmas.
  it('BE 2026: the ten public holidays, 21 July among them, all nationwide whole days', async () => {
    const be = await source.holidays('BE', null, 2026);
    const pub = be.filter((h) => h.type === 'public');
    expect(pub.map((h) => h.date)).toEqual(['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-07-21', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']);
    expect(pub.every((h) => h.fraction === 1 && h.regions === null)).toBe(true);
    expect(on(be, '2026-05-10').map((h) => [h.name, h.type])).toEqual([["Mother's Day", 'observance']]);
  });

  it('DE-BY 2026: Epiphany (6 January) public and limited to Bavaria; Assumption (15 August) listed, an observance, public only in Catholic municipalities', async () => {
    const by = await source.holidays('DE', 'DE-BY', 2026);
    expect(on(by, '2026-01-06')).toEqual([{ date: '2026-01-06', name: 'Epiphany', type: 'public', fraction: 1, regions: ['DE-BY'] }]);
    expect(on(by, '2026-08-15')).toEqual([{ date: '2026-08-15', name: 'Assumption', type: 'observance', fraction: 1, regions: ['DE-BY'] }]);
    expect(on(by, '2026-01-01')).toEqual([{ date: '2026-01-01', name: "New Year's Day", type: 'public', fraction: 1, regions: null }]);
    const kath = await source.holidays('DE', 'DE-BY-KATH', 2026);
    expect(on(kath, '2026-08-15').map((h) => [h.type, h.regions])).toEqual([['public', ['DE-BY-KATH']]]);
    // A calendar for Bavaria counts Epiphany; one for Germany without a region gets no Epiphany at all.
    expect(countedHolidayOn({ id: 'by', country: 'DE', region: 'DE-BY', holidays: by }, '2026-01-06')?.name).toBe('Epiphany');
    expect(on(await source.holidays('DE', null, 2026), '2026-01-06')).toEqual([]);
  });

  it('DE 24 and 31 December (from 14:00): bank holidays and half days', async () => {
    const de = await source.holidays('DE', null, 2026);
    expect(on(de, '2026-12-24')).toEqual([{ date: '2026-12-24', name: 'Christmas Eve', type: 'bank', fraction: 0.5, regions: null }]);
    expect(on(de, '2026-12-31')).toEqual([{ date: '2026-12-31', name: "New Year's Eve", type: 'bank', fraction: 0.5, regions: null }]);
    expect(on(de, '2026-12-25')[0]!.fraction).toBe(1);
  });

  it('a holiday ending before midnight is a half day too (BR Ash Wednesday until 14:00)', async () => {
    const br = await source.holidays('BR', null, 2026);
    expect(on(br, '2026-02-18').map((h) => [h.name, h.fraction])).toEqual([['Carnival', 0.5]]);
  });

  it('a holiday of several days becomes one whole day each (AE Eid al-Fitr 2026: 20 to 22 March)', async () => {
    const ae = await source.holidays('AE', null, 2026);
    const eid = ae.filter((h) => h.name.startsWith('End of Ramadan'));
    expect(eid.map((h) => [h.date, h.fraction])).toEqual([['2026-03-20', 1], ['2026-03-21', 1], ['2026-03-22', 1]]);
  });

  it('each year holds only its own dates and one entry a date and name', async () => {
    for (const [country, region] of [['DE', 'DE-BY'], ['BE', null], ['RU', null], ['SZ', null], ['IL', null]] as const) {
      const list = await source.holidays(country, region, 2026);
      expect(list.every((h) => h.date.startsWith('2026-'))).toBe(true);
      const keys = list.map((h) => `${h.date}|${h.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('refuses an unknown country or region, naming what to pick', async () => {
    const xx = await rejectedWith(source.holidays('XX', null, 2026));
    expect([xx.code, xx.message]).toEqual([HolidaySourceErrorCode.unknownCountry, expect.stringMatching(/no country "XX"/)]);
    const region = await rejectedWith(source.holidays('BE', 'BE-XYZ', 2026));
    expect([region.code, region.message]).toEqual([HolidaySourceErrorCode.unknownRegion, expect.stringMatching(/BE-XYZ is not a region of BE/)]);
    expect((await rejectedWith(source.holidays('BE', 'DE-BY', 2026))).code).toBe(HolidaySourceErrorCode.unknownRegion);
    expect((await rejectedWith(source.holidays('BE', null, 1800))).code).toBe(HolidaySourceErrorCode.yearOutOfRange);
  });
});

describe('offline holidays: every country', () => {
  it('each year of every country is a valid calendar year: own dates, one entry a date and name, whole or half days', async () => {
    const countries = await source.countries();
    let holidays = 0;
    for (const { code } of countries) {
      for (const year of [2025, 2026, 2027]) {
        const list = await source.holidays(code, null, year);
        holidays += list.length;
        expect(() => validateHolidayCalendar({ id: code, country: code, region: null, holidays: list })).not.toThrow();
        expect(list.every((h) => h.date.startsWith(`${year}-`) && h.regions === null)).toBe(true);
        const keys = list.map((h) => `${h.date}|${h.name}`);
        expect(new Set(keys).size).toBe(keys.length);
      }
    }
    expect(holidays).toBeGreaterThan(207 * 3 * 5);
  });
});
