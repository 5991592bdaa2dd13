import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal } from '../../../src/local/main';
import { FakeJira } from '../../support/fakeJira';

const jira = new FakeJira();
let running: Awaited<ReturnType<typeof startLocal>>;

beforeAll(async () => {
  const baseUrl = await jira.listen();
  jira.now = Date.now();
  jira.users.set('acc-1', { accountId: 'acc-1', displayName: 'Ada', timeZone: 'Asia/Kathmandu' });
  // 23:30 UTC on 30 September is 05:15 on 1 October in Kathmandu: an October worklog.
  jira.upsert({ id: 501, issueId: 77, accountId: 'acc-1', started: Date.parse('2026-09-30T23:30:00Z'), seconds: 7200, updated: jira.now - 3_600_000 });
  jira.upsert({ id: 502, issueId: 77, accountId: 'acc-1', started: Date.parse('2026-10-05T04:00:00Z'), seconds: 3600, updated: jira.now - 3_600_000 });
  running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: mkdtempSync(join(tmpdir(), 'worktime-jira-')), JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'test-token' });
});
afterAll(async () => {
  await running?.stop();
  await jira.close();
});

describe('local runtime reading a Jira site', () => {
  it('imports through the REST client and reports in the person’s zone', async () => {
    const invoke = async (name: string, payload: unknown) =>
      (await (await fetch(`${running.url}/api/invoke/${name}`, { method: 'POST', headers: { 'x-worktime-account': 'acc-1' }, body: JSON.stringify(payload) })).json()) as {
        ok: boolean;
        data: { totals: { workedSeconds: number }; days: { date: string; workedSeconds: number; timeZone: string }[] };
      };
    const start = Date.now();
    let report = await invoke('report/mine', { period: { periodKey: '2026-10' } });
    while (report.data.totals.workedSeconds < 10_800 && Date.now() - start < 20_000) {
      await new Promise((r) => setTimeout(r, 100));
      report = await invoke('report/mine', { period: { periodKey: '2026-10' } });
    }
    expect(report.data.totals.workedSeconds).toBe(10_800);
    expect(report.data.days[0]).toMatchObject({ date: '2026-10-01', workedSeconds: 7200, timeZone: 'Asia/Kathmandu' });
    expect(jira.calls.get('list')).toBe(1);
    expect(jira.calls.get('users')).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('names the issues of a day’s worklogs through the same REST client (POST /issue/bulkfetch)', async () => {
    jira.issues.set(77, { id: 77, restrictedTo: null, summary: 'Migrate the <b>billing</b> service' });
    const res = await fetch(`${running.url}/api/invoke/worklogs/mine`, { method: 'POST', headers: { 'x-worktime-account': 'acc-1' }, body: JSON.stringify({ date: '2026-10-01' }) });
    const body = (await res.json()) as { ok: boolean; data: { timeZone: string; worklogs: { worklogId: string; issueKey: string; issueSummary: string; startedLocal: string; secondsOnDay: number }[] } };
    expect(body).toMatchObject({ ok: true, data: { timeZone: 'Asia/Kathmandu' } });
    expect(body.data.worklogs).toMatchObject([{ worklogId: '501', issueKey: 'FAKE-77', issueSummary: 'Migrate the <b>billing</b> service', startedLocal: '2026-10-01T05:15:00', secondsOnDay: 7200 }]);
  });
});
