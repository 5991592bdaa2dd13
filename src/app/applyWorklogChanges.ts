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

async function bucketOperations(kv: KvStore, personId: string, deltas: readonly BucketDelta[]): Promise<KvOperation[]> {
  if (deltas.length === 0) return [];
  const dayKeys = deltas.map((d) => keys.day(personId, d.date));
  const current = await kv.getMany<{ seconds: number }>(dayKeys);
  const ops: KvOperation[] = deltas.map((d, i) => {
    const seconds = (current.get(dayKeys[i]!)?.seconds ?? 0) + d.deltaSeconds;
    return seconds === 0 ? { kind: 'delete', key: dayKeys[i]! } : { kind: 'set', key: dayKeys[i]!, value: { seconds } };
  });
  for (const month of new Set(deltas.map((d) => monthOf(d.date)))) ops.push({ kind: 'set', key: keys.dirty(personId, month), value: { month } });
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
  ops.push(...(await bucketOperations(kv, ctx.personId, result.deltas)));
  await kv.transact(ops);
  return { changed: true, record };
}

/** The stored record and the deletion time of the worklog or its issue, in one storage read. */
async function readState(kv: KvStore, id: string, issueId: string | undefined): Promise<{ stored: StoredWorklog | null; deletedAt: number | null }> {
  const wanted = [keys.worklog(id), keys.tombstone(id), ...(issueId ? [keys.issueTombstone(issueId)] : [])];
  const found = await kv.getMany<StoredWorklog | { at: number }>(wanted);
  const times = wanted.slice(1).flatMap((k) => (found.has(k) ? [(found.get(k) as { at: number }).at] : []));
  return { stored: (found.get(wanted[0]!) as StoredWorklog | undefined) ?? null, deletedAt: times.length ? Math.max(...times) : null };
}

/**
 * Applies a person's worklog changes, one worklog at a time, each in one
 * all-or-nothing write. Safe to run twice, late or out of order (the version
 * rules of domain/buckets.ts decide), and safe against a deletion racing an
 * update: a deletion (of the worklog or of its issue) writes its tombstone
 * before looking for the worklog, and an update looks for tombstones after
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
      change.kind === 'delete' ? { kind: 'delete', id, updated: change.at }
      : before.deletedAt !== null ? { kind: 'delete', id, updated: before.deletedAt }
      : { kind: 'upsert', worklog: change.worklog };
    const result = await applyVersion(kv, ctx, id, version, before.stored);
    if (result.changed) applied++;
    else unchanged++;
    if (version.kind === 'upsert') {
      const after = await readState(kv, id, issueId);
      if (after.deletedAt !== null) await applyVersion(kv, ctx, id, { kind: 'delete', id, updated: after.deletedAt }, after.stored);
    }
  }
  return { applied, unchanged };
}
