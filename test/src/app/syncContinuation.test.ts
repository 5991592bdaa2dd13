import { describe, expect, it } from 'vitest';
import { handleSyncEvent, type SyncEvent } from '../../../src/app/handleSyncEvent';
import { readSyncProgress, startImport, type SyncProgress } from '../../../src/app/importProgress';
import { keys } from '../../../src/app/storageKeys';
import { syncHarness } from '../../support/syncHarness';

const setup = syncHarness;

describe('import continuations', () => {
  it('a reconcile between two invocations of an import neither restarts the import nor takes its place in the progress', async () => {
    const s = setup(3500);
    // Import invocation 1: budget 0 ⇒ one page, then a continuation.
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId: 'i0000000000001', start: true, step: 0 }, 0);
    expect(s.sync).toMatchObject([{ kind: 'sync', mode: 'import', runId: 'i0000000000001' }]);
    // The hourly reconcile fires in the gap before the continuation is delivered.
    s.clock.advance(1000);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'reconcile' }, 10_000_000);
    expect(s.ingest).toHaveLength(1); // it left the live import alone (the import lists everything up to now)
    // The progress is the import's own.
    expect(await readSyncProgress(s.kv)).toMatchObject({ state: 'listing', total: 1000, progress: { runId: 'i0000000000001', mode: 'import' } });

    // The continuation resumes at its cursor, not at worklog 0.
    s.clock.advance(1000);
    const listedBefore = s.ingest.length;
    await handleSyncEvent(s.deps, s.sync.shift()!, 0);
    const relisted = s.ids(s.ingest.slice(listedBefore));
    expect(relisted[0]).not.toBe(10_000);
    expect(relisted[0]).toBe(10_999); // the boundary millisecond, listed again (harmless)
    while (s.sync.length > 0) await handleSyncEvent(s.deps, s.sync.shift()!, 0);
    expect(new Set(s.ids(s.ingest)).size).toBe(3500);
    expect(await readSyncProgress(s.kv)).toMatchObject({ state: 'listed', progress: { runId: 'i0000000000001' } });
  });

  it('the reconcile keeps a record of its own; the progress shows the import’s numbers beside it', async () => {
    const s = setup(30);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId: 'i0000000000001', start: true, step: 0 }, 60_000);
    s.clock.advance(3_600_000);
    s.source.worklogs.set('99999', { id: '99999', authorId: 'acc-a', issueId: '1', started: s.clock.now() - 7_200_000, seconds: 60, updated: s.clock.now() - 120_000 });
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'reconcile' }, 60_000);
    expect(s.ids(s.ingest).filter((id) => id === 99999)).toHaveLength(1);
    expect(await readSyncProgress(s.kv)).toMatchObject({
      state: 'listed',
      total: 30,
      progress: { runId: 'i0000000000001', mode: 'import' },
      lastReconcile: { runId: expect.stringMatching(/^r\d{13}$/), status: 'listed' },
    });
  });

  it('a continuation of an import superseded by a newer one stops: no listing, no continuation', async () => {
    const s = setup(3500);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId: 'i0000000000001', start: true, step: 0 }, 0);
    const oldContinuation = s.sync.shift()!;
    // The old import went quiet; an admin starts a new one, which runs a first invocation.
    s.clock.advance(20 * 60_000);
    const { runId } = await startImport(s.deps);
    await handleSyncEvent(s.deps, s.sync.shift()!, 0);
    const ingested = s.ingest.length;
    const cursor = await s.kv.get(keys.updatedCursor);
    // The old import's continuation is finally delivered.
    expect(await handleSyncEvent(s.deps, oldContinuation, 0)).toBeUndefined();
    expect(s.ingest).toHaveLength(ingested);
    expect(s.sync.filter((e) => e.runId === oldContinuation.runId)).toHaveLength(0);
    expect(await s.kv.get(keys.updatedCursor)).toBe(cursor);
    expect(await s.kv.get<SyncProgress>(keys.syncProgress)).toMatchObject({ runId, status: 'listing' });
  });

  it('only a start resets the cursors; an event of a run without its step (no event this app pushes) lists nothing', async () => {
    const s = setup(2500);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import' }, 0);
    const runId = s.sync[0]!.runId!;
    const listed = s.ingest.length;
    const cursor = await s.kv.get<number>(keys.updatedCursor);
    await handleSyncEvent(s.deps, { kind: 'sync', mode: 'import', runId } as unknown as SyncEvent, 0);
    expect(s.ingest).toHaveLength(listed);
    expect(await s.kv.get<number>(keys.updatedCursor)).toBe(cursor);
    await handleSyncEvent(s.deps, s.sync[0]!, 0);
    expect(s.ids(s.ingest.slice(listed))[0]).toBe(s.ids(s.ingest)[999]);
    expect(await s.kv.get<number>(keys.updatedCursor)).toBeGreaterThan(cursor!);
  });
});
