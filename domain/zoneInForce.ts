import { contractOn, type Contract } from './contract';
import { fromEpochDay, MS_PER_DAY, toEpochDay } from './localDate';
import { lastStartAtOrBefore, localEpochDayAt, segmentIndex, zoneOffsetsCovering } from './zoneOffsets';

/**
 * The zone a person's worklogs are counted in, instant by instant. The
 * contract in force at an instant is the one whose dates contain the local
 * date of that instant in the person's own zone (Jira's, else the site
 * default); the zone in force is that contract's `timeZone` override, else the
 * person's zone. So a contract starting on D takes effect at local midnight of
 * D in the person's zone, and one ending on D stops at the next such midnight.
 *
 * Zone `zones[i]` is in force from `starts[i]` (inclusive) to `starts[i + 1]`;
 * `starts[0]` is -Infinity and the last zone runs on for ever.
 */
export interface ZoneTimeline {
  readonly starts: readonly number[];
  readonly zones: readonly string[];
}

/** A person whose zone never changes. */
export function fixedZone(zone: string): ZoneTimeline {
  return { starts: [Number.NEGATIVE_INFINITY], zones: [zone] };
}

// |UTC offset| < 1 day in every zone, so the local date crosses a contract's
// boundary date B only within a day of B's UTC midnight; two days is margin.
const WINDOW_MS = 2 * MS_PER_DAY;

/**
 * The zone timeline of `personId` under `contracts` (other people's contracts
 * are ignored). Exact even where the person's local date jumps back (a clock
 * going back across midnight): the zone is re-read at every instant the local
 * date can cross a contract boundary.
 */
export function zoneTimeline(personId: string, personZone: string, contracts: readonly Contract[]): ZoneTimeline {
  const own = contracts.filter((c) => c.personId === personId);
  if (!own.some((c) => c.timeZone !== null && c.timeZone !== personZone)) return fixedZone(personZone);
  const zoneOnDay = (epochDay: number) => contractOn(own, personId, fromEpochDay(epochDay))?.timeZone ?? personZone;
  // Every first date and every day after a last date: where the contract in force can change.
  const boundaryDays = new Set<number>();
  for (const c of own) {
    boundaryDays.add(toEpochDay(c.firstDate));
    if (c.lastDate !== null) boundaryDays.add(toEpochDay(c.lastDate) + 1);
  }
  // Between the candidates below the local date moves without crossing a
  // boundary: within one offset stretch it crosses day B only at B's local
  // midnight, and it can jump only where the offset changes.
  const candidates: number[] = [];
  for (const day of boundaryDays) {
    const from = day * MS_PER_DAY - WINDOW_MS;
    const to = day * MS_PER_DAY + WINDOW_MS;
    const table = zoneOffsetsCovering(personZone, from, to);
    for (let i = segmentIndex(table, from); i < table.starts.length && table.starts[i]! < to; i++) {
      const segStart = table.starts[i]!;
      const segEnd = i + 1 < table.starts.length ? table.starts[i + 1]! : Number.POSITIVE_INFINITY;
      if (segStart > from) candidates.push(segStart);
      const midnight = day * MS_PER_DAY - table.offsetsMs[i]!;
      if (midnight >= Math.max(segStart, from) && midnight < Math.min(segEnd, to)) candidates.push(midnight);
    }
  }
  candidates.sort((a, b) => a - b);
  const starts = [Number.NEGATIVE_INFINITY];
  const zones = [personZone];
  for (const t of candidates) {
    const zone = zoneOnDay(localEpochDayAt(personZone, t));
    if (zone !== zones[zones.length - 1]) {
      starts.push(t);
      zones.push(zone);
    }
  }
  return { starts, zones };
}

/** Index of the timeline stretch that contains instant `ms`. */
export function stretchAt(timeline: ZoneTimeline, ms: number): number {
  return lastStartAtOrBefore(timeline.starts, ms);
}

/** The zone in force at instant `ms`. */
export function zoneAt(timeline: ZoneTimeline, ms: number): string {
  return timeline.zones[stretchAt(timeline, ms)]!;
}
