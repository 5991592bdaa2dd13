import { QueueRateLimitedError, SourceRateLimitedError, type Clock, type EventQueue, type IssueDirectory, type KvStore, type QueuedEvent } from '../ports';
import { readWorklogRecords, type WorklogChange } from './applyWorklogChanges';
import { createMissing } from './createMissing';
import { APPLY_SHARDS, applyEvents, CHANGES_PER_APPLY_EVENT, type ApplyEvent } from './events';
import { deletionChanges, indexedWorklogIds } from './ingestWorklogs';
import { pacedQueue } from './pacedQueue';
import { pushInChunks } from './pushInChunks';
import { keys } from './storageKeys';

/**
 * The daily check that the issues the app has indexed still exist: it finds
 * the deletions whose trigger was lost (Forge retries a failed product
 * trigger four times, then drops it) and removes their worklogs.
 *
 * Jira answers "deleted" and "hidden from you" alike, so an issue counts as
 * deleted only when two viewers cannot find it: the app (POST
 * /issue/bulkfetch leaves it out without an error for it) and every person
 * who logged work on it (POST /permissions/check, BROWSE_PROJECTS: Jira
 * ignores the ids of issues that do not exist). An issue restricted from the
 * app (issue security, a project the app was removed from) is still
 * browsable by the people who logged work on it, so it is kept. Any error or
 * per-issue error keeps the issue for the next pass: nothing is deleted on
 * an answer that is not clear.
 *
 * A deleted project may take thousands of issues with it. Their removals are
 * pushed together (a few apply events per hundred issues, not one per issue
 * and author), a refusal of the queue is waited out within the run's budget,
 * and the deadline is checked before each issue's removal, so a run's work is
 * bounded and the next run goes on after the last issue whose removal went.
 */

export interface IssueCheckDeps {
  readonly kv: KvStore;
  readonly issues: IssueDirectory;
  readonly applyQueue: EventQueue;
  readonly clock: Clock;
  /** Waits (a queue's refusal is waited out within the budget); passed in so that tests do not wait. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly log?: (message: string, error: unknown) => void;
}

/** Issues asked about at once: one POST /issue/bulkfetch (Jira's limit for any request shape). */
export const ISSUE_CHECK_BATCH = 100;
/** A pass that finished this recently is not started again (a scheduled trigger may run twice). */
export const ISSUE_CHECK_MIN_GAP_MS = 12 * 3_600_000;
/** Removals collected before they are pushed (and progress saved) within a batch: about two full apply events per shard. */
export const REMOVALS_PER_PUSH = 2 * APPLY_SHARDS * CHANGES_PER_APPLY_EVENT;

/** Where a pass has got to, stored under keys.issueCheck. */
export interface IssueCheckProgress {
  /** The last issue (its id as the index key pads it) done in this pass (checked, and its removal pushed if gone); null before the first. */
  readonly after: string | null;
  readonly passStartedAt: number;
  readonly updatedAt: number;
  readonly status: 'checking' | 'rate-limited' | 'done';
  /**
   * Issues checked; issues found deleted (or re-driven from a tombstone) whose removal was pushed;
   * worklogs whose removal was pushed; issues kept because only the app cannot see them; issues left undecided.
   */
  readonly checked: number;
  readonly gone: number;
  readonly removed: number;
  readonly restricted: number;
  readonly undecided: number;
}

type Counts = Pick<IssueCheckProgress, 'checked' | 'gone' | 'removed' | 'restricted' | 'undecided'>;

export type IssueCheckOutcome = Counts & {
  /**
   * `done`: the pass reached the last indexed issue. `paused`: the deadline came first. `rate-limited`:
   * Jira asked to wait longer than the client waits, or the queue longer than the budget left; `skipped`:
   * a pass finished recently.
   */
  readonly status: 'done' | 'paused' | 'rate-limited' | 'skipped';
  readonly retryAfterSeconds?: number;
};

/** Worklogs per issue whose authors are asked (at most four storage reads per issue the app cannot see). */
export const WITNESS_WORKLOGS = 100;

interface IndexedIssue {
  /** The issue id as the index key pads it (ordering and watermark). */
  readonly padded: string;
  readonly id: string;
  /** Ids of the first WITNESS_WORKLOGS worklogs indexed on the issue, whose authors are asked when the app cannot see it. */
  readonly worklogIds: readonly string[];
  /** True when worklogIds are all the issue's indexed worklogs. */
  readonly complete: boolean;
}

const ROOT = keys.issueWorklogRoot;

/**
 * The key prefixes (after the root) that together hold exactly the padded ids
 * greater than `after`, in ascending order: KVS can only query by prefix and
 * its cursors must not be stored, so a pass resumes by prefix. For "05":
 * 06, 07, 08, 09, 1, 2, …, 9.
 */
export function prefixesAfter(after: string): string[] {
  const out: string[] = [];
  for (let i = after.length - 1; i >= 0; i--) for (let d = Number(after[i]) + 1; d <= 9; d++) out.push(after.slice(0, i) + d);
  return out;
}

/** The indexed issues after `after` (all when null), ascending, each with (up to WITNESS_WORKLOGS of) its worklog ids. */
export async function* indexedIssues(kv: KvStore, after: string | null): AsyncGenerator<IndexedIssue> {
  const issue = (c: { padded: string; worklogIds: string[]; total: number }): IndexedIssue => ({ padded: c.padded, id: String(Number(c.padded)), worklogIds: c.worklogIds, complete: c.total === c.worklogIds.length });
  for (const prefix of after === null ? [''] : prefixesAfter(after)) {
    let current: { padded: string; worklogIds: string[]; total: number } | null = null;
    let cursor: string | undefined;
    do {
      const page = await kv.query(ROOT + prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const { key } of page.results) {
        const split = key.indexOf('#', ROOT.length);
        const padded = key.slice(ROOT.length, split);
        if (current && current.padded !== padded) {
          yield issue(current);
          current = null;
        }
        current ??= { padded, worklogIds: [], total: 0 };
        current.total++;
        if (current.worklogIds.length < WITNESS_WORKLOGS) current.worklogIds.push(String(Number(key.slice(split + 1))));
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (current) yield issue(current);
  }
}

/** The authors of these worklogs, from their stored records. */
async function authorsOf(kv: KvStore, worklogIds: readonly string[]): Promise<Set<string>> {
  return new Set([...(await readWorklogRecords(kv, worklogIds)).values()].map((r) => r.personId));
}

const isWait = (e: unknown): e is SourceRateLimitedError | QueueRateLimitedError => e instanceof SourceRateLimitedError || e instanceof QueueRateLimitedError;

/** Which issues of a batch are gone, which are kept because their authors still see them, and which could not be decided. */
async function decide(deps: IssueCheckDeps, batch: readonly IndexedIssue[]): Promise<{ gone: Set<string>; restricted: Set<string>; undecided: Set<string> }> {
  const { visible, undecided } = await deps.issues.visibleIssues(batch.map((i) => i.id));
  const missing = batch.filter((i) => !visible.has(i.id) && !undecided.has(i.id));
  const seenByAuthor = new Set<string>();
  const unanswered = new Set<string>(undecided);
  const byAuthor = new Map<string, string[]>();
  for (const issue of missing) {
    const authors = await authorsOf(deps.kv, issue.worklogIds);
    if (authors.size === 0) unanswered.add(issue.id); // no one else to ask: not proof of a deletion
    for (const author of authors) byAuthor.set(author, [...(byAuthor.get(author) ?? []), issue.id]);
  }
  for (const [author, ids] of byAuthor) {
    try {
      for (const id of await deps.issues.browsableBy(author, ids)) seenByAuthor.add(id);
    } catch (e) {
      if (isWait(e)) throw e;
      deps.log?.(`issue check: could not ask whether an author may browse ${ids.length} issue(s); they are kept for the next pass`, e);
      for (const id of ids) unanswered.add(id);
    }
  }
  const ids = (keep: (i: IndexedIssue) => boolean) => new Set(batch.filter(keep).map((i) => i.id));
  return {
    gone: ids((i) => missing.includes(i) && !seenByAuthor.has(i.id) && !unanswered.has(i.id)),
    restricted: ids((i) => missing.includes(i) && seenByAuthor.has(i.id)),
    undecided: ids((i) => unanswered.has(i.id) && !seenByAuthor.has(i.id)),
  };
}

/** The existing tombstones of these issues (25 a read). */
async function issueTombstones(kv: KvStore, batch: readonly IndexedIssue[]): Promise<Map<string, { at: number }>> {
  const out = new Map<string, { at: number }>();
  for (let i = 0; i < batch.length; i += 25) {
    const group = batch.slice(i, i + 25);
    const found = await kv.getMany<{ at: number }>(group.map((issue) => keys.issueTombstone(issue.id)));
    for (const issue of group) {
      const tomb = found.get(keys.issueTombstone(issue.id));
      if (tomb) out.set(issue.id, tomb);
    }
  }
  return out;
}

const removalsIn = (events: readonly QueuedEvent[]) =>
  events.reduce((n, e) => n + (e.body as unknown as ApplyEvent).people.reduce((m, p) => m + p.changes.length, 0), 0);

/**
 * Checks indexed issues in batches of ISSUE_CHECK_BATCH from where the last
 * run stopped, until `deadline` or the last issue. The issues found deleted get
 * their tombstones at once (so a run that stops before their removal drives it
 * again without asking Jira), as do issues with a tombstone whose index remains.
 * Removals are collected over a batch (at most REMOVALS_PER_PUSH) and pushed
 * together; progress is saved after each push, at the last issue done. The
 * deadline is checked before each issue's removal and between batches, after
 * at least one issue, so every run moves the pass on. A queue's refusal is
 * waited out while the budget allows; a rate limit beyond it (or Jira's 429
 * longer than the client waits out) ends the run, to go on from the saved issue.
 */
export async function checkIndexedIssues(deps: IssueCheckDeps, deadline: number): Promise<IssueCheckOutcome> {
  const { kv, clock } = deps;
  const stored = await kv.get<IssueCheckProgress>(keys.issueCheck);
  const now = clock.now();
  const zero: Counts = { checked: 0, gone: 0, removed: 0, restricted: 0, undecided: 0 };
  if (stored?.status === 'done' && now - stored.updatedAt < ISSUE_CHECK_MIN_GAP_MS) return { status: 'skipped', ...zero };
  let progress: IssueCheckProgress =
    stored && stored.status !== 'done' ? { ...stored, status: 'checking', updatedAt: now } : { after: null, passStartedAt: now, updatedAt: now, status: 'checking', ...zero };
  /** What this run has saved (and pushed). */
  const run: { -readonly [K in keyof Counts]: number } = { ...zero };
  /** Issues done since the last save, up to `after`; their removals wait in `removals`. */
  let done = { after: progress.after, checked: 0, gone: 0, restricted: 0, undecided: 0 };
  let removals = new Map<string, WorklogChange[]>();
  let collected = 0;
  let movedOn = false;

  const paced = pacedQueue(deps.applyQueue, clock, deps.sleep, deadline);
  const queue: EventQueue = {
    async push(events) {
      await paced.push(events);
      // Counted as the queue accepts them: a run stopped halfway still reports what went.
      const n = removalsIn(events);
      run.removed += n;
      progress = { ...progress, removed: progress.removed + n };
    },
  };
  /** Pushes the collected removals, then saves the issues done as progress. */
  const save = async () => {
    await pushInChunks(queue, applyEvents(removals));
    removals = new Map();
    collected = 0;
    for (const k of ['checked', 'gone', 'restricted', 'undecided'] as const) run[k] += done[k];
    progress = {
      ...progress,
      after: done.after,
      updatedAt: clock.now(),
      checked: progress.checked + done.checked,
      gone: progress.gone + done.gone,
      restricted: progress.restricted + done.restricted,
      undecided: progress.undecided + done.undecided,
    };
    done = { after: done.after, checked: 0, gone: 0, restricted: 0, undecided: 0 };
    await kv.set(keys.issueCheck, progress);
  };
  const collect = (byPerson: ReadonlyMap<string, readonly WorklogChange[]>) => {
    for (const [person, changes] of byPerson) {
      const list = removals.get(person);
      if (list) list.push(...changes);
      else removals.set(person, [...changes]);
      collected += changes.length;
    }
  };
  const outcome = (status: IssueCheckOutcome['status'], retryAfterSeconds?: number): IssueCheckOutcome => ({ status, ...run, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });

  /** Checks a batch; false when the deadline stopped it before its end (what was done is saved). */
  const processBatch = async (batch: readonly IndexedIssue[]): Promise<boolean> => {
    const tombstones = await issueTombstones(kv, batch);
    const open = batch.filter((issue) => !tombstones.has(issue.id));
    const decided = open.length > 0 ? await decide(deps, open) : { gone: new Set<string>(), restricted: new Set<string>(), undecided: new Set<string>() };
    // Tombstones before anything looks for the worklogs (and a decision Jira is not asked again).
    const at = clock.now();
    await createMissing(kv, [...decided.gone].map((id) => ({ key: keys.issueTombstone(id), value: { at } })));
    for (const id of decided.gone) tombstones.set(id, { at });
    for (const issue of batch) {
      const tomb = tombstones.get(issue.id);
      if (tomb) {
        if (movedOn && clock.now() >= deadline) {
          await save();
          return false;
        }
        const ids = issue.complete ? issue.worklogIds : await indexedWorklogIds(kv, issue.id);
        collect(await deletionChanges(kv, ids.map((id) => ({ id, at: tomb.at }))));
        done.gone++;
      }
      done.checked++;
      if (decided.restricted.has(issue.id)) done.restricted++;
      if (decided.undecided.has(issue.id)) done.undecided++;
      done.after = issue.padded;
      movedOn = true;
      if (collected >= REMOVALS_PER_PUSH) await save();
    }
    await save();
    return true;
  };

  try {
    let batch: IndexedIssue[] = [];
    for await (const issue of indexedIssues(kv, progress.after)) {
      batch.push(issue);
      if (batch.length < ISSUE_CHECK_BATCH) continue;
      if (!(await processBatch(batch))) return outcome('paused');
      batch = [];
      if (clock.now() >= deadline) return outcome('paused');
    }
    if (batch.length > 0 && !(await processBatch(batch))) return outcome('paused');
    progress = { ...progress, after: null, status: 'done', updatedAt: clock.now() };
    await kv.set(keys.issueCheck, progress);
    return outcome('done');
  } catch (e) {
    if (!isWait(e)) throw e;
    // The watermark stays at the last issue whose removal went; the removals pushed before the refusal are counted.
    await kv.set(keys.issueCheck, { ...progress, status: 'rate-limited', updatedAt: clock.now() }).catch(() => undefined);
    return outcome('rate-limited', e.retryAfterSeconds);
  }
}
