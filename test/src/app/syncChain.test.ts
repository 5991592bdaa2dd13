/**
 * Forge counts push requests per invocation chain: everything that descends
 * from one invocation, downstream handlers included, may make at most 1000
 * (forge-platform.md §2.3). The queues below tag every event with the chain
 * of the handler that pushed it and count push requests per chain.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyEvent, IngestEvent } from '../../../src/app/events';
import { shelfEntries, type StoredShelf } from '../../../src/app/applyWorklogChanges';
import { handleApplyEvent, handleIngestEvent, type PipelineDeps } from '../../../src/app/handleEvents';
import { handleSyncEvent, type SyncEvent } from '../../../src/app/handleSyncEvent';
import { readSyncProgress, startImport, type SyncProgress } from '../../../src/app/importProgress';
import { keys } from '../../../src/app/storageKeys';
import { CHAIN_PUSH_LIMIT, syncWorklogs } from '../../../src/app/syncWorklogs';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { EventQueue, QueuedEvent } from '../../../src/ports';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';

type QueueName = 'sync' | 'ingest' | 'apply';

class ChainQueues {
  readonly pending: { queue: QueueName; body: QueuedEvent['body']; chain: number }[] = [];
  readonly pushes = new Map<number, number>();
  private chains = 0;
  current = 0;

  newChain(): number {
    this.current = ++this.chains;
    return this.current;
  }

  queue(name: QueueName): EventQueue {
    return {
      push: async (events) => {
        if (events.length === 0 || events.length > 50) throw new Error(`a push holds 1 to 50 events; got ${events.length}`);
        if (Buffer.byteLength(JSON.stringify(events)) > 200 * 1024) throw new Error('a push is limited to 200 KB');
        this.pushes.set(this.current, (this.pushes.get(this.current) ?? 0) + 1);
        for (const e of events) this.pending.push({ queue: name, body: e.body, chain: this.current });
      },
    };
  }

  maxPerChain(): number {
    return Math.max(0, ...this.pushes.values());
  }
}

function site(worklogs: number, pageSize: number) {
  let now = Date.UTC(2026, 10, 2, 12);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const source = new FakeWorklogSource(() => now, () => 1);
  source.pageSize = pageSize;
  for (let i = 0; i < worklogs; i++) {
    const id = String(100_000 + i);
    source.worklogs.set(id, { id, authorId: `acc-${i % 37}`, issueId: '1', started: Date.UTC(2026, 9, 1) + i * 60_000, seconds: 60, updated: Date.UTC(2026, 9, 1) + i * 60_000 });
  }
  const kv = new MemoryKvStore(clock);
  const queues = new ChainQueues();
  const syncDeps = { kv, source, ingestQueue: queues.queue('ingest'), syncQueue: queues.queue('sync'), clock };
  const pipeline: PipelineDeps = { kv, source, applyQueue: queues.queue('apply'), clock };
  /** Delivers everything pending, each handler in the chain of the event it handles. */
  const drain = async (budgetMs: number) => {
    while (queues.pending.length > 0) {
      const d = queues.pending.shift()!;
      queues.current = d.chain;
      const retry =
        d.queue === 'sync'
          ? await handleSyncEvent(syncDeps, d.body as unknown as SyncEvent, budgetMs)
          : d.queue === 'ingest'
            ? await handleIngestEvent(pipeline, d.body as unknown as IngestEvent)
            : await handleApplyEvent(pipeline, d.body as unknown as ApplyEvent);
      if (retry) queues.pending.push(d); // a retry is no push request
    }
  };
  /** The hourly scheduled trigger: a chain of its own. */
  const scheduledReconcile = async (budgetMs: number) => {
    clock.advance(3_600_000);
    queues.newChain();
    await handleSyncEvent(syncDeps, { kind: 'sync', mode: 'reconcile' }, budgetMs);
  };
  /** Seconds of every worklog the index counts. */
  const bucketSeconds = async () => {
    let total = 0;
    for (const prefix of ['day#', 'long#']) {
      let cursor: string | undefined;
      do {
        const page = await kv.query<StoredShelf>(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const r of page.results) for (const w of shelfEntries(r.value)) total += w.seconds;
        cursor = page.nextCursor;
      } while (cursor);
    }
    return total;
  };
  return { clock, source, kv, queues, syncDeps, drain, scheduledReconcile, bucketSeconds };
}

describe('an import within Forge’s 1000 push requests per invocation chain', () => {
  it.each([
    ['one long invocation per chain', 10_000_000],
    ['a continuation after every page', 0],
  ])('a site whose import needs several chains hands over to the scheduled reconcile and completes (%s)', async (_what, budgetMs) => {
    const s = site(4_000, 4); // 1000 pages: far more than one chain can push for
    s.queues.newChain();
    const { runId } = await startImport(s.syncDeps); // the resolver: the chain's first push request
    await s.drain(budgetMs);
    const first = await s.kv.get<SyncProgress>(keys.syncProgress);
    expect(first).toMatchObject({ runId, status: 'handover' });
    expect(s.queues.maxPerChain()).toBeLessThanOrEqual(1000);

    for (let hour = 0; hour < 10; hour++) {
      const p = await s.kv.get<SyncProgress>(keys.syncProgress);
      if (p?.status === 'listed') break;
      await s.scheduledReconcile(budgetMs);
      await s.drain(budgetMs);
    }
    const progress = await readSyncProgress(s.kv);
    expect(progress).toMatchObject({ state: 'done', errors: 0, progress: { runId } });
    // Each invocation lists its boundary millisecond again (harmless), so the count is at least the site's.
    const { total, done } = progress as { total: number; done: number };
    expect(total).toBeGreaterThanOrEqual(4_000);
    expect(done).toBe(total);
    expect((progress as { progress: SyncProgress }).progress.chains).toBeGreaterThanOrEqual(2);
    expect(s.queues.maxPerChain()).toBeLessThanOrEqual(CHAIN_PUSH_LIMIT);
    expect(await s.bucketSeconds()).toBe(4_000 * 60);
  }, 60_000);

  it('page events go up to 50 to a push request, and a cursor moves only once its page’s event is pushed', async () => {
    const s = site(120, 1);
    const pushed: IngestEvent[] = [];
    let requests = 0;
    let failOn = 2;
    const ingestQueue: EventQueue = {
      async push(events) {
        requests++;
        if (requests === failOn) throw new Error('push refused');
        for (const e of events) pushed.push(e.body as unknown as IngestEvent);
      },
    };
    const deps = { kv: s.kv, source: s.source, ingestQueue, clock: s.clock };
    await expect(syncWorklogs(deps, { mode: 'import', deadline: s.clock.now() + 60_000 })).rejects.toThrow('push refused');
    expect(pushed).toHaveLength(50);
    const last = pushed[49] as unknown as { times: number[] };
    expect(await s.kv.get(keys.updatedCursor)).toBe(last.times[0]);

    failOn = 0;
    requests = 0;
    const runId = (await s.kv.get<SyncProgress>(keys.syncProgress))!.runId;
    expect(await syncWorklogs(deps, { mode: 'import', deadline: s.clock.now() + 60_000, runId, step: 0 })).toMatchObject({ status: 'done' });
    expect(requests).toBe(2); // 70 pages left (the boundary one again): 50 + 20
    const ids = new Set(pushed.flatMap((e) => (e.kind === 'worklog-ids' ? e.ids : [])));
    expect(ids.size).toBe(120);
  });

  it('a reconcile continues a handed-over import as that import, in its own chain, and a stray event of the old chain stops', async () => {
    const s = site(4_000, 4);
    s.queues.newChain();
    await startImport(s.syncDeps);
    await s.drain(10_000_000);
    const handedOver = (await s.kv.get<SyncProgress>(keys.syncProgress))!;
    expect(handedOver.status).toBe('handover');
    const cursor = await s.kv.get<number>(keys.updatedCursor);

    // A stray continuation of the spent chain (a duplicate delivery) does nothing.
    s.queues.current = 1;
    await handleSyncEvent(s.syncDeps, { kind: 'sync', mode: 'import', runId: handedOver.runId, step: handedOver.step! - 1 }, 10_000_000);
    expect(s.queues.pending).toHaveLength(0);

    await s.scheduledReconcile(10_000_000);
    const continued = (await s.kv.get<SyncProgress>(keys.syncProgress))!;
    expect(continued).toMatchObject({ runId: handedOver.runId, chains: 2 });
    expect(continued.listed).toBeGreaterThan(handedOver.listed);
    expect(await s.kv.get<number>(keys.updatedCursor)).toBeGreaterThan(cursor!);
    expect(await s.kv.get(keys.syncReconcile)).toBeUndefined(); // it ran as the import, not as a reconcile of its own
  }, 60_000);
});
