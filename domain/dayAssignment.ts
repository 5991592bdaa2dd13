import type { Contract } from './contract';
import { DomainError, ErrorCode } from './errors';
import { fromEpochDay, MS_PER_DAY, type LocalDate } from './localDate';
import { assertValidWorklog, type Worklog } from './worklog';
import { stretchAt, zoneTimeline, type ZoneTimeline } from './zoneInForce';
import { localEpochDayAt, parseZone, zoneOffsetsCovering, type ZoneOffsets } from './zoneOffsets';

/**
 * How a worklog's seconds land on calendar days.
 * - `start-day`: all of it on the local date of its start instant (Jira's and Tempo's rule).
 * - `split`: cut at the author's local midnights, each piece on its own date.
 * Either way in the zone in force at each instant (see zoneInForce.ts).
 */
export type DayPolicy = 'start-day' | 'split';
export const DAY_POLICIES: readonly DayPolicy[] = ['start-day', 'split'];

export interface PersonZoneInput {
  readonly id: string;
  /** IANA zone from Jira; null when Jira gives none. */
  readonly timeZone: string | null;
}

export interface ResolvedPersonZone {
  readonly personId: string;
  readonly timeZone: string;
  /** True when the site default stood in for a zone Jira did not give. */
  readonly defaulted: boolean;
}

export interface PersonDaySeconds {
  readonly personId: string;
  readonly date: LocalDate;
  readonly seconds: number;
}

/**
 * Worklogs as parallel typed arrays: row i is person person[i] (an index into
 * the zone list), starting at started[i] (epoch ms), lasting seconds[i].
 */
export interface WorklogColumns {
  readonly length: number;
  readonly person: Int32Array | Uint32Array | Uint16Array;
  readonly started: Float64Array;
  readonly seconds: Int32Array | Uint32Array | Float64Array;
}

/**
 * Seconds per (person, local day). Dense when the grid is small enough
 * (cell p * dayCount + (epochDay - firstEpochDay)), otherwise sparse.
 */
export interface PersonDayGrid {
  readonly personCount: number;
  readonly firstEpochDay: number;
  readonly dayCount: number;
  readonly cells: Float64Array | null;
  readonly sparse: Map<number, number> | null;
}

// 64 M cells = 512 MB of Float64; beyond this the sparse map is kinder.
const MAX_DENSE_CELLS = 16_000_000;
// A sparse key packs person and day offset; 2^26 days ≈ 180,000 years.
const SPARSE_DAY_RADIX = 2 ** 26;

/** The zone each person's days are counted in; unknown or missing zones fall back to the site default, flagged. */
export function resolvePersonZones(
  people: readonly PersonZoneInput[],
  siteTimeZone: string,
): ResolvedPersonZone[] {
  parseZone(siteTimeZone, 'siteTimeZone');
  return people.map((p, i) => {
    if (p.timeZone === null || p.timeZone === undefined) {
      return { personId: p.id, timeZone: siteTimeZone, defaulted: true };
    }
    return { personId: p.id, timeZone: parseZone(p.timeZone, `people[${i}] (${p.id}).timeZone`), defaulted: false };
  });
}

interface FlatZoneTables {
  readonly zoneOfPerson: Int32Array;
  readonly segFirst: Int32Array; // per zone: index of its first segment in starts/offsets
  readonly segCount: Int32Array;
  readonly starts: Float64Array;
  readonly offsets: Float64Array;
  readonly tables: ZoneOffsets[];
}

function flattenZoneTables(personZones: readonly string[], fromMs: number, toMs: number): FlatZoneTables {
  const zoneIndex = new Map<string, number>();
  const zoneOfPerson = new Int32Array(personZones.length);
  const tables: ZoneOffsets[] = [];
  personZones.forEach((zone, p) => {
    let z = zoneIndex.get(zone);
    if (z === undefined) {
      z = tables.length;
      zoneIndex.set(zone, z);
      tables.push(zoneOffsetsCovering(zone, fromMs, toMs));
    }
    zoneOfPerson[p] = z;
  });
  const total = tables.reduce((n, t) => n + t.starts.length, 0);
  const starts = new Float64Array(total);
  const offsets = new Float64Array(total);
  const segFirst = new Int32Array(tables.length);
  const segCount = new Int32Array(tables.length);
  let at = 0;
  tables.forEach((t, z) => {
    segFirst[z] = at;
    segCount[z] = t.starts.length;
    starts.set(t.starts, at);
    offsets.set(t.offsetsMs, at);
    at += t.starts.length;
  });
  return { zoneOfPerson, segFirst, segCount, starts, offsets, tables };
}

function instantRange(columns: WorklogColumns, policy: DayPolicy): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const { started, seconds } = columns;
  for (let i = 0; i < columns.length; i++) {
    const s = started[i]!;
    const e = policy === 'split' ? s + seconds[i]! * 1000 : s;
    if (s < min) min = s;
    if (e > max) max = e;
  }
  return [min, max];
}

/**
 * Buckets worklog columns into seconds per (person, local day). The sum over
 * all cells always equals the sum of the worklogs' seconds, under both policies.
 * `personZones[p]` is the IANA zone of person index p; `timelines[p]`, when
 * given, is the zone in force at each instant for a person whose contracts
 * override their zone, and takes its place.
 */
export function bucketWorklogColumns(
  columns: WorklogColumns,
  personZones: readonly string[],
  policy: DayPolicy,
  timelines: readonly (ZoneTimeline | undefined)[] = [],
): PersonDayGrid {
  const personCount = personZones.length;
  if (columns.length === 0) {
    return { personCount, firstEpochDay: 0, dayCount: 0, cells: new Float64Array(0), sparse: null };
  }
  const [minMs, maxMs] = instantRange(columns, policy);
  const flat = flattenZoneTables(personZones, minMs, maxMs);
  // Offsets are within ±1 day, so local days fall within one day of UTC days.
  const firstEpochDay = Math.floor(minMs / MS_PER_DAY) - 1;
  const dayCount = Math.floor(maxMs / MS_PER_DAY) + 2 - firstEpochDay;
  const dense = personCount * dayCount <= MAX_DENSE_CELLS;
  const cells = dense ? new Float64Array(personCount * dayCount) : null;
  const sparse = dense ? null : new Map<number, number>();
  const add = (p: number, dayOffset: number, secs: number): void => {
    if (cells) cells[p * dayCount + dayOffset]! += secs;
    else {
      const key = p * SPARSE_DAY_RADIX + dayOffset;
      sparse!.set(key, (sparse!.get(key) ?? 0) + secs);
    }
  };

  const { person, started, seconds } = columns;
  const { zoneOfPerson, segFirst, segCount, starts, offsets } = flat;
  const n = columns.length;
  const changing = timelines.map((t) => (t !== undefined && t.zones.length > 1 ? t : undefined));
  if (policy === 'start-day' && cells && !changing.some((t) => t !== undefined)) {
    // The hot loop: no objects, no luxon. Most UTC days have one offset all
    // day long, so one array read gives it; only the few days with an offset
    // change fall back to a binary search over the zone's segments.
    const firstUtcDay = Math.floor(minMs / MS_PER_DAY);
    const utcDays = Math.floor(maxMs / MS_PER_DAY) - firstUtcDay + 1;
    const dayOffsets = offsetsByUtcDay(flat, firstUtcDay, utcDays);
    for (let i = 0; i < n; i++) {
      const p = person[i]!;
      const z = zoneOfPerson[p]!;
      const t = started[i]!;
      let offset = dayOffsets[z * utcDays + Math.floor(t / MS_PER_DAY) - firstUtcDay]!;
      if (offset !== offset) {
        let lo = segFirst[z]!;
        let hi = lo + segCount[z]! - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= t) lo = mid;
          else hi = mid - 1;
        }
        offset = offsets[lo]!;
      }
      cells[p * dayCount + Math.floor((t + offset) / MS_PER_DAY) - firstEpochDay]! += seconds[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = person[i]!;
      const z = zoneOfPerson[p]!;
      const first = segFirst[z]!;
      const last = first + segCount[z]! - 1;
      const startMs = started[i]!;
      const timeline = changing[p];
      if (timeline !== undefined) {
        placeAcrossZones(startMs, seconds[i]!, timeline, policy, (epochDay, secs) => add(p, epochDay - firstEpochDay, secs));
        continue;
      }
      if (policy === 'start-day') {
        const seg = findSegment(starts, first, last, startMs);
        add(p, Math.floor((startMs + offsets[seg]!) / MS_PER_DAY) - firstEpochDay, seconds[i]!);
        continue;
      }
      splitAtLocalMidnights(startMs, seconds[i]!, starts, offsets, first, last, (epochDay, secs) =>
        add(p, epochDay - firstEpochDay, secs),
      );
    }
  }
  return { personCount, firstEpochDay, dayCount, cells, sparse };
}

/** Per zone and UTC day: the offset in force all that day, or NaN when it changes during the day. */
function offsetsByUtcDay(flat: FlatZoneTables, firstUtcDay: number, utcDays: number): Float64Array {
  const zones = flat.segFirst.length;
  const out = new Float64Array(zones * utcDays);
  for (let z = 0; z < zones; z++) {
    const first = flat.segFirst[z]!;
    const last = first + flat.segCount[z]! - 1;
    for (let d = 0; d < utcDays; d++) {
      const dayStart = (firstUtcDay + d) * MS_PER_DAY;
      const seg = findSegment(flat.starts, first, last, dayStart);
      const changesToday = seg < last && flat.starts[seg + 1]! < dayStart + MS_PER_DAY;
      out[z * utcDays + d] = changesToday ? Number.NaN : flat.offsets[seg]!;
    }
  }
  return out;
}

function findSegment(starts: Float64Array, first: number, last: number, t: number): number {
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Seconds from a worklog's start to a cut instant, to the nearest second
 * (half up). Rounding every cut this way, rather than each piece, makes the
 * pieces whole seconds that add up to the worklog, each within a second of
 * its exact length, whatever the milliseconds of the start.
 */
function secondsToCut(startMs: number, cutMs: number): number {
  return Math.floor((cutMs - startMs + 500) / 1000);
}

/**
 * Walks [fromMs, toMs) of a worklog that starts at `startMs` through one
 * zone's constant-offset stretches, cutting at each local midnight and at each
 * offset change (where the local date can jump either way), and emits each
 * piece's whole seconds (see secondsToCut). `given` is how many seconds of the
 * worklog earlier pieces already took; returns the new count.
 */
function splitStretch(
  startMs: number,
  given: number,
  fromMs: number,
  toMs: number,
  starts: Float64Array,
  offsets: Float64Array,
  first: number,
  last: number,
  emit: (epochDay: number, seconds: number) => void,
): number {
  let t = fromMs;
  let seg = findSegment(starts, first, last, t);
  while (t < toMs) {
    while (seg < last && starts[seg + 1]! <= t) seg++;
    const offset = offsets[seg]!;
    const epochDay = Math.floor((t + offset) / MS_PER_DAY);
    const midnight = (epochDay + 1) * MS_PER_DAY - offset;
    const segEnd = seg < last ? starts[seg + 1]! : Number.POSITIVE_INFINITY;
    const end = Math.min(toMs, midnight, segEnd);
    const upTo = secondsToCut(startMs, end);
    if (upTo > given) {
      emit(epochDay, upTo - given);
      given = upTo;
    }
    t = end;
  }
  return given;
}

/** `split` in one zone: [startMs, startMs + seconds) cut at its local midnights. */
function splitAtLocalMidnights(
  startMs: number,
  seconds: number,
  starts: Float64Array,
  offsets: Float64Array,
  first: number,
  last: number,
  emit: (epochDay: number, seconds: number) => void,
): void {
  if (seconds === 0) {
    emit(Math.floor((startMs + offsets[findSegment(starts, first, last, startMs)]!) / MS_PER_DAY), 0);
    return;
  }
  splitStretch(startMs, 0, startMs, startMs + seconds * 1000, starts, offsets, first, last, emit);
}

/**
 * Places one worklog on local days when the zone in force changes over time:
 * under `start-day`, all of it on the local date of its start in the zone in
 * force at its start; under `split`, cut at the local midnights of whichever
 * zone is in force at each instant, and where the zone changes.
 */
function placeAcrossZones(
  startMs: number,
  seconds: number,
  timeline: ZoneTimeline,
  policy: DayPolicy,
  emit: (epochDay: number, seconds: number) => void,
): void {
  let k = stretchAt(timeline, startMs);
  if (policy === 'start-day' || seconds === 0) {
    emit(localEpochDayAt(timeline.zones[k]!, startMs), seconds);
    return;
  }
  const endMs = startMs + seconds * 1000;
  let given = 0;
  for (; k < timeline.starts.length && timeline.starts[k]! < endMs; k++) {
    const from = Math.max(startMs, timeline.starts[k]!);
    const to = k + 1 < timeline.starts.length ? Math.min(endMs, timeline.starts[k + 1]!) : endMs;
    const table = zoneOffsetsCovering(timeline.zones[k]!, from, to);
    given = splitStretch(startMs, given, from, to, table.starts, table.offsetsMs, 0, table.starts.length - 1, emit);
  }
}

/** Lists a grid's non-zero cells as (person index, epoch day, seconds), ordered by person then day. */
export function gridCells(grid: PersonDayGrid): { person: number; epochDay: number; seconds: number }[] {
  const out: { person: number; epochDay: number; seconds: number }[] = [];
  if (grid.cells) {
    const { cells, dayCount, firstEpochDay } = grid;
    for (let p = 0; p < grid.personCount; p++) {
      for (let d = 0; d < dayCount; d++) {
        const s = cells[p * dayCount + d]!;
        if (s !== 0) out.push({ person: p, epochDay: firstEpochDay + d, seconds: s });
      }
    }
    return out;
  }
  const keys = [...grid.sparse!.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const s = grid.sparse!.get(key)!;
    if (s === 0) continue;
    const p = Math.floor(key / SPARSE_DAY_RADIX);
    out.push({ person: p, epochDay: grid.firstEpochDay + (key - p * SPARSE_DAY_RADIX), seconds: s });
  }
  return out;
}

export interface DayAssignmentInput {
  readonly worklogs: readonly Worklog[];
  readonly people: readonly PersonZoneInput[];
  readonly siteTimeZone: string;
  readonly policy: DayPolicy;
  /** Contracts whose `timeZone` overrides their person's zone while in force; none by default. */
  readonly contracts?: readonly Contract[];
}

export interface DayAssignment {
  /** Non-zero person-days, sorted by personId then date. */
  readonly days: PersonDaySeconds[];
  /** The zone each person was counted in, and whether the site default stood in. */
  readonly zones: ResolvedPersonZone[];
}

/**
 * Assigns worklogs to their authors' local calendar days under `policy`, in
 * the zone in force at each instant (a contract's override, else the person's).
 * Authors missing from `people` are counted in the site zone and flagged.
 * Seconds are conserved: Σ days = Σ worklogs, per person, under both policies.
 */
export function assignWorklogsToDays(input: DayAssignmentInput): DayAssignment {
  if (!DAY_POLICIES.includes(input.policy)) {
    throw new DomainError(
      ErrorCode.invalidPolicy,
      `day policy ${JSON.stringify(input.policy)} is not one of ${DAY_POLICIES.join(', ')}`,
      { field: 'policy', value: input.policy },
    );
  }
  const known = resolvePersonZones(input.people, input.siteTimeZone);
  const zones = [...known];
  const indexOf = new Map<string, number>();
  zones.forEach((z, i) => {
    if (!indexOf.has(z.personId)) indexOf.set(z.personId, i);
  });
  const n = input.worklogs.length;
  const columns = {
    length: n,
    person: new Int32Array(n),
    started: new Float64Array(n),
    seconds: new Float64Array(n),
  };
  input.worklogs.forEach((w, i) => {
    assertValidWorklog(w, i);
    let p = indexOf.get(w.authorId);
    if (p === undefined) {
      p = zones.length;
      zones.push({ personId: w.authorId, timeZone: input.siteTimeZone, defaulted: true });
      indexOf.set(w.authorId, p);
    }
    columns.person[i] = p;
    columns.started[i] = w.started;
    columns.seconds[i] = w.seconds;
  });
  const contractsOf = new Map<string, Contract[]>();
  for (const c of input.contracts ?? []) {
    const list = contractsOf.get(c.personId);
    if (list) list.push(c);
    else contractsOf.set(c.personId, [c]);
  }
  const timelines = zones.map((z) => {
    const own = contractsOf.get(z.personId);
    return own === undefined ? undefined : zoneTimeline(z.personId, z.timeZone, own);
  });
  const grid = bucketWorklogColumns(columns, zones.map((z) => z.timeZone), input.policy, timelines);
  const days = gridCells(grid).map((c) => ({
    personId: zones[c.person]!.personId,
    date: fromEpochDay(c.epochDay),
    seconds: c.seconds,
  }));
  days.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, zones };
}

/** What one person's worked time per date is computed from. */
export interface WorkedSecondsInput {
  /** The person's Jira zone, or null when Jira gives none (the site zone stands in). */
  readonly person: { readonly id: string; readonly timeZone: string | null };
  readonly siteTimeZone: string;
  /** Worklogs by other authors are ignored. */
  readonly worklogs: readonly Worklog[];
  /** The person's contracts (others are ignored): their zone overrides apply while in force. */
  readonly contracts: readonly Contract[];
  readonly policy: DayPolicy;
}

/**
 * Seconds one person worked per local date, in date order, dates with none
 * left out: the one function both the app and the CLI count worked time with.
 */
export function workedSecondsByDate(input: WorkedSecondsInput): Map<LocalDate, number> {
  const personId = input.person.id;
  const { days } = assignWorklogsToDays({
    worklogs: input.worklogs.filter((w) => w.authorId === personId),
    people: [input.person],
    siteTimeZone: input.siteTimeZone,
    policy: input.policy,
    contracts: input.contracts.filter((c) => c.personId === personId),
  });
  return new Map(days.map((d) => [d.date, d.seconds]));
}
