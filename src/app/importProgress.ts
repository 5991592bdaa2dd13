import type { KvStore } from '../ports.ts';
import { keys } from './storageKeys.ts';

/** The state of a sync run, as the admin page shows it. */
export interface SyncProgress {
  readonly runId: string;
  readonly mode: 'import' | 'reconcile';
  readonly status: 'listing' | 'listed' | 'failed';
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Worklog ids listed (changed or deleted) and queued so far. */
  readonly listed: number;
  readonly pages: number;
  readonly message?: string;
}

export interface BatchDone {
  readonly done: number;
  readonly fetched: number;
  readonly missing: number;
}

/** Marks an ingest batch done; idempotent, since a redelivered batch writes the same value again. */
export async function recordBatchDone(kv: KvStore, batch: string, done: BatchDone): Promise<void> {
  await kv.set(keys.syncBatch(batch), done, { ttlSeconds: 30 * 86_400 });
  // A batch that failed before and has now succeeded is no longer an error.
  await kv.delete(keys.syncError(batch));
}

export async function recordBatchError(kv: KvStore, batch: string, message: string): Promise<void> {
  await kv.set(keys.syncError(batch), { message: message.slice(0, 500) }, { ttlSeconds: 30 * 86_400 });
}

async function sumPrefix<T>(kv: KvStore, prefix: string, f: (v: T) => number): Promise<{ total: number; count: number }> {
  let total = 0;
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.query<T>(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) {
      total += f(r.value);
      count++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { total, count };
}

/** Progress of the current run for the UI: done / total / errors, plus the run's state. */
export async function readSyncProgress(kv: KvStore, runId?: string): Promise<
  | { readonly state: 'never-run' }
  | { readonly state: SyncProgress['status'] | 'done'; readonly progress: SyncProgress; readonly done: number; readonly total: number; readonly errors: number; readonly lastErrors: readonly string[] }
> {
  const progress = await kv.get<SyncProgress>(keys.syncProgress);
  if (!progress || (runId && progress.runId !== runId)) return { state: 'never-run' };
  const prefix = `${keys.syncBatchPrefix}${progress.runId}-`;
  const done = await sumPrefix<{ done: number }>(kv, prefix, (v) => v.done);
  const errorPrefix = `${keys.syncErrorPrefix}${progress.runId}-`;
  const errorsPage = await kv.query<{ message: string }>(errorPrefix, { limit: 10 });
  const errors = await sumPrefix<unknown>(kv, errorPrefix, () => 1);
  const state = progress.status === 'listed' && done.total >= progress.listed ? 'done' : progress.status;
  return { state, progress, done: done.total, total: progress.listed, errors: errors.count, lastErrors: errorsPage.results.map((r) => r.value.message) };
}
