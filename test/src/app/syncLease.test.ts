import { describe, expect, it } from 'vitest';
import { handleSyncEvent, type SyncEvent } from '../../../src/app/handleSyncEvent';
import { readSyncProgress, type SyncProgress } from '../../../src/app/importProgress';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { syncWorklogs } from '../../../src/app/syncWorklogs';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { ChangedIdsPage, KvOperation, KvSetOptions, RetryRequest, Stored, WorklogSource } from '../../../src/ports';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';
import { syncHarness } from '../../support/syncHarness';

/**
 * KVS as Forge documents it: an expired key is purged asynchronously, up to
 * about 48 h later, and reads return it until then. The worst case: never.
 */
class LazyTtlKvStore extends MemoryKvStore {
  override set(key: string, value: Stored, options?: KvSetOptions): Promise<void> {
    return super.set(key, value, options?.ifAbsent ? { ifAbsent: true } : undefined);
  }
  override transact(operations: readonly KvOperation[]): Promise<void> {
    return super.transact(operations.map((op) => (op.kind === 'set' ? { kind: 'set', key: op.key, value: op.value } : op)));
  }
}

const setup = syncHarness;

/** A source whose listing yields its first page, then never answers: the invocation is killed there by its timeout. */
function hangingAfterFirstPage(source: FakeWorklogSource): WorklogSource {
  return {
    byIds: (ids) => source.byIds(ids),
    deletedSince: (since) => source.deletedSince(since),
    updatedSince: (since) => ({
      async *[Symbol.asyncIterator](): AsyncGenerator<ChangedIdsPage> {
        for await (const page of source.updatedSince(since)) {
          yield page;
          await new Promise(() => undefined);
        }
      },
    }),
  };
}

const isRetry = (r: RetryRequest | undefined) => r !== undefined && r.retry && r.afterSeconds >= 60 && r.afterSeconds <= 120;

describe('the sync lease', () => {
  it('a run killed at its timeout (no finally) leaves its lease; the platform retry of its event takes it over and finishes the listing', async () => {
    const s = setup(2500);
    const event: SyncEvent = { kind: 'sync', mode: 'import', runId: 'i0000000000001', start: true, step: 0 };
    void handleSyncEvent({ ...s.deps, source: hangingAfterFirstPage(s.source) }, event, 10_000_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await s.kv.get(keys.syncLease)).toMatchObject({ owner: 'i0000000000001' });

    // Forge retries the timed-out event (an app-level error) well within the lease's 900 s.
    s.clock.advance(120_000);
    const retry = await handleSyncEvent(s.deps, event, 10_000_000);
    expect(retry).toBeUndefined();
    expect(s.listedIds().size).toBe(2500);
    expect(await readSyncProgress(s.kv)).toMatchObject({ state: 'listed', total: 2500, progress: { runId: 'i0000000000001' } });
    expect(await s.kv.get(keys.syncLease)).toBeUndefined();
  });

  it('an event of a run that meets another run’s live lease asks to be retried in 60–120 s instead of being dropped, and runs once the lease is free', async () => {
    const s = setup(30);
    // The hourly reconcile holds the lease when the import's start event is delivered.
    await s.kv.set(keys.syncLease, { owner: 'r0000000000001', step: 0, token: 't', expiresAt: s.clock.now() + 900_000 }, { ifAbsent: true, ttlSeconds: 900 });
    const start: SyncEvent = { kind: 'sync', mode: 'import', runId: 'i0000000000002', start: true, step: 0 };
    expect(isRetry(await handleSyncEvent(s.deps, start, 60_000))).toBe(true);
    expect(s.ingest).toHaveLength(0);
    // …and so does a continuation, and a start without a runId (the local runtime's).
    const reconcile: SyncProgress = { runId: 'r0000000000009', mode: 'reconcile', status: 'listing', startedAt: s.clock.now(), updatedAt: s.clock.now(), listed: 0, pages: 0, step: 1 };
    await s.kv.set(keys.syncReconcile, reconcile);
    expect(isRetry(await handleSyncEvent(s.deps, { kind: 'sync', mode: 'reconcile', runId: 'r0000000000009', step: 1 }, 60_000))).toBe(true);
    expect(isRetry(await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import' }, 60_000))).toBe(true);
    // The scheduled reconcile has no event to retry: it ends, and comes round again.
    expect(await handleSyncEvent(s.deps, { kind: 'sync', mode: 'reconcile' }, 60_000)).toBeUndefined();

    await s.kv.delete(keys.syncLease);
    s.clock.advance(90_000);
    expect(await handleSyncEvent(s.deps, start, 60_000)).toBeUndefined();
    expect(s.listedIds().size).toBe(30);
  });

  it('a lease past its expiresAt is free although KVS still returns it (TTL purge is lazy)', async () => {
    const s = setup(10, (clock) => new LazyTtlKvStore(clock));
    // A reconcile invocation that died 16 minutes ago.
    await s.kv.set(keys.syncLease, { owner: 'r0000000000001', step: 0, token: 't', expiresAt: s.clock.now() - 60_000 }, { ifAbsent: true, ttlSeconds: 900 });
    const outcome = await syncWorklogs(s.deps, { mode: 'reconcile', deadline: s.clock.now() + 60_000 });
    expect(outcome.status).toBe('done');
    expect(s.listedIds().size).toBe(10);
    // Its own lease is gone, even in a store that never purges.
    expect(await s.kv.get(keys.syncLease)).toBeUndefined();
  });

  it('of two invocations that find the same stale lease at once, exactly one takes it over', async () => {
    const s = setup(10, (clock) => new LazyTtlKvStore(clock));
    await s.kv.set(keys.syncLease, { owner: 'r0000000000001', step: 0, token: 't', expiresAt: s.clock.now() - 1 }, { ifAbsent: true, ttlSeconds: 900 });
    // The scheduled trigger fired twice (Forge allows duplicates).
    const outcomes = await Promise.all([0, 1].map(() => syncWorklogs(s.deps, { mode: 'reconcile', deadline: s.clock.now() + 60_000 })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['busy', 'done']);
  });

  it('an invocation whose lease another took over stops at its next push, before it moves a cursor', async () => {
    const s = setup(120);
    s.source.pageSize = 1;
    let pages = 0;
    const source: WorklogSource = {
      byIds: (ids) => s.source.byIds(ids),
      deletedSince: (since) => s.source.deletedSince(since),
      updatedSince: (since) => ({
        async *[Symbol.asyncIterator](): AsyncGenerator<ChangedIdsPage> {
          for await (const page of s.source.updatedSince(since)) {
            // After 10 pages this invocation is taken for dead and its lease taken over.
            if (++pages === 10) await s.kv.set(keys.syncLease, { owner: 'i1', step: 0, token: 'the-retry', expiresAt: s.clock.now() + 900_000 });
            yield page;
          }
        },
      }),
    };
    const outcome = await syncWorklogs({ ...s.deps, source }, { mode: 'import', runId: 'i1', start: true, step: 0, deadline: s.clock.now() + 60_000 });
    expect(outcome).toMatchObject({ status: 'stopped' });
    expect(s.ingest).toHaveLength(0);
    expect(await s.kv.get(keys.updatedCursor)).toBeUndefined();
    expect(await s.kv.get(keys.syncLease)).toMatchObject({ token: 'the-retry' }); // not released: it is not this invocation's
  });

  it('a duplicate of an event that already ran stops: no listing, no second continuation', async () => {
    const s = setup(3500);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId: 'i1', start: true, step: 0 }, 0);
    expect(s.sync).toMatchObject([{ kind: 'sync', mode: 'import', runId: 'i1' }]);
    const continuation = s.sync[0]!;
    await handleSyncEvent(s.deps, continuation, 0);
    expect(s.sync).toHaveLength(2);
    const ingested = s.ingest.length;
    // At-least-once delivery: the step-1 event again, then the start event again.
    await handleSyncEvent(s.deps, continuation, 0);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId: 'i1', start: true, step: 0 }, 0);
    expect(s.ingest).toHaveLength(ingested);
    expect(s.sync).toHaveLength(2);
    // The cursors were not reset by the duplicate start.
    expect(await s.kv.get(keys.updatedCursor)).toBeGreaterThan(Date.UTC(2026, 0, 1));
  });
});

describe('sync/start-import', () => {
  function resolverDeps(s: ReturnType<typeof setup>): ResolverDeps {
    return { kv: s.kv, directory: s.source, permissions: { isJiraAdmin: async () => true, groupIds: async () => [] }, syncQueue: s.syncQueue, periodsQueue: { push: async () => undefined }, clock: s.clock };
  }

  it('while a reconcile holds the lease, answers a runId whose start event is retried, not consumed as "busy"', async () => {
    const s = setup(20);
    const answer = await invokeResolver(resolverDeps(s), 'sync/start-import', {}, 'admin-1');
    expect(answer).toMatchObject({ ok: true, data: { runId: expect.stringMatching(/^i\d{13}$/) } });
    const runId = (answer as { data: { runId: string } }).data.runId;
    await s.kv.set(keys.syncLease, { owner: 'r0000000000001', step: 0, token: 't', expiresAt: s.clock.now() + 900_000 }, { ifAbsent: true, ttlSeconds: 900 });
    const event = s.sync.shift()!;
    expect(isRetry(await handleSyncEvent(s.deps, event, 60_000))).toBe(true);
    expect(await readSyncProgress(s.kv, runId)).toMatchObject({ state: 'queued' });
    await s.kv.delete(keys.syncLease);
    s.clock.advance(100_000);
    await handleSyncEvent(s.deps, event, 60_000);
    expect(await readSyncProgress(s.kv, runId)).toMatchObject({ state: 'listed', total: 20 });
  });

  it('says an import is in progress instead of answering a run that would never run; a run with no progress for longer than the lease does not count', async () => {
    const s = setup(3500);
    const deps = resolverDeps(s);
    const first = await invokeResolver(deps, 'sync/start-import', {}, 'admin-1');
    expect(first.ok).toBe(true);
    // Queued, not started yet: a second click is refused.
    s.clock.advance(1000);
    expect(await invokeResolver(deps, 'sync/start-import', {}, 'admin-1')).toMatchObject({ ok: false, error: { code: 'IMPORT_IN_PROGRESS' } });
    // Listing (one page, then a continuation): refused.
    await handleSyncEvent(s.deps, s.sync.shift()!, 0);
    const pushed = s.sync.length;
    const refused = await invokeResolver(deps, 'sync/start-import', {}, 'admin-1');
    expect(refused).toMatchObject({ ok: false, error: { code: 'IMPORT_IN_PROGRESS', message: expect.stringContaining('already in progress') } });
    expect(s.sync).toHaveLength(pushed);
    expect(await invokeResolver(deps, 'sync/progress', {}, 'admin-1')).toMatchObject({ ok: true, data: { state: 'listing', running: true } });
    // Its continuation is lost and nothing happens for 16 minutes: no longer running.
    s.sync.length = 0;
    s.clock.advance(16 * 60_000);
    expect(await invokeResolver(deps, 'sync/progress', {}, 'admin-1')).toMatchObject({ ok: true, data: { state: 'listing', running: false } });
    expect(await invokeResolver(deps, 'sync/start-import', {}, 'admin-1')).toMatchObject({ ok: true, data: { runId: expect.stringMatching(/^i\d{13}$/) } });
    expect(s.sync).toMatchObject([{ kind: 'sync', mode: 'import', start: true }]);
  });

  it('a failed push leaves the run marked failed, not queued for ever', async () => {
    const s = setup(0);
    const deps = { ...resolverDeps(s), syncQueue: { push: async () => Promise.reject(new Error('queue unavailable')) } };
    expect(await invokeResolver(deps, 'sync/start-import', {}, 'admin-1')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await s.kv.get<SyncProgress>(keys.syncProgress)).toMatchObject({ status: 'failed', message: expect.stringContaining('queue unavailable') });
    expect(await invokeResolver(resolverDeps(s), 'sync/start-import', {}, 'admin-1')).toMatchObject({ ok: true });
  });
});
