import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fromEpochDay, MS_PER_DAY } from '../../domain/localDate';
import {
  buildZoneOffsets,
  instantOfLocal,
  localEpochDayAt,
  offsetMsAt,
  parseZone,
  startOfLocalDay,
} from '../../domain/zoneOffsets';
import { instantArb, zoneArb } from '../arbitraries/zones';

const utc = (iso: string) => Date.parse(iso);

describe('zone offsets', () => {
  it.each([
    ['Europe/Brussels', '2026-03-29T00:59:59Z', 60],
    ['Europe/Brussels', '2026-03-29T01:00:00Z', 120],
    ['Europe/Brussels', '2026-10-25T00:59:59Z', 120],
    ['Europe/Brussels', '2026-10-25T01:00:00Z', 60],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z', 345],
    ['Pacific/Chatham', '2026-01-15T00:00:00Z', 825],
    ['Pacific/Chatham', '2026-07-15T00:00:00Z', 765],
    ['Australia/Lord_Howe', '2026-01-15T00:00:00Z', 660],
    ['Australia/Lord_Howe', '2026-07-15T00:00:00Z', 630],
    ['Australia/Sydney', '2026-04-04T15:59:59Z', 660],
    ['Australia/Sydney', '2026-04-04T16:00:00Z', 600],
  ])('%s at %s is UTC%+d min', (zone, iso, minutes) => {
    expect(offsetMsAt(zone, utc(iso))).toBe(minutes * 60_000);
  });

  it('agrees with luxon at every instant (property)', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, ms) => {
        expect(offsetMsAt(zone, ms)).toBe(DateTime.fromMillis(ms, { zone }).offset * 60_000);
      }),
      { numRuns: 3000 },
    );
  });

  it('local day of an instant matches luxon (property)', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, ms) => {
        expect(fromEpochDay(localEpochDayAt(zone, ms))).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }),
      { numRuns: 3000 },
    );
  });

  it('a local wall time maps back to an instant showing that wall time, or shifted forward past a gap', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, ms) => {
        const local = ms + offsetMsAt(zone, ms);
        const t = instantOfLocal(zone, local);
        const shown = t + offsetMsAt(zone, t);
        if (shown === local) {
          // Fall-back: the earlier of two occurrences is chosen.
          expect(t).toBeLessThanOrEqual(ms);
        } else {
          expect(shown).toBeGreaterThan(local);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('Brussels spring-forward day is 23 h long and fall-back day 25 h', () => {
    const day = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / MS_PER_DAY);
    const length = (d: string) => startOfLocalDay('Europe/Brussels', day(d) + 1) - startOfLocalDay('Europe/Brussels', day(d));
    expect(length('2026-03-29')).toBe(23 * 3_600_000);
    expect(length('2026-10-25')).toBe(25 * 3_600_000);
    expect(length('2026-06-01')).toBe(24 * 3_600_000);
  });

  it('a day whose midnight does not exist starts at 01:00 (America/Santiago 2026-09-06)', () => {
    const day = Math.round(Date.parse('2026-09-06T00:00:00Z') / MS_PER_DAY);
    const start = startOfLocalDay('America/Santiago', day);
    expect(DateTime.fromMillis(start, { zone: 'America/Santiago' }).toISO()).toBe('2026-09-06T01:00:00.000-03:00');
  });

  it('an unknown zone is refused with a message naming it', () => {
    expect(() => parseZone('Europe/Atlantis')).toThrow(/"Europe\/Atlantis" is not a known IANA time zone/);
  });
});

describe('zone offset tables', () => {
  it('a weekly probe finds every offset change of every zone the runtime knows (2024–2027, against a daily probe)', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    const missed = Intl.supportedValuesOf('timeZone').filter((zone) => {
      const weekly = buildZoneOffsets(zone, from, to);
      const daily = buildZoneOffsets(zone, from, to, 86_400_000);
      return weekly.starts.join() !== daily.starts.join() || weekly.offsetsMs.join() !== daily.offsetsMs.join();
    });
    expect(missed).toEqual([]);
  });
});
