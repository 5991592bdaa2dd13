import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rangePeriod } from '../domain/period';
import type { ApplyEvent, IngestEvent } from '../src/app/events';
import { handleApplyEvent, handleIngestEvent, handleSyncEvent, type SyncEvent } from '../src/app/handleEvents';
import { onWorklogEvent } from '../src/app/onWorklogEvent';
import { loadReport } from '../src/app/loadReport';
import { keys } from '../src/app/storageKeys';
import { CountingKvStore } from '../src/kv/countingKvStore';
import { DemoSource } from '../src/local/demoSource';
import { DurableQueues } from '../src/local/durableQueue';
import { seededRandom } from '../src/local/seededRandom';
import { SqliteKvStore } from '../src/local/sqliteKvStore';
import { costTerms, qty, usd } from './lib/forgeCost';
import { functionSeconds, Meter, usagePerUnit, type Latency, type Measured } from './lib/meter';
import { measureReportReads } from './reportReads';

/**
 * Worklog events through the local runtime's durable queue and the real
 * consumers, on the SQLite store, metered as Forge bills them, in three ways:
 * - product events: Jira's created events (the trigger pushes each complete payload straight to its author's apply queue);
 * - initial import: the sync lists ids 1000 a page, the ingest consumer fetches 1000 per call;
 * - edits: product events of which 70 % create, 20 % update and 10 % delete an existing worklog;
 * then the hourly reconcile (empty, and listing every change already applied),
 * and a person opening a month report (bench/reportReads.ts).
 *
 * Queue events are delivered one at a time (no parallel consumers), so the
 * wall time measured inside a handler is that handler's own work, not others'
 * interleaved with it.
 */
const PEOPLE = 1_000;
const ZONES = ['Europe/Brussels', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];

export interface PipelineOptions {
  /** Worklog events per scenario. */
  readonly events: number;
  /** Print the cost figures as markdown only (for docs/operations.md). */
  readonly costOnly: boolean;
  /**
   * What one round trip costs on Forge and not here (assumed, not measured: the local store and queue
   * answer in microseconds). Added to the measured handler time to estimate billed function time.
   */
  readonly latencyMs: Latency;
}

export const DEFAULT_OPTIONS: PipelineOptions = { events: 50_000, costOnly: false, latencyMs: { kvs: 20, push: 30, jira: 300 } };

/** `--events N`, `--cost-only`, `--kvs-ms N`, `--push-ms N`, `--jira-ms N`. */
export function pipelineOptions(argv: readonly string[]): PipelineOptions {
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number; got ${argv[i + 1] ?? 'nothing'}`);
    return n;
  };
  const costOnly = argv.includes('--cost-only');
  return {
    events: Math.max(100, Math.round(number('--events', costOnly ? 20_000 : DEFAULT_OPTIONS.events))),
    costOnly,
    latencyMs: { kvs: number('--kvs-ms', DEFAULT_OPTIONS.latencyMs.kvs), push: number('--push-ms', DEFAULT_OPTIONS.latencyMs.push), jira: number('--jira-ms', DEFAULT_OPTIONS.latencyMs.jira) },
  };
}

interface BenchWorklog {
  id: string;
  authorId: string;
  issueId: string;
  started: number;
  seconds: number;
  updated: number;
}

/** The last day a bench worklog may start on; all are listed by a reconcile at the bench's `now` (23 November). */
const LAST_DAY = Date.UTC(2026, 10, 20);

/**
 * The UTC days the bench's worklog starts spread over: as many as make about 4 worklogs a person a
 * day, as on a real site (the per-day records a person's worklogs share then hold several of them).
 */
function spanOf(events: number): { firstDay: number; days: number } {
  const days = Math.max(1, Math.round(events / PEOPLE / 4));
  return { firstDay: LAST_DAY - (days - 1) * 86_400_000, days };
}

function setup(now: number, events: number) {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-pipeline-'));
  let t = now;
  const clock = { now: () => t };
  const store = new SqliteKvStore(join(dir, 'bench.sqlite'), clock);
  const kv = new CountingKvStore(store);
  const queues = new DurableQueues(store.database, clock, { parallelism: 1 });
  const demo = new DemoSource(clock.now);
  const meter = new Meter();
  const random = seededRandom(42);
  for (let p = 0; p < PEOPLE; p++) demo.people.set(`557058:bench-${p}`, { displayName: `P${p}`, timeZone: ZONES[p % ZONES.length]! });
  const { firstDay, days } = spanOf(events);
  const newWorklog = (i: number): BenchWorklog => {
    const started = firstDay + Math.floor(random() * days * 86_400) * 1000;
    return { id: String(1_000_000 + i), authorId: `557058:bench-${Math.floor(random() * PEOPLE)}`, issueId: String(10_000 + (i % 500)), started, seconds: 900 + Math.floor(random() * 28) * 900, updated: started + 3_600_000 };
  };
  const worklogs = Array.from({ length: events }, (_, i) => newWorklog(i));
  const source = meter.source(demo);
  const ingestQueue = meter.queue(queues.queue('ingest'));
  const applyQueue = meter.queue(queues.queue('apply'));
  const syncQueue = meter.queue(queues.queue('sync'));
  const deps = { kv, source, directory: source, applyQueue, clock };
  queues.consume('ingest', meter.timed((b) => handleIngestEvent(deps, b as unknown as IngestEvent)));
  queues.consume('apply', meter.timed((b) => handleApplyEvent(deps, b as unknown as ApplyEvent)));
  queues.consume('sync', meter.timed((b) => handleSyncEvent({ kv, source, ingestQueue, syncQueue, clock }, b as unknown as SyncEvent, 600_000)));
  const trigger = meter.timed((payload: Parameters<typeof onWorklogEvent>[1]) => onWorklogEvent({ kv, ingestQueue, applyQueue }, payload, clock.now()));
  const close = () => {
    queues.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, kv, queues, demo, worklogs, newWorklog, random, meter, trigger, syncQueue, clock, advance: (ms: number) => (t += ms), close };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const payloadOf = (type: 'created' | 'updated' | 'deleted', w: BenchWorklog) => ({
  eventType: `avi:jira:${type}:worklog`,
  worklog: { id: w.id, issueId: w.issueId, author: { accountId: w.authorId }, started: iso(w.started), timeSpentSeconds: w.seconds, updated: iso(w.updated) },
});

/**
 * The seconds the app's reports show for every bench person over all the dates the bench's worklogs
 * can fall on, read through loadReport on the unmetered store: a check that holds whatever the
 * storage format.
 */
async function reportedTotal(s: { store: SqliteKvStore; demo: DemoSource; clock: { now(): number } }, events: number): Promise<number> {
  const { firstDay } = spanOf(events);
  const period = rangePeriod(new Date(firstDay - 2 * 86_400_000).toISOString().slice(0, 10), new Date(LAST_DAY + 2 * 86_400_000).toISOString().slice(0, 10));
  let total = 0;
  for (const personId of s.demo.people.keys()) {
    const report = await loadReport({ kv: s.store, directory: s.demo, clock: s.clock }, personId, period);
    for (const day of report.days) total += day.workedSeconds;
  }
  return total;
}

const n2 = (x: number) => x.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = (x: number) => Math.round(x).toLocaleString('en');

/** The per-unit lines of a phase: requests, units, bytes, time, pushes, Jira calls, logs, bytes by key family. */
function describe(m: Measured, latencyMs: Latency): string[] {
  const per = (x: number) => x / m.per;
  const families = [...m.kv.families]
    .map(([name, f]) => ({ name, read: f.bytesRead / m.per, written: f.bytesWritten / m.per }))
    .filter((f) => f.read + f.written >= 0.5)
    .sort((a, b) => b.written - a.written || b.read - a.read);
  return [
    `    per ${m.perName}: KVS ${n2(per(m.kv.reads))} read requests (${n2(per(m.kv.readUnits))} units, ${int(per(m.kv.bytesRead))} B), ${n2(per(m.kv.writes))} write requests (${n2(per(m.kv.writeUnits))} units, ${int(per(m.kv.bytesWritten))} B)`,
    `    per ${m.perName}: handlers ${(per(m.handlerMs)).toFixed(3)} ms measured in ${n2(per(m.invocations))} invocations; Forge estimate ${(functionSeconds(m, latencyMs) * 1000 / m.per).toFixed(1)} ms; queue ${n2(per(m.pushes))} pushes (${n2(per(m.pushedEvents))} events, ${int(per(m.eventBytes))} B); Jira calls ${per(m.jiraCalls).toFixed(3)}; logs ${int(per(m.logBytes))} B`,
    `    bytes by key family per ${m.perName} (read/written): ${families.map((f) => `${f.name} ${int(f.read)}/${int(f.written)}`).join(', ')}`,
  ];
}

/** What 1,000,000 units of a phase cost at Forge prices, term by term, the biggest marked. */
function millionCost(m: Measured, latencyMs: Latency): string[] {
  const u = usagePerUnit(m, latencyMs);
  const terms = costTerms({ functionSeconds: u.functionSeconds * 1e6, bytesRead: u.bytesRead * 1e6, bytesWritten: u.bytesWritten * 1e6, logBytes: u.logBytes * 1e6 });
  const total = terms.reduce((t, x) => t + x.grossUsd, 0);
  const biggest = terms.reduce((a, b) => (b.grossUsd > a.grossUsd ? b : a));
  return [
    `    1,000,000 ${m.perName}s at Forge prices (before free allowances): ${usd(total)}`,
    ...terms.map((t) => `      ${t.name.padEnd(10)} ${qty(t.quantity, t.unit).padStart(16)} × $${t.usdPerUnit} = ${usd(t.grossUsd).padStart(8)}${t === biggest ? '  ← biggest' : ''}`),
  ];
}

export interface PipelineResult {
  readonly ok: boolean;
  readonly options: PipelineOptions;
  readonly phases: readonly Measured[];
}

/** Runs every phase; prints human-readable figures through `log` (none with costOnly). */
export async function runPipeline(options: PipelineOptions, log: (line: string) => void): Promise<PipelineResult> {
  const EVENTS = options.events;
  const now = Date.UTC(2026, 10, 23, 12);
  const phases: Measured[] = [];
  let ok = true;
  const say = options.costOnly ? () => undefined : log;
  say(`pipeline: ${EVENTS.toLocaleString('en')} worklog events per scenario, ${PEOPLE.toLocaleString('en')} people, starts over ${spanOf(EVENTS).days} days (about 4 worklogs a person a day), SQLite store, durable queue (one consumer at a time)`);
  say(`  Forge estimate = measured handler time + ${options.latencyMs.kvs} ms per KVS request + ${options.latencyMs.push} ms per queue push + ${options.latencyMs.jira} ms per Jira call (assumed round trips; --kvs-ms, --push-ms, --jira-ms)`);
  const report = (m: Measured, extra: string) => {
    phases.push(m);
    say(`  ${m.label}: ${extra}`);
    for (const line of [...describe(m, options.latencyMs), ...millionCost(m, options.latencyMs)]) say(line);
  };
  const check = (what: string, expected: number, actual: number) => {
    say(`    reports show ${actual === expected ? 'exactly' : 'NOT'} the ${Math.round(expected / 3600).toLocaleString('en')} h ${what}${actual === expected ? '' : ` (${actual} s vs ${expected} s)`}`);
    ok &&= actual === expected;
  };

  // 1. Product events, as Forge delivers them to the worklog trigger.
  {
    const s = setup(now, EVENTS);
    await s.kv.set(keys.settings, { siteTimeZone: 'UTC', dayPolicy: 'start-day' });
    s.kv.reset();
    const start = performance.now();
    await s.meter.capturingLogs(async () => {
      for (const w of s.worklogs) {
        s.demo.worklogs.set(w.id, w);
        await s.trigger(payloadOf('created', w));
      }
      await s.queues.drain();
    });
    const seconds = (performance.now() - start) / 1000;
    report(s.meter.result('product events (creates)', s.kv, EVENTS, 'event'), `${int(EVENTS / seconds)} events/s (${seconds.toFixed(1)} s)`);
    check('logged', s.worklogs.reduce((t, w) => t + w.seconds, 0), await reportedTotal(s, EVENTS));
    s.close();
  }

  // 2. An initial import: list, fetch by id, apply.
  {
    const s = setup(now, EVENTS);
    await s.kv.set(keys.settings, { siteTimeZone: 'UTC', dayPolicy: 'start-day' });
    for (const w of s.worklogs) s.demo.worklogs.set(w.id, w);
    s.kv.reset();
    const start = performance.now();
    await s.meter.capturingLogs(async () => {
      await s.syncQueue.push([{ body: { kind: 'sync', mode: 'import' } }]);
      await s.queues.drain();
    });
    const seconds = (performance.now() - start) / 1000;
    report(s.meter.result('initial import', s.kv, EVENTS, 'worklog'), `${int(EVENTS / seconds)} worklogs/s (${seconds.toFixed(1)} s)`);
    check('logged', s.worklogs.reduce((t, w) => t + w.seconds, 0), await reportedTotal(s, EVENTS));
    s.close();
  }

  // 3. Edits: 70 % creates, 20 % updates and 10 % deletes of worklogs created earlier in the run; then reconciles.
  {
    const s = setup(now, EVENTS);
    await s.kv.set(keys.settings, { siteTimeZone: 'UTC', dayPolicy: 'start-day' });
    s.kv.reset();
    const live: BenchWorklog[] = [];
    const mix = { created: 0, updated: 0, deleted: 0 };
    const start = performance.now();
    await s.meter.capturingLogs(async () => {
      for (let i = 0; i < EVENTS; i++) {
        const roll = s.random();
        if (roll < 0.7 || live.length === 0) {
          const w = s.newWorklog(i);
          live.push(w);
          s.demo.worklogs.set(w.id, w);
          mix.created++;
          await s.trigger(payloadOf('created', w));
        } else {
          const at = Math.floor(s.random() * live.length);
          const old = live[at]!;
          if (roll < 0.9) {
            // An edit: another duration and a start moved by up to an hour, a later version.
            const w = { ...old, seconds: 900 + Math.floor(s.random() * 28) * 900, started: old.started + Math.floor((s.random() - 0.5) * 7_200) * 1000, updated: old.updated + 60_000 };
            live[at] = w;
            s.demo.worklogs.set(w.id, w);
            mix.updated++;
            await s.trigger(payloadOf('updated', w));
          } else {
            live[at] = live[live.length - 1]!;
            live.pop();
            s.demo.worklogs.delete(old.id);
            s.demo.deleted.set(old.id, s.clock.now());
            mix.deleted++;
            await s.trigger(payloadOf('deleted', old));
          }
        }
      }
      await s.queues.drain();
    });
    const seconds = (performance.now() - start) / 1000;
    report(
      s.meter.result('edits (product events)', s.kv, EVENTS, 'event'),
      `${int(mix.created)} creates, ${int(mix.updated)} updates, ${int(mix.deleted)} deletes; ${int(EVENTS / seconds)} events/s (${seconds.toFixed(1)} s)`,
    );
    check('left after the edits', live.reduce((t, w) => t + w.seconds, 0), await reportedTotal(s, EVENTS));

    // A reconcile that lists every change above (all applied already): its cost per listed change.
    s.advance(3_600_000);
    s.kv.reset();
    s.meter.reset();
    await s.meter.capturingLogs(async () => {
      await s.syncQueue.push([{ body: { kind: 'sync', mode: 'reconcile' } }]);
      await s.queues.drain();
    });
    const listed = s.demo.worklogs.size + s.demo.deleted.size;
    report(s.meter.result('reconcile listing changes already applied', s.kv, listed, 'listed change'), `${int(listed)} worklogs and deletions listed, none missing`);
    check('left after the reconcile', live.reduce((t, w) => t + w.seconds, 0), await reportedTotal(s, EVENTS));

    // The usual hourly reconcile: nothing changed since the last.
    const RUNS = 20;
    s.kv.reset();
    s.meter.reset();
    await s.meter.capturingLogs(async () => {
      for (let r = 0; r < RUNS; r++) {
        s.advance(3_600_000);
        await s.syncQueue.push([{ body: { kind: 'sync', mode: 'reconcile' } }]);
        await s.queues.drain();
      }
    });
    report(s.meter.result('empty hourly reconcile', s.kv, RUNS, 'run'), `${RUNS} runs with nothing changed`);
    s.close();
  }

  // 4. People opening a month report.
  {
    const m = await measureReportReads();
    for (const phase of m.phases) report(phase.measured, phase.note);
    say(`    ${m.ok ? 'exact' : 'WRONG'}: ${m.detail}`);
    ok &&= m.ok;
  }

  say(`pipeline: ${ok ? 'reports exact in every run' : 'REPORTS WRONG'}`);
  return { ok, options, phases };
}

export async function runPipelineBenchmark(log: (line: string) => void, options: PipelineOptions = DEFAULT_OPTIONS): Promise<boolean> {
  return (await runPipeline(options, log)).ok;
}

if (process.argv[1]?.endsWith('pipeline.ts')) process.exitCode = (await runPipelineBenchmark(console.log, pipelineOptions(process.argv.slice(2)))) ? 0 : 1;
