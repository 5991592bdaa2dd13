import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Jira Cloud REST endpoints the app uses, built from
 * their documented behaviour: /worklog/updated and /worklog/deleted page 1000
 * ids at a time oldest first, leave out the last 60 s and say lastPage /
 * nextPage / until; /worklog/list takes at most 1000 ids and silently leaves
 * out worklogs the caller may not see; /user/bulk pages users (10 by default);
 * /issue/bulkfetch takes at most 100 issues and leaves out, alike, issues that
 * do not exist and those the app may not see (errors only for issues it could
 * not load); /permissions/check answers global permissions and, for at most
 * 1000 issues, which ones an account may browse (ids of missing issues are
 * ignored); /user/groups lists an account's groups (404 for an unknown one);
 * /user/search matches the query against the start of a display name (or of
 * one of its words)
 * and of the email, then takes startAt/maxResults (50 by default, at most
 * 1000) of the first 1000 matches, answering a plain list that includes apps
 * and deactivated accounts (400 without a query). A request carrying the header `x-fake-acting-user` acts as that user (as Forge's asUser does with the
 * user's token): bulkfetch then shows the issues that user may browse, with the fields asked for;
 * 429s carry Retry-After. Failures can be queued per endpoint.
 */
export interface FakeWorklog {
  id: number;
  issueId: number;
  accountId: string;
  started: number;
  seconds: number;
  updated: number;
  /** False for a worklog restricted to a group or role the app cannot see. */
  visible: boolean;
}

export interface FakeUser {
  accountId: string;
  displayName: string;
  timeZone: string | null;
  /** False for a deactivated account (default true). */
  active?: boolean;
  /** 'atlassian' (default), 'app' for an app's bot account, 'customer' for a service desk customer. */
  accountType?: string;
  emailAddress?: string;
}

/** An issue: everyone may browse it unless restricted (hidden from the app, browsable only by `browsers`). */
export interface FakeIssue {
  id: number;
  restrictedTo: ReadonlySet<string> | null;
  /** Its summary; `Fake issue <id>` when not set. Its key is always FAKE-<id>. */
  summary?: string;
}

type Failure = { status: number; retryAfter?: string; body?: string };

const PAGE = 1000;
const LAG_MS = 60_000;

/** Jira's timestamp format: yyyy-MM-dd'T'HH:mm:ss.SSSZ in the server's offset (here +1000, to show it is not the author's). */
function jiraTimestamp(ms: number): string {
  const local = new Date(ms + 10 * 3_600_000).toISOString().replace('Z', '');
  return `${local}+1000`;
}

export class FakeJira {
  readonly worklogs = new Map<number, FakeWorklog>();
  readonly deletions = new Map<number, number>();
  readonly users = new Map<string, FakeUser>();
  /** Issues that exist; a worklog's issue is added with it. */
  readonly issues = new Map<number, FakeIssue>();
  /** Issues bulkfetch reports an error for (Jira could not load them this time). */
  readonly issueErrors = new Set<number>();
  /** Accounts with the global ADMINISTER permission. */
  readonly admins = new Set<string>();
  /** Group ids by account. */
  readonly groups = new Map<string, string[]>();
  /** Who each bulkfetch acted as (the `x-fake-acting-user` header), in order; requests as the app add nothing. */
  readonly actingUsers: string[] = [];
  /** Request bodies of POST /permissions/check, in order. */
  readonly permissionChecks: unknown[] = [];
  readonly calls = new Map<string, number>();
  /** Query strings of GET /user/search, in order. */
  readonly searches: string[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private server: Server | null = null;
  now = Date.UTC(2026, 10, 23, 12);
  /** When set, a request without these Basic credentials gets Jira's 401, on every endpoint. */
  credentials: { email: string; apiToken: string } | null = null;
  /** When true, every connection is closed without an answer (a host that drops the app). */
  dropConnections = false;
  /** Who GET /rest/api/3/myself says the credentials belong to. */
  myself: FakeUser = { accountId: '557058:fake-bot', displayName: 'Fake bot', timeZone: 'UTC' };

  /** Queues failures for the next calls to an endpoint ('updated', 'deleted', 'list', 'users'). */
  failNext(endpoint: string, ...failures: Failure[]): void {
    this.failures.set(endpoint, [...(this.failures.get(endpoint) ?? []), ...failures]);
  }

  upsert(w: Omit<FakeWorklog, 'updated' | 'visible'> & { updated?: number; visible?: boolean }): FakeWorklog {
    const full = { visible: true, ...w, updated: w.updated ?? this.now };
    this.worklogs.set(w.id, full);
    if (!this.issues.has(w.issueId)) this.issues.set(w.issueId, { id: w.issueId, restrictedTo: null });
    return full;
  }

  /** Deletes an issue with its worklogs, as Jira does: no worklog deletion is listed for them. */
  deleteIssue(issueId: number): void {
    this.issues.delete(issueId);
    for (const [id, w] of this.worklogs) if (w.issueId === issueId) this.worklogs.delete(id);
  }

  /** Hides an issue from the app (issue security): only these accounts may still browse it. */
  restrictIssue(issueId: number, browsers: readonly string[]): void {
    this.issues.set(issueId, { id: issueId, restrictedTo: new Set(browsers) });
  }

  private mayBrowse(issue: FakeIssue | undefined, accountId: string | null): boolean {
    if (!issue) return false;
    return issue.restrictedTo === null || (accountId !== null && issue.restrictedTo.has(accountId));
  }

  remove(id: number, at = this.now): void {
    this.worklogs.delete(id);
    this.deletions.set(id, at);
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private count(endpoint: string): void {
    this.calls.set(endpoint, (this.calls.get(endpoint) ?? 0) + 1);
  }

  /** Answers what comes before routing (dropped connections, credentials, /myself); true when it did. */
  private answeredBeforeRouting(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.dropConnections) {
      req.socket.destroy();
      return true;
    }
    const expected = this.credentials && `Basic ${Buffer.from(`${this.credentials.email}:${this.credentials.apiToken}`).toString('base64')}`;
    if (expected && req.headers.authorization !== expected) {
      this.count('unauthenticated');
      res.writeHead(401, { 'Content-Type': 'text/plain;charset=UTF-8', 'WWW-Authenticate': 'Basic realm="protected-area"' });
      res.end('Client must be authenticated to access this resource.');
      return true;
    }
    if (new URL(req.url ?? '/', 'http://fake').pathname === '/rest/api/3/myself') {
      this.count('myself');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ...this.myself, accountType: 'atlassian', active: true }));
      return true;
    }
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.answeredBeforeRouting(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const endpoint =
      url.pathname === '/rest/api/3/worklog/updated' ? 'updated'
      : url.pathname === '/rest/api/3/worklog/deleted' ? 'deleted'
      : url.pathname === '/rest/api/3/worklog/list' ? 'list'
      : url.pathname === '/rest/api/3/user/bulk' ? 'users'
      : url.pathname === '/rest/api/3/issue/bulkfetch' ? 'bulkfetch'
      : url.pathname === '/rest/api/3/permissions/check' ? 'permissions'
      : url.pathname === '/rest/api/3/user/groups' ? 'groups'
      : url.pathname === '/rest/api/3/user/search' ? 'search'
      : null;
    if (!endpoint) return send(404, { errorMessages: [`no such endpoint ${url.pathname}`] });
    this.count(endpoint);
    const failure = this.failures.get(endpoint)?.shift();
    if (failure) return send(failure.status, failure.body ?? { errorMessages: ['injected failure'] }, failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {});
    if (endpoint === 'updated' || endpoint === 'deleted') return send(200, this.changed(endpoint, url));
    if (endpoint === 'list') {
      if (req.method !== 'POST') return send(405, { errorMessages: ['use POST'] });
      const body = JSON.parse(await readBody(req)) as { ids?: unknown };
      if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'number')) return send(400, { errorMessages: ['ids must be a list of numbers'] });
      if (body.ids.length > PAGE) return send(400, { errorMessages: [`The number of worklog IDs must be less than or equal to ${PAGE}.`] });
      return send(200, (body.ids as number[]).map((id) => this.worklogs.get(id)).filter((w): w is FakeWorklog => !!w && w.visible).map((w) => this.worklogJson(w)));
    }
    if (endpoint === 'bulkfetch') {
      if (req.method !== 'POST') return send(405, { errorMessages: ['use POST'] });
      const body = JSON.parse(await readBody(req)) as { issueIdsOrKeys?: unknown; fields?: unknown };
      if (!Array.isArray(body.issueIdsOrKeys) || body.issueIdsOrKeys.some((id) => typeof id !== 'string')) return send(400, { errorMessages: ['issueIdsOrKeys must be a list of strings'] });
      if (body.issueIdsOrKeys.length > 100) return send(400, { errorMessages: ['You can request up to 100 issues.'] });
      const ids = (body.issueIdsOrKeys as string[]).map(Number).sort((a, b) => a - b);
      const errors = ids.filter((id) => this.issueErrors.has(id));
      const actingUser = typeof req.headers['x-fake-acting-user'] === 'string' ? req.headers['x-fake-acting-user'] : null;
      if (actingUser !== null) this.actingUsers.push(actingUser);
      const issues = ids.filter((id) => !this.issueErrors.has(id) && this.mayBrowse(this.issues.get(id), actingUser));
      const withSummary = Array.isArray(body.fields) && body.fields.includes('summary');
      return send(200, {
        expand: '',
        issues: issues.map((id) => ({ id: String(id), key: `FAKE-${id}`, self: `http://fake/rest/api/3/issue/${id}`, fields: withSummary ? { summary: this.issues.get(id)!.summary ?? `Fake issue ${id}` } : {} })),
        issueErrors: errors.map((id) => ({ id: String(id), errorMessage: 'Could not load the issue; try again.' })),
      });
    }
    if (endpoint === 'permissions') {
      if (req.method !== 'POST') return send(405, { errorMessages: ['use POST'] });
      const body = JSON.parse(await readBody(req)) as { accountId?: string; globalPermissions?: string[]; projectPermissions?: { permissions: string[]; issues?: number[] }[] };
      this.permissionChecks.push(body);
      const accountId = body.accountId ?? null;
      if (accountId !== null && !this.users.has(accountId)) return send(404, { errorMessages: [`The user with account ID '${accountId}' does not exist.`] });
      const asked = (body.projectPermissions ?? []).reduce((n, p) => n + (p.issues?.length ?? 0), 0);
      if (asked > 1000) return send(400, { errorMessages: ['A maximum of 1000 issues can be checked.'] });
      return send(200, {
        globalPermissions: (body.globalPermissions ?? []).filter((p) => p === 'ADMINISTER' && accountId !== null && this.admins.has(accountId)),
        projectPermissions: (body.projectPermissions ?? []).flatMap((p) =>
          p.permissions.map((permission) => ({ permission, projects: [], issues: (p.issues ?? []).filter((id) => permission === 'BROWSE_PROJECTS' && this.mayBrowse(this.issues.get(id), accountId)) })),
        ),
      });
    }
    if (endpoint === 'groups') {
      const accountId = url.searchParams.get('accountId') ?? '';
      if (!this.users.has(accountId)) return send(404, { errorMessages: [`The user with account ID '${accountId}' does not exist.`] });
      return send(200, (this.groups.get(accountId) ?? []).map((groupId) => ({ name: `group ${groupId}`, groupId, self: `http://fake/rest/api/3/group?groupId=${groupId}` })));
    }
    if (endpoint === 'search') {
      this.searches.push(url.search);
      const query = (url.searchParams.get('query') ?? '').toLowerCase();
      if (query === '') return send(400, { errorMessages: ['One of the query parameters accountId, query or property is required.'] });
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const maxResults = Math.min(1000, Number(url.searchParams.get('maxResults') ?? 50));
      const matches = [...this.users.values()].filter((u) => [u.displayName, ...u.displayName.split(/\s+/)].some((w) => w.toLowerCase().startsWith(query)) || (u.emailAddress ?? '').toLowerCase().startsWith(query)).slice(0, 1000);
      return send(200, matches.slice(startAt, startAt + maxResults).map((u) => this.userJson(u)));
    }
    const ids = url.searchParams.getAll('accountId');
    const startAt = Number(url.searchParams.get('startAt') ?? 0);
    const maxResults = Number(url.searchParams.get('maxResults') ?? 10);
    const found = ids.map((id) => this.users.get(id)).filter((u): u is FakeUser => !!u);
    const values = found.slice(startAt, startAt + maxResults).map((u) => this.userJson(u));
    return send(200, { startAt, maxResults, total: found.length, isLast: startAt + values.length >= found.length, values });
  }

  /** A user as Jira's user endpoints give one: a hidden time zone is left out, not null. */
  private userJson(u: FakeUser) {
    return {
      self: `http://fake/rest/api/3/user?accountId=${u.accountId}`,
      accountId: u.accountId,
      accountType: u.accountType ?? 'atlassian',
      displayName: u.displayName,
      active: u.active ?? true,
      ...(u.timeZone === null ? {} : { timeZone: u.timeZone }),
      avatarUrls: {},
    };
  }

  private changed(kind: 'updated' | 'deleted', url: URL) {
    const since = Number(url.searchParams.get('since') ?? 0);
    const horizon = this.now - LAG_MS;
    const all =
      kind === 'updated'
        ? [...this.worklogs.values()].filter((w) => w.visible).map((w) => ({ worklogId: w.id, updatedTime: w.updated }))
        : [...this.deletions].map(([worklogId, updatedTime]) => ({ worklogId, updatedTime }));
    const eligible = all.filter((v) => v.updatedTime >= since && v.updatedTime <= horizon).sort((a, b) => a.updatedTime - b.updatedTime || a.worklogId - b.worklogId);
    const values = eligible.slice(0, PAGE).map((v) => ({ ...v, properties: [] }));
    const lastPage = eligible.length <= PAGE;
    const until = values.length ? values[values.length - 1]!.updatedTime : since;
    const self = `http://fake/rest/api/3/worklog/${kind}?since=${since}`;
    return { values, since, until, self, lastPage, ...(lastPage ? {} : { nextPage: `http://fake/rest/api/3/worklog/${kind}?since=${until}` }) };
  }

  private worklogJson(w: FakeWorklog) {
    return {
      self: `http://fake/rest/api/3/issue/${w.issueId}/worklog/${w.id}`,
      id: String(w.id),
      issueId: String(w.issueId),
      author: { accountId: w.accountId, displayName: this.users.get(w.accountId)?.displayName ?? w.accountId, timeZone: this.users.get(w.accountId)?.timeZone ?? null },
      updateAuthor: { accountId: w.accountId },
      comment: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'private notes' }] }] },
      created: jiraTimestamp(w.updated),
      updated: jiraTimestamp(w.updated),
      started: jiraTimestamp(w.started),
      timeSpent: `${Math.floor(w.seconds / 3600)}h`,
      timeSpentSeconds: w.seconds,
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
