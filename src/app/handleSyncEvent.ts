import type { Clock, EventQueue, KvStore, QueuedEvent, RetryRequest, WorklogSource } from '../ports.ts';
import { retryOnRateLimit } from './retryOnRateLimit.ts';
import { syncWorklogs } from './syncWorklogs.ts';

/** A sync job event: an initial import or a reconcile, continued across invocations by `runId`. */
export interface SyncEvent {
  readonly kind: 'sync';
  readonly mode: 'import' | 'reconcile';
  readonly runId?: string;
}

/**
 * The sync consumer: lists changes until `budgetMs` is nearly spent, then
 * pushes its own continuation. A busy lease means another run is at it: done.
 */
export function handleSyncEvent(
  deps: { kv: KvStore; source: WorklogSource; ingestQueue: EventQueue; syncQueue: EventQueue; clock: Clock },
  event: SyncEvent,
  budgetMs: number,
): Promise<RetryRequest | undefined> {
  return retryOnRateLimit(async () => {
    const deadline = deps.clock.now() + budgetMs;
    const outcome = await syncWorklogs(deps, { mode: event.mode, deadline, ...(event.runId ? { runId: event.runId } : {}) });
    if (outcome.status === 'continue' && outcome.runId) {
      const next: SyncEvent = { kind: 'sync', mode: event.mode, runId: outcome.runId };
      await deps.syncQueue.push([{ body: next as unknown as QueuedEvent['body'] }]);
    }
  });
}
