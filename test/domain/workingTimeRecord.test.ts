import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeIntervals, totalLength } from '../../domain/internal/intervals';
import { dailyWorkingTimeRecord, localDays } from '../../domain/workingTimeRecord';
import type { Worklog } from '../../domain/worklog';
import { zoneArb } from '../arbitraries/zones';

const H = 3600;
let id = 0;
const wl = (started: string, seconds: number): Worklog => ({ id: String(++id), authorId: 'a', started: Date.parse(started), seconds });

describe('daily working-time record: known answers', () => {
  it('a worklog 23:30–01:30 local is cut at midnight: 30 min until 24:00, then 90 min from 00:00', () => {
    const [d1, d2] = dailyWorkingTimeRecord([wl('2026-01-14T23:30:00+01:00', 2 * H)], 'Europe/Brussels', '2026-01-14', '2026-01-15');
    expect(d1).toMatchObject({ firstIn: '23:30:00', lastOut: '24:00:00', netSeconds: 1800, grossSeconds: 1800 });
    expect(d2).toMatchObject({ firstIn: '00:00:00', lastOut: '01:30:00', netSeconds: 5400 });
  });

  it('Brussels 29 March 2026 is 23 h long and 25 October 25 h: a person working the whole day logs that much real time', () => {
    const spring = dailyWorkingTimeRecord([wl('2026-03-29T00:00:00+01:00', 23 * H)], 'Europe/Brussels', '2026-03-29', '2026-03-29')[0]!;
    expect(spring).toMatchObject({ firstIn: '00:00:00', lastOut: '24:00:00', netSeconds: 23 * H });
    const autumn = dailyWorkingTimeRecord([wl('2026-10-25T00:00:00+02:00', 25 * H)], 'Europe/Brussels', '2026-10-25', '2026-10-25')[0]!;
    expect(autumn).toMatchObject({ firstIn: '00:00:00', lastOut: '24:00:00', netSeconds: 25 * H });
  });

  it('wall times are right on a clock-change day: 01:30 UTC on 29 March is 03:30 in Brussels', () => {
    expect(dailyWorkingTimeRecord([wl('2026-03-29T01:30:00Z', H)], 'Europe/Brussels', '2026-03-29', '2026-03-29')[0]).toMatchObject({ firstIn: '03:30:00', lastOut: '04:30:00' });
  });

  it('a 9-to-5 day with a lunch hour: gross 8 h, net 7 h, one break 12:00–13:00', () => {
    const day = dailyWorkingTimeRecord([wl('2026-11-23T09:00:00+01:00', 3 * H), wl('2026-11-23T13:00:00+01:00', 4 * H)], 'Europe/Brussels', '2026-11-23', '2026-11-23')[0]!;
    expect(day).toMatchObject({ firstIn: '09:00:00', lastOut: '17:00:00', grossSeconds: 8 * H, netSeconds: 7 * H, overlapSeconds: 0 });
    expect(day.breaks.map((b) => [b.from, b.to, b.seconds])).toEqual([['12:00:00', '13:00:00', H]]);
  });

  it('overlapping worklogs are not counted twice; the overlap is reported', () => {
    const day = dailyWorkingTimeRecord([wl('2026-11-23T09:00:00+01:00', 2 * H), wl('2026-11-23T10:00:00+01:00', 2 * H)], 'Europe/Brussels', '2026-11-23', '2026-11-23')[0]!;
    expect(day).toMatchObject({ netSeconds: 3 * H, grossSeconds: 3 * H, overlapSeconds: H, breaks: [] });
  });

  it('days without work are listed, marked so', () => {
    expect(dailyWorkingTimeRecord([], 'Asia/Kathmandu', '2026-11-21', '2026-11-22')).toEqual([
      { date: '2026-11-21', worked: false, firstInMs: null, firstIn: null, lastOutMs: null, lastOut: null, grossSeconds: 0, netSeconds: 0, breaks: [], overlapSeconds: 0 },
      { date: '2026-11-22', worked: false, firstInMs: null, firstIn: null, lastOutMs: null, lastOut: null, grossSeconds: 0, netSeconds: 0, breaks: [], overlapSeconds: 0 },
    ]);
  });
});

describe('daily working-time record: laws', () => {
  const worklogsArb = fc.array(
    fc.record({ startMinute: fc.integer({ min: 0, max: 14 * 24 * 60 }), seconds: fc.integer({ min: 0, max: 20 * H }) }),
    { maxLength: 25 },
  ).map((xs) => xs.map((x, i): Worklog => ({ id: String(i + 1), authorId: 'a', started: Date.parse('2026-03-22T00:00:00Z') + x.startMinute * 60_000, seconds: x.seconds })));

  it('on every day net + breaks = gross, and net ≤ gross', () => {
    fc.assert(
      fc.property(worklogsArb, zoneArb, (worklogs, zone) => {
        for (const d of dailyWorkingTimeRecord(worklogs, zone, '2026-03-20', '2026-04-08')) {
          expect(d.netSeconds + d.breaks.reduce((s, b) => s + b.seconds, 0)).toBe(d.grossSeconds);
          expect(d.netSeconds).toBeLessThanOrEqual(d.grossSeconds);
        }
      }),
    );
  });

  it('net time summed over the days is the length of the union of all worklogs', () => {
    fc.assert(
      fc.property(worklogsArb, zoneArb, (worklogs, zone) => {
        const days = dailyWorkingTimeRecord(worklogs, zone, '2026-03-20', '2026-04-08');
        const union = totalLength(mergeIntervals(worklogs.map((w) => [w.started, w.started + w.seconds * 1000] as const)));
        expect(days.reduce((s, d) => s + d.netSeconds, 0)).toBe(union / 1000);
      }),
    );
  });

  it('local days tile real time: each starts where the previous ends', () => {
    fc.assert(
      fc.property(zoneArb, (zone) => {
        const days = localDays(zone, '2026-01-01', '2026-12-31');
        for (let i = 1; i < days.length; i++) expect(days[i]!.startMs).toBe(days[i - 1]!.endMs);
      }),
      { numRuns: 20 },
    );
  });
});
