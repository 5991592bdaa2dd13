import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forgeUserIssues } from '../../../src/forge/forgeJira';
import { JiraRequestError } from '../../../src/sources/jiraClient';
import { FakeJira } from '../../support/fakeJira';

/**
 * The Forge issue lookup (asUser, POST /issue/bulkfetch with the summary field) against the local
 * Jira stand-in: the requester stands in for asUser() and sends the Forge transport's request over
 * loopback HTTP, acting as one user (the x-fake-acting-user header).
 */
const jira = new FakeJira();
let baseUrl = '';
const bodies: unknown[] = [];
const asUserOf = (accountId: string) => () => ({
  requestJira: (async (route: { value: string }, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    return fetch(baseUrl + route.value, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-fake-acting-user': accountId } });
  }) as never,
});

beforeAll(async () => {
  baseUrl = await jira.listen();
});
afterAll(() => jira.close());
beforeEach(() => {
  jira.issues.clear();
  jira.issueErrors.clear();
  jira.calls.clear();
  jira.actingUsers.length = 0;
  bodies.length = 0;
});

describe('Forge issue lookup (as the user)', () => {
  it('gives key and summary of the issues the user may browse, and leaves out unknown, hidden and failed ones', async () => {
    jira.issues.set(10, { id: 10, restrictedTo: null, summary: 'Deploy <script>alert(1)</script>' });
    jira.issues.set(20, { id: 20, restrictedTo: new Set(['acc-boss']) });
    jira.issues.set(30, { id: 30, restrictedTo: null });
    jira.issueErrors.add(30);

    const mine = await forgeUserIssues(0, asUserOf('acc-me')).issueSummaries(['10', '20', '30', '40']);
    expect([...mine]).toEqual([['10', { key: 'FAKE-10', summary: 'Deploy <script>alert(1)</script>' }]]);
    const boss = await forgeUserIssues(0, asUserOf('acc-boss')).issueSummaries(['10', '20']);
    expect([...boss.keys()].sort()).toEqual(['10', '20']);
    expect(boss.get('20')).toEqual({ key: 'FAKE-20', summary: 'Fake issue 20' });
    expect(jira.actingUsers).toEqual(['acc-me', 'acc-boss']);
    expect(bodies[0]).toEqual({ issueIdsOrKeys: ['10', '20', '30', '40'], fields: ['summary'] });
  });

  it('asks for at most 100 issues a request (Jira refuses more), once per id', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(1000 + i));
    for (const id of ids) jira.issues.set(Number(id), { id: Number(id), restrictedTo: null });
    const found = await forgeUserIssues(0, asUserOf('acc-me')).issueSummaries([...ids, ...ids.slice(0, 10)]);
    expect(found.size).toBe(250);
    expect(jira.calls.get('bulkfetch')).toBe(3);
    expect((bodies as { issueIdsOrKeys: string[] }[]).map((b) => b.issueIdsOrKeys.length)).toEqual([100, 100, 50]);
  });

  it('never sends something that is not an issue id, and says when Jira fails', async () => {
    await expect(forgeUserIssues(0, asUserOf('acc-me')).issueSummaries(['10 OR 1=1'])).rejects.toThrow(/is not a Jira issue id/);
    expect(jira.calls.get('bulkfetch')).toBeUndefined();
    jira.failNext('bulkfetch', { status: 400, body: JSON.stringify({ errorMessages: ['bad request'] }) });
    await expect(forgeUserIssues(0, asUserOf('acc-me')).issueSummaries(['10'])).rejects.toBeInstanceOf(JiraRequestError);
  });
});
