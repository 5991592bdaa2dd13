import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../../src/app/events.ts';
import { handleSyncEvent, type SyncEvent } from '../../../src/app/handleSyncEvent.ts';
import { readSyncProgress, startImport, type SyncProgress } from '../../../src/app/importProgress.ts';
import { keys } from '../../../src/app/storageKeys.ts';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore.ts';
import type { EventQueue, KvOperation, QueuedEvent } from '../../../src/ports.ts';
import { FakeWorklogSource } from '../../support/fakeWorklogSource.ts';

function setup(n: number) {
  let now = Date.UTC(2026, 10, 2, 12);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const source = new FakeWorklogSource(() => now, () => 1);
  for (let i = 0; i < n; i++) {
    const id = String(10_000 + i);
    source.worklogs.set(id, { id, authorId: 'acc-a', issueId: '1', started: Date.UTC(2026, 0, 1) + i * 60_000, seconds: 60, updated: Date.UTC(2026, 0, 1) + i * 60_000 });
  }
  const kv = new MemoryKvStore(clock);
  const ingest: IngestEvent[] = [];
  const sync: SyncEvent[] = [];
  const ingestQueue: EventQueue = { push: async (es: readonly QueuedEvent[]) => void ingest.push(...es.map((e) => e.body as unknown as IngestEvent)) };
  const syncQueue: EventQueue = { push: async (es: readonly QueuedEvent[]) => void sync.push(...es.map((e) => e.body as unknown as SyncEvent)) };
  const listedIds = () => new Set(ingest.flatMap((e) => (e.kind === 'worklog-ids' ? e.ids : [])));
  return { clock, source, kv, ingest, sync, ingestQueue, syncQueue, deps: { kv, source, ingestQueue, syncQueue, clock }, listedIds };
}

describe('starting an import', () => {
  it('a start that fails before its cursors are reset stays queued, and its retry imports everything', async () => {
    const s = setup(2500);
    // Reconciles have run before: the cursors stand after most worklogs.
    await s.kv.set(keys.updatedCursor, Date.UTC(2026, 0, 2, 17));
    await s.kv.set(keys.deletedCursor, Date.UTC(2026, 0, 2, 17));
    await startImport({ kv: s.kv, syncQueue: s.syncQueue, clock: s.clock });
    const start = s.sync.shift()!;
    // One transient KVS failure on the first transaction (the reset + record write).
    const orig = s.kv.transact.bind(s.kv);
    let failed = false;
    s.kv.transact = async (ops: readonly KvOperation[]) => {
      if (!failed) {
        failed = true;
        throw new Error('KVS 500');
      }
      return orig(ops);
    };
    await expect(handleSyncEvent(s.deps, start, 600_000)).rejects.toThrow('KVS 500');
    expect((await s.kv.get<SyncProgress>(keys.syncProgress))?.status).toBe('queued');
    // Forge retries the same start event.
    s.clock.advance(30_000);
    await handleSyncEvent(s.deps, start, 600_000);
    const p = await readSyncProgress(s.kv);
    expect(p).toMatchObject({ state: 'listed' });
    expect(s.listedIds().size).toBe(2500);
  });

});
