import { clipIntervals, mergeIntervals, totalLength, type Interval } from './internal/intervals';
import { wallTime } from './internal/wallClock';
import { DomainError, ErrorCode } from './errors';
import { fromEpochDay, parseLocalDate, toEpochDay, type LocalDate } from './localDate';
import { assertValidWorklog, type Worklog } from './worklog';
import { parseZone, startOfLocalDay } from './zoneOffsets';

/** A gap between two stretches of work on the same day. */
export interface Break {
  readonly fromMs: number;
  readonly toMs: number;
  readonly from: string;
  readonly to: string;
  readonly seconds: number;
}

/** One local day of the daily working-time record. */
export interface WorkingTimeDay {
  readonly date: LocalDate;
  readonly worked: boolean;
  /** First instant of work that day, and its wall-clock time `HH:mm:ss`. */
  readonly firstInMs: number | null;
  readonly firstIn: string | null;
  /** Last instant of work that day; `24:00:00` when work runs up to the end of the day. */
  readonly lastOutMs: number | null;
  readonly lastOut: string | null;
  /** Real time from first in to last out. */
  readonly grossSeconds: number;
  /** Real time worked: the union of the day's worklogs, so overlapping worklogs count once. */
  readonly netSeconds: number;
  readonly breaks: readonly Break[];
  /** Time logged twice (overlapping worklogs): a data-quality hint, not work. */
  readonly overlapSeconds: number;
}

/** The real-time intervals of worklogs, validated. */
export function worklogIntervals(worklogs: readonly Worklog[]): Interval[] {
  return worklogs.map((w, i) => {
    assertValidWorklog(w, i);
    return [w.started, w.started + w.seconds * 1000] as const;
  });
}

/** Local days of a range, each as the real instants it starts and ends at (23 or 25 h at clock changes). */
export function localDays(zone: string, firstDate: LocalDate, lastDate: LocalDate): { date: LocalDate; startMs: number; endMs: number }[] {
  parseZone(zone);
  const first = toEpochDay(parseLocalDate(firstDate, 'firstDate'));
  const last = toEpochDay(parseLocalDate(lastDate, 'lastDate'));
  if (last < first) throw new DomainError(ErrorCode.invalidRange, `lastDate ${lastDate} is before firstDate ${firstDate}`, { firstDate, lastDate });
  const out: { date: LocalDate; startMs: number; endMs: number }[] = [];
  for (let d = first; d <= last; d++) out.push({ date: fromEpochDay(d), startMs: startOfLocalDay(zone, d), endMs: startOfLocalDay(zone, d + 1) });
  return out;
}

/** Whole seconds from a to b, rounded at the ends, so that lengths of adjoining pieces add up exactly. */
const secondsBetween = (a: number, b: number) => Math.round(b / 1000) - Math.round(a / 1000);

/**
 * The daily working-time record of one person in `zone`: for every local date
 * of the range, first in, last out, breaks and net time, measured in real
 * instants. Work across midnight is cut at the instant the date changes.
 * Guarantees net + breaks = gross on every day, and net ≤ gross.
 */
export function dailyWorkingTimeRecord(worklogs: readonly Worklog[], zone: string, firstDate: LocalDate, lastDate: LocalDate): WorkingTimeDay[] {
  const intervals = worklogIntervals(worklogs);
  return localDays(zone, firstDate, lastDate).map(({ date, startMs, endMs }) => {
    const clipped = clipIntervals(intervals, startMs, endMs);
    const merged = mergeIntervals(clipped);
    if (merged.length === 0) {
      return { date, worked: false, firstInMs: null, firstIn: null, lastOutMs: null, lastOut: null, grossSeconds: 0, netSeconds: 0, breaks: [], overlapSeconds: 0 };
    }
    const firstInMs = merged[0]![0];
    const lastOutMs = merged[merged.length - 1]![1];
    const netSeconds = merged.reduce((t, [a, b]) => t + secondsBetween(a, b), 0);
    const breaks = merged.slice(1).map(([s], i): Break => {
      const from = merged[i]![1];
      return { fromMs: from, toMs: s, from: wallTime(zone, from), to: wallTime(zone, s), seconds: secondsBetween(from, s) };
    });
    return {
      date,
      worked: true,
      firstInMs,
      firstIn: wallTime(zone, firstInMs),
      lastOutMs,
      lastOut: wallTime(zone, lastOutMs, lastOutMs === endMs),
      grossSeconds: secondsBetween(firstInMs, lastOutMs),
      netSeconds,
      breaks,
      overlapSeconds: Math.max(0, Math.round((totalLength(clipped) - totalLength(merged)) / 1000)),
    };
  });
}
