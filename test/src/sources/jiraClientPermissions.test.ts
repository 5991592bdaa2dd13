import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JiraClient, JiraRequestError } from '../../../src/sources/jiraClient';
import { fetchTransport } from '../../../src/sources/jiraTransport';
import { FakeJira } from '../../support/fakeJira';

const jira = new FakeJira();
let client: JiraClient;
beforeAll(async () => {
  const baseUrl = await jira.listen();
  client = new JiraClient(fetchTransport(baseUrl, null), { sleep: async () => undefined });
  jira.users.set('acc-admin', { accountId: 'acc-admin', displayName: 'Admin', timeZone: null });
  jira.users.set('acc-me', { accountId: 'acc-me', displayName: 'Me', timeZone: null });
  jira.admins.add('acc-admin');
  jira.groups.set('acc-me', ['grp-1', 'grp-2']);
});
afterAll(() => jira.close());
beforeEach(() => {
  jira.calls.clear();
  jira.issues.clear();
  jira.issueErrors.clear();
});

describe('Jira client: the caller’s permissions, asked as the app', () => {
  it('global ADMINISTER through POST /permissions/check with the account id', async () => {
    expect(await client.hasGlobalPermission('acc-admin', 'ADMINISTER')).toBe(true);
    expect(await client.hasGlobalPermission('acc-me', 'ADMINISTER')).toBe(false);
    expect(jira.permissionChecks.at(-1)).toEqual({ accountId: 'acc-me', globalPermissions: ['ADMINISTER'] });
  });

  it('group ids; a failed lookup throws instead of answering "no groups"', async () => {
    expect(await client.groupIds('acc-me')).toEqual(['grp-1', 'grp-2']);
    await expect(client.groupIds('acc-unknown')).rejects.toBeInstanceOf(JiraRequestError);
    jira.failNext('groups', { status: 500 }, { status: 500 }, { status: 500 });
    await expect(client.groupIds('acc-me')).rejects.toThrow(/HTTP 500/);
  });
});

describe('Jira client: which issues exist', () => {
  it('asks /issue/bulkfetch 100 issues at a time; deleted and hidden issues are left out alike, errors are undecided', async () => {
    for (let id = 1; id <= 250; id++) jira.issues.set(id, { id, restrictedTo: null });
    jira.issues.delete(7);
    jira.restrictIssue(8, ['acc-me']);
    jira.issueErrors.add(9);
    const ids = Array.from({ length: 251 }, (_, i) => String(i + 1)); // 251 never existed
    const { visible, undecided } = await client.visibleIssues(ids);
    expect(jira.calls.get('bulkfetch')).toBe(3);
    expect(visible.size).toBe(247);
    expect(['7', '8', '9', '251'].filter((id) => visible.has(id))).toEqual([]);
    expect([...undecided]).toEqual(['9']);
  });

  it('asks who may browse 1000 issues at a time; Jira ignores ids of issues that do not exist', async () => {
    for (let id = 1; id <= 1500; id++) jira.issues.set(id, { id, restrictedTo: null });
    jira.restrictIssue(3, ['acc-admin']);
    const ids = Array.from({ length: 1600 }, (_, i) => String(i + 1));
    const browsable = await client.browsableBy('acc-me', ids);
    expect(jira.calls.get('permissions')).toBe(2);
    expect(browsable.size).toBe(1499);
    expect(browsable.has('3')).toBe(false);
  });

  it('refuses something that is not an issue id before any request', async () => {
    await expect(client.visibleIssues(['12', 'ABC-1'])).rejects.toThrow('"ABC-1" is not a Jira issue id');
    await expect(client.browsableBy('acc-me', ['0'])).rejects.toThrow('"0" is not a Jira issue id');
    expect(jira.calls.get('bulkfetch')).toBeUndefined();
    expect(jira.calls.get('permissions')).toBeUndefined();
  });
});
