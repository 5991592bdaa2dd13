import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../../../src/app/events';
import { handleIngestEvent } from '../../../src/app/handleEvents';
import { readSyncProgress } from '../../../src/app/importProgress';
import { syncWorklogs } from '../../../src/app/syncWorklogs';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';
import { SimulatedQueues } from '../../support/simulatedQueue';

describe('sync progress', () => {
  it('counts listed and done worklogs, and shows a failed batch until it succeeds', async () => {
    let now = Date.UTC(2026, 10, 23);
    const clock = { now: () => now };
    const kv = new MemoryKvStore(clock);
    const source = new FakeWorklogSource(clock.now);
    source.pageSize = 2;
    for (let i = 1; i <= 5; i++) source.worklogs.set(String(i), { id: String(i), authorId: 'a', started: now - 86_400_000, seconds: 60, updated: now - 3_600_000 });
    const queues = new SimulatedQueues();
    expect(await readSyncProgress(kv)).toEqual({ state: 'never-run', applyErrors: [] });
    const outcome = await syncWorklogs({ kv, source, ingestQueue: queues.queue('ingest'), clock }, { mode: 'import', deadline: now + 60_000 });
    expect(outcome).toMatchObject({ status: 'done', listed: 5 });
    // Listing is over, ingestion is not: the import is still running, with all five worklogs queued.
    expect(await readSyncProgress(kv, { now })).toMatchObject({ state: 'listed', done: 0, total: 5, pending: 5, errors: 0, running: true });

    const deps = { kv, source, applyQueue: queues.queue('apply'), clock };
    const batches = queues.pending.filter((d) => d.queue === 'ingest').map((d) => d.event.body as unknown as IngestEvent);
    expect(batches).toHaveLength(3);
    const broken = { ...deps, source: { ...source, byIds: async () => Promise.reject(new Error('Jira said no')) } as unknown as FakeWorklogSource };
    await expect(handleIngestEvent(broken, batches[0]!)).rejects.toThrow('Jira said no');
    expect(await readSyncProgress(kv)).toMatchObject({ errors: 1, lastErrors: ['Jira said no'] });
    await handleIngestEvent(deps, batches[1]!);
    expect(await readSyncProgress(kv, { now })).toMatchObject({ state: 'listed', done: 2, pending: 3, running: true });
    for (const b of batches) await handleIngestEvent(deps, b);
    now += 1000;
    expect(await readSyncProgress(kv, { now })).toMatchObject({ state: 'done', done: 5, total: 5, pending: 0, errors: 0, running: false });
  });

  it('stops calling an import running once its pending batches are past the queue’s 24 hours of retries', async () => {
    let now = Date.UTC(2026, 10, 23);
    const clock = { now: () => now };
    const kv = new MemoryKvStore(clock);
    const source = new FakeWorklogSource(clock.now);
    for (let i = 1; i <= 3; i++) source.worklogs.set(String(i), { id: String(i), authorId: 'a', started: now - 86_400_000, seconds: 60, updated: now - 3_600_000 });
    await syncWorklogs({ kv, source, ingestQueue: new SimulatedQueues().queue('ingest'), clock }, { mode: 'import', deadline: now + 60_000 });
    now += 24 * 3_600_000;
    expect(await readSyncProgress(kv, { now })).toMatchObject({ state: 'listed', pending: 3, running: true });
    now += 1;
    expect(await readSyncProgress(kv, { now })).toMatchObject({ state: 'listed', pending: 3, running: false });
  });

  it('stops at its deadline with a saved cursor, and the continuation finishes the listing', async () => {
    let now = Date.UTC(2026, 10, 23);
    const clock = { now: () => now };
    const kv = new MemoryKvStore(clock);
    const source = new FakeWorklogSource(() => now);
    source.pageSize = 1;
    for (let i = 1; i <= 4; i++) source.worklogs.set(String(i), { id: String(i), authorId: 'a', started: 0, seconds: 60, updated: Date.UTC(2026, 10, 1) + i });
    const queues = new SimulatedQueues();
    const sync = (run?: { runId: string; step: number }) => syncWorklogs({ kv, source, ingestQueue: queues.queue('ingest'), clock }, run ? { mode: 'import', deadline: now, ...run } : { mode: 'import', deadline: now });
    const first = await sync();
    expect(first).toMatchObject({ status: 'continue', listed: 1 });
    let outcome = first;
    while (outcome.status === 'continue') outcome = await sync({ runId: outcome.runId!, step: outcome.step! });
    // Each continuation lists its boundary millisecond again (harmless: ingestion is idempotent).
    expect(outcome.status).toBe('done');
    expect(outcome.listed).toBeGreaterThanOrEqual(4);
    const ids = queues.pending.flatMap((d) => (d.event.body as unknown as { ids: number[] }).ids);
    expect(new Set(ids)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('a second run while one holds the lease does nothing', async () => {
    const kv = new MemoryKvStore();
    await kv.set('lease#sync', { owner: 'other' }, { ttlSeconds: 900 });
    const source = new FakeWorklogSource(() => Date.now());
    expect(await syncWorklogs({ kv, source, ingestQueue: new SimulatedQueues().queue('ingest'), clock: { now: () => Date.now() } }, { mode: 'reconcile', deadline: Date.now() + 1000 })).toEqual({ status: 'busy', listed: 0, runId: null });
  });
});
