import type { Worklog } from '../../domain/worklog';
import { KvConflictError, type EventQueue, type KvStore, type WorklogSource } from '../ports';
import { readWorklogRecords, type StoredWorklog, type WorklogChange } from './applyWorklogChanges';
import { createMissing } from './createMissing';
import { applyEvents } from './events';
import { pushInChunks } from './pushInChunks';
import { keys } from './storageKeys';

export interface IngestDeps {
  readonly kv: KvStore;
  readonly source: WorklogSource;
  readonly applyQueue: EventQueue;
}

function add(map: Map<string, WorklogChange[]>, personId: string, change: WorklogChange): void {
  const changes = map.get(personId);
  if (changes) changes.push(change);
  else map.set(personId, [change]);
}

/**
 * Remembers that the source would not return these worklogs at these versions
 * (deleted, or hidden from the app), so that an older version still in a queue
 * (the create, say, from its event's payload) never counts them. Only with a
 * known version: a newer version, such as the worklog made visible again, still counts.
 */
async function markHidden(kv: KvStore, items: readonly { id: string; at: number }[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await kv.transact(items.slice(i, i + 25).map(({ id, at }) => ({ kind: 'set' as const, key: keys.hidden(id), value: { at } })));
  }
}

/**
 * What removes the time of a counted worklog the source no longer returns. At
 * a known version: that version, counting nothing, so a newer one (the
 * worklog made visible again) counts once more. Without one, a deletion.
 */
function hiddenChange(id: string, record: StoredWorklog, version: number | undefined, now: number): WorklogChange {
  if (version === undefined) return { kind: 'delete', id, at: now };
  const issue = record.issueId !== null ? { issueId: record.issueId } : {};
  // Zero seconds count nowhere, so the start is immaterial: 0 makes this version lose the content
  // tie-break to a real version with the same `updated` (the worklog readable again, unchanged).
  return { kind: 'upsert', worklog: { id, ...(record.source !== null ? { source: record.source } : {}), authorId: record.personId, ...issue, started: 0, seconds: 0, updated: version } };
}

/**
 * Fetches worklogs by id from the source (the truth; the event was a hint)
 * and routes each to its author's apply queue. A worklog the source no longer
 * returns (deleted, or now hidden from the app) has its effect removed.
 */
export async function ingestWorklogIds(
  deps: IngestDeps,
  ids: readonly number[],
  now: number,
  times?: readonly number[],
): Promise<{ fetched: number; missing: number; skipped: number; pushes: number }> {
  let unique = [...new Set(ids)];
  let skipped = 0;
  const listedAt = new Map(times && times.length === ids.length ? ids.map((id, i) => [String(id), times[i]!]) : []);
  if (listedAt.size > 0) {
    // A sync re-lists what events already brought in: skip what is stored at that version (25 records per read).
    const records = await readWorklogRecords(deps.kv, unique);
    unique = unique.filter((id) => {
      const record = records.get(String(id));
      const listed = listedAt.get(String(id))!;
      // A record at the listed version that counts nothing may be a hidden marker's: fetch it again in case it is visible now.
      const counts = record !== undefined && record.seconds > 0;
      const current = record !== undefined && (record.deleted || record.updated > listed || (record.updated === listed && counts));
      if (current) skipped++;
      return !current;
    });
  }
  if (unique.length === 0) return { fetched: 0, missing: 0, skipped, pushes: 0 };
  const worklogs: Worklog[] = await deps.source.byIds(unique);
  const byPerson = new Map<string, WorklogChange[]>();
  for (const w of worklogs) add(byPerson, w.authorId, { kind: 'upsert', worklog: { ...w, updated: w.updated ?? now } });
  const returned = new Set(worklogs.map((w) => w.id));
  const missing = unique.map(String).filter((id) => !returned.has(id));
  await markHidden(deps.kv, missing.flatMap((id) => (listedAt.has(id) ? [{ id, at: listedAt.get(id)! }] : [])));
  // Read after marking: an apply of an older version that runs meanwhile sees the marker after its write.
  const records = await readWorklogRecords(deps.kv, missing);
  for (const [id, record] of records) if (!record.deleted) add(byPerson, record.personId, hiddenChange(id, record, listedAt.get(id), now));
  const pushes = await pushInChunks(deps.applyQueue, applyEvents(byPerson));
  return { fetched: worklogs.length, missing: missing.length, skipped, pushes };
}

/**
 * Writes the tombstones of these deleted worklogs (created when missing, kept
 * forever), then finds which were counted: the removals to route, by author.
 * Tombstones first: an update applied meanwhile reads them after its write.
 */
export async function deletionChanges(kv: KvStore, items: readonly { id: number | string; at: number }[]): Promise<Map<string, WorklogChange[]>> {
  await createMissing(kv, items.map((item) => ({ key: keys.tombstone(item.id), value: { at: item.at } })));
  const records = await readWorklogRecords(kv, items.map((i) => i.id));
  const byPerson = new Map<string, WorklogChange[]>();
  for (const item of items) {
    const record = records.get(String(item.id));
    if (record && !record.deleted) add(byPerson, record.personId, { kind: 'delete', id: String(item.id), at: item.at });
  }
  return byPerson;
}

/** Records deletions (tombstones first) and routes the removal of those counted to their authors' apply queues. */
export async function ingestDeletions(deps: Pick<IngestDeps, 'kv' | 'applyQueue'>, items: readonly { id: number | string; at: number }[]): Promise<{ removed: number }> {
  const byPerson = await deletionChanges(deps.kv, items);
  await pushInChunks(deps.applyQueue, applyEvents(byPerson));
  return { removed: [...byPerson.values()].reduce((n, c) => n + c.length, 0) };
}

/** The ids of the worklogs the issue index holds for an issue. */
export async function indexedWorklogIds(kv: KvStore, issueId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.query(keys.issueWorklogPrefix(issueId), { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) ids.push(String(Number(r.key.slice(r.key.lastIndexOf('#') + 1))));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Deleting an issue sends no worklog events, so its worklogs are found through the issue index, after the issue's tombstone is written. */
export async function ingestIssueDeletion(deps: Pick<IngestDeps, 'kv' | 'applyQueue'>, issueId: string, at: number): Promise<{ removed: number }> {
  try {
    await deps.kv.set(keys.issueTombstone(issueId), { at }, { ifAbsent: true });
  } catch (e) {
    if (!(e instanceof KvConflictError)) throw e;
  }
  const ids = await indexedWorklogIds(deps.kv, issueId);
  return ingestDeletions(deps, ids.map((id) => ({ id, at })));
}
