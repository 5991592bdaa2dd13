import { applyWorklogVersion, type AppliedWorklog, type BucketDelta, type Contribution, type WorklogVersion } from '../../domain/buckets.ts';
import { placeWorklog, type DayPolicy } from '../../domain/dayAssignment.ts';
import type { Worklog } from '../../domain/worklog.ts';
import type { KvOperation, KvStore } from '../ports.ts';
import { keys } from './storageKeys.ts';

/** One change to one worklog of the person being applied. */
export type WorklogChange =
  | { readonly kind: 'upsert'; readonly worklog: Worklog & { readonly updated: number } }
  | { readonly kind: 'delete'; readonly id: string; readonly at: number };

/** What is stored per worklog: the domain record plus who and which issue, for deletes and issue cleanup. */
export interface StoredWorklog extends AppliedWorklog {
  readonly personId: string;
  readonly issueId: string | null;
}

/**
 * A transaction holds 25 operations: the record, the issue index, and the
 * buckets and month markers the worklog touches. A worklog spanning more local
 * days than fit (weeks long, under the split policy) is counted on its start
 * day instead, so that every change stays one all-or-nothing write.
 */
export const MAX_SPLIT_DAYS = 8;

export interface PlacementContext {
  readonly personId: string;
  readonly timeZone: string;
  readonly policy: DayPolicy;
}

function place(ctx: PlacementContext) {
  return (worklog: Worklog): Contribution[] => {
    let pieces = placeWorklog(worklog, ctx.timeZone, ctx.policy);
    if (pieces.length > MAX_SPLIT_DAYS) pieces = placeWorklog(worklog, ctx.timeZone, 'start-day');
    return pieces.map((p) => ({ personId: ctx.personId, date: p.date, seconds: p.seconds }));
  };
}

const monthOf = (date: string) => date.slice(0, 4) + date.slice(5, 7);

/**
 * The bucket writes for some deltas, each on the bucket of the delta's own
 * person (a worklog's earlier contributions may belong to someone else than
 * the change being applied) and merged per bucket, so no key appears twice.
 */
async function bucketOperations(kv: KvStore, deltas: readonly BucketDelta[]): Promise<KvOperation[]> {
  const merged = new Map<string, { personId: string; date: string; deltaSeconds: number }>();
  for (const d of deltas) {
    const key = keys.day(d.personId, d.date);
    const m = merged.get(key);
    if (m) m.deltaSeconds += d.deltaSeconds;
    else merged.set(key, { personId: d.personId, date: d.date, deltaSeconds: d.deltaSeconds });
  }
  const changed = [...merged].filter(([, d]) => d.deltaSeconds !== 0);
  if (changed.length === 0) return [];
  const current = await kv.getMany<{ seconds: number }>(changed.map(([key]) => key));
  const ops: KvOperation[] = changed.map(([key, d]) => {
    const seconds = (current.get(key)?.seconds ?? 0) + d.deltaSeconds;
    return seconds === 0 ? { kind: 'delete', key } : { kind: 'set', key, value: { seconds } };
  });
  const months = new Map(changed.map(([, d]) => [keys.dirty(d.personId, monthOf(d.date)), monthOf(d.date)]));
  for (const [key, month] of months) ops.push({ kind: 'set', key, value: { month } });
  return ops;
}

/** Applies one version over the stored record in one transaction; returns the record now stored. */
async function applyVersion(kv: KvStore, ctx: PlacementContext, id: string, version: WorklogVersion, stored: StoredWorklog | null): Promise<{ changed: boolean; record: StoredWorklog | null }> {
  const result = applyWorklogVersion(stored, version, place(ctx));
  if (!result) return { changed: false, record: stored };
  const issueId = version.kind === 'upsert' ? (version.worklog.issueId ?? null) : (stored?.issueId ?? null);
  const record: StoredWorklog = { ...result.record, personId: ctx.personId, issueId };
  const ops: KvOperation[] = [{ kind: 'set', key: keys.worklog(id), value: record }];
  if (issueId !== null) {
    ops.push(record.deleted ? { kind: 'delete', key: keys.issueWorklog(issueId, id) } : { kind: 'set', key: keys.issueWorklog(issueId, id), value: { personId: ctx.personId } });
  }
  ops.push(...(await bucketOperations(kv, result.deltas)));
  await kv.transact(ops);
  return { changed: true, record };
}

interface WorklogState {
  readonly stored: StoredWorklog | null;
  /** When the worklog or its issue was deleted, or null. */
  readonly deletedAt: number | null;
  /** The version at which the source last would not return the worklog, or null. */
  readonly hiddenAt: number | null;
}

/** The stored record, deletion time and hidden marker of the worklog (and its issue), in one storage read. */
async function readState(kv: KvStore, id: string, issueId: string | undefined): Promise<WorklogState> {
  const wanted = [keys.worklog(id), keys.hidden(id), keys.tombstone(id), ...(issueId ? [keys.issueTombstone(issueId)] : [])];
  const found = await kv.getMany<StoredWorklog | { at: number }>(wanted);
  const times = wanted.slice(2).flatMap((k) => (found.has(k) ? [(found.get(k) as { at: number }).at] : []));
  const hidden = found.get(wanted[1]!) as { at: number } | undefined;
  return { stored: (found.get(wanted[0]!) as StoredWorklog | undefined) ?? null, deletedAt: times.length ? Math.max(...times) : null, hiddenAt: hidden?.at ?? null };
}

/**
 * The version an upsert must give way to: the worklog's or its issue's
 * deletion (final), or, when the source already refused to return the worklog
 * at a later version than this one (hidden from the app), that later version
 * counting nothing, so that a still newer version (made visible again) counts.
 */
function overriddenBy(state: WorklogState, worklog: Worklog & { readonly updated: number }): WorklogVersion | null {
  if (state.deletedAt !== null) return { kind: 'delete', id: worklog.id, updated: state.deletedAt };
  if (state.hiddenAt !== null && state.hiddenAt > worklog.updated) return { kind: 'upsert', worklog: { ...worklog, seconds: 0, updated: state.hiddenAt } };
  return null;
}

/**
 * Applies a person's worklog changes, one worklog at a time, each in one
 * all-or-nothing write. Safe to run twice, late or out of order (the version
 * rules of domain/buckets.ts decide), and safe against a deletion racing an
 * update: a deletion (of the worklog or of its issue) or a hidden marker is
 * written before looking for the worklog, and an update looks for them after
 * writing, so one of them always sees the other. Must run with one writer per person
 * (a concurrency key).
 */
export async function applyWorklogChanges(kv: KvStore, ctx: PlacementContext, changes: readonly WorklogChange[]): Promise<{ applied: number; unchanged: number }> {
  let applied = 0;
  let unchanged = 0;
  for (const change of changes) {
    const id = change.kind === 'upsert' ? change.worklog.id : change.id;
    const issueId = change.kind === 'upsert' ? change.worklog.issueId : undefined;
    const before = await readState(kv, id, issueId);
    const version: WorklogVersion =
      change.kind === 'delete' ? { kind: 'delete', id, updated: change.at } : (overriddenBy(before, change.worklog) ?? { kind: 'upsert', worklog: change.worklog });
    const result = await applyVersion(kv, ctx, id, version, before.stored);
    if (result.changed) applied++;
    else unchanged++;
    if (version.kind === 'upsert') {
      const after = await readState(kv, id, issueId);
      const late = overriddenBy(after, version.worklog);
      if (late !== null) await applyVersion(kv, ctx, id, late, after.stored);
    }
  }
  return { applied, unchanged };
}
