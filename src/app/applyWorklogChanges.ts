import { applyWorklogVersion, shelfOf, type AppliedWorklog, type IndexChange, type IndexedWorklog, type Shelf, type WorklogVersion } from '../../domain/worklogIndex.ts';
import type { Worklog } from '../../domain/worklog.ts';
import type { KvOperation, KvStore } from '../ports.ts';
import { keys } from './storageKeys.ts';

/** One change to one worklog of the person being applied. */
export type WorklogChange =
  | { readonly kind: 'upsert'; readonly worklog: Worklog & { readonly updated: number } }
  | { readonly kind: 'delete'; readonly id: string; readonly at: number };

/** What is stored per worklog (`wl#<id>`): the version applied and the interval it counts. */
export type StoredWorklog = AppliedWorklog;

/** A shelf as stored: worklog id → [started, seconds, updated], compact because it is rewritten on every change. */
export type StoredShelf = Record<string, readonly [number, number, number]>;

export const shelfStorageKey = (shelf: Shelf): string => (shelf.kind === 'long' ? keys.longWorklogs(shelf.personId) : keys.day(shelf.personId, shelf.utcDate));

export function shelfEntries(stored: StoredShelf | undefined): IndexedWorklog[] {
  return Object.entries(stored ?? {}).map(([id, [started, seconds, updated]]) => ({ id, started, seconds, updated }));
}

/** The shelf writes for index changes, read once and merged per shelf so no key appears twice. */
async function shelfOperations(kv: KvStore, changes: readonly IndexChange[], prefetched: ReadonlyMap<string, unknown>): Promise<KvOperation[]> {
  if (changes.length === 0) return [];
  const storageKeys = [...new Set(changes.map((c) => shelfStorageKey(c.shelf)))];
  const missing = storageKeys.filter((key) => !prefetched.has(key));
  const fetched = missing.length > 0 ? await kv.getMany<StoredShelf>(missing) : new Map<string, StoredShelf>();
  const current = (key: string) => (prefetched.has(key) ? (prefetched.get(key) as StoredShelf | undefined) : fetched.get(key));
  const shelves = new Map(storageKeys.map((key) => [key, { ...(current(key) ?? {}) }]));
  for (const c of changes) {
    const shelf = shelves.get(shelfStorageKey(c.shelf))!;
    if (c.kind === 'remove') delete shelf[c.id];
    else shelf[c.worklog.id] = [c.worklog.started, c.worklog.seconds, c.worklog.updated];
  }
  return [...shelves].map(([key, shelf]): KvOperation => (Object.keys(shelf).length === 0 ? { kind: 'delete', key } : { kind: 'set', key, value: shelf }));
}

/**
 * The issue index (`iwl#<issue>#<worklog>`, so a deleted issue's worklogs can be found) written only when
 * it changes: on the worklog's first version, when it moves issue, and when it is deleted.
 */
function issueIndexOperations(id: string, before: StoredWorklog | null, after: StoredWorklog): KvOperation[] {
  const was = before && !before.deleted ? before.issueId : null;
  const is = after.deleted ? null : after.issueId;
  if (was === is) return [];
  return [...(was !== null ? [{ kind: 'delete' as const, key: keys.issueWorklog(was, id) }] : []), ...(is !== null ? [{ kind: 'set' as const, key: keys.issueWorklog(is, id), value: 1 }] : [])];
}

/** Applies one version over the stored record in one transaction; returns the record now stored. */
async function applyVersion(kv: KvStore, id: string, version: WorklogVersion, stored: StoredWorklog | null, prefetched: ReadonlyMap<string, unknown>): Promise<{ changed: boolean; record: StoredWorklog | null }> {
  const result = applyWorklogVersion(stored, version);
  if (!result) return { changed: false, record: stored };
  const record = result.record;
  const ops: KvOperation[] = [{ kind: 'set', key: keys.worklog(id), value: record }, ...issueIndexOperations(id, stored, record)];
  ops.push(...(await shelfOperations(kv, result.changes, prefetched)));
  await kv.transact(ops);
  return { changed: true, record };
}

interface WorklogState {
  readonly stored: StoredWorklog | null;
  /** When the worklog or its issue was deleted, or null. */
  readonly deletedAt: number | null;
  /** The version at which the source last would not return the worklog, or null. */
  readonly hiddenAt: number | null;
  /** Shelves read along with the state (present or not), so that applying needs no second read. */
  readonly shelves: ReadonlyMap<string, unknown>;
}

/**
 * The stored record, deletion time and hidden marker of the worklog (and its issue), and the shelf an
 * upsert will be filed on, in one storage read.
 */
async function readState(kv: KvStore, id: string, upsert: Worklog | undefined): Promise<WorklogState> {
  const tombstones = [keys.tombstone(id), ...(upsert?.issueId ? [keys.issueTombstone(upsert.issueId)] : [])];
  const shelf = upsert && upsert.seconds > 0 ? [shelfStorageKey(shelfOf(upsert.authorId, upsert.started, upsert.seconds))] : [];
  const found = await kv.getMany<unknown>([keys.worklog(id), keys.hidden(id), ...tombstones, ...shelf]);
  const times = tombstones.flatMap((k) => (found.has(k) ? [(found.get(k) as { at: number }).at] : []));
  const hidden = found.get(keys.hidden(id)) as { at: number } | undefined;
  return {
    stored: (found.get(keys.worklog(id)) as StoredWorklog | undefined) ?? null,
    deletedAt: times.length ? Math.max(...times) : null,
    hiddenAt: hidden?.at ?? null,
    shelves: new Map(shelf.map((k) => [k, found.get(k)])),
  };
}

/**
 * The version an upsert must give way to: the worklog's or its issue's
 * deletion (final), or, when the source already refused to return the worklog
 * at a later version than this one (hidden from the app), that later version
 * counting nothing, so that a still newer version (made visible again) counts.
 */
function overriddenBy(state: WorklogState, worklog: Worklog & { readonly updated: number }): WorklogVersion | null {
  if (state.deletedAt !== null) return { kind: 'delete', id: worklog.id, personId: worklog.authorId, updated: state.deletedAt };
  if (state.hiddenAt !== null && state.hiddenAt > worklog.updated) return { kind: 'upsert', worklog: { ...worklog, seconds: 0, updated: state.hiddenAt } };
  return null;
}

/**
 * Applies a person's worklog changes, one worklog at a time, each in one
 * all-or-nothing write. Safe to run twice, late or out of order (the version
 * rules of domain/worklogIndex.ts decide), and safe against a deletion racing an
 * update: a deletion (of the worklog or of its issue) or a hidden marker is
 * written before looking for the worklog, and an update looks for them after
 * writing, so one of them always sees the other. Must run with one writer per person
 * (a concurrency key).
 */
export async function applyWorklogChanges(kv: KvStore, personId: string, changes: readonly WorklogChange[]): Promise<{ applied: number; unchanged: number }> {
  let applied = 0;
  let unchanged = 0;
  for (const change of changes) {
    const id = change.kind === 'upsert' ? change.worklog.id : change.id;
    const upsert = change.kind === 'upsert' ? change.worklog : undefined;
    const before = await readState(kv, id, upsert);
    const version: WorklogVersion =
      change.kind === 'delete' ? { kind: 'delete', id, personId, updated: change.at } : (overriddenBy(before, change.worklog) ?? { kind: 'upsert', worklog: change.worklog });
    const result = await applyVersion(kv, id, version, before.stored, before.shelves);
    if (result.changed) applied++;
    else unchanged++;
    if (version.kind === 'upsert') {
      const after = await readState(kv, id, version.worklog);
      const late = overriddenBy(after, version.worklog);
      if (late !== null) await applyVersion(kv, id, late, after.stored, after.shelves);
    }
  }
  return { applied, unchanged };
}
