import { asApp, asUser, assumeTrustedRoute, route } from '@forge/api';
import type { Directory, Permissions, WorklogSource } from '../ports.ts';
import { JiraClient } from '../sources/jiraClient.ts';
import type { JiraTransport } from '../sources/jiraTransport.ts';

/**
 * Jira as the app (asApp): the client builds every path itself from checked
 * numbers and encoded account ids, so the path is passed as a trusted route.
 */
export function forgeJiraTransport(requester: () => { requestJira: ReturnType<typeof asApp>['requestJira'] } = asApp): JiraTransport {
  return {
    async request(method, path, body) {
      const res = await requester().requestJira(assumeTrustedRoute(path), {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, header: (name) => res.headers.get(name), json: () => res.json(), text: () => res.text() };
    },
  };
}

/** The worklog source and the people directory of the Forge app, both through the shared Jira client. */
export function forgeJira(maxInlineWaitSeconds: number): WorklogSource & Directory {
  const client = new JiraClient(forgeJiraTransport(), { maxInlineWaitSeconds });
  return {
    byIds: (ids) => client.worklogsByIds(ids),
    updatedSince: (since) => client.updatedWorklogs(since),
    deletedSince: (since) => client.deletedWorklogs(since),
    async timeZones(accountIds) {
      const users = await client.usersByIds(accountIds);
      return new Map(users.map((u) => [u.accountId, u.timeZone]));
    },
  };
}

/** The caller's permissions: ADMINISTER asked as the user, groups asked as the app. */
export const forgePermissions: Permissions = {
  async isJiraAdmin() {
    const res = await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return false;
    const body = (await res.json()) as { permissions?: { ADMINISTER?: { havePermission?: boolean } } };
    return body.permissions?.ADMINISTER?.havePermission === true;
  },
  async groupIds(accountId) {
    const res = await asApp().requestJira(route`/rest/api/3/user/groups?accountId=${accountId}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return [];
    return ((await res.json()) as { groupId?: string }[]).map((g) => g.groupId).filter((id): id is string => typeof id === 'string');
  },
};
