import type { Clock, EventQueue, KvStore, RetryRequest, WorklogSource } from '../ports';
import { applyWorklogChanges } from './applyWorklogChanges';
import type { ApplyEvent, IngestEvent } from './events';
import { ingestDeletions, ingestIssueDeletion, ingestWorklogIds } from './ingestWorklogs';
import { recordBatchDone, recordBatchError } from './importProgress';
import { retryOnRateLimit } from './retryOnRateLimit';

export interface PipelineDeps {
  readonly kv: KvStore;
  readonly source: WorklogSource;
  readonly applyQueue: EventQueue;
  readonly clock: Clock;
}

/**
 * The ingest consumer: fetch and route, or record deletions. Idempotent. A
 * failure of a sync batch is recorded for the progress page before the event
 * is handed back to the platform to retry, so errors are never silent.
 */
export async function handleIngestEvent(deps: PipelineDeps, event: IngestEvent): Promise<RetryRequest | undefined> {
  try {
    return await ingest(deps, event);
  } catch (e) {
    if (event.kind !== 'issue-deleted' && event.batch) await recordBatchError(deps.kv, event.batch, (e as Error).message ?? String(e)).catch(() => undefined);
    throw e;
  }
}

function ingest(deps: PipelineDeps, event: IngestEvent): Promise<RetryRequest | undefined> {
  return retryOnRateLimit(async () => {
    const now = deps.clock.now();
    if (event.kind === 'worklog-ids') {
      const result = await ingestWorklogIds(deps, event.ids, now, event.times);
      if (event.batch) await recordBatchDone(deps.kv, event.batch, { done: event.ids.length, fetched: result.fetched, missing: result.missing });
    } else if (event.kind === 'deleted') {
      await ingestDeletions(deps, event.items);
      if (event.batch) await recordBatchDone(deps.kv, event.batch, { done: event.items.length, fetched: 0, missing: 0 });
    } else {
      await ingestIssueDeletion(deps, event.issueId, event.at);
    }
  });
}

/**
 * The apply consumer: each person's changes into their index of worklogs.
 * No zone or policy is needed here: reports place the stored intervals on
 * days when they are read.
 */
export async function handleApplyEvent(deps: Pick<PipelineDeps, 'kv'>, event: ApplyEvent): Promise<RetryRequest | undefined> {
  for (const { personId, changes } of event.people) await applyWorklogChanges(deps.kv, personId, changes);
  return undefined;
}

export { handleSyncEvent, type SyncEvent } from './handleSyncEvent';
