import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { HolidaySourceErrorCode } from '../../../src/holidays/holidaySource';
import { NagerDateSource, type NagerDateOptions } from '../../../src/holidays/nagerDate';
import { rejectedWith } from '../../support/thrown';

/** A loopback stand-in for Nager.Date: each test says how each path answers. */
type Route = (req: IncomingMessage, res: ServerResponse) => void;
interface Local {
  readonly baseUrl: string;
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}

let server: Server | null = null;

async function local(routes: Record<string, Route | Route[]>): Promise<Local> {
  const seen: Local['seen'] = [];
  const calls = new Map<string, number>();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const route = routes[req.url ?? ''];
      const n = calls.get(req.url ?? '') ?? 0;
      calls.set(req.url ?? '', n + 1);
      const handler = Array.isArray(route) ? route[Math.min(n, route.length - 1)] : route;
      if (!handler) return json(404, { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title: 'Not Found', status: 404 })(req, res);
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server!.close(r));
  server = null;
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
const raw =
  (status: number, text: string, headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(text);
  };

/** PublicHolidayV3Dto as documented. */
const dto = (date: string, name: string, types: string[], counties: string[] | null = null, localName = name) => ({
  date,
  localName,
  name,
  countryCode: 'DE',
  fixed: false,
  global: counties === null,
  counties,
  launchYear: null,
  types,
});

const DE_2026 = [
  dto('2026-01-01', "New Year's Day", ['Public'], null, 'Neujahr'),
  dto('2026-01-06', 'Epiphany', ['Public'], ['DE-BW', 'DE-BY', 'DE-ST'], 'Heilige Drei Könige'),
  dto('2026-08-15', 'Assumption Day', ['Public'], ['DE-SL'], 'Mariä Himmelfahrt'),
  // Nager.Date lists some holidays once per group of counties: one holiday for the calendar.
  dto('2026-06-04', 'Corpus Christi', ['Public'], ['DE-BW', 'DE-BY'], 'Fronleichnam'),
  dto('2026-06-04', 'Corpus Christi', ['Public'], ['DE-HE', 'DE-BY'], 'Fronleichnam'),
  dto('2026-10-31', 'Reformation Day', ['Public'], ['DE-BB', 'DE-SN'], 'Reformationstag'),
  dto('2026-12-24', 'Christmas Eve', ['Bank', 'Observance'], null, 'Heiligabend'),
  dto('2026-12-25', 'Christmas Day', ['Bank', 'Public'], null, 'Erster Weihnachtstag'),
  dto('2026-11-02', 'Civil servants day', ['Authorities'], null),
  dto('2026-09-20', "World Children's Day", ['Observance'], ['DE-TH']),
  dto('2026-03-08', "International Women's Day", ['Optional'], null),
  dto('2026-07-01', 'School day', ['School'], null),
];
const COUNTRIES = [
  { countryCode: 'DE', name: 'Germany' },
  { countryCode: 'BE', name: 'Belgium' },
  { countryCode: 'AT', name: 'Austria' },
];

function source(l: Local, options: NagerDateOptions = {}) {
  const waits: number[] = [];
  const s = new NagerDateSource(fetch, { baseUrl: l.baseUrl, sleep: async (ms) => void waits.push(ms), ...options });
  return { s, waits };
}


describe('Nager.Date v3 client against a local server', () => {
  it('lists the available countries by code and says what leaves the site', async () => {
    const l = await local({ '/api/v3/AvailableCountries': json(200, COUNTRIES) });
    const { s } = source(l);
    expect(await s.countries()).toEqual([
      { code: 'AT', name: 'Austria' },
      { code: 'BE', name: 'Belgium' },
      { code: 'DE', name: 'Germany' },
    ]);
    expect(s.egress.host).toBe('date.nager.at');
    expect(s.egress.sends).toMatch(/country code and a year/);
  });

  it('sends only the country code and the year: one GET, no query, no body, no credentials', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': json(200, DE_2026) });
    const { s } = source(l);
    await s.holidays('DE', 'DE-BY', 2026);
    expect(l.seen).toHaveLength(1);
    const [req] = l.seen;
    expect(req).toMatchObject({ method: 'GET', url: '/api/v3/PublicHolidays/2026/DE', body: '' });
    expect(req!.headers.authorization).toBeUndefined();
    expect(req!.headers.cookie).toBeUndefined();
  });

  it('maps types, keeps regional holidays only for the calendar region, merges repeated entries', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': json(200, DE_2026) });
    const { s } = source(l);
    const by = await s.holidays('DE', 'DE-BY', 2026);
    expect(by.map((h) => [h.date, h.name, h.type, h.fraction, h.regions])).toEqual([
      ['2026-01-01', "New Year's Day", 'public', 1, null],
      ['2026-01-06', 'Epiphany', 'public', 1, ['DE-BW', 'DE-BY', 'DE-ST']],
      ['2026-03-08', "International Women's Day", 'optional', 1, null],
      ['2026-06-04', 'Corpus Christi', 'public', 1, ['DE-BW', 'DE-BY', 'DE-HE']],
      ['2026-07-01', 'School day', 'school', 1, null],
      ['2026-11-02', 'Civil servants day', 'bank', 1, null], // Authorities → bank
      ['2026-12-24', 'Christmas Eve', 'bank', 1, null], // Bank wins over Observance
      ['2026-12-25', 'Christmas Day', 'public', 1, null], // Public wins over Bank
    ]);
    const nationwide = await s.holidays('DE', null, 2026);
    expect(nationwide.every((h) => h.regions === null)).toBe(true);
    expect(nationwide.map((h) => h.name)).not.toContain('Epiphany');
    const sn = await s.holidays('DE', 'DE-SN', 2026);
    expect(sn.map((h) => h.name)).toContain('Reformation Day');
    expect(sn.map((h) => h.name)).not.toContain('Epiphany');
  });

  it('uses the local name when there is no English name', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/BE': json(200, [{ ...dto('2026-07-21', '', ['Public'], null, 'Nationale feestdag'), countryCode: 'BE' }]) });
    expect((await source(l).s.holidays('BE', null, 2026))[0]!.name).toBe('Nationale feestdag');
  });

  it('lists regions from the counties of the current year', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': json(200, DE_2026) });
    const { s } = source(l, { currentYear: () => 2026 });
    expect((await s.regions('DE')).map((r) => r.code)).toEqual(['DE-BB', 'DE-BW', 'DE-BY', 'DE-HE', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-TH']);
  });

  it('404 for a country it does not list: unknown country', async () => {
    const l = await local({ '/api/v3/AvailableCountries': json(200, COUNTRIES) });
    const e = await rejectedWith(source(l).s.holidays('XK', null, 2026));
    expect(e.code).toBe(HolidaySourceErrorCode.unknownCountry);
    expect(e.message).toMatch(/does not know the country XK \(HTTP 404\)/);
  });

  it('404 for a country it lists: no data for that year', async () => {
    const l = await local({ '/api/v3/AvailableCountries': json(200, COUNTRIES), '/api/v3/PublicHolidays/1975/DE': json(404, { title: 'Not Found', status: 404 }) });
    const e = await rejectedWith(source(l).s.holidays('DE', null, 1975));
    expect(e.code).toBe(HolidaySourceErrorCode.noData);
    expect(e.message).toMatch(/no holidays for DE in 1975/);
  });

  it('204 and an empty list: no data', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/AD': raw(204, ''), '/api/v3/PublicHolidays/2026/AT': json(200, []) });
    const { s } = source(l);
    const none = await rejectedWith(s.holidays('AD', null, 2026));
    expect([none.code, none.message]).toEqual([HolidaySourceErrorCode.noData, expect.stringMatching(/AD in 2026 \(it answered 204 No Content\)/)]);
    const empty = await rejectedWith(s.holidays('AT', null, 2026));
    expect([empty.code, empty.message]).toEqual([HolidaySourceErrorCode.noData, expect.stringMatching(/empty list/)]);
  });

  it('400: the year is out of range, with what Nager.Date said', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2099/DE': json(400, { title: 'One or more validation errors occurred.', status: 400 }) });
    const e = await rejectedWith(source(l).s.holidays('DE', null, 2099));
    expect(e.code).toBe(HolidaySourceErrorCode.yearOutOfRange);
    expect(e.message).toMatch(/refused year 2099 for DE \(HTTP 400 — One or more validation errors occurred\.\)/);
  });

  it('refuses a malformed country, region or year before sending anything', async () => {
    const l = await local({});
    const { s } = source(l);
    expect((await rejectedWith(s.holidays('de', null, 2026))).code).toBe(HolidaySourceErrorCode.unknownCountry);
    expect((await rejectedWith(s.holidays('DE', 'BY', 2026))).code).toBe(HolidaySourceErrorCode.unknownRegion);
    expect((await rejectedWith(s.holidays('DE', null, 12026))).code).toBe(HolidaySourceErrorCode.yearOutOfRange);
    expect(l.seen).toHaveLength(0);
  });

  it('429 with a short Retry-After: waits it out and succeeds', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': [json(429, {}, { 'Retry-After': '2' }), json(200, DE_2026)] });
    const { s, waits } = source(l);
    expect(await s.holidays('DE', null, 2026)).not.toHaveLength(0);
    expect(waits).toEqual([2000]);
    expect(l.seen).toHaveLength(2);
  });

  it('429 with a long Retry-After: an error that says when to retry, and no second request', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': json(429, {}, { 'Retry-After': '120' }) });
    const { s, waits } = source(l);
    const e = await rejectedWith(s.holidays('DE', null, 2026));
    expect(e.code).toBe(HolidaySourceErrorCode.rateLimited);
    expect(e.message).toMatch(/try again in 120 s/);
    expect(e.details.retryAfterSeconds).toBe(120);
    expect([l.seen.length, waits.length]).toEqual([1, 0]);
  });

  it('5xx: retried, then a clear error naming the status', async () => {
    const l = await local({ '/api/v3/PublicHolidays/2026/DE': json(500, { title: 'Internal Server Error' }), '/api/v3/PublicHolidays/2026/BE': [json(503, {}), json(200, [dto('2026-07-21', 'National Day', ['Public'])])] });
    const { s } = source(l);
    const e = await rejectedWith(s.holidays('DE', null, 2026));
    expect(e.code).toBe(HolidaySourceErrorCode.unavailable);
    expect(e.message).toMatch(/failed with HTTP 500 \(a fault on its side\) — Internal Server Error; try again later/);
    expect(l.seen.filter((r) => r.url.endsWith('/DE'))).toHaveLength(2);
    expect((await s.holidays('BE', null, 2026)).map((h) => h.name)).toEqual(['National Day']);
  });

  it('malformed JSON, another shape or a malformed holiday: unavailable, nothing returned', async () => {
    const l = await local({
      '/api/v3/PublicHolidays/2026/DE': raw(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' }),
      '/api/v3/PublicHolidays/2026/AT': json(200, { holidays: [] }),
      '/api/v3/PublicHolidays/2026/BE': json(200, [dto('2026-7-21', 'National Day', ['Public'])]),
      '/api/v3/PublicHolidays/2026/FR': json(200, [dto('2026-07-14', 'Bastille Day', ['Festival'])]),
      '/api/v3/AvailableCountries': json(200, [{ code: 'DE' }]),
    });
    const { s } = source(l);
    expect((await rejectedWith(s.holidays('DE', null, 2026))).message).toMatch(/answered something other than JSON/);
    expect((await rejectedWith(s.holidays('AT', null, 2026))).message).toMatch(/other than a list of public holidays/);
    expect((await rejectedWith(s.holidays('BE', null, 2026))).message).toMatch(/holiday #0 with a date in 2026 as YYYY-MM-DD \(got "2026-7-21"\)/);
    expect((await rejectedWith(s.holidays('FR', null, 2026))).message).toMatch(/holiday #0 with a type among Public, Bank, Authorities/);
    expect((await rejectedWith(s.countries())).code).toBe(HolidaySourceErrorCode.unavailable);
  });

  it('a server that never answers, or stalls in the body: a timeout error within the limit', async () => {
    const l = await local({
      '/api/v3/PublicHolidays/2026/DE': () => undefined,
      '/api/v3/PublicHolidays/2026/BE': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[{"date":"2026-07-21",');
      },
    });
    const { s } = source(l, { timeoutMs: 300 });
    for (const country of ['DE', 'BE']) {
      const started = performance.now();
      const e = await rejectedWith(s.holidays(country, null, 2026));
      const elapsed = performance.now() - started;
      expect(e.code).toBe(HolidaySourceErrorCode.unavailable);
      expect(e.message).toMatch(/did not answer \/api\/v3\/PublicHolidays\/2026\/.. within 0.3 s/);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2000);
    }
    expect(l.seen).toHaveLength(2); // a timeout is not retried
  });

  it('nothing listening: says it could not be reached and to check egress', async () => {
    const l = await local({});
    const closed = l.baseUrl;
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = null;
    const e = await rejectedWith(new NagerDateSource(fetch, { baseUrl: closed, sleep: async () => undefined }).holidays('DE', null, 2026));
    expect(e.code).toBe(HolidaySourceErrorCode.unavailable);
    expect(e.message).toMatch(/could not be reached .*egress to date\.nager\.at/);
  });
});
