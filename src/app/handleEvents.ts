import type { Clock, Directory, EventQueue, KvStore, RetryRequest, WorklogSource } from '../ports.ts';
import { applyWorklogChanges, type WorklogChange } from './applyWorklogChanges.ts';
import type { ApplyEvent, IngestEvent, PersonChanges } from './events.ts';
import { ingestDeletions, ingestIssueDeletion, ingestWorklogIds } from './ingestWorklogs.ts';
import { personZones } from './personZones.ts';
import { recordBatchDone, recordBatchError } from './importProgress.ts';
import { loadSettings } from './settings.ts';
import { retryOnRateLimit } from './retryOnRateLimit.ts';

export interface PipelineDeps {
  readonly kv: KvStore;
  readonly source: WorklogSource;
  readonly directory: Directory;
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

/** An apply event's people; one queued before apply events were sharded names a single person. */
function peopleOf(event: ApplyEvent | { readonly personId: string; readonly changes: readonly WorklogChange[] }): readonly PersonChanges[] {
  return 'people' in event ? event.people : [{ personId: event.personId, changes: event.changes }];
}

/**
 * The apply consumer: each person's changes into their buckets, zone from
 * Jira (cached, one lookup for the event's people) or the site default.
 */
export function handleApplyEvent(deps: PipelineDeps, event: ApplyEvent): Promise<RetryRequest | undefined> {
  return retryOnRateLimit(async () => {
    const settings = await loadSettings(deps.kv);
    const people = peopleOf(event);
    const zones = await personZones(deps, people.map((p) => p.personId));
    for (const { personId, changes } of people) {
      await applyWorklogChanges(deps.kv, { personId, timeZone: zones.get(personId) ?? settings.siteTimeZone, policy: settings.dayPolicy }, changes);
    }
  });
}

export { handleSyncEvent, type SyncEvent } from './handleSyncEvent.ts';
