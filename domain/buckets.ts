import type { LocalDate } from './localDate.ts';
import type { Worklog } from './worklog.ts';

/**
 * Incremental person-day buckets. Events are hints that arrive late, twice or
 * out of order; what makes them safe is that each worklog's effect is stored
 * with the version that produced it, and a version only replaces a lesser one.
 *
 * Versions are totally ordered: a deletion is final (Jira never reuses a
 * worklog id, so nothing resurrects a deleted one); otherwise the later
 * `updated` wins, and equal `updated` falls back to comparing content, so the
 * winner never depends on arrival order.
 */
export type WorklogVersion =
  | { readonly kind: 'upsert'; readonly worklog: Worklog & { readonly updated: number } }
  | { readonly kind: 'delete'; readonly id: string; readonly updated: number };

/** A day's share of one worklog, as placed by the day policy in force. */
export interface Contribution {
  readonly personId: string;
  readonly date: LocalDate;
  readonly seconds: number;
}

/** What is stored per worklog id: the version applied and what it added to the buckets. */
export interface AppliedWorklog {
  readonly id: string;
  readonly updated: number;
  readonly deleted: boolean;
  /** Tie-breaker among versions with the same `updated`. */
  readonly contentKey: string;
  readonly contributions: readonly Contribution[];
}

export interface BucketDelta {
  readonly personId: string;
  readonly date: LocalDate;
  readonly deltaSeconds: number;
}

/** Places one worklog on days (a closure over zones and the day policy). */
export type Placement = (worklog: Worklog) => readonly Contribution[];

function contentKeyOf(v: WorklogVersion): string {
  if (v.kind === 'delete') return '';
  const w = v.worklog;
  return `${w.authorId}|${w.started}|${w.seconds}|${w.issueId ?? ''}|${w.source ?? ''}`;
}

function versionId(v: WorklogVersion): string {
  return v.kind === 'delete' ? v.id : v.worklog.id;
}

/** True when `incoming` must replace `current` under the total order above. */
function supersedes(current: AppliedWorklog, incoming: WorklogVersion): boolean {
  if (current.deleted) return false;
  if (incoming.kind === 'delete') return true;
  const updated = incoming.worklog.updated;
  if (updated !== current.updated) return updated > current.updated;
  return contentKeyOf(incoming) > current.contentKey;
}

/**
 * Applies one version of a worklog to its stored record. Returns null when the
 * version changes nothing (a duplicate, or older than what is stored);
 * otherwise the record to store and the bucket deltas that move the buckets
 * from the old contribution to the new one.
 */
export function applyWorklogVersion(
  current: AppliedWorklog | null,
  incoming: WorklogVersion,
  place: Placement,
): { record: AppliedWorklog; deltas: BucketDelta[] } | null {
  if (current && !supersedes(current, incoming)) return null;
  const contributions = incoming.kind === 'upsert' ? place(incoming.worklog) : [];
  const record: AppliedWorklog = {
    id: versionId(incoming),
    updated: incoming.kind === 'upsert' ? incoming.worklog.updated : Math.max(incoming.updated, current?.updated ?? incoming.updated),
    deleted: incoming.kind === 'delete',
    contentKey: contentKeyOf(incoming),
    contributions,
  };
  return { record, deltas: contributionDeltas(current?.contributions ?? [], contributions) };
}

/** Deltas that turn the `before` contributions into the `after` ones, zero deltas left out. */
export function contributionDeltas(before: readonly Contribution[], after: readonly Contribution[]): BucketDelta[] {
  const byCell = new Map<string, BucketDelta>();
  const add = (c: Contribution, sign: 1 | -1) => {
    const key = `${c.personId}\u0000${c.date}`;
    const prev = byCell.get(key);
    byCell.set(key, { personId: c.personId, date: c.date, deltaSeconds: (prev?.deltaSeconds ?? 0) + sign * c.seconds });
  };
  for (const c of before) add(c, -1);
  for (const c of after) add(c, 1);
  return [...byCell.values()].filter((d) => d.deltaSeconds !== 0);
}

/** Bucket totals keyed `personId` → `date` → seconds; empty buckets are removed. */
export type Buckets = Map<string, Map<LocalDate, number>>;

/** Adds deltas to buckets in place and returns them; a bucket that reaches zero is dropped. */
export function addDeltas(buckets: Buckets, deltas: readonly BucketDelta[]): Buckets {
  for (const d of deltas) {
    const days = buckets.get(d.personId) ?? new Map<LocalDate, number>();
    const next = (days.get(d.date) ?? 0) + d.deltaSeconds;
    if (next === 0) days.delete(d.date);
    else days.set(d.date, next);
    if (days.size === 0) buckets.delete(d.personId);
    else buckets.set(d.personId, days);
  }
  return buckets;
}

/**
 * The reference: buckets computed from scratch out of the winning version of
 * every worklog. The incremental path must always agree with this.
 */
export function bucketsFromVersions(versions: readonly WorklogVersion[], place: Placement): Buckets {
  // Stated directly, not through applyWorklogVersion, so the two can check each other.
  const deleted = new Set(versions.filter((v) => v.kind === 'delete').map(versionId));
  const winners = new Map<string, Worklog & { readonly updated: number }>();
  for (const v of versions) {
    if (v.kind !== 'upsert' || deleted.has(v.worklog.id)) continue;
    const best = winners.get(v.worklog.id);
    const better =
      !best ||
      v.worklog.updated > best.updated ||
      (v.worklog.updated === best.updated && contentKeyOf(v) > contentKeyOf({ kind: 'upsert', worklog: best }));
    if (better) winners.set(v.worklog.id, v.worklog);
  }
  const buckets: Buckets = new Map();
  for (const w of winners.values()) {
    addDeltas(buckets, place(w).map((c) => ({ personId: c.personId, date: c.date, deltaSeconds: c.seconds })));
  }
  return buckets;
}
