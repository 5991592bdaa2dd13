import { DomainError } from '../../domain/errors';
import { QueueRateLimitedError, type Clock, type EventQueue, type KvStore, type QueuedEvent } from '../ports';
import type { SyncEvent } from './handleSyncEvent';
import { keys } from './storageKeys';

/**
 * A sync run holds the lease at most this long. Forge kills a consumer or a
 * scheduled trigger at 900 s at the latest, so a lease past its `expiresAt`
 * belongs to an invocation that is gone.
 */
export const LEASE_SECONDS = 900;
export const LEASE_MS = LEASE_SECONDS * 1000;
/** How often the scheduled reconcile runs (manifest: `interval: hour`); it continues a handed-over import. */
export const RECONCILE_INTERVAL_MS = 3_600_000;
/**
 * How long after listing its ingest batches can still be delivered: Forge
 * retries an event for up to 24 hours, then drops it. A batch not done by then
 * never will be, and the import no longer counts as running.
 */
export const INGEST_RETRY_WINDOW_MS = 24 * 3_600_000;

/** The state of a sync run, as the admin page shows it. Imports live at `sync#progress`, reconciles at `sync#reconcile`. */
export interface SyncProgress {
  readonly runId: string;
  readonly mode: 'import' | 'reconcile';
  /**
   * `queued`: asked for, not started yet. `listing`: listing, continued across invocations.
   * `handover`: paused before Forge's limit on push requests in one invocation chain; the next
   * scheduled reconcile continues it in a chain of its own. `listed`: everything is queued for
   * ingestion. `failed`: the last invocation failed (the platform retries it; a reconcile continues it).
   */
  readonly status: 'queued' | 'listing' | 'handover' | 'listed' | 'failed';
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Worklog ids listed (changed or deleted) and queued so far. */
  readonly listed: number;
  readonly pages: number;
  /**
   * The continuation the run expects next: every sync event carries its step, and one lower
   * than this is a stale duplicate (or belongs to a chain that was handed over) and stops.
   */
  readonly step: number;
  /** Push requests the run's current invocation chain has made or caused (Forge allows 1000 per chain). */
  readonly chainPushes?: number;
  /** Invocation chains the run has used: 1, plus one per handover. */
  readonly chains?: number;
  readonly message?: string;
}

export interface BatchDone {
  readonly done: number;
  readonly fetched: number;
  readonly missing: number;
}

/**
 * True while an import is listing: queued or listing with progress in the
 * last lease time, or handed over and waiting (at most a reconcile interval)
 * for the scheduled reconcile. A run that made no progress for longer is not
 * running any more: nothing holds its lease, and a new import may replace it.
 * (Its ingest batches may still be queued: see readSyncProgress's `pending`.)
 */
export function importIsRunning(progress: SyncProgress | undefined, now: number): boolean {
  if (!progress) return false;
  const idle = now - progress.updatedAt;
  if (progress.status === 'queued' || progress.status === 'listing') return idle <= LEASE_MS;
  if (progress.status === 'handover') return idle <= LEASE_MS + RECONCILE_INTERVAL_MS;
  return false;
}

/** Marks an ingest batch done; idempotent, since a redelivered batch writes the same value again. */
export async function recordBatchDone(kv: KvStore, batch: string, done: BatchDone): Promise<void> {
  await kv.set(keys.syncBatch(batch), done, { ttlSeconds: 30 * 86_400 });
  // A batch that failed before and has now succeeded is no longer an error.
  await kv.delete(keys.syncError(batch));
}

/** A person's changes that could not be stored, as sync/progress shows them. */
export interface ApplyErrorRecord {
  readonly personId: string;
  readonly at: number;
  readonly message: string;
}

/**
 * Records that a person's changes could not be stored for a reason retrying cannot mend (a storage
 * limit), for sync/progress to show; kept 30 days, replaced by the next such failure of that person.
 */
export async function recordApplyError(kv: KvStore, personId: string, changes: number, error: Error, at: number): Promise<void> {
  const message =
    `${changes} worklog change(s) of ${personId} could not be stored and are not counted: ${error.message}. ` +
    'This happens only when one person has thousands of worklogs starting on one UTC day; ask your admin to report it to the app vendor.';
  const record: ApplyErrorRecord = { personId, at, message: message.slice(0, 1000) };
  await kv.set(keys.applyError(personId), record, { ttlSeconds: 30 * 86_400 });
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

/** The last reconcile, in short, for the admin page. */
export interface ReconcileSummary {
  readonly runId: string;
  readonly status: SyncProgress['status'];
  readonly listed: number;
  readonly updatedAt: number;
  readonly message?: string;
}

/**
 * Progress of the import for the UI: done / total / errors, plus the run's
 * state, counted from the import's own record and batches (a reconcile keeps
 * its record apart). `pending` is what is listed and not yet ingested: its
 * batches are still queued or in flight. With `now`, says whether the import
 * is still running: listing, or listed with batches pending that the queue can
 * still deliver. The last reconcile is summarised alongside.
 */
export async function readSyncProgress(
  kv: KvStore,
  options?: string | { readonly runId?: string; readonly now?: number },
): Promise<
  | { readonly state: 'never-run'; readonly applyErrors: readonly ApplyErrorRecord[]; readonly lastReconcile?: ReconcileSummary }
  | {
      readonly state: SyncProgress['status'] | 'done';
      readonly progress: SyncProgress;
      readonly done: number;
      readonly total: number;
      /** Listed worklogs whose ingest batches are still queued or in flight (total − done). */
      readonly pending: number;
      readonly errors: number;
      readonly lastErrors: readonly string[];
      /** People whose changes could not be stored (a storage limit; not retried), up to 10. */
      readonly applyErrors: readonly ApplyErrorRecord[];
      readonly running?: boolean;
      readonly lastReconcile?: ReconcileSummary;
    }
> {
  const { runId, now } = typeof options === 'string' ? { runId: options, now: undefined } : (options ?? {});
  const reconcile = await kv.get<SyncProgress>(keys.syncReconcile);
  const lastReconcile = reconcile
    ? { lastReconcile: { runId: reconcile.runId, status: reconcile.status, listed: reconcile.listed, updatedAt: reconcile.updatedAt, ...(reconcile.message ? { message: reconcile.message } : {}) } }
    : {};
  // Apply errors come from product events as well as imports, so they are shown whatever the import's state.
  const applyErrors = (await kv.query<ApplyErrorRecord>(keys.applyErrorPrefix, { limit: 10 })).results.map((r) => r.value);
  const progress = await kv.get<SyncProgress>(keys.syncProgress);
  if (!progress || (runId && progress.runId !== runId)) return { state: 'never-run', applyErrors, ...lastReconcile };
  const prefix = `${keys.syncBatchPrefix}${progress.runId}-`;
  const done = await sumPrefix<{ done: number }>(kv, prefix, (v) => v.done);
  const errorPrefix = `${keys.syncErrorPrefix}${progress.runId}-`;
  const errorsPage = await kv.query<{ message: string }>(errorPrefix, { limit: 10 });
  const errors = await sumPrefix<unknown>(kv, errorPrefix, () => 1);
  const pending = Math.max(0, progress.listed - done.total);
  const state = progress.status === 'listed' && pending === 0 ? 'done' : progress.status;
  const ingesting = (at: number) => progress.status === 'listed' && pending > 0 && at - progress.updatedAt <= INGEST_RETRY_WINDOW_MS;
  return {
    state,
    progress,
    done: done.total,
    total: progress.listed,
    pending,
    errors: errors.count,
    lastErrors: errorsPage.results.map((r) => r.value.message),
    applyErrors,
    ...(now !== undefined ? { running: importIsRunning(progress, now) || ingesting(now) } : {}),
    ...lastReconcile,
  };
}

/**
 * Starts an initial import, unless one is running (see importIsRunning): then
 * it says so (IMPORT_IN_PROGRESS) rather than answer with a run that would
 * never run. The run is recorded as `queued` before its start event is
 * pushed, so a second request finds it; the start event carries `start`, the
 * only thing that resets the cursors. A lease held by a reconcile only delays
 * the start (the event is retried), it does not lose it.
 */
export async function startImport(deps: { readonly kv: KvStore; readonly syncQueue: EventQueue; readonly clock: Clock }): Promise<{ runId: string }> {
  const now = deps.clock.now();
  const current = await deps.kv.get<SyncProgress>(keys.syncProgress);
  if (current && importIsRunning(current, now)) {
    const minutes = Math.max(0, Math.round((now - current.updatedAt) / 60_000));
    const what =
      current.status === 'handover'
        ? 'paused at the platform’s limit of pushes per invocation chain; the next scheduled reconcile continues it'
        : current.status === 'queued'
          ? 'queued, waiting for the sync consumer'
          : `listing, ${current.listed} worklog ids so far`;
    throw new DomainError(
      'IMPORT_IN_PROGRESS',
      `an import is already in progress (run ${current.runId}: ${what}; last progress ${minutes} min ago). Follow it with sync/progress; a new import can start once it has finished or failed, or after ${LEASE_SECONDS / 60} minutes without progress.`,
      { runId: current.runId, status: current.status },
    );
  }
  const runId = `i${String(now).padStart(13, '0')}`;
  const queued: SyncProgress = { runId, mode: 'import', status: 'queued', startedAt: now, updatedAt: now, listed: 0, pages: 0, step: 0, chainPushes: 0, chains: 1 };
  await deps.kv.set(keys.syncProgress, queued);
  const start: SyncEvent = { kind: 'sync', mode: 'import', runId, start: true, step: 0 };
  try {
    await deps.syncQueue.push([{ body: start as unknown as QueuedEvent['body'] }]);
  } catch (e) {
    await deps.kv.set(keys.syncProgress, { ...queued, status: 'failed', message: `the import could not be queued: ${(e as Error).message}`.slice(0, 500) }).catch(() => undefined);
    if (e instanceof QueueRateLimitedError) throw new DomainError('RATE_LIMITED', `too many events were queued this minute; start the import again in ${e.retryAfterSeconds} s`);
    throw e;
  }
  return { runId };
}
