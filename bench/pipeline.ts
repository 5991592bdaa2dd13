import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApplyEvent, IngestEvent } from '../src/app/events.ts';
import { handleApplyEvent, handleIngestEvent, handleSyncEvent, type SyncEvent } from '../src/app/handleEvents.ts';
import { onWorklogEvent } from '../src/app/onWorklogEvent.ts';
import { keys } from '../src/app/storageKeys.ts';
import { CountingKvStore } from '../src/kv/countingKvStore.ts';
import { DemoSource } from '../src/local/demoSource.ts';
import { DurableQueues } from '../src/local/durableQueue.ts';
import { seededRandom } from '../src/local/seededRandom.ts';
import { SqliteKvStore } from '../src/local/sqliteKvStore.ts';
import type { WorklogSource } from '../src/ports.ts';

/**
 * 100,000 worklog events through the local runtime's durable queue and the
 * real consumers, on the SQLite store, in two ways:
 * - as Jira's product events (the trigger pushes each complete payload straight to its author's apply queue);
 * - as an initial import (the sync lists ids 1000 a page, the ingest consumer fetches 1000 per call).
 */
const EVENTS = 100_000;
const PEOPLE = 1_000;
const ZONES = ['Europe/Brussels', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];

interface Counted extends WorklogSource {
  listCalls: number;
  listingPages: number;
}

function counted(source: DemoSource): Counted {
  const c: Counted = {
    listCalls: 0,
    listingPages: 0,
    byIds: (ids) => {
      c.listCalls++;
      return source.byIds(ids);
    },
    async *updatedSince(since) {
      for await (const page of source.updatedSince(since)) {
        c.listingPages++;
        yield page;
      }
    },
    async *deletedSince(since) {
      for await (const page of source.deletedSince(since)) {
        c.listingPages++;
        yield page;
      }
    },
  };
  return c;
}

function setup(now: number) {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-pipeline-'));
  const clock = { now: () => now };
  const store = new SqliteKvStore(join(dir, 'bench.sqlite'), clock);
  const kv = new CountingKvStore(store);
  const queues = new DurableQueues(store.database, clock, { parallelism: 8 });
  const demo = new DemoSource(clock.now);
  const random = seededRandom(42);
  for (let p = 0; p < PEOPLE; p++) demo.people.set(`557058:bench-${p}`, { displayName: `P${p}`, timeZone: ZONES[p % ZONES.length]! });
  const worklogs = Array.from({ length: EVENTS }, (_, i) => {
    const started = Date.UTC(2026, 8, 1) + Math.floor(random() * 80 * 86_400) * 1000;
    return { id: String(1_000_000 + i), authorId: `557058:bench-${Math.floor(random() * PEOPLE)}`, issueId: String(10_000 + (i % 500)), started, seconds: 900 + Math.floor(random() * 28) * 900, updated: started + 3_600_000 };
  });
  const source = counted(demo);
  const ingestQueue = queues.queue('ingest');
  const applyQueue = queues.queue('apply');
  const syncQueue = queues.queue('sync');
  const deps = { kv, source, directory: demo, applyQueue, clock };
  queues.consume('ingest', (b) => handleIngestEvent(deps, b as unknown as IngestEvent));
  queues.consume('apply', (b) => handleApplyEvent(deps, b as unknown as ApplyEvent));
  queues.consume('sync', (b) => handleSyncEvent({ kv, source, ingestQueue, syncQueue, clock }, b as unknown as SyncEvent, 600_000));
  return { dir, store, kv, queues, demo, worklogs, source, ingestQueue, applyQueue, syncQueue, clock };
}

async function bucketTotal(store: SqliteKvStore): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await store.query<{ seconds: number }>('day#', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) total += r.value.seconds;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

export async function runPipelineBenchmark(log: (line: string) => void): Promise<boolean> {
  const now = Date.UTC(2026, 10, 23, 12);
  let ok = true;
  log(`pipeline: ${EVENTS.toLocaleString('en')} worklog events, ${PEOPLE.toLocaleString('en')} people, SQLite store, durable queue (8 consumers in parallel)`);

  // 1. Product events, as Forge delivers them to the worklog trigger.
  {
    const s = setup(now);
    await s.kv.set(keys.settings, { siteTimeZone: 'UTC', dayPolicy: 'start-day' });
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
    const start = performance.now();
    for (const w of s.worklogs) {
      s.demo.worklogs.set(w.id, w);
      await onWorklogEvent(
        { kv: s.kv, ingestQueue: s.ingestQueue, applyQueue: s.applyQueue },
        { eventType: 'avi:jira:created:worklog', worklog: { id: w.id, issueId: w.issueId, author: { accountId: w.authorId }, started: iso(w.started), timeSpentSeconds: w.seconds, updated: iso(w.updated) } },
        now,
      );
    }
    await s.queues.drain();
    const seconds = (performance.now() - start) / 1000;
    const expected = s.worklogs.reduce((t, w) => t + w.seconds, 0);
    const actual = await bucketTotal(s.store);
    log(`  product events: ${Math.round(EVENTS / seconds).toLocaleString('en')} events/s (${seconds.toFixed(1)} s), KVS ${(s.kv.reads / EVENTS).toFixed(2)} reads and ${(s.kv.writes / EVENTS).toFixed(2)} writes per event, Jira calls per 1,000 worklogs: ${((s.source.listCalls / EVENTS) * 1000).toFixed(2)} (the payload is the worklog; minimum with fetching: 1)`);
    log(`  buckets hold ${actual === expected ? 'exactly' : 'NOT'} the ${Math.round(expected / 3600).toLocaleString('en')} h logged${actual === expected ? '' : ` (${actual} s vs ${expected} s)`}`);
    ok &&= actual === expected;
    s.queues.close();
    s.store.close();
    rmSync(s.dir, { recursive: true, force: true });
  }

  // 2. An initial import: list, fetch by id, apply.
  {
    const s = setup(now);
    await s.kv.set(keys.settings, { siteTimeZone: 'UTC', dayPolicy: 'start-day' });
    for (const w of s.worklogs) s.demo.worklogs.set(w.id, w);
    const start = performance.now();
    await s.syncQueue.push([{ body: { kind: 'sync', mode: 'import' } }]);
    await s.queues.drain();
    const seconds = (performance.now() - start) / 1000;
    const expected = s.worklogs.reduce((t, w) => t + w.seconds, 0);
    const actual = await bucketTotal(s.store);
    const perThousand = (n: number) => ((n / EVENTS) * 1000).toFixed(2);
    log(`  initial import: ${Math.round(EVENTS / seconds).toLocaleString('en')} worklogs/s (${seconds.toFixed(1)} s), KVS ${(s.kv.reads / EVENTS).toFixed(2)} reads and ${(s.kv.writes / EVENTS).toFixed(2)} writes per worklog`);
    log(`  Jira calls per 1,000 worklogs: /worklog/list ${perThousand(s.source.listCalls)} (minimum 1.00), listing pages ${perThousand(s.source.listingPages)}`);
    log(`  buckets hold ${actual === expected ? 'exactly' : 'NOT'} the ${Math.round(expected / 3600).toLocaleString('en')} h logged`);
    ok &&= actual === expected;
    s.queues.close();
    s.store.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
  log(`pipeline: ${ok ? 'buckets exact in both runs' : 'BUCKETS WRONG'}`);
  return ok;
}

if (process.argv[1]?.endsWith('pipeline.ts')) process.exitCode = (await runPipelineBenchmark(console.log)) ? 0 : 1;
