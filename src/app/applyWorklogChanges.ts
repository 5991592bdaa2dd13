import { applyWorklogVersion, shelfOf, type AppliedWorklog, type IndexChange, type IndexedWorklog, type Shelf, type WorklogVersion } from '../../domain/worklogIndex';
import type { Worklog } from '../../domain/worklog';
import type { KvOperation, KvStore } from '../ports';
import { KV_BATCH, readAll } from './readAll';
import { keys } from './storageKeys';

/** One change to one worklog of the person being applied. */
export type WorklogChange =
  | { readonly kind: 'upsert'; readonly worklog: Worklog & { readonly updated: number } }
  | { readonly kind: 'delete'; readonly id: string; readonly at: number };

/** A worklog's record: the version applied and the interval it counts. */
export type StoredWorklog = AppliedWorklog;

/**
 * `wl#<id>` as stored: `[personId, issueId, source, updated, started, seconds, deleted]`. A tuple, not an
 * object, because it is written on every change of the worklog and storage writes are billed by the byte
 * (an object's field names were 40 % of it).
 */
export type StoredWorklogTuple = readonly [string, string | null, string | null, number, number, number, 0 | 1];

export const encodeWorklogRecord = (r: StoredWorklog): StoredWorklogTuple => [r.personId, r.issueId, r.source, r.updated, r.started, r.seconds, r.deleted ? 1 : 0];

export function decodeWorklogRecord(id: string, t: StoredWorklogTuple): StoredWorklog {
  const [personId, issueId, source, updated, started, seconds, deleted] = t;
  return { id, personId, issueId, source, updated, started, seconds, deleted: deleted === 1 };
}

/** The stored records of these worklogs (25 per read); ids with no record are left out. */
export async function readWorklogRecords(kv: KvStore, ids: readonly (string | number)[]): Promise<Map<string, StoredWorklog>> {
  const found = await readAll(kv, ids.map((id) => keys.worklog(id)));
  const out = new Map<string, StoredWorklog>();
  for (const id of ids.map(String)) {
    const stored = found.get(keys.worklog(id)) as StoredWorklogTuple | undefined;
    if (stored !== undefined) out.set(id, decodeWorklogRecord(id, stored));
  }
  return out;
}

/** A shelf as stored: worklog id → [started, seconds, updated], compact because it is rewritten on every change. */
export type StoredShelf = Record<string, readonly [number, number, number]>;

export const shelfStorageKey = (shelf: Shelf): string => (shelf.kind === 'long' ? keys.longWorklogs(shelf.personId) : keys.day(shelf.personId, shelf.utcDate));

export function shelfEntries(stored: StoredShelf | undefined): IndexedWorklog[] {
  return Object.entries(stored ?? {}).map(([id, [started, seconds, updated]]) => ({ id, started, seconds, updated }));
}

/**
 * One person's slice of storage, read once for a list of changes and kept up to date in memory as
 * they are applied: worklog records, deletion and hidden markers, and the shelves they touch. Sound
 * because one writer applies a person's changes at a time (the shard's concurrency key); markers
 * written meanwhile by others are what the read after writing is for.
 */
class PersonView {
  private constructor(private readonly kv: KvStore, private readonly values: Map<string, unknown>) {}

  /** Reads what applying `changes` needs: records and markers, and the shelves old and new versions are on. */
  static async read(kv: KvStore, changes: readonly WorklogChange[]): Promise<PersonView> {
    const wanted: string[] = [];
    for (const c of changes) {
      if (c.kind === 'delete') wanted.push(keys.worklog(c.id));
      else {
        const w = c.worklog;
        wanted.push(keys.worklog(w.id), keys.hidden(w.id), keys.tombstone(w.id), ...(w.issueId ? [keys.issueTombstone(w.issueId)] : []));
        if (w.seconds > 0) wanted.push(shelfStorageKey(shelfOf(w.authorId, w.started, w.seconds)));
      }
    }
    const view = new PersonView(kv, await readAll(kv, wanted));
    // The shelves the stored versions are on, for the edits that move a worklog to another date.
    await view.load(changes.flatMap((c) => {
      const stored = view.record(c.kind === 'delete' ? c.id : c.worklog.id);
      return counts(stored) ? [shelfKeyOfRecord(stored)] : [];
    }));
    return view;
  }

  /** Reads the keys not read yet. */
  async load(wanted: readonly string[]): Promise<void> {
    const missing = wanted.filter((k) => !this.values.has(k));
    if (missing.length > 0) for (const [k, v] of await readAll(this.kv, missing)) this.values.set(k, v);
  }

  record(id: string): StoredWorklog | null {
    const stored = this.values.get(keys.worklog(id)) as StoredWorklogTuple | undefined;
    return stored === undefined ? null : decodeWorklogRecord(id, stored);
  }

  state(worklog: Worklog): WorklogState {
    const at = (key: string) => (this.values.get(key) as { at: number } | undefined)?.at;
    const deletions = [at(keys.tombstone(worklog.id)), worklog.issueId ? at(keys.issueTombstone(worklog.issueId)) : undefined].filter((t): t is number => t !== undefined);
    return { stored: this.record(worklog.id), deletedAt: deletions.length ? Math.max(...deletions) : null, hiddenAt: at(keys.hidden(worklog.id)) ?? null };
  }

  get(key: string): unknown {
    return this.values.get(key);
  }

  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }
}

const counts = (r: StoredWorklog | null | undefined): r is StoredWorklog => !!r && !r.deleted && r.seconds > 0;
const shelfKeyOfRecord = (r: StoredWorklog) => shelfStorageKey(shelfOf(r.personId, r.started, r.seconds));

/**
 * Packs worklog changes into transactions of at most 25 distinct keys and well under the platform's
 * 1 MB a transaction, each worklog's whole effect (its record, its issue index, its shelves) in one of
 * them, so a crash never leaves a record and its shelves disagreeing. A shelf shared by several
 * worklogs of a transaction is written once.
 */
class TransactionPacker {
  private pending = new Map<string, () => KvOperation>();
  /** Bytes each pending key may write: its value when added, plus room for what later changes add to it. */
  private pendingBytes = new Map<string, number>();
  transactions = 0;

  constructor(private readonly kv: KvStore) {}

  /**
   * Adds an effect touching `keys` (each resolved to its operation when written), `bytesOf` giving a
   * key's stored size now; flushes first when it would not fit.
   */
  async add(effect: ReadonlyMap<string, () => KvOperation>, bytesOf: (key: string) => number): Promise<void> {
    const sizes = new Map([...effect.keys()].map((k) => [k, bytesOf(k) + CHANGE_ROOM_BYTES]));
    const keysAfter = new Set([...this.pending.keys(), ...effect.keys()]).size;
    let bytesAfter = 0;
    for (const [k, b] of this.pendingBytes) if (!sizes.has(k)) bytesAfter += b;
    for (const b of sizes.values()) bytesAfter += b;
    if (keysAfter > KV_BATCH || bytesAfter > TRANSACTION_BUDGET_BYTES) await this.flush();
    for (const [k, op] of effect) this.pending.set(k, op);
    for (const [k, b] of sizes) this.pendingBytes.set(k, b);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const ops = [...this.pending.values()].map((op) => op());
    this.pending = new Map();
    this.pendingBytes = new Map();
    await this.kv.transact(ops);
    this.transactions++;
  }
}

/** Well under the 1 MB the platform accepts in a transaction today (src/kv/kvRules.ts). */
const TRANSACTION_BUDGET_BYTES = 900_000;
/** What one worklog change can add to a value: a shelf entry or a record is under 256 bytes. */
const CHANGE_ROOM_BYTES = 256;

const storedBytes = (key: string, value: unknown) => Buffer.byteLength(key) + (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

/** Applies one version in the view and queues its writes; false when it changes nothing. */
async function applyInView(view: PersonView, packer: TransactionPacker, id: string, version: WorklogVersion): Promise<boolean> {
  const stored = view.record(id);
  const result = applyWorklogVersion(stored, version);
  if (!result) return false;
  const shelfKeys = [...new Set(result.changes.map((c) => shelfStorageKey(c.shelf)))];
  await view.load(shelfKeys);
  const effect = new Map<string, () => KvOperation>();
  // Flush what is pending before this version's writes change the view it will be written from.
  for (const key of shelfKeys) effect.set(key, () => shelfOperation(key, view.get(key) as StoredShelf | undefined));
  const recordKey = keys.worklog(id);
  effect.set(recordKey, () => ({ kind: 'set', key: recordKey, value: view.get(recordKey) as StoredWorklogTuple }));
  for (const op of issueIndexOperations(id, stored, result.record)) effect.set(op.key, () => op);
  await packer.add(effect, (key) => storedBytes(key, view.get(key)));
  view.set(recordKey, encodeWorklogRecord(result.record));
  for (const c of result.changes) {
    const key = shelfStorageKey(c.shelf);
    const shelf = { ...((view.get(key) as StoredShelf | undefined) ?? {}) };
    if (c.kind === 'remove') delete shelf[c.id];
    else shelf[c.worklog.id] = [c.worklog.started, c.worklog.seconds, c.worklog.updated];
    view.set(key, shelf);
  }
  return true;
}

const shelfOperation = (key: string, shelf: StoredShelf | undefined): KvOperation =>
  shelf === undefined || Object.keys(shelf).length === 0 ? { kind: 'delete', key } : { kind: 'set', key, value: shelf };

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

interface WorklogState {
  readonly stored: StoredWorklog | null;
  /** When the worklog or its issue was deleted, or null. */
  readonly deletedAt: number | null;
  /** The version at which the source last would not return the worklog, or null. */
  readonly hiddenAt: number | null;
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
 * Applies a person's worklog changes in order. Safe to run twice, late or out
 * of order (the version rules of domain/worklogIndex.ts decide), and safe
 * against a deletion racing an update: a deletion (of the worklog or of its
 * issue) or a hidden marker is written before looking for the worklog, and an
 * update looks for them after writing, so one of them always sees the other.
 * Reads are batched (25 keys a request) and writes packed into transactions of
 * up to 25 keys, so a batch of a person's changes costs a few requests, not
 * three per worklog. Must run with one writer per person (a concurrency key).
 */
export async function applyWorklogChanges(kv: KvStore, personId: string, changes: readonly WorklogChange[]): Promise<{ applied: number; unchanged: number; transactions: number }> {
  const packer = new TransactionPacker(kv);
  const view = await PersonView.read(kv, changes);
  let applied = 0;
  const upserts: (Worklog & { readonly updated: number })[] = [];
  for (const change of changes) {
    const version: WorklogVersion =
      change.kind === 'delete'
        ? { kind: 'delete', id: change.id, personId, updated: change.at }
        : (overriddenBy(view.state(change.worklog), change.worklog) ?? { kind: 'upsert', worklog: change.worklog });
    if (await applyInView(view, packer, change.kind === 'delete' ? change.id : change.worklog.id, version)) applied++;
    if (version.kind === 'upsert') upserts.push(version.worklog);
  }
  await packer.flush();
  if (upserts.length > 0) {
    // Read again after writing: a deletion or hidden marker written meanwhile overrides what was just applied.
    const after = await PersonView.read(kv, upserts.map((worklog) => ({ kind: 'upsert' as const, worklog })));
    for (const worklog of upserts) {
      const late = overriddenBy(after.state(worklog), worklog);
      if (late !== null) await applyInView(after, packer, worklog.id, late);
    }
    await packer.flush();
  }
  return { applied, unchanged: changes.length - applied, transactions: packer.transactions };
}
