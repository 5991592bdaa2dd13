import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { worklogsOnDay } from '../../domain/dayWorklogs';
import { fromEpochDay } from '../../domain/localDate';
import { dailyWorkingTimeRecord } from '../../domain/workingTimeRecord';
import type { Worklog } from '../../domain/worklog';
import { localEpochDayAt } from '../../domain/zoneOffsets';
import { worklogArb } from '../arbitraries/worklogs';
import { zoneArb } from '../arbitraries/zones';

const wl = (id: string, startedIso: string, seconds: number): Worklog => ({ id, authorId: 'p', started: Date.parse(startedIso), seconds });

describe('the worklogs of one local day', () => {
  it('splits a worklog crossing midnight in Brussels between the two days, with its local start', () => {
    // 22:30 local (CET, UTC+1) on 2026-11-22 for 2 h: 1 h 30 min before midnight, 30 min after.
    const w = wl('1', '2026-11-22T21:30:00Z', 2 * 3600);
    expect(worklogsOnDay([w], 'Europe/Brussels', '2026-11-22')).toEqual([{ worklog: w, startedLocal: '2026-11-22T22:30:00', secondsOnDay: 5400 }]);
    expect(worklogsOnDay([w], 'Europe/Brussels', '2026-11-23')).toEqual([{ worklog: w, startedLocal: '2026-11-22T22:30:00', secondsOnDay: 1800 }]);
    expect(worklogsOnDay([w], 'Europe/Brussels', '2026-11-24')).toEqual([]);
    // In UTC the same worklog is all on the 22nd.
    expect(worklogsOnDay([w], 'UTC', '2026-11-22')[0]!.secondsOnDay).toBe(2 * 3600);
    expect(worklogsOnDay([w], 'UTC', '2026-11-23')).toEqual([]);
  });

  it('leaves out worklogs of no length and worklogs that end exactly at the day’s first instant', () => {
    const endsAtMidnight = wl('1', '2026-11-22T22:00:00Z', 3600); // 23:00–24:00 Brussels
    const empty = wl('2', '2026-11-23T09:00:00Z', 0);
    expect(worklogsOnDay([endsAtMidnight, empty], 'Europe/Brussels', '2026-11-23')).toEqual([]);
    expect(worklogsOnDay([endsAtMidnight, empty], 'Europe/Brussels', '2026-11-22')).toHaveLength(1);
  });

  it('sorts by start, then by id', () => {
    const a = wl('b', '2026-11-23T09:00:00Z', 60);
    const b = wl('a', '2026-11-23T09:00:00Z', 60);
    const c = wl('c', '2026-11-23T08:00:00Z', 60);
    expect(worklogsOnDay([a, b, c], 'UTC', '2026-11-23').map((d) => d.worklog.id)).toEqual(['c', 'a', 'b']);
  });

  it('measures a 25-hour day at the clock change in real time', () => {
    // 2026-10-25 in Brussels lasts 25 h: a worklog over the whole of it counts 25 h on it.
    const w = wl('1', '2026-10-24T20:00:00Z', 30 * 3600);
    expect(worklogsOnDay([w], 'Europe/Brussels', '2026-10-25')[0]!.secondsOnDay).toBe(25 * 3600);
  });

  it('property: the parts of a worklog on the days it touches add up to the worklog', () => {
    fc.assert(
      fc.property(worklogArb(['p']), zoneArb, (w, zone) => {
        if (w.seconds === 0) return;
        const first = localEpochDayAt(zone, w.started) - 1;
        const last = localEpochDayAt(zone, w.started + w.seconds * 1000) + 1;
        let total = 0;
        for (let d = first; d <= last; d++) total += worklogsOnDay([w], zone, fromEpochDay(d)).reduce((s, x) => s + x.secondsOnDay, 0);
        expect(total).toBe(w.seconds);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a lone worklog’s part on a day is the working-time record’s net time that day', () => {
    fc.assert(
      fc.property(worklogArb(['p']), zoneArb, (w, zone) => {
        const date = fromEpochDay(localEpochDayAt(zone, w.started));
        const [record] = dailyWorkingTimeRecord([w], zone, date, date);
        expect(worklogsOnDay([w], zone, date).reduce((s, x) => s + x.secondsOnDay, 0)).toBe(record!.netSeconds);
      }),
      { numRuns: 300 },
    );
  });
});
