import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateHolidayCalendar } from '../../../domain/holidays';
import { NagerDateSource, type HttpFetch } from '../../../src/holidays/nagerDate';

// The mapping over many generated answers; the HTTP behaviour is tested against a loopback server in nagerDate.test.ts.
const TYPES = ['Public', 'Bank', 'School', 'Authorities', 'Optional', 'Observance'] as const;
const COUNTIES = ['DE-BW', 'DE-BY', 'DE-SN', 'DE-TH'] as const;
const dtoArb = fc.record({
  date: fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`),
  localName: fc.constant('x'),
  name: fc.constantFrom('A', 'B', 'C'),
  countryCode: fc.constant('DE'),
  fixed: fc.boolean(),
  counties: fc.option(fc.uniqueArray(fc.constantFrom(...COUNTIES), { minLength: 1 }), { nil: null }),
  launchYear: fc.constant(null),
  types: fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1 }),
}).map((d) => ({ ...d, global: d.counties === null }));

const serving = (body: unknown): HttpFetch => async () => ({ status: 200, headers: { get: () => null }, text: async () => JSON.stringify(body) });

describe('Nager.Date mapping: properties', () => {
  it('a calendar gets every nationwide holiday and only its own region\'s, once per date and name, as a valid calendar year', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dtoArb, { minLength: 1, maxLength: 30 }), fc.constantFrom(null, ...COUNTIES), async (dtos, region) => {
        const list = await new NagerDateSource(serving(dtos)).holidays('DE', region, 2026);
        expect(() => validateHolidayCalendar({ id: 'de', country: 'DE', region, holidays: list })).not.toThrow();
        const keys = list.map((h) => `${h.date}|${h.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toEqual([...keys].sort()); // date then name
        for (const h of list) if (h.regions !== null) expect(region !== null && h.regions.includes(region)).toBe(true);
        const expected = new Set(dtos.filter((d) => d.global || (region !== null && d.counties!.includes(region))).map((d) => `${d.date}|${d.name}`));
        expect(new Set(keys)).toEqual(expected);
        // A holiday any entry calls Public is public.
        for (const h of list) {
          const sources = dtos.filter((d) => `${d.date}|${d.name}` === `${h.date}|${h.name}` && (d.global || d.counties!.includes(region!)));
          if (sources.some((d) => d.types.includes('Public'))) expect(h.type).toBe('public');
        }
      }),
    );
  });
});
