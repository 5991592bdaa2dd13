import Database from 'better-sqlite3';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJira } from '../../support/fakeJira';

/**
 * The runtime as `npm start` runs it, in a child process reading a (fake)
 * Jira site of 20,000 worklogs, killed with SIGKILL in the middle of an import
 * and restarted on the same data directory: what the dead process had claimed
 * is released at once, not after the queue's 15-minute lease.
 */
const root = join(import.meta.dirname, '../../..');
const PEOPLE = 20;
const WORKLOGS = 20_000;
const ADMIN = '557058:admin';
const dataDir = mkdtempSync(join(tmpdir(), 'worktime-crash-'));
const jira = new FakeJira();
let baseUrl = '';
const children: ChildProcessWithoutNullStreams[] = [];

const person = (i: number) => `557058:person-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  baseUrl = await jira.listen();
  jira.now = Date.now();
  for (let p = 0; p < PEOPLE; p++) jira.users.set(person(p), { accountId: person(p), displayName: `Person ${p}`, timeZone: 'Europe/Brussels' });
  // October 2026, a worklog every ~45 minutes of working time per person; updated an hour ago, in id order.
  for (let id = 1; id <= WORKLOGS; id++) {
    const p = id % PEOPLE;
    const n = Math.floor(id / PEOPLE);
    const started = Date.UTC(2026, 9, 1 + (n % 30), 6 + (n % 10), (n * 7) % 60);
    jira.upsert({ id, issueId: 10_000 + (id % 50), accountId: person(p), started, seconds: 600 + (id % 13) * 60, updated: jira.now - 3_600_000 + id });
  }
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await jira.close();
});

/** Starts the runtime on the shared data directory; resolves once it prints its banner. */
async function startRuntime(): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stdout: () => string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JIRA_') && !k.startsWith('WORKTIME_')));
  const child = spawn(process.execPath, ['bin/start.mjs'], {
    cwd: root,
    env: { ...clean, PORT: '0', WORKTIME_DATA_DIR: dataDir, JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'token', WORKTIME_ADMINS: ADMIN },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /running at (http:\/\/localhost:\d+)/.exec(stdout);
      if (m && stdout.includes('Press Ctrl+C')) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the runtime exited (${code}) before it started: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout };
}

async function invoke<T>(url: string, name: string, payload: unknown): Promise<T> {
  const res = await fetch(`${url}/api/invoke/${name}`, { method: 'POST', headers: { 'x-worktime-account': ADMIN }, body: JSON.stringify(payload) });
  const body = (await res.json()) as { ok: boolean; data: T; error?: unknown };
  if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body.error)}`);
  return body.data;
}

interface Progress {
  state: string;
  done: number;
  total: number;
  pending: number;
  running: boolean;
  progress: { runId: string };
}

/** Polls until `check` holds; returns how long it took. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

async function kill(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** Events the queue table shows as claimed (what a dead process would have left locked). */
function claimedEvents(): number {
  const db = new Database(join(dataDir, 'worktime.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM queue_event WHERE locked_until IS NOT NULL').get()!.n;
  } finally {
    db.close();
  }
}

/** Each person's October total as the source has it, and as the runtime reports it. */
function sourceTotals(): Map<string, number> {
  const totals = new Map<string, number>();
  for (const w of jira.worklogs.values()) totals.set(w.accountId, (totals.get(w.accountId) ?? 0) + w.seconds);
  return totals;
}
async function reportsMatchSource(url: string): Promise<boolean> {
  for (const [accountId, seconds] of sourceTotals()) {
    const report = await invoke<{ totals: { workedSeconds: number } }>(url, 'report/person', { accountId, period: { periodKey: '2026-10' } });
    if (report.totals.workedSeconds !== seconds) return false;
  }
  return true;
}

/** Kills the runtime while `runId`'s batches are being ingested, restarts it, and waits for the reports to reach the source's totals. */
async function crashMidImportAndRecover(url: string, child: ChildProcessWithoutNullStreams, runId?: string) {
  let seen: Progress | undefined;
  await until(
    async () => {
      seen = await invoke<Progress>(url, 'sync/progress', {});
      return (runId === undefined || seen.progress?.runId === runId) && seen.done > 0 && seen.pending > 0;
    },
    30_000,
    'the import to be under way',
  );
  await kill(child);
  const claimed = claimedEvents();
  expect(claimed, 'the dead process had events claimed').toBeGreaterThan(0);

  const restarted = await startRuntime();
  expect(restarted.stdout()).toMatch(new RegExp(`Resumed ${claimed} queued events? the previous run had started and not finished\\.`));
  const ms = await until(() => reportsMatchSource(restarted.url), 60_000, 'the reports to reach the source’s totals');
  const progress = await invoke<Progress>(restarted.url, 'sync/progress', {});
  expect(progress).toMatchObject({ state: 'done', pending: 0, running: false });
  expect(progress.total).toBeGreaterThanOrEqual(WORKLOGS); // continuations list their boundary millisecond again
  return { restarted, claimed, ms, killedAt: seen! };
}

describe('a runtime killed in the middle of an import', () => {
  it('restarted on the same data directory, reaches the source’s totals within a minute', async () => {
    const first = await startRuntime();
    const { restarted, claimed, ms, killedAt } = await crashMidImportAndRecover(first.url, first.child);
    console.log(`import: killed at ${killedAt.done}/${killedAt.total} ingested with ${claimed} events claimed; the restart reached the source's totals in ${ms} ms`);

    // A re-import of changed worklogs, killed in its turn.
    for (const w of jira.worklogs.values()) jira.upsert({ ...w, seconds: w.seconds + 60, updated: jira.now - 1_800_000 + w.id });
    const { runId } = await invoke<{ runId: string }>(restarted.url, 'sync/start-import', {});
    const again = await crashMidImportAndRecover(restarted.url, restarted.child, runId);
    console.log(`re-import: killed at ${again.killedAt.done}/${again.killedAt.total} ingested with ${again.claimed} events claimed; the restart reached the source's totals in ${again.ms} ms`);
    await kill(again.restarted.child);
  }, 150_000);
});
