import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../src/local/main';
import { FakeJira } from '../../support/fakeJira';
import { revealPage } from '../../support/revealedAudit';

/**
 * An HR month end on the local runtime, over HTTP only, reading a (fake) Jira
 * site: settings and roles, holidays and a contract, the import, a lock, a
 * worklog corrected in Jira after the lock (drift, locked numbers kept), an
 * unlock with a reason and a relock (version 2); then the audit log's chain
 * verifies, and an entry altered in the SQLite file, or cut off the end, is
 * found.
 */
const ADMIN = '557058:jira-admin';
const HR = '557058:hr-admin';
const AUDITOR = '557058:auditor';
const EMPLOYEE = '557058:employee';
const MONTH = '2026-11';
const HOUR = 3600;

const jira = new FakeJira();
const dataDir = mkdtempSync(join(tmpdir(), 'worktime-hr-'));
const dbFile = join(dataDir, 'worktime.sqlite');
let baseUrl = '';
let running: RunningLocal | null = null;

interface Answer<T> {
  status: number;
  body: { ok: boolean; data: T; error?: { code: string; message: string; issues?: string[] } };
}

async function call<T = Record<string, unknown>>(name: string, account: string, payload: unknown): Promise<Answer<T>> {
  const res = await fetch(`${running!.url}/api/invoke/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-worktime-account': account, Host: new URL(running!.url).host },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as Answer<T>['body'] };
}

/** The answer's data; fails the test with the resolver's error when it did not succeed. */
async function ok<T = Record<string, unknown>>(name: string, account: string, payload: unknown): Promise<T> {
  const answer = await call<T>(name, account, payload);
  if (answer.status !== 200 || !answer.body.ok) throw new Error(`${name} → ${answer.status} ${JSON.stringify(answer.body.error)}`);
  return answer.body.data;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const start = async () => {
  running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir, JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'token', WORKTIME_ADMINS: ADMIN });
};
const stop = async () => {
  await running?.stop();
  running = null;
};

interface Report {
  totals: { workedSeconds: number; expectedSeconds: number; holidaySeconds: number; creditedSeconds: number };
  days: { date: string; workedSeconds: number; holiday: { name: string } | null; expectedSeconds: number }[];
}
const report = () => ok<Report>('report/person', HR, { accountId: EMPLOYEE, period: { periodKey: MONTH } });

async function lockAndWait(periodKey = MONTH): Promise<{ locked: number; failed: number; failures: { personId: string; code: string }[] }> {
  const { jobId } = await ok<{ jobId: string; total: number }>('periods/lock', HR, { periodKey, people: [EMPLOYEE] });
  return until('the lock job', () => ok<{ state: string; locked: number; failed: number; failures: { personId: string; code: string }[] }>('periods/job', AUDITOR, { jobId }), (j) => j.state === 'done');
}

beforeAll(async () => {
  baseUrl = await jira.listen();
  jira.now = Date.now();
  for (const [accountId, displayName] of [[ADMIN, 'Jira admin'], [HR, 'Hanna HR'], [AUDITOR, 'Aude Auditor'], [EMPLOYEE, 'Emil Employee']] as const) {
    jira.users.set(accountId, { accountId, displayName, timeZone: 'Europe/Brussels' });
  }
  // November 2026 in Brussels (UTC+1): 8 h on Monday 2, 8 h on Tuesday 3, 7 h on Wednesday 4, 6 h on Armistice Day (Wednesday 11).
  const updated = jira.now - 3_600_000;
  jira.upsert({ id: 9001, issueId: 500, accountId: EMPLOYEE, started: Date.parse('2026-11-02T08:00:00Z'), seconds: 8 * HOUR, updated });
  jira.upsert({ id: 9002, issueId: 500, accountId: EMPLOYEE, started: Date.parse('2026-11-03T08:00:00Z'), seconds: 8 * HOUR, updated: updated + 1 });
  jira.upsert({ id: 9003, issueId: 501, accountId: EMPLOYEE, started: Date.parse('2026-11-04T08:00:00Z'), seconds: 7 * HOUR, updated: updated + 2 });
  jira.upsert({ id: 9004, issueId: 501, accountId: EMPLOYEE, started: Date.parse('2026-11-11T08:00:00Z'), seconds: 6 * HOUR, updated: updated + 3 });
  await start();
});
afterAll(async () => {
  await stop();
  await jira.close();
});

describe('an HR month end on the local runtime, over HTTP', () => {
  // 20 working days in November 2026 (21 weekdays less Armistice Day) of 8 h.
  const expected = 20 * 8 * HOUR;
  const workedBefore = (8 + 8 + 7 + 6) * HOUR;
  const workedAfter = (8 + 8 + 5 + 6) * HOUR;
  let checkpoint: { seq: number; hash: string };

  it('sets up the site: settings, roles, holidays, a contract', async () => {
    expect(await ok('settings/save', ADMIN, { changes: { approvalWorkflow: false, siteTimeZone: 'Europe/Brussels' } })).toMatchObject({ approvalWorkflow: false, siteTimeZone: 'Europe/Brussels' });
    const roles = { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } };
    expect(await ok('roles/save', ADMIN, { assignments: roles })).toEqual(roles);
    // The roles hold at once: the auditor may read but not write.
    expect((await call('settings/save', AUDITOR, { changes: { weekStart: 7 } })).status).toBe(403);

    const imported = await ok<{ years: { year: number; added: { date: string; name: string }[] }[] }>('holidays/import', HR, { calendarId: 'be', country: 'BE', years: [2026] });
    expect(imported.years[0]!.added.map((h) => h.date)).toContain('2026-11-11');
    const calendar = await ok<{ years: { holidays: { date: string }[] }[] }>('holidays/calendar', EMPLOYEE, { calendarId: 'be', years: [2026] });
    expect(calendar.years[0]!.holidays.map((h) => h.date)).toEqual(imported.years[0]!.added.map((h) => h.date));

    const saved = await ok<{ contract: { id: string; holidayCalendarId: string }; created: boolean }>('contracts/save', HR, {
      personId: EMPLOYEE,
      firstDate: '2026-01-01',
      lastDate: null,
      schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] },
      partTimeFactor: '1',
      holidayCalendarId: 'be',
      timeZone: null,
    });
    expect(saved).toMatchObject({ created: true, contract: { id: 'c-20260101', holidayCalendarId: 'be' } });
  });

  it('imports the worklogs through the pipeline and reports them against the contract and the holidays', async () => {
    // The runtime starts its first import by itself; let it finish, then start one as HR.
    await until('the start-up import', () => ok<{ state: string }>('sync/progress', HR, {}), (p) => p.state === 'done');
    const { runId } = await ok<{ runId: string }>('sync/start-import', HR, {});
    const progress = await until(
      'the import HR started',
      () => ok<{ state: string; done: number; total: number; errors: number; progress: { runId: string } }>('sync/progress', AUDITOR, {}),
      (p) => p.progress.runId === runId && p.state === 'done',
    );
    expect(progress).toMatchObject({ done: 4, total: 4, errors: 0 });

    const r = await report();
    expect(r.totals).toMatchObject({ workedSeconds: workedBefore, expectedSeconds: expected });
    const armistice = r.days.find((d) => d.date === '2026-11-11')!;
    expect(armistice).toMatchObject({ workedSeconds: 6 * HOUR, expectedSeconds: 0 });
    expect(armistice.holiday?.name).toBeTruthy();
  });

  it('locks the month: a job, then status locked, version 1, and the report from the snapshot', async () => {
    expect(await lockAndWait()).toMatchObject({ locked: 1, failed: 0 });
    expect(await ok('periods/status', AUDITOR, { personId: EMPLOYEE, periodKey: MONTH })).toMatchObject({ status: 'locked', version: 1 });
    // The month under way cannot be locked yet: the job says so for the person.
    const thisMonth = new Date().toISOString().slice(0, 7);
    const early = await lockAndWait(thisMonth);
    expect(early).toMatchObject({ locked: 0, failed: 1, failures: [{ personId: EMPLOYEE, code: 'PERIOD_NOT_ENDED' }] });
    expect(await ok('periods/status', HR, { personId: EMPLOYEE, periodKey: thisMonth })).toMatchObject({ status: 'open' });
    expect((await report()).totals).toMatchObject({ workedSeconds: workedBefore, expectedSeconds: expected });
    // The month's credit (worked − expected) is closed into the balance.
    expect(await ok('balance/person', AUDITOR, { accountId: EMPLOYEE })).toMatchObject({ balanceSeconds: workedBefore - expected, entryCount: 1 });
  });

  it('a worklog corrected in Jira after the lock shows as drift; the locked numbers stay', async () => {
    // 7 h → 5 h on 4 November. The runtime reconciles when it starts (and every five minutes): restart it.
    jira.upsert({ id: 9003, issueId: 501, accountId: EMPLOYEE, started: Date.parse('2026-11-04T08:00:00Z'), seconds: 5 * HOUR, updated: jira.now - 1_800_000 });
    await stop();
    await start();
    const drift = await until(
      'the drift after the reconcile',
      () => ok<{ version: number; lockedWorkedSeconds: number; netSecondsDelta: number; changed: { id: string; secondsDelta: number; before: { seconds: number }; after: { seconds: number } }[]; added: unknown[]; deleted: unknown[] }>('drift/get', HR, { personId: EMPLOYEE, periodKey: MONTH }),
      (d) => d.changed.length > 0,
    );
    expect(drift).toMatchObject({ version: 1, lockedWorkedSeconds: workedBefore, netSecondsDelta: -2 * HOUR, added: [], deleted: [] });
    expect(drift.changed).toEqual([expect.objectContaining({ id: '9003', secondsDelta: -2 * HOUR, before: expect.objectContaining({ seconds: 7 * HOUR }), after: expect.objectContaining({ seconds: 5 * HOUR }) })]);
    expect((await report()).totals).toMatchObject({ workedSeconds: workedBefore, expectedSeconds: expected });
    expect((await ok<Report>('report/mine', EMPLOYEE, { period: { periodKey: MONTH } })).totals.workedSeconds).toBe(workedBefore);
    expect(await ok('periods/status', EMPLOYEE, { personId: EMPLOYEE, periodKey: MONTH })).toMatchObject({ status: 'locked', version: 1 });
  });

  it('unlocks only with a reason; the report counts the worklogs as they are; a relock makes version 2', async () => {
    const noReason = await call('periods/unlock', HR, { personId: EMPLOYEE, periodKey: MONTH });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error?.code).toBe('INVALID_INPUT');
    const tooShort = await call('periods/unlock', HR, { personId: EMPLOYEE, periodKey: MONTH, reason: 'no' });
    expect([tooShort.status, tooShort.body.error?.code]).toEqual([400, 'INVALID_INPUT']);
    expect(await ok('periods/status', HR, { personId: EMPLOYEE, periodKey: MONTH })).toMatchObject({ status: 'locked', version: 1 });
    // Only HR may unlock, not the auditor.
    expect((await call('periods/unlock', AUDITOR, { personId: EMPLOYEE, periodKey: MONTH, reason: 'worklog corrected' })).status).toBe(403);

    const unlocked = await ok<{ status: string; unlocks: { by: string; reason: string }[] }>('periods/unlock', HR, { personId: EMPLOYEE, periodKey: MONTH, reason: 'the 4 November worklog was corrected' });
    expect(unlocked).toMatchObject({ status: 'open', unlocks: [{ by: HR, reason: 'the 4 November worklog was corrected' }] });
    expect((await report()).totals).toMatchObject({ workedSeconds: workedAfter, expectedSeconds: expected });
    const again = await call('periods/unlock', HR, { personId: EMPLOYEE, periodKey: MONTH, reason: 'once more' });
    expect([again.status, again.body.error?.code]).toEqual([409, 'INVALID_TRANSITION']);

    expect(await lockAndWait()).toMatchObject({ locked: 1, failed: 0 });
    expect(await ok('periods/status', HR, { personId: EMPLOYEE, periodKey: MONTH })).toMatchObject({ status: 'locked', version: 2 });
    expect((await report()).totals).toMatchObject({ workedSeconds: workedAfter, expectedSeconds: expected });
    const { snapshots: versions } = await ok<{ snapshots: { version: number; hash: string; current: boolean; lockedBy: string }[] }>('snapshots/list', AUDITOR, { personId: EMPLOYEE, periodKey: MONTH });
    expect(versions.map((v) => [v.version, v.current, v.lockedBy])).toEqual([
      [2, true, HR],
      [1, false, HR],
    ]);
    expect(versions[0]!.hash).not.toBe(versions[1]!.hash);
    const driftNow = await ok<{ version: number; netSecondsDelta: number; changed: unknown[] }>('drift/get', HR, { personId: EMPLOYEE, periodKey: MONTH });
    expect(driftNow).toMatchObject({ version: 2, netSecondsDelta: 0, changed: [] });
    // The relock credits only the difference; version 1 stays readable, intact, with its own numbers.
    const balance = await ok<{ balanceSeconds: number; recent: { kind: string; seconds: number }[] }>('balance/person', HR, { accountId: EMPLOYEE });
    expect(balance.balanceSeconds).toBe(workedAfter - expected);
    expect(balance.recent.map((e) => [e.kind, e.seconds])).toEqual([
      ['period-close', workedBefore - expected],
      ['adjustment', workedAfter - workedBefore],
    ]);
    const v1 = await ok<{ snapshot: { report: Report }; verification: { ok: boolean } }>('snapshots/get', AUDITOR, { personId: EMPLOYEE, periodKey: MONTH, version: 1 });
    expect(v1.verification.ok).toBe(true);
    expect(v1.snapshot.report.totals.workedSeconds).toBe(workedBefore);
  });

  it('the audit chain verifies, and names the entry altered in the SQLite file', async () => {
    const verified = await ok<{ ok: boolean; count: number; lastSeq: number }>('audit/verify', AUDITOR, {});
    expect(verified.ok).toBe(true);
    checkpoint = await ok<{ seq: number; hash: string }>('audit/checkpoint', AUDITOR, {});
    expect(checkpoint.seq).toBe(verified.lastSeq);
    expect(checkpoint.hash).toMatch(/^[0-9a-f]{64}$/);
    // Every step above left its entry: the unlock among them, with its reason.
    const actions = revealPage(await ok<{ entries: { seq: number; action: string; actor: string; details: unknown }[]; people: Record<string, string> }>('audit/list', AUDITOR, { limit: 100 })).entries;
    expect(actions.map((e) => [e.seq, e.action, e.actor]).reverse()).toEqual([
      [1, 'settings.save', ADMIN],
      [2, 'roles.save', ADMIN],
      [3, 'holidays.calendar', HR],
      [4, 'holidays.import', HR],
      [5, 'contract.save', HR],
      [6, 'import.start', HR],
      [7, 'period.lock-job', HR],
      [8, 'period.lock', HR],
      [9, 'period.lock-job', HR], // this month's, refused for the person
      [10, 'period.unlock', HR],
      [11, 'period.lock-job', HR],
      [12, 'period.lock', HR],
    ]);
    const unlock = actions.find((e) => JSON.stringify(e.details).includes('the 4 November worklog was corrected'));
    expect(unlock, JSON.stringify(actions.map((e) => e.action))).toBeDefined();

    // Alter the unlock's entry (its reason) in the file, with the runtime stopped.
    await stop();
    const key = `audit#${String(unlock!.seq).padStart(12, '0')}`;
    const db = new Database(dbFile);
    const original = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?').get(key)!.value;
    expect(original).toContain('the 4 November worklog was corrected');
    db.prepare('UPDATE kv SET value = ? WHERE key = ?').run(original.replace('the 4 November worklog was corrected', 'no reason given at all'), key);
    db.close();
    await start();

    const broken = await ok<{ ok: boolean; brokenAt: { seq: number }; reason: string; message: string }>('audit/verify', AUDITOR, {});
    expect(broken).toMatchObject({ ok: false, brokenAt: { seq: unlock!.seq }, reason: 'hash-mismatch' });
    expect(broken.message).toContain(String(unlock!.seq));

    // Put it back; then cut the last entry off the end: the chain alone still holds, the checkpoint does not.
    await stop();
    const db2 = new Database(dbFile);
    db2.prepare('UPDATE kv SET value = ? WHERE key = ?').run(original, key);
    const last = db2.prepare<[], { key: string }>("SELECT key FROM kv WHERE key LIKE 'audit#%' ORDER BY key DESC LIMIT 1").get()!.key;
    expect(last).toBe(`audit#${String(checkpoint.seq).padStart(12, '0')}`);
    db2.prepare('DELETE FROM kv WHERE key = ?').run(last);
    db2.close();
    await start();

    expect(await ok('audit/verify', AUDITOR, {})).toMatchObject({ ok: true, lastSeq: checkpoint.seq - 1 });
    const cut = await ok<{ ok: boolean; reason: string }>('audit/verify', AUDITOR, { checkpoint });
    expect(cut).toMatchObject({ ok: false, reason: 'head-mismatch' });
    // A write after the cut takes the cut entry's seq, and the chain holds again; the checkpoint still tells.
    await ok('settings/save', ADMIN, { changes: { weekStart: 7 } });
    expect(await ok('audit/verify', AUDITOR, {})).toMatchObject({ ok: true, lastSeq: checkpoint.seq });
    expect(await ok('audit/verify', AUDITOR, { checkpoint })).toMatchObject({ ok: false, reason: 'head-mismatch' });
  });
});
