import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/local/config';
import { startLocal } from '../../../src/local/main';

const dataDir = mkdtempSync(join(tmpdir(), 'worktime-local-'));
let running: Awaited<ReturnType<typeof startLocal>>;

async function invoke(name: string, account: string, payload: unknown) {
  const res = await fetch(`${running.url}/api/invoke/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-worktime-account': account },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir, WORKTIME_DEMO_TRICKLE_MS: '200' });
}, 60_000);
afterAll(() => running?.stop());

describe('local runtime (demo)', () => {
  it('imports the demo site through the pipeline and reports on it', async () => {
    const hr = '557058:demo-01';
    await until(async () => {
      const progress = await invoke('sync/progress', hr, {});
      return (progress.body.data as { state?: string } | undefined)?.state === 'done';
    }, 60_000);
    const progress = (await invoke('sync/progress', hr, {})).body.data as { done: number; total: number; errors: number };
    expect(progress.total).toBeGreaterThan(5_000);
    expect(progress.done).toBe(progress.total);
    expect(progress.errors).toBe(0);

    const report = await invoke('report/mine', '557058:demo-01', { period: { periodKey: '2026-10' } });
    expect(report.status).toBe(200);
    const totals = (report.body.data as { totals: { workedSeconds: number; expectedSeconds: number } }).totals;
    expect(totals.workedSeconds).toBeGreaterThan(50 * 3600);
    expect(totals.expectedSeconds).toBeGreaterThan(50 * 3600);
  }, 90_000);

  it('answers bad input with 400 and a message, forbidden calls with 403', async () => {
    const bad = await invoke('report/mine', '557058:demo-05', { period: { periodKey: '2026-10' }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.code).toBe('INVALID_INPUT');
    const forbidden = await invoke('report/person', '557058:demo-05', { accountId: '557058:demo-06', period: { periodKey: '2026-10' } });
    expect(forbidden.status).toBe(403);
    const noAccount = await fetch(`${running.url}/api/invoke/report/mine`, { method: 'POST', body: '{}' });
    expect(noAccount.status).toBe(401);
  });

  it('answers 404 PERSON_NOT_FOUND for a report or balance about an account the site does not know', async () => {
    const october = { period: { periodKey: '2026-10' } };
    for (const [name, account, payload] of [
      ['report/person', '557058:demo-01', { accountId: '557058:nobody', ...october }],
      ['balance/person', '557058:demo-01', { accountId: '557058:nobody' }],
      ['report/mine', '557058:nobody', october],
      ['balance/mine', '557058:nobody', {}],
    ] as const) {
      const answer = await invoke(name, account, payload);
      expect(answer.status, name).toBe(404);
      expect(answer.body.error!.code, name).toBe('PERSON_NOT_FOUND');
    }
  });

  it('serves the UI at / (npm test builds it first), and lists the demo people with their roles for its acting-as picker', async () => {
    const html = await (await fetch(running.url)).text();
    expect(html).toContain('<title>Worktime (local runtime)</title>');
    const people = (await (await fetch(`${running.url}/api/people`)).json()) as { accountId: string; roles: string[] }[];
    const roles = Object.fromEntries(people.map((p) => [p.accountId, p.roles]));
    expect(roles).toMatchObject({
      '557058:demo-admin': ['Jira admin'],
      '557058:demo-01': ['HR admin'],
      '557058:demo-02': ['auditor'],
      '557058:demo-03': ['team lead'],
      '557058:demo-05': ['employee'],
    });
  });

  it('the README names each demo account’s role as the runtime assigns it', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(557058:demo-[a-z0-9]+)` \| ([^|]+) \| \*\*([^*]+)\*\*/gm)].map((m) => ({ accountId: m[1]!, displayName: m[2]!.trim(), role: m[3]! }));
    expect(rows.map((r) => r.role)).toEqual(['HR admin', 'auditor', 'team lead', 'employee', 'Jira admin']);
    const people = (await (await fetch(`${running.url}/api/people`)).json()) as { accountId: string; displayName: string; roles: string[] }[];
    for (const row of rows) expect(people.find((p) => p.accountId === row.accountId)).toMatchObject({ displayName: row.displayName, roles: [row.role] });
  });

  it('the README’s demo accounts can do what their roles allow, and no more', async () => {
    const october = { period: { periodKey: '2026-10' } };
    // HR admin and auditor see anyone; only the HR admin may start an import.
    expect((await invoke('report/person', '557058:demo-01', { accountId: '557058:demo-20', ...october })).status).toBe(200);
    expect((await invoke('report/person', '557058:demo-02', { accountId: '557058:demo-20', ...october })).status).toBe(200);
    expect((await invoke('sync/start-import', '557058:demo-02', {})).status).toBe(403);
    // The team lead sees the Brussels office (demo-01 to demo-09), nobody else.
    expect((await invoke('report/person', '557058:demo-03', { accountId: '557058:demo-04', ...october })).status).toBe(200);
    expect((await invoke('report/person', '557058:demo-03', { accountId: '557058:demo-10', ...october })).status).toBe(403);
    // The employee sees their own report only.
    expect((await invoke('report/mine', '557058:demo-05', october)).status).toBe(200);
    expect((await invoke('report/person', '557058:demo-05', { accountId: '557058:demo-04', ...october })).status).toBe(403);
  });

  it('states the real trickle period at start-up', () => {
    expect(running.banner[0]).toMatch(/^Demo data: 42 people in 8 time zones \(2 with no zone set in Jira\), worklogs from 2026-09-01 to \d{4}-\d\d-\d\d; a worklog is created, edited or deleted every 200 ms\.$/);
    expect(running.banner[1]).toMatch(/^Once the import is in, \d{4}-\d\d is locked for the Brussels office, and then one of Elise's worklogs in it changes, so drift\/get shows drift\.$/);
    expect(running.banner).toHaveLength(2);
  });

  it('refuses a second runtime on the same data directory', async () => {
    await expect(startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir })).rejects.toThrow(`${dataDir} is in use by another runtime in this process; stop it first, or set WORKTIME_DATA_DIR to another directory`);
  });
});

describe('local configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT must be a port number from 0 \(any free port\) to 65535; got "eighty"/],
    [{ JIRA_BASE_URL: 'https://x.atlassian.net' }, /set all of JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN; missing: JIRA_EMAIL, JIRA_API_TOKEN/],
    [{ JIRA_BASE_URL: 'http://x.atlassian.net', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't' }, /must use https/],
    [{ JIRA_BASE_URL: 'not a url', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't' }, /JIRA_BASE_URL must be your site's address/],
    [{ JIRA_BASE_URL: 'https://x.atlassian.net', JIRA_EMAIL: 'nobody', JIRA_API_TOKEN: 't' }, /JIRA_EMAIL must be the e-mail address/],
  ])('%j is refused with a clear message', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it.each(['999999999999', '2147483648', '1.5', '-5', '99', '1e4', 'soon'])('WORKTIME_DEMO_TRICKLE_MS=%s is refused, naming the allowed range', (value) => {
    expect(() => readConfig({ WORKTIME_DEMO_TRICKLE_MS: value })).toThrow(
      `WORKTIME_DEMO_TRICKLE_MS must be a whole number of milliseconds from 100 to 2147483647 (about 24.8 days); got ${JSON.stringify(value)}`,
    );
  });

  it.each([['100', 100], ['2147483647', 2_147_483_647]])('WORKTIME_DEMO_TRICKLE_MS=%s, at an end of the range, is accepted', (value, ms) => {
    expect(readConfig({ WORKTIME_DEMO_TRICKLE_MS: value })).toMatchObject({ mode: 'demo', trickleMs: ms });
  });

  it('reads a complete Jira configuration', () => {
    expect(readConfig({ JIRA_BASE_URL: 'https://x.atlassian.net/', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't', WORKTIME_ADMINS: 'acc-1, acc-2' })).toEqual({
      mode: 'jira',
      port: 8080,
      dataDir: '.data',
      jira: { baseUrl: 'https://x.atlassian.net', email: 'a@b.c', apiToken: 't' },
      admins: ['acc-1', 'acc-2'],
    });
  });
});
