import type { Clock, EventQueue, KvStore, RetryRequest, WorklogSource } from '../ports';
import { applyWorklogChanges } from './applyWorklogChanges';
import type { ApplyEvent, IngestEvent } from './events';
import { ingestDeletions, ingestIssueDeletion, ingestWorklogIds } from './ingestWorklogs';
import { recordApplyError, recordBatchDone, recordBatchError } from './importProgress';
import { pseudonymsFor, registerPeople } from './pseudonyms';
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

/** Storage refusals that the same write would meet again: retrying the event cannot mend them. */
const PERMANENT_STORAGE_CODES = new Set(['MAX_SIZE', 'MAX_DEPTH', 'KEY_TOO_LONG', 'INVALID_KEY']);

const isPermanent = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && PERMANENT_STORAGE_CODES.has((e as { code: string }).code);

/**
 * The apply consumer: each person's changes into their index of worklogs.
 * No zone or policy is needed here: reports place the stored intervals on
 * days when they are read. One person's failure never holds back the others
 * of the event: every person is tried; a failure no retry can mend (a storage
 * limit) is recorded where sync/progress shows it, and any other failure
 * makes the event retried once all are tried (people already applied are
 * then unchanged: applying is idempotent).
 */
export async function handleApplyEvent(deps: Pick<PipelineDeps, 'kv' | 'clock'>, event: ApplyEvent): Promise<RetryRequest | undefined> {
  let retry: unknown = null;
  const applied: string[] = [];
  for (const { personId, changes } of event.people) {
    try {
      await applyWorklogChanges(deps.kv, personId, changes);
      applied.push(personId);
    } catch (e) {
      if (isPermanent(e)) await recordApplyError(deps.kv, personId, changes.length, e as Error, deps.clock.now());
      else retry ??= e;
    }
  }
  // The people whose worklogs the app now keeps, for personal data reporting (src/app/privacy.ts).
  if (applied.length > 0) await registerPeople(deps.kv, await pseudonymsFor(deps.kv), applied, deps.clock.now());
  if (retry !== null) throw retry;
  return undefined;
}

export { handleSyncEvent, type SyncEvent } from './handleSyncEvent';
