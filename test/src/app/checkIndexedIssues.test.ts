import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../../src/app/events';
import { checkIndexedIssues, ISSUE_CHECK_MIN_GAP_MS, prefixesAfter } from '../../../src/app/checkIndexedIssues';
import { handleApplyEvent } from '../../../src/app/handleEvents';
import { ingestWorklogIds } from '../../../src/app/ingestWorklogs';
import { invokeResolver } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { QueueRateLimitedError, type EventQueue, type IssueDirectory, type WorklogSource } from '../../../src/ports';
import { JiraClient } from '../../../src/sources/jiraClient';
import { fetchTransport } from '../../../src/sources/jiraTransport';
import { FakeJira } from '../../support/fakeJira';
import { SimulatedQueues } from '../../support/simulatedQueue';

let jira: FakeJira;
let baseUrl = '';
beforeAll(async () => {
  jira = new FakeJira();
  baseUrl = await jira.listen();
});
afterAll(() => jira.close());

const NOVEMBER = Date.UTC(2026, 10, 10, 8);

/** A fresh Jira site (on the shared fake server) and app: worklogs ingested and applied through the pipeline. */
async function site(worklogs: { id: number; issueId: number; accountId: string; seconds: number }[]) {
  jira.worklogs.clear();
  jira.issues.clear();
  jira.issueErrors.clear();
  jira.calls.clear();
  jira.permissionChecks.length = 0;
  for (const accountId of ['acc-1', 'acc-2']) jira.users.set(accountId, { accountId, displayName: accountId, timeZone: 'UTC' });
  for (const w of worklogs) jira.upsert({ ...w, started: NOVEMBER + w.id * 60_000, updated: NOVEMBER });
  let now = Date.UTC(2026, 10, 23);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const sleeps: number[] = [];
  const client = new JiraClient(fetchTransport(baseUrl, null), { maxInlineWaitSeconds: 60, sleep: async (ms) => void sleeps.push(ms), random: () => 0 });
  const source: WorklogSource = { byIds: (ids) => client.worklogsByIds(ids), updatedSince: (s) => client.updatedWorklogs(s), deletedSince: (s) => client.deletedWorklogs(s) };
  const issues: IssueDirectory = { visibleIssues: (ids) => client.visibleIssues(ids), browsableBy: (a, ids) => client.browsableBy(a, ids) };
  const kv = new MemoryKvStore(clock);
  const queues = new SimulatedQueues();
  const applyQueue = queues.queue('apply');
  const drain = async () => {
    for (let d = queues.take(0); d; d = queues.take(0)) await handleApplyEvent({ kv, clock }, d.event.body as unknown as ApplyEvent);
  };
  await ingestWorklogIds({ kv, source, applyQueue }, worklogs.map((w) => w.id), clock.now());
  await drain();
  /** The check's waits (the clock moves on by each), and its apply queue: refusing, as Forge's, more than `perMinute` events in 60 s. */
  const pauses: number[] = [];
  const limit = { perMinute: Number.POSITIVE_INFINITY };
  const accepted: number[] = [];
  /** The worklog ids whose removal the queue accepted, in order. */
  const removalsPushed: string[] = [];
  const limitedQueue: EventQueue = {
    push: async (events) => {
      const t = clock.now();
      if (accepted.filter((at) => at > t - 60_000).length + events.length > limit.perMinute) throw new QueueRateLimitedError('apply');
      for (const e of events) {
        accepted.push(t);
        for (const person of (e.body as unknown as ApplyEvent).people) for (const c of person.changes) if (c.kind === 'delete') removalsPushed.push(c.id);
      }
      await applyQueue.push(events);
    },
  };
  const sleep = async (ms: number) => {
    pauses.push(ms);
    clock.advance(ms);
  };
  const deps = { kv, issues, applyQueue: limitedQueue, clock, sleep };
  /** What the person sees: seconds worked in November. */
  const worked = async (accountId: string) => {
    const result = await invokeResolver(
      { kv, directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'UTC'])) }, permissions: { isJiraAdmin: async () => false, groupIds: async () => [] }, syncQueue: queues.queue('sync'), periodsQueue: queues.queue('periods'), clock },
      'report/mine',
      { period: { periodKey: '2026-11' } },
      accountId,
    );
    return (result as { data: { totals: { workedSeconds: number } } }).data.totals.workedSeconds;
  };
  /** Runs the check and applies what it queued. */
  const check = async (deadline = Number.POSITIVE_INFINITY) => {
    const outcome = await checkIndexedIssues(deps, deadline);
    await drain();
    return outcome;
  };
  return { kv, clock, sleeps, pauses, limit, removalsPushed, worked, check };
}

const THREE_ISSUES = [
  { id: 101, issueId: 10, accountId: 'acc-1', seconds: 3600 },
  { id: 201, issueId: 20, accountId: 'acc-1', seconds: 1800 },
  { id: 202, issueId: 20, accountId: 'acc-2', seconds: 900 },
  { id: 301, issueId: 30, accountId: 'acc-2', seconds: 600 },
];

describe('the daily check that indexed issues still exist', () => {
  it('removes the worklogs of an issue deleted while its trigger failed, and keeps existing and restricted issues', async () => {
    const app = await site(THREE_ISSUES);
    expect([await app.worked('acc-1'), await app.worked('acc-2')]).toEqual([5400, 1500]);
    jira.deleteIssue(20); // the issue-deleted trigger failed five times: the app never heard of it
    jira.restrictIssue(30, ['acc-2']); // hidden from the app; its author still sees it

    expect(await app.check()).toEqual({ status: 'done', checked: 3, gone: 1, removed: 2, restricted: 1, undecided: 0 });
    expect([await app.worked('acc-1'), await app.worked('acc-2')]).toEqual([3600, 600]);
    expect(await app.kv.get(keys.issueTombstone(20))).toBeDefined();
    expect(await app.kv.get(keys.issueTombstone(30))).toBeUndefined();
    expect((await app.kv.query(keys.issueWorklogPrefix(30))).results).toHaveLength(1);
  });

  it('deletes nothing on an unclear answer: an error Jira reports for the issue, or a failed permission check', async () => {
    const app = await site(THREE_ISSUES);
    jira.deleteIssue(20);
    jira.issueErrors.add(20);
    expect(await app.check()).toMatchObject({ status: 'done', removed: 0, undecided: 1 });
    jira.issueErrors.clear();
    app.clock.advance(ISSUE_CHECK_MIN_GAP_MS);
    jira.failNext('permissions', { status: 500 }, { status: 500 }, { status: 500 }); // every attempt for one author
    const second = await app.check();
    expect(second.removed).toBe(0);
    expect(await app.worked('acc-1')).toBe(5400);
    app.clock.advance(ISSUE_CHECK_MIN_GAP_MS);
    expect(await app.check()).toMatchObject({ status: 'done', gone: 1, removed: 2, undecided: 0 });
    expect(await app.worked('acc-1')).toBe(3600);
  });

  it('an issue restricted from the app and from everyone who logged work on it is indistinguishable from a deleted one', async () => {
    // The documented limit of the rule: Jira gives no signal that tells these apart.
    const app = await site(THREE_ISSUES);
    jira.restrictIssue(30, ['acc-someone-else']);
    expect(await app.check()).toMatchObject({ gone: 1, removed: 1, restricted: 0 });
  });

  it('waits out a short 429 Retry-After and goes on', async () => {
    const app = await site(THREE_ISSUES);
    jira.deleteIssue(20);
    jira.failNext('bulkfetch', { status: 429, retryAfter: '2' });
    expect(await app.check()).toMatchObject({ status: 'done', gone: 1, removed: 2 });
    expect(app.sleeps).toEqual([2000]);
  });

  it('stops on a long 429 with nothing deleted, and the next run redoes the batch', async () => {
    const app = await site(THREE_ISSUES);
    jira.deleteIssue(20);
    jira.failNext('bulkfetch', { status: 429, retryAfter: '600' });
    expect(await app.check()).toEqual({ status: 'rate-limited', checked: 0, gone: 0, removed: 0, restricted: 0, undecided: 0, retryAfterSeconds: 600 });
    expect(await app.worked('acc-1')).toBe(5400);
    expect(await app.kv.get(keys.issueCheck)).toMatchObject({ status: 'rate-limited', after: null });
    expect(await app.check()).toMatchObject({ status: 'done', gone: 1, removed: 2 });
  });

  it('pages through the index 100 issues at a time, saving where it stopped, and asks Jira about each issue once', async () => {
    const app = await site([]);
    for (let issue = 1; issue <= 250; issue++) {
      await app.kv.set(keys.issueWorklog(issue * 7, issue), 1);
      jira.issues.set(issue * 7, { id: issue * 7, restrictedTo: null });
    }
    const now = app.clock.now();
    expect(await app.check(now)).toMatchObject({ status: 'paused', checked: 100 });
    expect(await app.kv.get(keys.issueCheck)).toMatchObject({ after: '000000000700', checked: 100 });
    expect(await app.check(now)).toMatchObject({ status: 'paused', checked: 100 });
    expect(await app.check(now)).toMatchObject({ status: 'done', checked: 50 });
    expect(await app.kv.get(keys.issueCheck)).toMatchObject({ status: 'done', after: null, checked: 250, gone: 0, removed: 0 });
    expect(jira.calls.get('bulkfetch')).toBe(3);
    expect(await app.check(now)).toMatchObject({ status: 'skipped' });
  });

  it('a deletion whose removal did not finish (tombstone written, index left) is driven again without asking Jira', async () => {
    const app = await site(THREE_ISSUES);
    await app.kv.set(keys.issueTombstone(20), { at: app.clock.now() });
    expect(await app.check()).toMatchObject({ gone: 1, removed: 2 });
    expect(await app.worked('acc-1')).toBe(3600);
    expect(jira.permissionChecks).toEqual([]);
  });
});

/** `issues` deleted issues (ids 10, 20, …) with `each` worklogs each, alternately by acc-1 and acc-2 (apply shards 12 and 5: two apply events a flush). */
function deletedProject(issues: number, each: number) {
  const worklogs = [];
  for (let i = 1; i <= issues; i++) for (let k = 0; k < each; k++) worklogs.push({ id: i * 1000 + k, issueId: i * 10, accountId: k % 2 ? 'acc-2' : 'acc-1', seconds: 60 });
  return worklogs;
}

const onceEach = (ids: readonly string[]) => new Set(ids).size === ids.length;

describe('removing a deleted project: paced, bounded, counted', () => {
  // 101 issues: two batches, each pushing its removals at its end in one push of two apply events.
  it('waits out the queue’s refusals within its budget and finishes in the same run', async () => {
    const app = await site(deletedProject(101, 2));
    for (let i = 1; i <= 101; i++) jira.deleteIssue(i * 10);
    app.limit.perMinute = 2; // the second batch's push is refused until a minute has passed
    expect(await app.check()).toEqual({ status: 'done', checked: 101, gone: 101, removed: 202, restricted: 0, undecided: 0 });
    expect(app.pauses).toEqual([60_000]);
    expect([await app.worked('acc-1'), await app.worked('acc-2')]).toEqual([0, 0]);
    expect(app.removalsPushed).toHaveLength(202);
    expect(onceEach(app.removalsPushed)).toBe(true);
  });

  it('stops when a wait would outlast its budget, counting what it pushed, and the next run goes on without redoing it', async () => {
    const app = await site(deletedProject(101, 2));
    for (let i = 1; i <= 101; i++) jira.deleteIssue(i * 10);
    app.limit.perMinute = 2;
    const first = await app.check(app.clock.now() + 30_000);
    expect(first).toEqual({ status: 'rate-limited', retryAfterSeconds: 60, checked: 100, gone: 100, removed: 200, restricted: 0, undecided: 0 });
    expect(app.pauses).toEqual([]);
    expect(await app.kv.get(keys.issueCheck)).toMatchObject({ status: 'rate-limited', after: '000000001000', gone: 100, removed: 200 });
    app.clock.advance(86_400_000);
    expect(await app.check()).toEqual({ status: 'done', checked: 1, gone: 1, removed: 2, restricted: 0, undecided: 0 });
    expect([await app.worked('acc-1'), await app.worked('acc-2')]).toEqual([0, 0]);
    expect(app.removalsPushed).toHaveLength(202);
    expect(onceEach(app.removalsPushed)).toBe(true);
    expect(jira.calls.get('bulkfetch')).toBe(2); // the second run re-drove the decided deletion from its tombstone
  });

  it('checks its deadline between issues: a run past it finishes the issue in hand, saves it, and the next goes on from there', async () => {
    const app = await site(deletedProject(3, 30));
    for (const issue of [10, 20, 30]) jira.deleteIssue(issue);
    const outcomes = [];
    for (let run = 0; run < 3; run++) {
      outcomes.push(await app.check(app.clock.now())); // the deadline has come: each run does the least it must
      if (run < 2) expect(await app.kv.get(keys.issueCheck)).toMatchObject({ status: 'checking', after: String(10 * (run + 1)).padStart(12, '0'), gone: run + 1, removed: 30 * (run + 1) });
    }
    expect(outcomes).toEqual([
      { status: 'paused', checked: 1, gone: 1, removed: 30, restricted: 0, undecided: 0 },
      { status: 'paused', checked: 1, gone: 1, removed: 30, restricted: 0, undecided: 0 },
      { status: 'done', checked: 1, gone: 1, removed: 30, restricted: 0, undecided: 0 },
    ]);
    expect(app.removalsPushed).toHaveLength(90);
    expect(onceEach(app.removalsPushed)).toBe(true);
    expect(jira.calls.get('bulkfetch')).toBe(1);
    expect([await app.worked('acc-1'), await app.worked('acc-2')]).toEqual([0, 0]);
  });
});

describe('resuming by key prefix', () => {
  it('the prefixes after a watermark hold exactly the ids above it, in ascending order', () => {
    const id = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
    fc.assert(
      fc.property(id, id, (after, x) => {
        const prefixes = prefixesAfter(after);
        expect([...prefixes].sort()).toEqual(prefixes);
        expect(prefixes.filter((p) => x.startsWith(p)).length).toBe(x > after ? 1 : 0);
      }),
    );
  });
});
