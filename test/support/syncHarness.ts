import type { IngestEvent } from '../../src/app/events';
import type { SyncEvent } from '../../src/app/handleSyncEvent';
import { MemoryKvStore } from '../../src/kv/memoryKvStore';
import type { EventQueue, QueuedEvent } from '../../src/ports';
import { FakeWorklogSource } from './fakeWorklogSource';

/**
 * A sync under test: `n` worklogs of one person a minute apart from 1 January
 * 2026, a clock to move by hand, and queues that only record what is pushed.
 */
export function syncHarness(n: number, kvOf: (clock: { now(): number }) => MemoryKvStore = (clock) => new MemoryKvStore(clock)) {
  let now = Date.UTC(2026, 10, 2, 12);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const source = new FakeWorklogSource(() => now, () => 1);
  for (let i = 0; i < n; i++) {
    const id = String(10_000 + i);
    const at = Date.UTC(2026, 0, 1) + i * 60_000;
    source.worklogs.set(id, { id, authorId: 'acc-a', issueId: '1', started: at, seconds: 60, updated: at });
  }
  const kv = kvOf(clock);
  const ingest: IngestEvent[] = [];
  const sync: SyncEvent[] = [];
  const ingestQueue: EventQueue = { push: async (es: readonly QueuedEvent[]) => void ingest.push(...es.map((e) => e.body as unknown as IngestEvent)) };
  const syncQueue: EventQueue = { push: async (es: readonly QueuedEvent[]) => void sync.push(...es.map((e) => e.body as unknown as SyncEvent)) };
  const deps = { kv, source, ingestQueue, syncQueue, clock };
  /** The worklog ids in these ingest events. */
  const ids = (events: readonly IngestEvent[]) => events.flatMap((e) => (e.kind === 'worklog-ids' ? e.ids : []));
  const listedIds = () => new Set(ids(ingest));
  return { clock, source, kv, ingest, sync, ingestQueue, syncQueue, deps, ids, listedIds };
}
