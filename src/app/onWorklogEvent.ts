import { parseInstant } from '../../domain/instant';
import { KvConflictError, type EventQueue, type KvStore, type QueuedEvent } from '../ports';
import type { WorklogChange } from './applyWorklogChanges';
import { applyConcurrencyKey, type ApplyEvent, type IngestEvent } from './events';
import { keys } from './storageKeys';

/** A Jira product event about a worklog, as much of it as we read. Everything is optional: we trust nothing. */
export interface WorklogEventPayload {
  readonly eventType?: unknown;
  readonly worklog?: {
    readonly id?: unknown;
    readonly issueId?: unknown;
    readonly author?: { readonly accountId?: unknown };
    readonly started?: unknown;
    readonly timeSpentSeconds?: unknown;
    readonly updated?: unknown;
    readonly visibility?: unknown;
  };
}

export type TriggerOutcome = 'applied-from-payload' | 'queued-for-fetch' | 'deleted' | 'ignored';

const idOf = (v: unknown): string | null => (typeof v === 'string' && /^\d{1,18}$/.test(v) ? v : typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? String(v) : null);

function versionOf(updated: unknown): number | null {
  try {
    return parseInstant(updated);
  } catch {
    return null;
  }
}

function changeFromPayload(w: NonNullable<WorklogEventPayload['worklog']>, id: string): WorklogChange | null {
  try {
    const authorId = w.author?.accountId;
    if (typeof authorId !== 'string' || authorId.length === 0 || authorId.length > 128) return null;
    const seconds = w.timeSpentSeconds;
    if (!Number.isInteger(seconds) || (seconds as number) < 0) return null;
    const issueId = idOf(w.issueId);
    return {
      kind: 'upsert',
      worklog: {
        id,
        source: 'jira',
        authorId,
        ...(issueId ? { issueId } : {}),
        started: parseInstant(w.started),
        seconds: seconds as number,
        updated: parseInstant(w.updated),
      },
    };
  } catch {
    return null;
  }
}

/**
 * The worklog trigger: validate, then hand over in one push (the trigger has
 * 25 s and must never do more). A complete payload goes straight to the
 * author's apply queue (no Jira call: the payload is the worklog as of its
 * `updated`, and versions sort themselves out); anything less is queued by id
 * for the ingest consumer to fetch. A deletion writes its tombstone first.
 */
export async function onWorklogEvent(
  deps: { kv: KvStore; ingestQueue: EventQueue; applyQueue: EventQueue },
  payload: WorklogEventPayload,
  now: number,
): Promise<TriggerOutcome> {
  const type = typeof payload?.eventType === 'string' ? payload.eventType : '';
  const worklog = payload?.worklog;
  const id = idOf(worklog?.id);
  if (!worklog || !id || !/^avi:jira:(created|updated|deleted):worklog$/.test(type)) return 'ignored';

  if (type === 'avi:jira:deleted:worklog') {
    try {
      await deps.kv.set(keys.tombstone(id), { at: now }, { ifAbsent: true });
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e;
    }
    const authorId = worklog.author?.accountId;
    if (typeof authorId === 'string' && authorId.length > 0) {
      const body: ApplyEvent = { kind: 'apply', people: [{ personId: authorId, changes: [{ kind: 'delete', id, at: now }] }] };
      await deps.applyQueue.push([{ body: body as unknown as QueuedEvent['body'], concurrencyKey: applyConcurrencyKey(authorId) }]);
    } else {
      const body: IngestEvent = { kind: 'deleted', items: [{ id: Number(id), at: now }] };
      await deps.ingestQueue.push([{ body: body as unknown as QueuedEvent['body'] }]);
    }
    return 'deleted';
  }

  // A restricted worklog is fetched instead: the app counts only what Jira lets it read.
  const change = worklog.visibility ? null : changeFromPayload(worklog, id);
  if (change && change.kind === 'upsert') {
    const body: ApplyEvent = { kind: 'apply', people: [{ personId: change.worklog.authorId, changes: [change] }] };
    await deps.applyQueue.push([{ body: body as unknown as QueuedEvent['body'], concurrencyKey: applyConcurrencyKey(change.worklog.authorId) }]);
    return 'applied-from-payload';
  }
  // With the version the event is about, a fetch that finds the worklog hidden also keeps older versions out.
  const updated = versionOf(worklog.updated);
  const body: IngestEvent = { kind: 'worklog-ids', ids: [Number(id)], ...(updated !== null ? { times: [updated] } : {}) };
  await deps.ingestQueue.push([{ body: body as unknown as QueuedEvent['body'] }]);
  return 'queued-for-fetch';
}

/** The issue-deleted trigger: its worklogs get no events of their own, so queue their removal. */
export async function onIssueDeleted(deps: { ingestQueue: EventQueue }, payload: { issue?: { id?: unknown } }, now: number): Promise<TriggerOutcome> {
  const issueId = idOf(payload?.issue?.id);
  if (!issueId) return 'ignored';
  const body: IngestEvent = { kind: 'issue-deleted', issueId, at: now };
  await deps.ingestQueue.push([{ body: body as unknown as QueuedEvent['body'] }]);
  return 'deleted';
}
