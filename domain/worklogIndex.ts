import { fromEpochDay, MS_PER_DAY, toEpochDay, type LocalDate } from './localDate';
import type { Worklog } from './worklog';

/**
 * The index of counted worklogs the app keeps per person: each worklog's
 * interval (start instant, seconds) and version, filed under the UTC date of
 * its start. Reports place these intervals on days at read time with the same
 * code as the CLI, so any zone (Jira's, a contract's override, a zone that
 * changed since), either day policy and any rule a later release adds give
 * exactly what the CLI gives, with no rebuild.
 *
 * Events are hints that arrive late, twice or out of order; what makes them
 * safe is that each worklog's stored record names the version that produced
 * it, and a version only replaces a lesser one. Versions are totally ordered:
 * a deletion is final (Jira never reuses a worklog id); otherwise the later
 * `updated` wins, and equal `updated` falls back to comparing content, so the
 * winner never depends on arrival order.
 */
export type WorklogVersion =
  | { readonly kind: 'upsert'; readonly worklog: Worklog & { readonly updated: number } }
  | { readonly kind: 'delete'; readonly id: string; readonly personId: string; readonly updated: number };

/** A counted worklog as indexed: enough to place it on days and to compare it with a snapshot. */
export interface IndexedWorklog {
  readonly id: string;
  readonly started: number;
  readonly seconds: number;
  readonly updated: number;
}

/**
 * Where an indexed worklog is filed. A worklog of at most a day is filed
 * under the UTC date of its start, so a reader finds every worklog touching a
 * span of dates by reading that span's files and one day before it. A longer
 * one (rare: a typo, or a week of leave logged as work) goes to the person's
 * file of long worklogs, which every read includes.
 */
export type Shelf = { readonly personId: string; readonly kind: 'day'; readonly utcDate: LocalDate } | { readonly personId: string; readonly kind: 'long' };

/** Longest worklog filed by day: anything longer would reach past the one-day look-back. */
export const MAX_DAY_FILED_SECONDS = 86_400;

/** What is stored per worklog id: the version applied and what it counts (nothing once deleted). */
export interface AppliedWorklog {
  readonly id: string;
  readonly personId: string;
  readonly issueId: string | null;
  readonly source: string | null;
  readonly updated: number;
  readonly deleted: boolean;
  /** The counted interval; 0 seconds counts nothing and is not indexed. */
  readonly started: number;
  readonly seconds: number;
}

/** One change to the index: take a worklog out of a shelf, or put it on one. */
export type IndexChange =
  | { readonly kind: 'remove'; readonly shelf: Shelf; readonly id: string }
  | { readonly kind: 'put'; readonly shelf: Shelf; readonly worklog: IndexedWorklog };

export function shelfOf(personId: string, started: number, seconds: number): Shelf {
  if (seconds > MAX_DAY_FILED_SECONDS) return { personId, kind: 'long' };
  return { personId, kind: 'day', utcDate: fromEpochDay(Math.floor(started / MS_PER_DAY)) };
}

/** Orders versions with the same `updated`; derived from the record, so it costs no storage. */
function contentKey(w: { readonly personId: string; readonly started: number; readonly seconds: number; readonly issueId: string | null; readonly source: string | null }): string {
  return `${w.personId}|${w.started}|${w.seconds}|${w.issueId ?? ''}|${w.source ?? ''}`;
}

const contentOf = (w: Worklog) => ({ personId: w.authorId, started: w.started, seconds: w.seconds, issueId: w.issueId ?? null, source: w.source ?? null });

function versionId(v: WorklogVersion): string {
  return v.kind === 'delete' ? v.id : v.worklog.id;
}

/** True when `incoming` must replace `current` under the total order above. */
function supersedes(current: AppliedWorklog, incoming: WorklogVersion): boolean {
  if (current.deleted) return false;
  if (incoming.kind === 'delete') return true;
  const updated = incoming.worklog.updated;
  if (updated !== current.updated) return updated > current.updated;
  return contentKey(contentOf(incoming.worklog)) > contentKey(current);
}

const counts = (r: AppliedWorklog | null): r is AppliedWorklog => r !== null && !r.deleted && r.seconds > 0;

/**
 * Applies one version of a worklog to its stored record. Returns null when the
 * version changes nothing (a duplicate, or older than what is stored);
 * otherwise the record to store and the index changes that move the worklog
 * from where the old version was filed to where the new one is.
 */
export function applyWorklogVersion(current: AppliedWorklog | null, incoming: WorklogVersion): { record: AppliedWorklog; changes: IndexChange[] } | null {
  if (current && !supersedes(current, incoming)) return null;
  const id = versionId(incoming);
  const record: AppliedWorklog =
    incoming.kind === 'upsert'
      ? { id, ...contentOf(incoming.worklog), updated: incoming.worklog.updated, deleted: false }
      : {
          id,
          personId: current?.personId ?? incoming.personId,
          issueId: current?.issueId ?? null,
          source: current?.source ?? null,
          updated: Math.max(incoming.updated, current?.updated ?? incoming.updated),
          deleted: true,
          started: current?.started ?? 0,
          seconds: 0,
        };
  const changes: IndexChange[] = [];
  if (counts(current)) changes.push({ kind: 'remove', shelf: shelfOf(current.personId, current.started, current.seconds), id });
  if (counts(record)) changes.push({ kind: 'put', shelf: shelfOf(record.personId, record.started, record.seconds), worklog: { id, started: record.started, seconds: record.seconds, updated: record.updated } });
  return { record, changes };
}

/** A person's index: shelves by key, each holding worklogs by id. */
export type WorklogIndex = Map<string, Map<string, IndexedWorklog>>;

export const shelfKey = (shelf: Shelf): string => (shelf.kind === 'long' ? `${shelf.personId}\u0000long` : `${shelf.personId}\u0000${shelf.utcDate}`);

/** Applies index changes in order, in place; an emptied shelf is dropped. */
export function applyIndexChanges(index: WorklogIndex, changes: readonly IndexChange[]): WorklogIndex {
  for (const c of changes) {
    const key = shelfKey(c.shelf);
    const shelf = index.get(key) ?? new Map<string, IndexedWorklog>();
    if (c.kind === 'remove') shelf.delete(c.id);
    else shelf.set(c.worklog.id, c.worklog);
    if (shelf.size === 0) index.delete(key);
    else index.set(key, shelf);
  }
  return index;
}

/**
 * The reference: the index built from scratch out of the winning version of
 * every worklog. The incremental path must always agree with this.
 */
export function indexFromVersions(versions: readonly WorklogVersion[]): WorklogIndex {
  // Stated directly, not through applyWorklogVersion, so the two can check each other.
  const deleted = new Set(versions.filter((v) => v.kind === 'delete').map(versionId));
  const winners = new Map<string, Worklog & { readonly updated: number }>();
  for (const v of versions) {
    if (v.kind !== 'upsert' || deleted.has(v.worklog.id)) continue;
    const best = winners.get(v.worklog.id);
    const better =
      !best ||
      v.worklog.updated > best.updated ||
      (v.worklog.updated === best.updated && contentKey(contentOf(v.worklog)) > contentKey(contentOf(best)));
    if (better) winners.set(v.worklog.id, v.worklog);
  }
  const index: WorklogIndex = new Map();
  for (const w of winners.values()) {
    if (w.seconds === 0) continue;
    applyIndexChanges(index, [{ kind: 'put', shelf: shelfOf(w.authorId, w.started, w.seconds), worklog: { id: w.id, started: w.started, seconds: w.seconds, updated: w.updated } }]);
  }
  return index;
}

/**
 * The UTC dates whose day shelves hold every worklog of at most a day that
 * can touch the local dates `first`..`last` in any zone: local days begin at
 * most 14 h before and end at most 12 h after their UTC date, and a worklog
 * touching them may have started up to a day earlier.
 */
export function utcDatesToRead(first: LocalDate, last: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = toEpochDay(first) - 2; d <= toEpochDay(last) + 1; d++) out.push(fromEpochDay(d));
  return out;
}
