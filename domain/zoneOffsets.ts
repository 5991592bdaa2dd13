import { IANAZone } from 'luxon';
import { DomainError, ErrorCode } from './errors';
import { MS_PER_DAY } from './localDate';

/**
 * A zone's UTC offsets over a span of time, as segments of constant offset.
 * Segment i covers [starts[i], starts[i+1]) with offset offsetsMs[i]; segment 0
 * reaches back to the beginning of the span and the last one to its end.
 *
 * Building one asks the runtime's time-zone database about a hundred times
 * per zone and year; after that every instant → local time conversion is a binary search
 * over a handful of numbers. That is what makes a million worklogs cheap.
 */
export interface ZoneOffsets {
  readonly zone: string;
  /** First and last instant (epoch ms) the table is known to be exact for. */
  readonly coversFromMs: number;
  readonly coversToMs: number;
  readonly starts: Float64Array;
  readonly offsetsMs: Float64Array;
}

// A weekly probe finds every offset change: no zone in the tz database changes
// its offset and back within a week (Morocco's Ramadan pause, the shortest
// round trip, lasts about a month; test/domain/zoneOffsets.test.ts checks every
// zone the runtime knows against an hourly probe). Bisection then pins each
// change to the millisecond.
const PROBE_MS = 7 * 86_400_000;
const cache = new Map<string, ZoneOffsets>();

/** True for an IANA zone name the runtime knows (e.g. "Europe/Brussels", "UTC"). */
export function isKnownZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/** Returns `zone` unchanged, or throws INVALID_ZONE saying what was given and what is expected. */
export function parseZone(zone: unknown, what = 'timeZone'): string {
  if (!isKnownZone(zone)) {
    throw new DomainError(
      ErrorCode.invalidZone,
      `${what} ${JSON.stringify(zone)} is not a known IANA time zone; use a name such as "Europe/Brussels", "Asia/Kathmandu" or "UTC"`,
      { field: what, value: zone },
    );
  }
  return zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const OFFSET_PATTERN = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/**
 * The zone's offset at `ms` from the runtime's time-zone database. One
 * `longOffset` format call ("…, GMT+05:45") is about five times cheaper than
 * luxon's formatToParts round trip, and table building is all such calls.
 */
function offsetMsFromIntl(zone: string, ms: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, format);
  }
  const m = OFFSET_PATTERN.exec(format.format(ms));
  if (!m) throw new DomainError(ErrorCode.invalidZone, `the runtime gave no UTC offset for zone ${JSON.stringify(zone)}`, { zone });
  if (!m[1]) return 0;
  const magnitude = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -magnitude : magnitude;
}

/** Builds the table of `zone` over [fromMs, toMs) by probing every `probeMs` and bisecting each change. */
export function buildZoneOffsets(zone: string, fromMs: number, toMs: number, probeMs = PROBE_MS): ZoneOffsets {
  parseZone(zone);
  const starts: number[] = [fromMs];
  const offsets: number[] = [offsetMsFromIntl(zone, fromMs)];
  let prevMs = fromMs;
  let prevOffset = offsets[0]!;
  for (let probe = fromMs + probeMs; prevMs < toMs; probe += probeMs) {
    const at = Math.min(probe, toMs);
    const offset = offsetMsFromIntl(zone, at);
    if (offset !== prevOffset) {
      // Bisect (prevMs, at] for the first instant with the new offset.
      let lo = prevMs;
      let hi = at;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMsFromIntl(zone, mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      starts.push(hi);
      offsets.push(offsetMsFromIntl(zone, hi));
      prevOffset = offsets[offsets.length - 1]!;
    }
    prevMs = at;
  }
  return { zone, coversFromMs: fromMs, coversToMs: toMs, starts: Float64Array.from(starts), offsetsMs: Float64Array.from(offsets) };
}

function yearStartMs(year: number): number {
  return Date.UTC(year, 0, 1);
}

const yearTables = new Map<string, ZoneOffsets>();

function yearTable(zone: string, year: number): ZoneOffsets {
  const key = `${zone}#${year}`;
  let table = yearTables.get(key);
  if (!table) {
    table = buildZoneOffsets(zone, yearStartMs(year), yearStartMs(year + 1));
    yearTables.set(key, table);
  }
  return table;
}

/** Joins consecutive whole-year tables, dropping the seams where the offset does not change. */
function joinYears(zone: string, firstYear: number, lastYear: number): ZoneOffsets {
  const starts: number[] = [];
  const offsets: number[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const t = yearTable(zone, year);
    for (let i = 0; i < t.starts.length; i++) {
      if (offsets.length > 0 && offsets[offsets.length - 1] === t.offsetsMs[i]) continue;
      starts.push(t.starts[i]!);
      offsets.push(t.offsetsMs[i]!);
    }
  }
  return {
    zone,
    coversFromMs: yearStartMs(firstYear),
    coversToMs: yearStartMs(lastYear + 1),
    starts: Float64Array.from(starts),
    offsetsMs: Float64Array.from(offsets),
  };
}

/**
 * The offset table of `zone` exact at least over [fromMs, toMs]. Each calendar
 * year is built once per zone and memoised (a pure function of its arguments
 * and the tz database); a wider request joins the years it needs.
 */
export function zoneOffsetsCovering(zone: string, fromMs: number, toMs: number): ZoneOffsets {
  const cached = cache.get(zone);
  if (cached && cached.coversFromMs <= fromMs && cached.coversToMs >= toMs) return cached;
  // A day either side so local-day arithmetic near the edges stays exact.
  let firstYear = new Date(fromMs - MS_PER_DAY).getUTCFullYear();
  let lastYear = new Date(toMs + MS_PER_DAY).getUTCFullYear();
  if (cached) {
    firstYear = Math.min(firstYear, new Date(cached.coversFromMs).getUTCFullYear());
    lastYear = Math.max(lastYear, new Date(cached.coversToMs - 1).getUTCFullYear());
  }
  const table = joinYears(zone, firstYear, lastYear);
  cache.set(zone, table);
  return table;
}

/** Index of the segment containing `ms` (0 for instants before the table). */
export function segmentIndex(table: ZoneOffsets, ms: number): number {
  return lastStartAtOrBefore(table.starts, ms);
}

/** Index of the last of ascending `starts` that is ≤ `ms` (0 when none is). */
export function lastStartAtOrBefore(starts: ArrayLike<number>, ms: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The zone's UTC offset in ms at instant `ms` (local = utc + offset). */
export function offsetMsAt(zone: string, ms: number): number {
  const table = zoneOffsetsCovering(zone, ms, ms);
  return table.offsetsMs[segmentIndex(table, ms)]!;
}

/** Epoch day of the local calendar date in `zone` at instant `ms`. */
export function localEpochDayAt(zone: string, ms: number): number {
  return Math.floor((ms + offsetMsAt(zone, ms)) / MS_PER_DAY);
}

/** The first instant after `ms` at which the offset changes, or Infinity within the table's span. */
export function nextOffsetChangeAfter(table: ZoneOffsets, ms: number): number {
  const next = segmentIndex(table, ms) + 1;
  return next < table.starts.length ? table.starts[next]! : Number.POSITIVE_INFINITY;
}

/**
 * The instant at which the wall clock in `zone` shows `localMs` (ms since
 * 1970-01-01T00:00 local). A wall time skipped by a spring-forward gap moves
 * forward by the gap (02:30 → 03:30), as luxon and java.time do; a wall time
 * that happens twice at a fall-back resolves to the first occurrence.
 */
export function instantOfLocal(zone: string, localMs: number): number {
  // |offset| ≤ 14 h, so only segments within ±15 h of localMs can match it.
  const span = 15 * 3_600_000;
  const table = zoneOffsetsCovering(zone, localMs - span, localMs + span);
  const first = segmentIndex(table, localMs - span);
  const last = segmentIndex(table, localMs + span);
  for (let i = first; i <= last; i++) {
    const t = localMs - table.offsetsMs[i]!;
    const segStart = i === 0 ? Number.NEGATIVE_INFINITY : table.starts[i]!;
    const segEnd = i + 1 < table.starts.length ? table.starts[i + 1]! : Number.POSITIVE_INFINITY;
    if (t >= segStart && t < segEnd) return t; // earliest match first: the earlier occurrence
  }
  // In a gap: read the wall time with the offset in force before the jump.
  for (let i = first + 1; i <= last; i++) {
    const before = table.offsetsMs[i - 1]!;
    const t = localMs - before;
    if (t >= table.starts[i]!) return t;
  }
  return localMs - table.offsetsMs[first]!;
}

/** The instant local day `epochDay` begins in `zone` (its first instant, even when midnight is skipped). */
export function startOfLocalDay(zone: string, epochDay: number): number {
  return instantOfLocal(zone, epochDay * MS_PER_DAY);
}

/** Forgets every memoised table, so a benchmark can time building them. Results never change. */
export function clearZoneOffsetCache(): void {
  cache.clear();
  yearTables.clear();
  formatters.clear();
}
