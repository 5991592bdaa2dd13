import { DateTime } from 'luxon';
import { performance } from 'node:perf_hooks';
import { bucketWorklogColumns, gridCells, type PersonDayGrid, type WorklogColumns } from '../domain/dayAssignment';
import { fromEpochDay } from '../domain/localDate';
import { clearZoneOffsetCache } from '../domain/zoneOffsets';
import { seededRandom } from '../src/local/seededRandom';
import { startThrowawayPostgres, type ThrowawayPostgres } from './lib/postgres';
import { grouped, millions, perSecond, summarize, timeRuns, type Timing } from './lib/timing';

/**
 * bench/buckets: 1,000,000 worklogs from 1,000 people over 2026 into seconds
 * per (person, local day) under the start-day policy, timed in-process from
 * typed arrays in memory to the finished grid, zone-offset tables included.
 * When PostgreSQL is installed, the same rows go through
 * `GROUP BY author, (started AT TIME ZONE tz)::date` in a throwaway cluster in
 * the same run, and both sets of buckets must agree cell by cell.
 */

const WORKLOGS = 1_000_000;
const PEOPLE = 1_000;
const YEAR = 2026;
const SEED = 20_261_123;
// Our runs are short (under 0.1 s), so one stall on a shared 2-core machine
// spoils a run; 20 of them still take less time than PostgreSQL's six.
const OUR_RUNS = 20;
const OUR_WARM_RUNS = 10;
const PG_RUNS = 3;
const TARGET_RATIO = 10;

// Zones chosen to be awkward: DST in both hemispheres, a 30-minute DST (Lord
// Howe), quarter-hour offsets (Kathmandu, Chatham), half-hour ones (Kolkata,
// St John's), a DST change at local midnight so the first instant of a day is
// 01:00 (Santiago), a zone that dropped DST (São Paulo) and the extremes of
// the offset range (Kiritimati +14, Pago Pago −11).
const ZONES = [
  'Europe/Brussels',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'America/Santiago',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'UTC',
] as const;

// Share of worklogs placed on purpose where a wrong offset shows: within two
// minutes of a local midnight, or within three hours of an offset change.
const NEAR_MIDNIGHT_SHARE = 0.1;
const NEAR_CHANGE_SHARE = 0.1;
const NEAR_MIDNIGHT_S = 120;
const NEAR_CHANGE_S = 3 * 3600;
const MIN_SECONDS = 60;
const MAX_SECONDS = 8 * 3600;

/** The instants a zone's local year starts each day, and when its offset changes; epoch seconds. */
interface ZoneCalendar {
  /** First instant of each local date of the year, then of the next year's 1 January. */
  readonly dayStarts: number[];
  /** First instant of each new offset during the year. */
  readonly offsetChanges: number[];
}

/**
 * Computed with luxon, not with the code under test, so the tricky instants do
 * not inherit its mistakes. Untimed: this is data generation.
 */
function zoneCalendar(zone: string): ZoneCalendar {
  const first = DateTime.fromObject({ year: YEAR, month: 1, day: 1 }, { zone });
  const daysInYear = first.daysInYear;
  const dayStarts: number[] = [];
  // startOf('day') is the day's first instant, 01:00 where midnight is skipped.
  for (let d = 0; d <= daysInYear; d++) dayStarts.push(first.plus({ days: d }).startOf('day').toMillis() / 1000);
  const offsetChanges: number[] = [];
  const offsetAt = (s: number) => DateTime.fromSeconds(s, { zone }).offset;
  // No zone changes its offset twice within a day, so a daily probe plus
  // bisection to the second finds every change.
  for (let i = 1; i < dayStarts.length; i++) {
    let lo = dayStarts[i - 1]!;
    let hi = dayStarts[i]!;
    if (offsetAt(lo) === offsetAt(hi)) continue;
    const before = offsetAt(lo);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === before) lo = mid;
      else hi = mid;
    }
    offsetChanges.push(hi);
  }
  return { dayStarts, offsetChanges };
}

interface Workload {
  readonly columns: WorklogColumns;
  readonly personZones: string[];
  readonly nearMidnight: number;
  readonly nearChange: number;
  readonly totalSeconds: number;
}

/** One worklog's start (epoch seconds) in its author's local year 2026, by the mix above. */
function pickStart(random: () => number, calendar: ZoneCalendar): { start: number; kind: 'uniform' | 'midnight' | 'change' } {
  const { dayStarts, offsetChanges } = calendar;
  const yearStart = dayStarts[0]!;
  const yearEnd = dayStarts[dayStarts.length - 1]!;
  const clamp = (s: number) => Math.min(yearEnd - 1, Math.max(yearStart, s));
  const roll = random();
  if (roll < NEAR_CHANGE_SHARE && offsetChanges.length > 0) {
    const change = offsetChanges[Math.floor(random() * offsetChanges.length)]!;
    return { start: clamp(change + Math.floor((random() * 2 - 1) * NEAR_CHANGE_S)), kind: 'change' };
  }
  if (roll < NEAR_CHANGE_SHARE + NEAR_MIDNIGHT_SHARE) {
    const midnight = dayStarts[Math.floor(random() * dayStarts.length)]!;
    return { start: clamp(midnight + Math.floor((random() * 2 - 1) * NEAR_MIDNIGHT_S)), kind: 'midnight' };
  }
  return { start: yearStart + Math.floor(random() * (yearEnd - yearStart)), kind: 'uniform' };
}

/** Deterministic worklogs as typed arrays, built before any timing starts. */
function generate(): Workload {
  const random = seededRandom(SEED);
  const personZones = Array.from({ length: PEOPLE }, (_, p) => ZONES[p % ZONES.length]!);
  const calendars = new Map(ZONES.map((zone) => [zone, zoneCalendar(zone)] as const));
  const person = new Int32Array(WORKLOGS);
  const started = new Float64Array(WORKLOGS);
  const seconds = new Int32Array(WORKLOGS);
  let nearMidnight = 0;
  let nearChange = 0;
  let totalSeconds = 0;
  for (let i = 0; i < WORKLOGS; i++) {
    const p = Math.floor(random() * PEOPLE);
    const { start, kind } = pickStart(random, calendars.get(personZones[p]!)!);
    person[i] = p;
    started[i] = start * 1000; // second precision, as Jira stores it
    seconds[i] = MIN_SECONDS + Math.floor(random() * (MAX_SECONDS - MIN_SECONDS + 1));
    totalSeconds += seconds[i]!;
    if (kind === 'midnight') nearMidnight++;
    if (kind === 'change') nearChange++;
  }
  return { columns: { length: WORKLOGS, person, started, seconds }, personZones, nearMidnight, nearChange, totalSeconds };
}

interface OurResult {
  readonly grid: PersonDayGrid;
  readonly cold: Timing;
  readonly warm: Timing;
}

/**
 * The figure: the offset cache is cleared before every run, so each run
 * builds its zone tables. The warm figure (tables kept) shows what that costs.
 */
function timeOurs(columns: WorklogColumns, personZones: readonly string[]): OurResult {
  let grid = bucketWorklogColumns(columns, personZones, 'start-day');
  const cold = timeRuns(OUR_RUNS, () => {
    clearZoneOffsetCache();
    grid = bucketWorklogColumns(columns, personZones, 'start-day');
  });
  const warm = timeRuns(OUR_WARM_RUNS, () => {
    bucketWorklogColumns(columns, personZones, 'start-day');
  });
  return { grid, cold, warm };
}

/** The rows as COPY text: author, zone, start as ISO 8601 UTC, seconds. */
function copyText(columns: WorklogColumns, personZones: readonly string[]): string {
  const lines: string[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const p = columns.person[i]!;
    lines[i] = `${p}\t${personZones[p]}\t${new Date(columns.started[i]!).toISOString()}\t${columns.seconds[i]}`;
  }
  return `${lines.join('\n')}\n`;
}

// The zone rides along on each row rather than in a joined people table: one
// hash join fewer for PostgreSQL, so if anything this flatters it.
const BUCKET_QUERY = 'SELECT author, (started AT TIME ZONE tz)::date AS day, sum(seconds) AS seconds FROM worklog GROUP BY 1, 2';

function loadRows(pg: ThrowawayPostgres, workload: Workload): number {
  const text = copyText(workload.columns, workload.personZones);
  const start = performance.now();
  pg.psql('CREATE UNLOGGED TABLE worklog (author int NOT NULL, tz text NOT NULL, started timestamptz NOT NULL, seconds int NOT NULL)');
  pg.psql('COPY worklog FROM STDIN', text);
  pg.psql('VACUUM ANALYZE worklog');
  return performance.now() - start;
}

interface PlanRun {
  readonly executionMs: number;
  readonly workers: number;
  readonly jit: boolean;
}

/** One server-side execution of the query: EXPLAIN ANALYZE's Execution Time, with per-node clocks off. */
function explainRun(pg: ThrowawayPostgres, settings: string): PlanRun {
  const out = pg.psql(`${settings} EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${BUCKET_QUERY}`);
  const [plan] = JSON.parse(out) as [{ 'Execution Time': number; JIT?: unknown; Plan: unknown }];
  const launched = [...JSON.stringify(plan.Plan).matchAll(/"Workers Launched":(\d+)/g)].map((m) => Number(m[1]));
  return { executionMs: plan['Execution Time'], workers: Math.max(0, ...launched), jit: plan.JIT !== undefined };
}

interface PostgresTiming extends Timing {
  readonly plan: string;
}

// PostgreSQL's planner keeps this query in one process; pushed onto two
// parallel workers it is sometimes faster on 2 cores, sometimes slower. Both
// plans are timed and the faster one is PostgreSQL's figure, so the ratio
// never rests on a handicapped plan.
const PLANS: readonly { name: string; settings: string }[] = [
  { name: "planner's choice", settings: '' },
  { name: 'parallel', settings: 'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;' },
];

/** Warm-up run, then best of PG_RUNS per plan; the best plan wins. */
function timePostgres(pg: ThrowawayPostgres, log: (line: string) => void): PostgresTiming {
  let best: PostgresTiming | null = null;
  for (const { name, settings } of PLANS) {
    explainRun(pg, settings); // warm: table in shared buffers, zone data loaded
    const runs = Array.from({ length: PG_RUNS }, () => explainRun(pg, settings));
    const timing = summarize(runs.map((r) => r.executionMs));
    const shape = `${runs[0]!.workers} workers${runs[0]!.jit ? ', JIT' : ''}`;
    const plan = `${name}: ${shape}`;
    log(`  postgres ${plan.padEnd(28)} best ${timing.bestMs.toFixed(1)} ms, median ${timing.medianMs.toFixed(1)} ms of ${PG_RUNS}`);
    if (!best || timing.bestMs < best.bestMs) best = { ...timing, plan };
  }
  return best!;
}

/** A bucket as "person<TAB>YYYY-MM-DD<TAB>seconds", ordered by person then day, as PostgreSQL's ORDER BY 1, 2 gives it. */
function ourBucketLines(grid: PersonDayGrid): string[] {
  return gridCells(grid).map((c) => `${c.person}\t${fromEpochDay(c.epochDay)}\t${c.seconds}`);
}

function theirBucketLines(pg: ThrowawayPostgres): string[] {
  const out = pg.psql(`COPY (SELECT author, to_char(day, 'YYYY-MM-DD'), seconds FROM (${BUCKET_QUERY}) b ORDER BY 1, 2) TO STDOUT`);
  return out.split('\n').filter((line) => line.length > 0);
}

/** Orders bucket keys (person, then ISO date) the way both lists are sorted. */
function compareKeys(a: string, b: string): number {
  const [pa, da] = a.split('\t');
  const [pb, db] = b.split('\t');
  const byPerson = Number(pa) - Number(pb);
  if (byPerson !== 0) return byPerson;
  return da! < db! ? -1 : da! > db! ? 1 : 0;
}

/** Merges the two sorted lists and describes the first `limit` cells that differ. */
function bucketDifferences(ours: readonly string[], theirs: readonly string[], limit: number): string[] {
  const differences: string[] = [];
  const key = (line: string) => line.split('\t').slice(0, 2).join(' ');
  const value = (line: string) => line.split('\t')[2];
  let i = 0;
  let j = 0;
  while ((i < ours.length || j < theirs.length) && differences.length < limit) {
    const a = ours[i];
    const b = theirs[j];
    const order = a === undefined ? 1 : b === undefined ? -1 : compareKeys(a, b);
    if (order === 0) {
      if (value(a!) !== value(b!)) differences.push(`person ${key(a!)}: ours ${value(a!)} s, postgres ${value(b!)} s`);
      i++;
      j++;
    } else if (order < 0) {
      differences.push(`person ${key(a!)}: ours ${value(a!)} s, postgres none`);
      i++;
    } else {
      differences.push(`person ${key(b!)}: ours none, postgres ${value(b!)} s`);
      j++;
    }
  }
  return differences;
}

/** Loads, times and cross-checks PostgreSQL: its rate (worklogs/s) and whether its buckets equal ours. */
function comparePostgres(
  pg: ThrowawayPostgres,
  workload: Workload,
  ours: OurResult,
  log: (line: string) => void,
): { rate: number; identical: boolean } {
  const loadMs = loadRows(pg, workload);
  log(`  postgres: ${pg.version.split(' on ')[0]}, loaded with COPY + VACUUM ANALYZE in ${(loadMs / 1000).toFixed(1)} s (untimed)`);
  const timing = timePostgres(pg, log);
  const rate = perSecond(WORKLOGS, timing.bestMs);
  log(`  postgres: best ${timing.bestMs.toFixed(1)} ms (${timing.plan}; server execution time) → ${millions(rate)}`);

  const mine = ourBucketLines(ours.grid);
  const theirs = theirBucketLines(pg);
  const differences = bucketDifferences(mine, theirs, 5);
  if (differences.length === 0) log(`  identical: yes (${grouped(mine.length)} person-days)`);
  else {
    log(`  identical: NO (ours ${grouped(mine.length)} person-days, postgres ${grouped(theirs.length)}); first differences:`);
    for (const line of differences) log(`    ${line}`);
  }
  return { rate, identical: differences.length === 0 };
}

/** Runs the benchmark, printing as it goes; false when a check failed. The last line printed is the summary. */
export async function runBucketsBenchmark(log: (line: string) => void): Promise<boolean> {
  const workload = generate();
  log(`buckets: ${grouped(WORKLOGS)} worklogs, ${grouped(PEOPLE)} people, ${ZONES.length} zones, local year ${YEAR}, start-day policy`);
  log(`  data: ${grouped(workload.nearMidnight)} within ${NEAR_MIDNIGHT_S / 60} min of a local midnight, ${grouped(workload.nearChange)} within ${NEAR_CHANGE_S / 3600} h of an offset change, seed ${SEED}`);

  const ours = timeOurs(workload.columns, workload.personZones);
  const oursRate = perSecond(WORKLOGS, ours.cold.bestMs);
  log(`  ours:     best ${ours.cold.bestMs.toFixed(1)} ms, median ${ours.cold.medianMs.toFixed(1)} ms of ${OUR_RUNS} (zone tables built every run) → ${millions(oursRate)}`);
  log(`  ours:     best ${ours.warm.bestMs.toFixed(1)} ms, median ${ours.warm.medianMs.toFixed(1)} ms of ${OUR_WARM_RUNS} with zone tables cached (for reference only)`);
  const bucketed = gridCells(ours.grid).reduce((sum, c) => sum + c.seconds, 0);
  if (bucketed !== workload.totalSeconds) {
    log(`  conservation: FAILED (buckets hold ${bucketed} s, worklogs ${workload.totalSeconds} s)`);
    log(`buckets: seconds not conserved (ours ${oursRate}/s)`);
    return false;
  }

  const started = await startThrowawayPostgres();
  if (!started.ok) {
    log(`  postgres: comparison skipped: ${started.reason}`);
    log(`buckets: postgres not available (ours ${oursRate}/s)`);
    return true;
  }
  try {
    const { rate: pgRate, identical } = comparePostgres(started.pg, workload, ours, log);
    const ratio = oursRate / pgRate;
    log(`  target ≥ ${TARGET_RATIO}× postgres: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`);
    log(`buckets: ratio ${ratio.toFixed(1)} vs postgres (ours ${oursRate}/s, postgres ${pgRate}/s)`);
    return identical;
  } catch (e) {
    log(`  postgres: comparison failed: ${(e as Error).message.split('\n')[0]}`);
    log(`buckets: postgres comparison failed (ours ${oursRate}/s)`);
    return false;
  } finally {
    started.pg.stop();
  }
}
