import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { assignWorklogsToDays, type DayPolicy, type PersonDaySeconds } from '../../domain/dayAssignment.ts';
import type { Worklog } from '../../domain/worklog.ts';
import { PERSON_IDS, worklogsArb } from '../arbitraries/worklogs.ts';
import { zoneArb } from '../arbitraries/zones.ts';

const H = 3600;

function daysOf(zone: string | null, worklogs: { started: string; seconds: number }[], policy: DayPolicy, site = 'UTC') {
  const result = assignWorklogsToDays({
    people: [{ id: 'p', timeZone: zone }],
    siteTimeZone: site,
    policy,
    worklogs: worklogs.map((w, i) => ({ id: String(i + 1), authorId: 'p', started: Date.parse(w.started), seconds: w.seconds })),
  });
  return Object.fromEntries(result.days.map((d) => [d.date, d.seconds]));
}

describe('day assignment: known answers', () => {
  // Each row: zone, start instant (with its offset as a person would read it), seconds, policy, expected days.
  const table: [string, string, string, number, DayPolicy, Record<string, number>][] = [
    ['23:30–01:30 local counts on the start day', 'Europe/Brussels', '2026-01-14T23:30:00+01:00', 2 * H, 'start-day', { '2026-01-14': 2 * H }],
    ['23:30–01:30 local split at midnight', 'Europe/Brussels', '2026-01-14T23:30:00+01:00', 2 * H, 'split', { '2026-01-14': 0.5 * H, '2026-01-15': 1.5 * H }],
    ['Jira 01:30 UTC on spring-forward day is 03:30 local', 'Europe/Brussels', '2026-03-29T01:30:00.000+00:00', H, 'start-day', { '2026-03-29': H }],
    ['23:30–04:30 local across spring-forward is 4 h, 30 min + 3.5 h', 'Europe/Brussels', '2026-03-28T23:30:00+01:00', 4 * H, 'split', { '2026-03-28': 0.5 * H, '2026-03-29': 3.5 * H }],
    ['the 25 h fall-back day holds 25 h of real time', 'Europe/Brussels', '2026-10-25T00:00:00+02:00', 25 * H, 'split', { '2026-10-25': 25 * H }],
    ['a UTC evening is the next morning in Sydney', 'Australia/Sydney', '2026-06-30T14:30:00Z', H, 'start-day', { '2026-07-01': H }],
    ['Sydney fall-back 5 April: 00:30 AEDT for 4 h stays on one day', 'Australia/Sydney', '2026-04-05T00:30:00+11:00', 4 * H, 'split', { '2026-04-05': 4 * H }],
    ['Kathmandu +05:45: 18:15 UTC is local midnight', 'Asia/Kathmandu', '2026-01-31T18:15:00Z', H, 'start-day', { '2026-02-01': H }],
    ['Kathmandu +05:45: one second earlier is still the 31st', 'Asia/Kathmandu', '2026-01-31T18:14:59Z', H, 'start-day', { '2026-01-31': H }],
    ['Kathmandu split cuts at 18:15 UTC', 'Asia/Kathmandu', '2026-01-31T17:15:00Z', 2 * H, 'split', { '2026-01-31': H, '2026-02-01': H }],
    ['Chatham +13:45 in summer', 'Pacific/Chatham', '2026-01-10T10:15:00Z', H, 'start-day', { '2026-01-11': H }],
    ['Lord Howe 30-min fall-back: 01:30–02:30 local is 1.5 h real', 'Australia/Lord_Howe', '2026-04-05T01:30:00+11:00', 1.5 * H, 'split', { '2026-04-05': 1.5 * H }],
    ['Havana falls back at 01:00 to 00:00: the date changes at the first midnight', 'America/Havana', '2026-10-31T17:20:38-04:00', 23_963, 'split', { '2026-10-31': 23_962, '2026-11-01': 1 }],
    ['Santiago: the day after a skipped midnight ends at the next real one', 'America/Santiago', '2025-09-07T19:50:27-03:00', 14_974, 'split', { '2025-09-07': 14_973, '2025-09-08': 1 }],
  ];

  it.each(table)('%s', (_title, zone, started, seconds, policy, expected) => {
    expect(daysOf(zone, [{ started, seconds }], policy)).toEqual(expected);
  });

  it('a person without a zone is counted in the site zone and flagged', () => {
    const result = assignWorklogsToDays({
      people: [{ id: 'p', timeZone: null }],
      siteTimeZone: 'Asia/Kathmandu',
      policy: 'start-day',
      worklogs: [{ id: '1', authorId: 'p', started: Date.parse('2026-01-31T18:15:00Z'), seconds: 60 }],
    });
    expect(result.days).toEqual([{ personId: 'p', date: '2026-02-01', seconds: 60 }]);
    expect(result.zones).toEqual([{ personId: 'p', timeZone: 'Asia/Kathmandu', defaulted: true }]);
  });

  it('an author missing from the people list is counted in the site zone and flagged', () => {
    const result = assignWorklogsToDays({
      people: [],
      siteTimeZone: 'UTC',
      policy: 'start-day',
      worklogs: [{ id: '1', authorId: 'ghost', started: Date.parse('2026-05-01T12:00:00Z'), seconds: 60 }],
    });
    expect(result.zones).toEqual([{ personId: 'ghost', timeZone: 'UTC', defaulted: true }]);
  });

  it('refuses an unknown zone, naming the person', () => {
    expect(() => daysOf('Mars/Olympus', [], 'start-day')).toThrow(/people\[0\] \(p\)\.timeZone "Mars\/Olympus" is not a known IANA time zone/);
  });

  it('refuses negative seconds, naming the worklog', () => {
    expect(() => daysOf('UTC', [{ started: '2026-01-01T00:00:00Z', seconds: -5 }], 'start-day')).toThrow(/worklog "1" \(#0\): seconds must be a whole number/);
  });
});

/** The slow, obviously-right version: a luxon DateTime per worklog and per midnight. */
function referenceDays(worklogs: Worklog[], zones: Record<string, string>, policy: DayPolicy): PersonDaySeconds[] {
  const sums = new Map<string, number>();
  const add = (personId: string, date: string, s: number) => {
    const key = `${personId}|${date}`;
    sums.set(key, (sums.get(key) ?? 0) + s);
  };
  for (const w of worklogs) {
    const zone = zones[w.authorId]!;
    if (policy === 'start-day') {
      add(w.authorId, DateTime.fromMillis(w.started, { zone }).toISODate()!, w.seconds);
      continue;
    }
    const end = w.started + w.seconds * 1000;
    let t = w.started;
    while (t < end) {
      const here = DateTime.fromMillis(t, { zone });
      // Start of the next date (not start of today plus a day: luxon moves a skipped midnight to 01:00 and keeps it).
      const nextDay = here.plus({ days: 1 }).startOf('day');
      let nextStart = nextDay.toMillis();
      // A midnight that happens twice (clocks back at 01:00 → 00:00): the date changes at the first one.
      for (const minutes of [60, 30]) {
        const earlier = nextStart - minutes * 60_000;
        if (earlier > t && DateTime.fromMillis(earlier, { zone }).toISODate() === nextDay.toISODate()) nextStart = earlier;
      }
      const next = Math.min(end, nextStart);
      // Where luxon's "next midnight" is not after t (a midnight fall-back), step to the offset change.
      const cut = next > t ? next : end;
      add(w.authorId, here.toISODate()!, Math.floor((cut - w.started) / 1000) - Math.floor((t - w.started) / 1000));
      t = cut;
    }
  }
  return [...sums]
    .filter(([, s]) => s !== 0)
    .map(([key, seconds]) => {
      const [personId, date] = key.split('|') as [string, string];
      return { personId, date, seconds };
    })
    .sort((a, b) => (a.personId + a.date < b.personId + b.date ? -1 : 1));
}

describe('day assignment: laws', () => {
  const zonesArb = fc.tuple(zoneArb, zoneArb, zoneArb, zoneArb).map((zs) =>
    Object.fromEntries(PERSON_IDS.map((id, i) => [id, zs[i]!])),
  );
  const run = (worklogs: Worklog[], zones: Record<string, string>, policy: DayPolicy) =>
    assignWorklogsToDays({
      worklogs,
      people: PERSON_IDS.map((id) => ({ id, timeZone: zones[id]! })),
      siteTimeZone: 'UTC',
      policy,
    }).days;

  it('seconds are conserved per person under both policies', () => {
    fc.assert(
      fc.property(worklogsArb(), zonesArb, fc.constantFrom<DayPolicy>('start-day', 'split'), (worklogs, zones, policy) => {
        for (const id of PERSON_IDS) {
          const logged = worklogs.filter((w) => w.authorId === id).reduce((s, w) => s + w.seconds, 0);
          const assigned = run(worklogs, zones, policy).filter((d) => d.personId === id).reduce((s, d) => s + d.seconds, 0);
          expect(assigned).toBe(logged);
        }
      }),
    );
  });

  it('start-day agrees with a luxon DateTime per worklog', () => {
    fc.assert(
      fc.property(worklogsArb(), zonesArb, (worklogs, zones) => {
        expect(run(worklogs, zones, 'start-day')).toEqual(referenceDays(worklogs, zones, 'start-day'));
      }),
    );
  });

  it('split agrees with cutting at luxon local midnights', () => {
    fc.assert(
      fc.property(worklogsArb(), zonesArb, (worklogs, zones) => {
        expect(run(worklogs, zones, 'split')).toEqual(referenceDays(worklogs, zones, 'split'));
      }),
      { numRuns: Number(process.env.SPLIT_RUNS ?? 100) },
    );
  });

  it('is independent of worklog order', () => {
    fc.assert(
      fc.property(worklogsArb(), zonesArb, fc.constantFrom<DayPolicy>('start-day', 'split'), (worklogs, zones, policy) => {
        expect(run([...worklogs].reverse(), zones, policy)).toEqual(run(worklogs, zones, policy));
      }),
    );
  });
});
