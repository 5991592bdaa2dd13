import { parseLocalDate, toEpochDay, type LocalDate } from './localDate';
import type { Worklog } from './worklog';
import { offsetMsAt, parseZone, startOfLocalDay } from './zoneOffsets';

/** A worklog as it touches one local day: its whole interval, and the part of it inside the day. */
export interface WorklogOnDay {
  readonly worklog: Worklog;
  /** The start's local date and time in the day's zone, `YYYY-MM-DDTHH:mm:ss` (the date differs when it began the day before). */
  readonly startedLocal: string;
  /** Real seconds of the worklog between the day's first and last instant (23 or 25 h long at clock changes). */
  readonly secondsOnDay: number;
}

/** Whole seconds from a to b, rounded at the ends, so that the pieces of one worklog on adjoining days add up to it exactly. */
const secondsBetween = (a: number, b: number) => Math.round(b / 1000) - Math.round(a / 1000);

/** The local date and wall time `YYYY-MM-DDTHH:mm:ss` shown in `zone` at instant `ms`. */
export function localDateTime(zone: string, ms: number): string {
  return new Date(ms + offsetMsAt(zone, ms)).toISOString().slice(0, 19);
}

/**
 * The worklogs that overlap the local day `date` in `zone`, in real instants (as the working-time
 * record measures them, whatever the day policy): one that crosses midnight is on both days, each
 * with its own part. A worklog of no length counts nothing and is on no day. Sorted by start, then id.
 */
export function worklogsOnDay(worklogs: readonly Worklog[], zone: string, date: LocalDate): WorklogOnDay[] {
  parseZone(zone);
  const day = toEpochDay(parseLocalDate(date));
  const dayStart = startOfLocalDay(zone, day);
  const dayEnd = startOfLocalDay(zone, day + 1);
  const out: WorklogOnDay[] = [];
  for (const w of worklogs) {
    const end = w.started + w.seconds * 1000;
    const from = Math.max(w.started, dayStart);
    const to = Math.min(end, dayEnd);
    if (to <= from) continue;
    out.push({ worklog: w, startedLocal: localDateTime(zone, w.started), secondsOnDay: secondsBetween(from, to) });
  }
  return out.sort((a, b) => a.worklog.started - b.worklog.started || (a.worklog.id < b.worklog.id ? -1 : a.worklog.id > b.worklog.id ? 1 : 0));
}
