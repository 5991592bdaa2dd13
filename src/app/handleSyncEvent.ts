import type { Clock, EventQueue, KvStore, RetryRequest, WorklogSource } from '../ports';
import { retryOnRateLimit } from './retryOnRateLimit';
import { syncWorklogs, type SyncOutcome } from './syncWorklogs';

/**
 * A sync job event: an initial import or a reconcile, continued across
 * invocations by `runId` and `step`. Without a runId it begins a new run (the
 * scheduled reconcile; an import the local runtime starts); an event of a run
 * carries its step, and the resolver's start event `start: true` as well.
 */
export type SyncEvent =
  | { readonly kind: 'sync'; readonly mode: 'import' | 'reconcile'; readonly runId?: undefined; readonly step?: undefined; readonly start?: undefined }
  | {
      readonly kind: 'sync';
      readonly mode: 'import' | 'reconcile';
      readonly runId: string;
      /** Which continuation of the run this is; a lower step than the run's record is a stale duplicate and stops. */
      readonly step: number;
      /** This event starts the import `runId`: the only time the cursors are reset. */
      readonly start?: boolean;
    };

/** How long a sync event that meets another invocation's lease waits before it is tried again: 60–120 s. */
function busyRetrySeconds(now: number): number {
  return 60 + (Math.floor(now / 1000) % 61);
}

/**
 * The sync consumer (and the scheduled reconcile): lists changes until
 * `budgetMs` is nearly spent, then pushes its own continuation, or hands the
 * run over to the next scheduled reconcile before the invocation chain's push
 * limit. An event of a run (a runId) or an import that meets a busy lease is
 * retried later rather than dropped; a scheduled reconcile that meets one
 * simply ends, since it comes round again.
 */
export async function handleSyncEvent(
  deps: { kv: KvStore; source: WorklogSource; ingestQueue: EventQueue; syncQueue: EventQueue; clock: Clock },
  event: SyncEvent,
  budgetMs: number,
): Promise<RetryRequest | undefined> {
  let outcome: SyncOutcome | undefined;
  const rateLimited = await retryOnRateLimit(async () => {
    const deadline = deps.clock.now() + budgetMs;
    outcome = await syncWorklogs(
      deps,
      event.runId === undefined
        ? { mode: event.mode, deadline }
        : { mode: event.mode, deadline, runId: event.runId, step: event.step, ...(event.start ? { start: true } : {}) },
    );
  });
  if (rateLimited) return rateLimited;
  if (outcome?.status === 'busy' && (event.runId !== undefined || event.mode === 'import')) {
    return { retry: true, afterSeconds: busyRetrySeconds(deps.clock.now()), reason: 'transient' };
  }
  return undefined;
}
