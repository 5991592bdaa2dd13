import { asApp, asUser, assumeTrustedRoute, NeedsAuthenticationError } from '@forge/api';
import { reachPlatform, type Directory, type IssueDirectory, type IssueLookup, type PeopleDirectory, type Permissions, type WorklogSource } from '../ports';
import { JiraClient, type JiraClientOptions } from '../sources/jiraClient';
import type { JiraTransport } from '../sources/jiraTransport';

/**
 * Jira as the app (asApp), or as another requester such as asUser: the client builds every path itself from checked
 * numbers and encoded account ids, so the path is passed as a trusted route.
 * A consent request from the platform is marked to reach Forge unchanged.
 */
export function forgeJiraTransport(requester: () => { requestJira: ReturnType<typeof asApp>['requestJira'] } = asApp): JiraTransport {
  return {
    async request(method, path, body) {
      let res: Awaited<ReturnType<ReturnType<typeof asApp>['requestJira']>>;
      try {
        res = await requester().requestJira(assumeTrustedRoute(path), {
          method,
          headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (e) {
        if (e instanceof NeedsAuthenticationError) throw reachPlatform(e);
        throw e;
      }
      return { status: res.status, header: (name) => res.headers.get(name), json: () => res.json(), text: () => res.text() };
    },
  };
}

/**
 * The Forge app's view of Jira, all through the shared client as the app:
 * worklogs, people (their zones, and finding them by name: GET /user/search
 * and /user/bulk), the caller's permissions (ADMINISTER via POST
 * /permissions/check with the caller's account id, so no user consent is
 * needed) and which issues still exist.
 */
export function forgeJira(
  maxInlineWaitSeconds: number,
  transport: JiraTransport = forgeJiraTransport(),
  options: Omit<JiraClientOptions, 'maxInlineWaitSeconds'> = {},
): WorklogSource & Directory & PeopleDirectory & Permissions & IssueDirectory {
  const client = new JiraClient(transport, { ...options, maxInlineWaitSeconds });
  return {
    byIds: (ids) => client.worklogsByIds(ids),
    updatedSince: (since) => client.updatedWorklogs(since),
    deletedSince: (since) => client.deletedWorklogs(since),
    async timeZones(accountIds) {
      const users = await client.usersByIds(accountIds);
      return new Map(users.map((u) => [u.accountId, u.timeZone]));
    },
    searchUsers: (query, page) => client.searchUsers(query, page),
    usersByIds: (accountIds) => client.usersByIds(accountIds),
    isJiraAdmin: (accountId) => client.hasGlobalPermission(accountId, 'ADMINISTER'),
    groupIds: (accountId) => client.groupIds(accountId),
    visibleIssues: (issueIds) => client.visibleIssues(issueIds),
    browsableBy: (accountId, issueIds) => client.browsableBy(accountId, issueIds),
  };
}

/**
 * Issue keys and summaries asked of Jira as the user calling the resolver (asUser), so that a
 * person sees only the names of issues Jira lets them browse; the rest come back as none. The first
 * call of a user who has not yet allowed the app to act for them throws Forge's consent request,
 * which reaches the platform (it then asks them).
 */
export function forgeUserIssues(maxInlineWaitSeconds: number, requester: () => { requestJira: ReturnType<typeof asUser>['requestJira'] } = () => asUser()): IssueLookup {
  const client = new JiraClient(forgeJiraTransport(requester), { maxInlineWaitSeconds });
  return { issueSummaries: (issueIds) => client.issueSummaries(issueIds) };
}
