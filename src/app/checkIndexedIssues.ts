import { QueueRateLimitedError, SourceRateLimitedError, type Clock, type EventQueue, type IssueDirectory, type KvStore } from '../ports';
import { readWorklogRecords } from './applyWorklogChanges';
import { ingestIssueDeletion } from './ingestWorklogs';
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
 */

export interface IssueCheckDeps {
  readonly kv: KvStore;
  readonly issues: IssueDirectory;
  readonly applyQueue: EventQueue;
  readonly clock: Clock;
  readonly log?: (message: string, error: unknown) => void;
}

/** Issues asked about at once: one POST /issue/bulkfetch (Jira's limit for any request shape). */
export const ISSUE_CHECK_BATCH = 100;
/** A pass that finished this recently is not started again (a scheduled trigger may run twice). */
export const ISSUE_CHECK_MIN_GAP_MS = 12 * 3_600_000;

/** Where a pass has got to, stored under keys.issueCheck. */
export interface IssueCheckProgress {
  /** The last issue (its id as the index key pads it) checked in this pass; null before the first. */
  readonly after: string | null;
  readonly passStartedAt: number;
  readonly updatedAt: number;
  readonly status: 'checking' | 'rate-limited' | 'done';
  /** Issues checked, deletions found (or re-driven from a tombstone), issues kept because only the app cannot see them, issues left undecided. */
  readonly checked: number;
  readonly removed: number;
  readonly restricted: number;
  readonly undecided: number;
}

export type IssueCheckOutcome = Pick<IssueCheckProgress, 'checked' | 'removed' | 'restricted' | 'undecided'> & {
  /** `done`: the pass reached the last indexed issue. `paused`: the deadline came first. `rate-limited`: Jira or a queue asked to wait; `skipped`: a pass finished recently. */
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
  const issue = (padded: string, worklogIds: string[]): IndexedIssue => ({ padded, id: String(Number(padded)), worklogIds });
  for (const prefix of after === null ? [''] : prefixesAfter(after)) {
    let current: { padded: string; worklogIds: string[] } | null = null;
    let cursor: string | undefined;
    do {
      const page = await kv.query(ROOT + prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const { key } of page.results) {
        const split = key.indexOf('#', ROOT.length);
        const padded = key.slice(ROOT.length, split);
        if (current && current.padded !== padded) {
          yield issue(current.padded, current.worklogIds);
          current = null;
        }
        current ??= { padded, worklogIds: [] };
        if (current.worklogIds.length < WITNESS_WORKLOGS) current.worklogIds.push(String(Number(key.slice(split + 1))));
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (current) yield issue(current.padded, current.worklogIds);
  }
}

/** The authors of these worklogs, from their stored records. */
async function authorsOf(kv: KvStore, worklogIds: readonly string[]): Promise<Set<string>> {
  return new Set([...(await readWorklogRecords(kv, worklogIds)).values()].map((r) => r.personId));
}

const isWait = (e: unknown): e is SourceRateLimitedError | QueueRateLimitedError => e instanceof SourceRateLimitedError || e instanceof QueueRateLimitedError;

/** Which issues of a batch are gone, which are kept because their authors still see them, and how many could not be decided. */
async function decide(deps: IssueCheckDeps, batch: readonly IndexedIssue[]): Promise<{ gone: string[]; restricted: number; undecided: number }> {
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
  const restricted = missing.filter((i) => seenByAuthor.has(i.id));
  const gone = missing.filter((i) => !seenByAuthor.has(i.id) && !unanswered.has(i.id)).map((i) => i.id);
  return { gone, restricted: restricted.length, undecided: batch.filter((i) => unanswered.has(i.id) && !seenByAuthor.has(i.id)).length };
}

/**
 * Checks indexed issues in batches of ISSUE_CHECK_BATCH from where the last
 * run stopped, until `deadline` (at least one batch per run, so a pass always
 * moves on) or the last issue. Issues with a tombstone whose index remains
 * have their deletion driven again, without asking Jira. Progress is saved
 * after each batch; a rate limit (Jira's 429 longer than the client waits
 * out, or a queue's) stops the run with the batch to be redone.
 */
export async function checkIndexedIssues(deps: IssueCheckDeps, deadline: number): Promise<IssueCheckOutcome> {
  const { kv, clock } = deps;
  const stored = await kv.get<IssueCheckProgress>(keys.issueCheck);
  const now = clock.now();
  if (stored?.status === 'done' && now - stored.updatedAt < ISSUE_CHECK_MIN_GAP_MS) {
    return { status: 'skipped', checked: 0, removed: 0, restricted: 0, undecided: 0 };
  }
  let progress: IssueCheckProgress =
    stored && stored.status !== 'done'
      ? { ...stored, status: 'checking', updatedAt: now }
      : { after: null, passStartedAt: now, updatedAt: now, status: 'checking', checked: 0, removed: 0, restricted: 0, undecided: 0 };
  const run = { checked: 0, removed: 0, restricted: 0, undecided: 0 };
  const outcome = (status: IssueCheckOutcome['status'], retryAfterSeconds?: number): IssueCheckOutcome => ({ status, ...run, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });

  const processBatch = async (batch: readonly IndexedIssue[]) => {
    const tombstones = new Map<string, { at: number }>();
    for (let i = 0; i < batch.length; i += 25) {
      const found = await kv.getMany<{ at: number }>(batch.slice(i, i + 25).map((issue) => keys.issueTombstone(issue.id)));
      for (const issue of batch.slice(i, i + 25)) {
        const tomb = found.get(keys.issueTombstone(issue.id));
        if (tomb) tombstones.set(issue.id, tomb);
      }
    }
    // A tombstone with an index left behind: the deletion's removal did not finish; drive it again.
    for (const [id, tomb] of tombstones) await ingestIssueDeletion(deps, id, tomb.at);
    const open = batch.filter((issue) => !tombstones.has(issue.id));
    const decided = open.length > 0 ? await decide(deps, open) : { gone: [], restricted: 0, undecided: 0 };
    for (const id of decided.gone) await ingestIssueDeletion(deps, id, clock.now());
    const counts = { checked: batch.length, removed: tombstones.size + decided.gone.length, restricted: decided.restricted, undecided: decided.undecided };
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) run[k] += counts[k];
    progress = {
      ...progress,
      after: batch[batch.length - 1]!.padded,
      updatedAt: clock.now(),
      checked: progress.checked + counts.checked,
      removed: progress.removed + counts.removed,
      restricted: progress.restricted + counts.restricted,
      undecided: progress.undecided + counts.undecided,
    };
    await kv.set(keys.issueCheck, progress);
  };

  try {
    let batch: IndexedIssue[] = [];
    for await (const issue of indexedIssues(kv, progress.after)) {
      batch.push(issue);
      if (batch.length < ISSUE_CHECK_BATCH) continue;
      await processBatch(batch);
      batch = [];
      // Checked after a batch, not before: every run moves the pass on.
      if (clock.now() >= deadline) return outcome('paused');
    }
    if (batch.length > 0) await processBatch(batch);
    progress = { ...progress, after: null, status: 'done', updatedAt: clock.now() };
    await kv.set(keys.issueCheck, progress);
    return outcome('done');
  } catch (e) {
    if (!isWait(e)) throw e;
    await kv.set(keys.issueCheck, { ...progress, status: 'rate-limited', updatedAt: clock.now() }).catch(() => undefined);
    return outcome('rate-limited', e.retryAfterSeconds);
  }
}
