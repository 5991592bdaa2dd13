import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validateContract, type Contract } from '../../domain/contract';
import { assignWorklogsToDays, workedSecondsByDate, type DayPolicy, type PersonDaySeconds } from '../../domain/dayAssignment';
import type { Worklog } from '../../domain/worklog';
import { zoneOverrideScenarioArb } from '../arbitraries/contracts';
import { PERSON_IDS, worklogsArb } from '../arbitraries/worklogs';
import { zoneArb } from '../arbitraries/zones';

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

// ---------------------------------------------------------------------------
// The zone in force at each instant: a contract's override, else the person's.

const NOTHING = { kind: 'weekdays', secondsByWeekday: [0, 0, 0, 0, 0, 0, 0] };
const contractOf = (id: string, firstDate: string, lastDate: string | null, timeZone: string | null): Contract =>
  validateContract({ id, personId: 'p', firstDate, lastDate, schedule: NOTHING, timeZone });

function worked(personZone: string | null, contracts: Contract[], worklogs: { started: string | number; seconds: number }[], policy: DayPolicy, site = 'UTC') {
  const list = worklogs.map((w, i) => ({ id: String(i + 1), authorId: 'p', started: typeof w.started === 'number' ? w.started : Date.parse(w.started), seconds: w.seconds }));
  return Object.fromEntries(workedSecondsByDate({ person: { id: 'p', timeZone: personZone }, siteTimeZone: site, worklogs: list, contracts, policy }));
}

describe('zone in force: known answers', () => {
  // Brussels person; from 11 March 2026 a contract counts their days in Tokyo. Brussels midnight of
  // 11 March is 2026-03-10T23:00Z, when the Tokyo contract takes effect (08:00 on 11 March in Tokyo).
  const toTokyo = [contractOf('brussels', '2026-01-01', '2026-03-10', null), contractOf('tokyo', '2026-03-11', null, 'Asia/Tokyo')];

  it('split: a 24 h worklog from 22:00Z on 10 March is 1 h in Brussels, then Tokyo days of 16 h and 7 h', () => {
    const whole = worked('Europe/Brussels', toTokyo, [{ started: '2026-03-10T22:00:00Z', seconds: 24 * H }], 'split');
    expect(whole).toEqual({ '2026-03-10': H, '2026-03-11': 16 * H, '2026-03-12': 7 * H });
    // The same 24 h as two worklogs cut at the contract change gives the same days.
    const halves = worked('Europe/Brussels', toTokyo, [{ started: '2026-03-10T22:00:00Z', seconds: H }, { started: '2026-03-10T23:00:00Z', seconds: 23 * H }], 'split');
    expect(halves).toEqual(whole);
  });

  it('start-day: all of it on the date of its start in the zone in force at its start', () => {
    expect(worked('Europe/Brussels', toTokyo, [{ started: '2026-03-10T22:00:00Z', seconds: 24 * H }], 'start-day')).toEqual({ '2026-03-10': 24 * H });
    // 23:30Z is 00:30 on 11 March in Brussels: the Tokyo contract is in force, where it is 08:30 on 11 March.
    expect(worked('Europe/Brussels', toTokyo, [{ started: '2026-03-10T23:30:00Z', seconds: H }], 'start-day')).toEqual({ '2026-03-11': H });
    // 14:59:59Z on 11 March is 23:59:59 in Tokyo, 15:00Z is midnight.
    expect(worked('Europe/Brussels', toTokyo, [{ started: '2026-03-11T14:59:59Z', seconds: H }, { started: '2026-03-11T15:00:00Z', seconds: 60 }], 'start-day')).toEqual({
      '2026-03-11': H,
      '2026-03-12': 60,
    });
  });

  it('a contract moving the zone west can count time after its start on the date before it', () => {
    // New York from 11 March: the contract takes effect at Brussels midnight (23:00Z), 19:00 on 10 March in New York.
    const toNewYork = [contractOf('ny', '2026-03-11', null, 'America/New_York')];
    expect(worked('Europe/Brussels', toNewYork, [{ started: '2026-03-10T23:30:00Z', seconds: H }], 'start-day')).toEqual({ '2026-03-10': H });
    // Split: 22:00Z–23:00Z is Brussels 10 March, 23:00Z–04:00Z New York 10 March, then New York 11 March.
    expect(worked('Europe/Brussels', toNewYork, [{ started: '2026-03-10T22:00:00Z', seconds: 8 * H }], 'split')).toEqual({ '2026-03-10': 6 * H, '2026-03-11': 2 * H });
  });

  // The reverse: a Tokyo override that ends on 10 March; from 11 March the person's own Brussels zone again.
  const fromTokyo = [contractOf('tokyo', '2026-01-01', '2026-03-10', 'Asia/Tokyo'), contractOf('brussels', '2026-03-11', null, null)];

  it('override ends, split: Tokyo until Brussels midnight of 11 March, Brussels after', () => {
    // 14:00Z is 23:00 on 10 March in Tokyo; Tokyo midnight is 15:00Z; Brussels takes over at 23:00Z.
    expect(worked('Europe/Brussels', fromTokyo, [{ started: '2026-03-10T14:00:00Z', seconds: 10 * H }], 'split')).toEqual({ '2026-03-10': H, '2026-03-11': 9 * H });
    // 11 March begins at 15:00Z in Tokyo and ends at 23:00Z on the 11th in Brussels: a 32 h date.
    expect(worked('Europe/Brussels', fromTokyo, [{ started: '2026-03-10T15:00:00Z', seconds: 32 * H }], 'split')).toEqual({ '2026-03-11': 32 * H });
  });

  it('override ends, start-day: the zone at the start decides', () => {
    expect(worked('Europe/Brussels', fromTokyo, [{ started: '2026-03-10T14:00:00Z', seconds: 10 * H }], 'start-day')).toEqual({ '2026-03-10': 10 * H });
    expect(worked('Europe/Brussels', fromTokyo, [{ started: '2026-03-10T22:59:59Z', seconds: 60 }, { started: '2026-03-10T23:00:00Z', seconds: 60 }], 'start-day')).toEqual({
      '2026-03-11': 120, // Tokyo 07:59:59 on the 11th, then Brussels 00:00 on the 11th
    });
  });

  it('a contract starting on a date whose midnight is skipped takes effect at the first instant of that date', () => {
    // Santiago skips 6 September 2026's midnight: 23:59:59 (-04) on the 5th is followed by 01:00 (-03) on the 6th, at 04:00Z.
    const tokyo = [contractOf('tokyo', '2026-09-06', null, 'Asia/Tokyo')];
    expect(worked('America/Santiago', tokyo, [{ started: '2026-09-06T03:59:59Z', seconds: 60 }], 'start-day')).toEqual({ '2026-09-05': 60 });
    expect(worked('America/Santiago', tokyo, [{ started: '2026-09-06T04:00:00Z', seconds: 60 }], 'start-day')).toEqual({ '2026-09-06': 60 });
    // Split from 03:00Z: an hour of Santiago's 5 September, then Tokyo's 6 September (13:00 on).
    expect(worked('America/Santiago', tokyo, [{ started: '2026-09-06T03:00:00Z', seconds: 2 * H }], 'split')).toEqual({ '2026-09-05': H, '2026-09-06': H });
  });

  it('a person with no zone takes the site zone as their own, and contracts take effect at its midnights', () => {
    const tokyoFrom11 = [contractOf('tokyo', '2026-03-11', null, 'Asia/Tokyo')];
    // Site zone UTC: the contract takes effect at 00:00Z on 11 March (09:00 in Tokyo).
    expect(worked(null, tokyoFrom11, [{ started: '2026-03-10T23:00:00Z', seconds: 2 * H }], 'split', 'UTC')).toEqual({ '2026-03-10': H, '2026-03-11': H });
  });

  it('assignWorklogsToDays applies each person their own contracts, and leaves others on the fast path', () => {
    const result = assignWorklogsToDays({
      people: [
        { id: 'p', timeZone: 'Europe/Brussels' },
        { id: 'q', timeZone: 'Europe/Brussels' },
      ],
      siteTimeZone: 'UTC',
      policy: 'split',
      contracts: toTokyo,
      worklogs: [
        { id: '1', authorId: 'p', started: Date.parse('2026-03-10T22:00:00Z'), seconds: 24 * H },
        { id: '2', authorId: 'q', started: Date.parse('2026-03-10T22:00:00Z'), seconds: 24 * H },
      ],
    });
    expect(result.days).toEqual([
      { personId: 'p', date: '2026-03-10', seconds: H },
      { personId: 'p', date: '2026-03-11', seconds: 16 * H },
      { personId: 'p', date: '2026-03-12', seconds: 7 * H },
      { personId: 'q', date: '2026-03-10', seconds: H },
      { personId: 'q', date: '2026-03-11', seconds: 23 * H },
    ]);
  });
});

describe('sub-second starts: cuts rounded to the nearest second from the start', () => {
  it.each<[string, Record<string, number>]>([
    ['2026-03-10T23:59:59.400Z', { '2026-03-10': 1, '2026-03-11': 9 }], // 0.6 s before midnight → 1 s
    ['2026-03-10T23:59:59.500Z', { '2026-03-10': 1, '2026-03-11': 9 }], // 0.5 s → 1 s (half up)
    ['2026-03-10T23:59:59.600Z', { '2026-03-11': 10 }], // 0.4 s → 0 s
    ['2026-03-10T23:59:58.999Z', { '2026-03-10': 1, '2026-03-11': 9 }], // 1.001 s → 1 s
  ])('split, 10 s from %s', (started, expected) => {
    expect(worked('UTC', [], [{ started, seconds: 10 }], 'split')).toEqual(expected);
  });

  it('start-day puts all of it on the date of the start', () => {
    expect(worked('UTC', [], [{ started: '2026-03-10T23:59:59.600Z', seconds: 10 }], 'start-day')).toEqual({ '2026-03-10': 10 });
  });
});

/**
 * The oracle for the zone in force, written the slow obvious way with luxon. Since 1972 every
 * zone's offset is a whole number of quarter-hours and every clock change happens on a whole
 * quarter-hour, so the local date in any zone, and with it the contract in force, can change only
 * at a UTC quarter-hour: reading both at each quarter-hour inside a worklog finds every cut.
 */
const QUARTER_HOUR = 900_000;

interface ReferencePiece {
  readonly date: string;
  readonly fromMs: number;
  readonly toMs: number;
}

function referencePieces(personZone: string, contracts: readonly Contract[], w: Worklog): ReferencePiece[] {
  const zoneInForce = (t: number) => {
    const date = DateTime.fromMillis(t, { zone: personZone }).toISODate()!;
    return contracts.find((c) => c.firstDate <= date && (c.lastDate === null || date <= c.lastDate))?.timeZone ?? personZone;
  };
  const dateAt = (t: number) => DateTime.fromMillis(t, { zone: zoneInForce(t) }).toISODate()!;
  const end = w.started + w.seconds * 1000;
  const pieces: ReferencePiece[] = [];
  let from = w.started;
  let date = dateAt(from);
  for (let g = Math.floor(w.started / QUARTER_HOUR) * QUARTER_HOUR + QUARTER_HOUR; g < end; g += QUARTER_HOUR) {
    const d = dateAt(g);
    if (d === date) continue;
    pieces.push({ date, fromMs: from, toMs: g });
    from = g;
    date = d;
  }
  pieces.push({ date, fromMs: from, toMs: end });
  return pieces;
}

function referenceWorked(personZone: string, contracts: readonly Contract[], worklogs: readonly Worklog[], policy: DayPolicy): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (date: string, s: number) => (out[date] = (out[date] ?? 0) + s);
  const toCut = (w: Worklog, t: number) => Math.floor((t - w.started + 500) / 1000);
  for (const w of worklogs) {
    const pieces = referencePieces(personZone, contracts, w);
    if (policy === 'start-day') add(pieces[0]!.date, w.seconds);
    else for (const p of pieces) add(p.date, toCut(w, p.toMs) - toCut(w, p.fromMs));
  }
  return Object.fromEntries(Object.entries(out).filter(([, s]) => s !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('zone in force: laws', () => {
  const policyArb = fc.constantFrom<DayPolicy>('start-day', 'split');
  const byDate = (personZone: string, contracts: Contract[], worklogs: Worklog[], policy: DayPolicy) =>
    Object.fromEntries(workedSecondsByDate({ person: { id: 'p', timeZone: personZone }, siteTimeZone: 'UTC', worklogs, contracts, policy }));

  it('agrees with the quarter-hour oracle under both policies, with zone overrides coming and going', () => {
    fc.assert(
      fc.property(zoneOverrideScenarioArb(), policyArb, ({ personZone, contracts, worklogs }, policy) => {
        expect(byDate(personZone, contracts, worklogs, policy)).toEqual(referenceWorked(personZone, contracts, worklogs, policy));
      }),
      { numRuns: 80 },
    );
  });

  it('seconds are conserved under both policies', () => {
    fc.assert(
      fc.property(zoneOverrideScenarioArb(), policyArb, ({ personZone, contracts, worklogs }, policy) => {
        const total = Object.values(byDate(personZone, contracts, worklogs, policy)).reduce((s, x) => s + x, 0);
        expect(total).toBe(worklogs.reduce((s, w) => s + w.seconds, 0));
      }),
    );
  });

  // Not under start-day: there the second part counts on the date of its own start.
  it('split is additive: a worklog cut in two at any whole second of its length counts the same days', () => {
    fc.assert(
      fc.property(zoneOverrideScenarioArb(1), fc.double({ min: 0, max: 1, noNaN: true }), ({ personZone, contracts, worklogs }, at) => {
        fc.pre(worklogs.length === 1);
        const w = worklogs[0]!;
        const k = Math.floor(at * w.seconds);
        const halves = [
          { ...w, id: 'a', seconds: k },
          { ...w, id: 'b', started: w.started + k * 1000, seconds: w.seconds - k },
        ];
        expect(byDate(personZone, contracts, halves, 'split')).toEqual(byDate(personZone, contracts, [w], 'split'));
      }),
    );
  });

  it('split: pieces are whole seconds, add up to the worklog, and each is within a second of its exact length', () => {
    fc.assert(
      fc.property(zoneOverrideScenarioArb(1), ({ personZone, contracts, worklogs }) => {
        fc.pre(worklogs.length === 1);
        const w = worklogs[0]!;
        const days = byDate(personZone, contracts, [w], 'split');
        expect(Object.values(days).reduce((s, x) => s + x, 0)).toBe(w.seconds);
        // A date may hold several separate pieces (a zone change, a clock going back across midnight): each is within 1 s.
        const exact = new Map<string, { seconds: number; pieces: number }>();
        for (const p of referencePieces(personZone, contracts, w)) {
          const e = exact.get(p.date) ?? { seconds: 0, pieces: 0 };
          exact.set(p.date, { seconds: e.seconds + (p.toMs - p.fromMs) / 1000, pieces: e.pieces + 1 });
        }
        for (const [date, e] of exact) {
          expect(Number.isInteger(days[date] ?? 0)).toBe(true);
          expect(Math.abs((days[date] ?? 0) - e.seconds)).toBeLessThan(e.pieces);
        }
      }),
    );
  });
});
