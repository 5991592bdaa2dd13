import { bucketWorklogColumns, gridCells, type WorklogColumns } from '../domain/dayAssignment.ts';
import { fromEpochDay } from '../domain/localDate.ts';
import { clearZoneOffsetCache } from '../domain/zoneOffsets.ts';
import { startThrowawayPostgres } from './lib/postgres.ts';
import { seededRandom } from '../src/local/seededRandom.ts';
import { millions, perSecond, timeRuns } from './lib/timing.ts';

/**
 * 1,000,000 worklogs from 1,000 people in ten zones over 2026 into
 * person-day buckets (start-day policy), against PostgreSQL doing the same
 * GROUP BY on the same rows in the same run.
 */
const WORKLOGS = 1_000_000;
const PEOPLE = 1_000;
const ZONES = [
  'Europe/Brussels',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];
const RUNS = 7;

function generate(): { columns: WorklogColumns; personZones: string[] } {
  const random = seededRandom(20261123);
  const personZones = Array.from({ length: PEOPLE }, (_, p) => ZONES[p % ZONES.length]!);
  const from = Date.UTC(2026, 0, 1) / 1000;
  const span = Date.UTC(2027, 0, 1) / 1000 - from;
  const person = new Int32Array(WORKLOGS);
  const started = new Float64Array(WORKLOGS);
  const seconds = new Int32Array(WORKLOGS);
  for (let i = 0; i < WORKLOGS; i++) {
    person[i] = Math.floor(random() * PEOPLE);
    started[i] = (from + Math.floor(random() * span)) * 1000; // second precision, as Jira stores it
    seconds[i] = 60 + Math.floor(random() * 8 * 3600);
  }
  return { columns: { length: WORKLOGS, person, started, seconds }, personZones };
}

function ours(columns: WorklogColumns, personZones: string[]) {
  // Zone tables are rebuilt every run: the figure includes them.
  clearZoneOffsetCache();
  return bucketWorklogColumns(columns, personZones, 'start-day');
}

function toCopyText(columns: WorklogColumns, personZones: string[]): string {
  const lines: string[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const p = columns.person[i]!;
    lines[i] = `${p}\t${personZones[p]}\t${new Date(columns.started[i]!).toISOString()}\t${columns.seconds[i]}`;
  }
  return `${lines.join('\n')}\n`;
}

export async function runBucketsBenchmark(log: (line: string) => void): Promise<boolean> {
  const { columns, personZones } = generate();
  log(`buckets: ${WORKLOGS.toLocaleString('en')} worklogs, ${PEOPLE.toLocaleString('en')} people, ${ZONES.length} zones, 2026, start-day policy`);

  let grid = ours(columns, personZones);
  const timing = timeRuns(RUNS, () => {
    grid = ours(columns, personZones);
  });
  const oursRate = perSecond(WORKLOGS, timing.bestMs);
  log(`  ours:     best ${timing.bestMs.toFixed(1)} ms, median ${timing.medianMs.toFixed(1)} ms of ${RUNS} runs → ${millions(oursRate)}`);

  const pg = await startThrowawayPostgres();
  if (typeof pg === 'string') {
    log(`  postgres: skipped (${pg})`);
    log(`buckets: postgres not available (ours ${oursRate}/s)`);
    return true;
  }
  try {
    pg.psql('CREATE TABLE worklog (author int NOT NULL, tz text NOT NULL, started timestamptz NOT NULL, seconds int NOT NULL)');
    pg.psql('COPY worklog FROM STDIN', toCopyText(columns, personZones));
    pg.psql('VACUUM ANALYZE worklog');
    const query = 'SELECT author, (started AT TIME ZONE tz)::date AS day, sum(seconds) FROM worklog GROUP BY 1, 2';
    const executionMs = () => {
      const plan = JSON.parse(pg.psql(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${query}`)) as { 'Execution Time': number }[];
      return plan[0]!['Execution Time'];
    };
    executionMs(); // warm the buffers and the zone cache
    const pgTimes = [executionMs(), executionMs(), executionMs()].sort((a, b) => a - b);
    const pgRate = perSecond(WORKLOGS, pgTimes[0]!);
    log(`  postgres: best ${pgTimes[0]!.toFixed(1)} ms, median ${pgTimes[1]!.toFixed(1)} ms of 3 runs (server execution time) → ${millions(pgRate)}`);

    const theirs = pg.psql(`COPY (${query} ORDER BY 1, 2) TO STDOUT`).trim().split('\n');
    const mine = gridCells(grid).map((c) => `${c.person}\t${fromEpochDay(c.epochDay)}\t${c.seconds}`);
    const differences = mine.filter((line, i) => line !== theirs[i]);
    const identical = mine.length === theirs.length && differences.length === 0;
    if (identical) log(`  identical: yes (${mine.length.toLocaleString('en')} person-days)`);
    else {
      log(`  identical: NO — ours ${mine.length} person-days, postgres ${theirs.length}; first differences:`);
      for (let i = 0, shown = 0; i < Math.max(mine.length, theirs.length) && shown < 5; i++) {
        if (mine[i] !== theirs[i]) {
          log(`    ours ${mine[i] ?? '(none)'} | postgres ${theirs[i] ?? '(none)'}`);
          shown++;
        }
      }
    }
    const ratio = oursRate / pgRate;
    log(`  target ≥ 10× postgres: ${ratio >= 10 ? 'met' : 'NOT met'}`);
    log(`buckets: ratio ${ratio.toFixed(1)} vs postgres (ours ${oursRate}/s, postgres ${pgRate}/s)`);
    return identical;
  } finally {
    pg.stop();
  }
}
