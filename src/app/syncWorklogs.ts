import { KvConflictError } from '../kv/kvRules.ts';
import type { Clock, EventQueue, KvStore, QueuedEvent, WorklogSource } from '../ports.ts';
import type { IngestEvent } from './events.ts';
import type { SyncProgress } from './importProgress.ts';
import { pushInChunks } from './pushInChunks.ts';
import { keys } from './storageKeys.ts';

export interface SyncDeps {
  readonly kv: KvStore;
  readonly source: WorklogSource;
  readonly ingestQueue: EventQueue;
  readonly clock: Clock;
}

/** A sync holds the lease at most this long; a crashed run's lease simply expires. */
const LEASE_SECONDS = 900;

export type SyncOutcome = { readonly status: 'done' | 'continue' | 'busy'; readonly listed: number; readonly runId: string | null };

async function acquireLease(kv: KvStore, owner: string): Promise<boolean> {
  try {
    await kv.set(keys.syncLease, { owner }, { ifAbsent: true, ttlSeconds: LEASE_SECONDS });
    return true;
  } catch (e) {
    if (e instanceof KvConflictError) return false;
    throw e;
  }
}

/**
 * Lists worklogs changed and deleted since the stored cursors and queues
 * them for ingestion, a page (≤ 1000 ids) at a time. Each cursor moves only
 * after its page is queued, so a crash repeats work (harmless: ingestion is
 * idempotent) and never skips it. Stops cleanly at `deadline` and says
 * `continue`; runs under a lease so that overlapping runs (scheduled triggers
 * may fire twice) do no harm. `mode: 'import'` starts from the beginning.
 */
export async function syncWorklogs(deps: SyncDeps, options: { readonly mode: 'import' | 'reconcile'; readonly deadline: number; readonly runId?: string }): Promise<SyncOutcome> {
  const { kv, clock } = deps;
  const runId = options.runId ?? `${options.mode === 'import' ? 'i' : 'r'}${String(clock.now()).padStart(13, '0')}`;
  if (!(await acquireLease(kv, runId))) return { status: 'busy', listed: 0, runId: null };
  try {
    const previous = await kv.get<SyncProgress>(keys.syncProgress);
    const continuing = previous?.runId === runId;
    if (options.mode === 'import' && !continuing) {
      await kv.delete(keys.updatedCursor);
      await kv.delete(keys.deletedCursor);
    }
    let progress: SyncProgress = continuing
      ? { ...previous!, status: 'listing', updatedAt: clock.now() }
      : { runId, mode: options.mode, status: 'listing', startedAt: clock.now(), updatedAt: clock.now(), listed: 0, pages: 0 };
    await kv.set(keys.syncProgress, progress);

    for (const phase of ['updated', 'deleted'] as const) {
      const cursorKey = phase === 'updated' ? keys.updatedCursor : keys.deletedCursor;
      const since = (await kv.get<number>(cursorKey)) ?? 0;
      let cursor = since;
      const pages = phase === 'updated' ? deps.source.updatedSince(since) : deps.source.deletedSince(since);
      for await (const page of pages) {
        const batch = `${runId}-${phase[0]}${String(progress.pages).padStart(6, '0')}`;
        const body: IngestEvent =
          phase === 'updated'
            ? { kind: 'worklog-ids', ids: page.ids, times: page.times, batch }
            : { kind: 'deleted', items: page.ids.map((id, i) => ({ id, at: page.times[i]! })), batch };
        if (page.ids.length > 0) {
          await pushInChunks(deps.ingestQueue, [{ body: body as unknown as QueuedEvent['body'] }]);
          // The next run starts at `until` (the boundary millisecond is listed again, harmlessly),
          // or just past it when a page made no progress, so a continuation can never stall.
          cursor = page.until > cursor ? page.until : cursor + 1;
          await kv.set(cursorKey, cursor);
        }
        progress = { ...progress, listed: progress.listed + page.ids.length, pages: progress.pages + 1, updatedAt: clock.now() };
        await kv.set(keys.syncProgress, progress);
        if (!page.lastPage && clock.now() >= options.deadline) return { status: 'continue', listed: progress.listed, runId };
      }
    }
    await kv.set(keys.syncProgress, { ...progress, status: 'listed', updatedAt: clock.now() });
    return { status: 'done', listed: progress.listed, runId };
  } catch (e) {
    const failed = await kv.get<SyncProgress>(keys.syncProgress);
    if (failed?.runId === runId) await kv.set(keys.syncProgress, { ...failed, status: 'failed', message: (e as Error).message.slice(0, 500), updatedAt: clock.now() });
    throw e;
  } finally {
    await kv.delete(keys.syncLease);
  }
}
