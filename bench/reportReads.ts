import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monthPeriod } from '../domain/period';
import type { ApplyEvent, IngestEvent } from '../src/app/events';
import { handleApplyEvent, handleIngestEvent, handleSyncEvent, type SyncEvent } from '../src/app/handleEvents';
import { loadReport } from '../src/app/loadReport';
import { keys } from '../src/app/storageKeys';
import { CountingKvStore } from '../src/kv/countingKvStore';
import { buildDemoSite } from '../src/local/demoData';
import { loadDemoSite } from '../src/local/loadDemo';
import { DemoSource } from '../src/local/demoSource';
import { DurableQueues } from '../src/local/durableQueue';
import { SqliteKvStore } from '../src/local/sqliteKvStore';
import { Meter, type Measured } from './lib/meter';

/**
 * What a person opening their month report costs: the demo site (42 people in
 * nine zones, two to four worklogs a working day, contracts, holiday calendars,
 * absences) imported through the real pipeline, then every person's November
 * 2026 report loaded through src/app/loadReport.ts on the metered store.
 * "First open" is with the person's zone not cached (their first open that
 * day); "again" is the same report a second time.
 */
export async function measureReportReads(): Promise<{ ok: boolean; detail: string; phases: { measured: Measured; note: string }[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-report-'));
  const clock = { now: () => Date.UTC(2026, 11, 1, 12) };
  const store = new SqliteKvStore(join(dir, 'report.sqlite'), clock);
  const kv = new CountingKvStore(store);
  const queues = new DurableQueues(store.database, clock, { parallelism: 1 });
  const demo = new DemoSource(clock.now);
  const meter = new Meter();
  try {
    const site = buildDemoSite('2026-12-01');
    // The HR set-up through the resolvers, on the unmetered store: it is not what a report read costs.
    await loadDemoSite({ kv: store, directory: demo, permissions: demo, syncQueue: queues.queue('sync'), periodsQueue: queues.queue('periods'), clock }, demo, site, '2026-12-01');
    const source = meter.source(demo);
    const ingestQueue = queues.queue('ingest');
    const applyQueue = queues.queue('apply');
    const syncQueue = queues.queue('sync');
    const deps = { kv, source, directory: source, applyQueue, clock };
    queues.consume('ingest', (b) => handleIngestEvent(deps, b as unknown as IngestEvent));
    queues.consume('apply', (b) => handleApplyEvent(deps, b as unknown as ApplyEvent));
    queues.consume('sync', (b) => handleSyncEvent({ kv, source, ingestQueue, syncQueue, clock }, b as unknown as SyncEvent, 600_000));
    await syncQueue.push([{ body: { kind: 'sync', mode: 'import' } }]);
    await queues.drain();

    const period = monthPeriod(2026, 11);
    const people = site.people.map((p) => p.accountId);
    const open = meter.timed((personId: string) => loadReport({ kv, directory: source, clock }, personId, period));
    const worked = (r: Awaited<ReturnType<typeof loadReport>>) => r.days.reduce((t, d) => t + d.workedSeconds, 0);

    // The reports together hold exactly the seconds of the worklogs that start on a November date in
    // their author's zone (the start-day policy), found here with Intl rather than the app's code.
    const zoneOf = new Map(site.people.map((p) => [p.accountId, p.timeZone ?? 'Europe/Brussels']));
    const formats = new Map<string, Intl.DateTimeFormat>();
    const localMonth = (zone: string, ms: number) => {
      let f = formats.get(zone);
      if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' })));
      return f.format(ms);
    };
    const november = site.worklogs.filter((w) => localMonth(zoneOf.get(w.authorId)!, w.started) === '2026-11');

    const phases: { measured: Measured; note: string }[] = [];
    let firstTotal = 0;
    kv.reset();
    meter.reset();
    await meter.capturingLogs(async () => {
      for (const personId of people) {
        await store.delete(keys.user(personId));
        firstTotal += worked(await open(personId));
      }
    });
    const note = `${people.length} people, about ${Math.round(november.length / people.length)} worklogs each in the month`;
    phases.push({ measured: meter.result('month report, first open', kv, people.length, 'report open'), note: `${note}, zone not cached` });

    let againTotal = 0;
    kv.reset();
    meter.reset();
    await meter.capturingLogs(async () => {
      for (const personId of people) againTotal += worked(await open(personId));
    });
    phases.push({ measured: meter.result('month report, again', kv, people.length, 'report open'), note: `${note}, zone cached` });

    const expected = november.reduce((t, w) => t + w.seconds, 0);
    const detail = `reports hold ${firstTotal} s (again: ${againTotal} s); worklogs starting in November: ${expected} s`;
    return { ok: firstTotal === againTotal && firstTotal === expected && firstTotal > 0, detail, phases };
  } finally {
    queues.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
