import { parseInstant } from '../../domain/instant';
import type { Worklog } from '../../domain/worklog';
import { reachesPlatform, SourceRateLimitedError } from '../ports';
import type { JiraResponse, JiraTransport } from './jiraTransport';

/** Jira answered 429 and asked for a wait longer than this caller may spend: retry later. */
export class JiraRateLimitedError extends SourceRateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `Jira is rate limiting this app; retry in ${retryAfterSeconds} s`;
    this.name = 'JiraRateLimitedError';
  }
}

/** Any other failure, with what Jira said, so that a log line explains it. */
export class JiraRequestError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    detail: string,
  ) {
    super(`Jira ${path.split('?')[0]} failed with HTTP ${status}: ${detail}`);
    this.name = 'JiraRequestError';
  }
}

export interface ChangedWorklogsPage {
  readonly ids: readonly number[];
  /** updatedTime (or deletion time) per id, epoch ms. */
  readonly times: readonly number[];
  readonly since: number;
  readonly until: number;
  readonly lastPage: boolean;
}

export interface JiraUser {
  readonly accountId: string;
  readonly timeZone: string | null;
  readonly displayName: string;
  readonly active: boolean;
  /** 'atlassian' (a person), 'app' (an app's bot account) or 'customer' (a service desk customer). */
  readonly accountType: string;
}

/** A user as Jira's user endpoints give one (fields hidden by the person's profile visibility may be missing). */
type RawUser = { accountId: string; timeZone?: string | null; displayName?: string; active?: boolean; accountType?: string };

const toJiraUser = (u: RawUser): JiraUser => ({ accountId: u.accountId, timeZone: u.timeZone ?? null, displayName: u.displayName ?? u.accountId, active: u.active ?? true, accountType: u.accountType ?? 'atlassian' });

export interface JiraClientOptions {
  /** Longest Retry-After the client waits out itself; longer ones throw JiraRateLimitedError. */
  readonly maxInlineWaitSeconds?: number;
  /** Attempts for a 5xx or network error before giving up. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1): jitter, so that many waiting callers do not come back at once. */
  readonly random?: () => number;
}

/** At most this many ids per POST /worklog/list (Jira's limit). */
export const WORKLOG_LIST_MAX_IDS = 1000;
const USER_BULK_MAX_IDS = 50;
/** GET /user/search answers at most 1000 users a call. */
export const USER_SEARCH_MAX_RESULTS = 1000;
/** POST /issue/bulkfetch takes at most 100 issues (1000 only for requests shaped as Jira documents; 100 is always allowed). */
export const ISSUE_BULKFETCH_MAX_IDS = 100;
/** POST /permissions/check checks at most 1000 issues. */
export const PERMISSION_CHECK_MAX_ISSUES = 1000;

/** Jira issue ids are positive whole numbers; anything else must not reach a request body. */
function issueIdNumber(id: string): number {
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new Error(`${JSON.stringify(id)} is not a Jira issue id`);
  return Number(id);
}

/**
 * The Jira Cloud REST client both runtimes use. It speaks only to the
 * endpoints the app needs, pages where Jira pages, waits out short 429s
 * (Retry-After plus jitter) and reports long ones for the caller to retry.
 */
export class JiraClient {
  private readonly maxInlineWaitSeconds: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Requests sent, for budgets and benchmarks. */
  requests = 0;

  constructor(
    private readonly transport: JiraTransport,
    options: JiraClientOptions = {},
  ) {
    this.maxInlineWaitSeconds = options.maxInlineWaitSeconds ?? 5;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JiraResponse> {
    for (let attempt = 1; ; attempt++) {
      let res: JiraResponse;
      try {
        this.requests++;
        res = await this.transport.request(method, path, body);
      } catch (e) {
        // The platform's own errors (a consent prompt) are no network trouble: they go up unchanged.
        if (reachesPlatform(e)) throw e;
        if (attempt >= this.maxAttempts) throw new JiraRequestError(0, path, `network error: ${(e as Error).message}`);
        await this.sleep(this.backoffMs(attempt));
        continue;
      }
      if (res.status === 429) {
        const wait = retryAfterSeconds(res.header('Retry-After'));
        if (wait > this.maxInlineWaitSeconds || attempt >= this.maxAttempts) throw new JiraRateLimitedError(wait);
        await this.sleep(wait * 1000 * (1 + this.random() * 0.2));
        continue;
      }
      if (res.status >= 500 && attempt < this.maxAttempts) {
        await this.sleep(this.backoffMs(attempt));
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw new JiraRequestError(res.status, path, await errorDetail(res));
      return res;
    }
  }

  private backoffMs(attempt: number): number {
    return 500 * 2 ** (attempt - 1) * (1 + this.random());
  }

  /** Pages of worklog ids changed since `since` (epoch ms), oldest first; Jira leaves out the last minute. */
  async *updatedWorklogs(since: number): AsyncGenerator<ChangedWorklogsPage> {
    yield* this.changed('updated', since);
  }

  /** Pages of worklog ids deleted since `since`, with their deletion times. */
  async *deletedWorklogs(since: number): AsyncGenerator<ChangedWorklogsPage> {
    yield* this.changed('deleted', since);
  }

  private async *changed(kind: 'updated' | 'deleted', since: number): AsyncGenerator<ChangedWorklogsPage> {
    let cursor = since;
    for (;;) {
      const res = await this.send('GET', `/rest/api/3/worklog/${kind}?since=${encodeURIComponent(String(cursor))}`);
      const page = (await res.json()) as { values?: { worklogId: number; updatedTime: number }[]; since: number; until: number; lastPage: boolean };
      const values = page.values ?? [];
      yield { ids: values.map((v) => v.worklogId), times: values.map((v) => v.updatedTime), since: page.since, until: page.until, lastPage: page.lastPage };
      if (page.lastPage || values.length === 0) return;
      // Many worklogs changed in one millisecond would stall paging on `until`; step past it.
      cursor = page.until > cursor ? page.until : cursor + 1;
    }
  }

  /** The worklogs with these ids that the app may see (Jira silently leaves out restricted ones). */
  async worklogsByIds(ids: readonly number[]): Promise<Worklog[]> {
    const out: Worklog[] = [];
    for (let i = 0; i < ids.length; i += WORKLOG_LIST_MAX_IDS) {
      const chunk = ids.slice(i, i + WORKLOG_LIST_MAX_IDS);
      const res = await this.send('POST', '/rest/api/3/worklog/list', { ids: chunk });
      for (const raw of (await res.json()) as unknown[]) out.push(normaliseWorklog(raw));
    }
    return out;
  }

  /** Whether the account holds a global permission (ADMINISTER: a Jira admin), asked as the app: no user consent is involved. */
  async hasGlobalPermission(accountId: string, permission: string): Promise<boolean> {
    const res = await this.send('POST', '/rest/api/3/permissions/check', { accountId, globalPermissions: [permission] });
    const body = (await res.json()) as { globalPermissions?: unknown };
    if (!Array.isArray(body.globalPermissions)) throw new JiraRequestError(res.status, '/rest/api/3/permissions/check', 'the answer has no globalPermissions list');
    return body.globalPermissions.includes(permission);
  }

  /** Ids of the groups the account belongs to. */
  async groupIds(accountId: string): Promise<string[]> {
    const res = await this.send('GET', `/rest/api/3/user/groups?accountId=${encodeURIComponent(accountId)}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new JiraRequestError(res.status, '/rest/api/3/user/groups', 'the answer is not a list of groups');
    return (body as { groupId?: unknown }[]).map((g) => g.groupId).filter((id): id is string => typeof id === 'string');
  }

  /**
   * Of these issues, those Jira returns to the app, 100 a request (POST /issue/bulkfetch, no fields
   * but the id). Jira leaves out issues that do not exist and those the app may not see alike;
   * `undecided` are the ids Jira reported an error for.
   */
  async visibleIssues(issueIds: readonly string[]): Promise<{ visible: Set<string>; undecided: Set<string> }> {
    const visible = new Set<string>();
    const undecided = new Set<string>();
    for (let i = 0; i < issueIds.length; i += ISSUE_BULKFETCH_MAX_IDS) {
      const chunk = issueIds.slice(i, i + ISSUE_BULKFETCH_MAX_IDS);
      chunk.forEach(issueIdNumber);
      const res = await this.send('POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: chunk, fields: ['id'] });
      const body = (await res.json()) as { issues?: { id?: unknown }[]; issueErrors?: { id?: unknown }[] };
      if (!Array.isArray(body.issues)) throw new JiraRequestError(res.status, '/rest/api/3/issue/bulkfetch', 'the answer has no issues list');
      for (const issue of body.issues) if (issue.id !== undefined) visible.add(String(issue.id));
      for (const error of body.issueErrors ?? []) if (error.id !== undefined) undecided.add(String(error.id));
    }
    return { visible, undecided };
  }

  /**
   * Keys and summaries of these issues, 100 a request (POST /issue/bulkfetch with the summary field).
   * What Jira leaves out (issues that do not exist or that whoever the transport acts as may not see)
   * and what it reports errors for are absent from the answer.
   */
  async issueSummaries(issueIds: readonly string[]): Promise<Map<string, { key: string; summary: string }>> {
    const out = new Map<string, { key: string; summary: string }>();
    const unique = [...new Set(issueIds)];
    for (let i = 0; i < unique.length; i += ISSUE_BULKFETCH_MAX_IDS) {
      const chunk = unique.slice(i, i + ISSUE_BULKFETCH_MAX_IDS);
      chunk.forEach(issueIdNumber);
      const res = await this.send('POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: chunk, fields: ['summary'] });
      const body = (await res.json()) as { issues?: { id?: unknown; key?: unknown; fields?: { summary?: unknown } }[] };
      if (!Array.isArray(body.issues)) throw new JiraRequestError(res.status, '/rest/api/3/issue/bulkfetch', 'the answer has no issues list');
      const asked = new Set(chunk);
      for (const issue of body.issues) {
        const id = String(issue.id);
        // Only what was asked for: Jira may answer a moved issue under its new id or key.
        if (!asked.has(id) || typeof issue.key !== 'string') continue;
        out.set(id, { key: issue.key, summary: typeof issue.fields?.summary === 'string' ? issue.fields.summary : '' });
      }
    }
    return out;
  }

  /** Of these issues, those the account may browse, 1000 a request (POST /permissions/check, asked as the app); Jira ignores ids of issues that do not exist. */
  async browsableBy(accountId: string, issueIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < issueIds.length; i += PERMISSION_CHECK_MAX_ISSUES) {
      const chunk = issueIds.slice(i, i + PERMISSION_CHECK_MAX_ISSUES).map(issueIdNumber);
      const res = await this.send('POST', '/rest/api/3/permissions/check', { accountId, projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], issues: chunk }] });
      const body = (await res.json()) as { projectPermissions?: { permission?: string; issues?: unknown[] }[] };
      if (!Array.isArray(body.projectPermissions)) throw new JiraRequestError(res.status, '/rest/api/3/permissions/check', 'the answer has no projectPermissions list');
      for (const grant of body.projectPermissions) if (grant.permission === 'BROWSE_PROJECTS') for (const id of grant.issues ?? []) out.add(String(id));
    }
    return out;
  }

  /**
   * One page of the users whose display name or email begins with `query` (GET /user/search), as
   * Jira lists them: apps and inactive accounts included. Jira answers a plain list (no total, no
   * isLast) and looks at its first 1000 matches only, so a page shorter than `maxResults` is the last.
   */
  async searchUsers(query: string, page: { readonly startAt: number; readonly maxResults: number }): Promise<JiraUser[]> {
    if (!Number.isInteger(page.startAt) || page.startAt < 0) throw new Error(`startAt must be a whole number of at least 0; got ${page.startAt}`);
    if (!Number.isInteger(page.maxResults) || page.maxResults < 1 || page.maxResults > USER_SEARCH_MAX_RESULTS) throw new Error(`maxResults must be 1–${USER_SEARCH_MAX_RESULTS}; got ${page.maxResults}`);
    const res = await this.send('GET', `/rest/api/3/user/search?query=${encodeURIComponent(query)}&startAt=${page.startAt}&maxResults=${page.maxResults}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new JiraRequestError(res.status, '/rest/api/3/user/search', 'the answer is not a list of users');
    return (body as RawUser[]).filter((u) => typeof u?.accountId === 'string').map(toJiraUser);
  }

  /** Users by account id, with their time zones (null when Jira gives none). */
  async usersByIds(accountIds: readonly string[]): Promise<JiraUser[]> {
    const out: JiraUser[] = [];
    for (let i = 0; i < accountIds.length; i += USER_BULK_MAX_IDS) {
      const chunk = accountIds.slice(i, i + USER_BULK_MAX_IDS);
      const query = chunk.map((id) => `accountId=${encodeURIComponent(id)}`).join('&');
      for (let startAt = 0; ; ) {
        const res = await this.send('GET', `/rest/api/3/user/bulk?${query}&startAt=${startAt}&maxResults=${USER_BULK_MAX_IDS}`);
        const page = (await res.json()) as { values: RawUser[]; isLast?: boolean };
        for (const u of page.values) out.push(toJiraUser(u));
        if (page.isLast !== false || page.values.length === 0) break;
        startAt += page.values.length;
      }
    }
    return out;
  }
}

/** A Jira worklog as the engine stores it: no comment, no display names; instants in epoch ms. */
export function normaliseWorklog(raw: unknown): Worklog {
  const w = raw as { id: string | number; issueId: string | number; author?: { accountId?: string }; started: string; timeSpentSeconds: number; updated: string };
  return {
    id: String(w.id),
    source: 'jira',
    authorId: w.author?.accountId ?? 'unknown',
    issueId: String(w.issueId),
    started: parseInstant(w.started, `worklog ${w.id} started`),
    seconds: w.timeSpentSeconds,
    updated: parseInstant(w.updated, `worklog ${w.id} updated`),
  };
}

/** Retry-After is seconds (or an HTTP date); missing or odd values mean "a little while". */
export function retryAfterSeconds(header: string | null): number {
  if (header === null) return 5;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(1, Math.ceil((date - Date.now()) / 1000)) : 5;
}

async function errorDetail(res: JiraResponse): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; message?: string };
    return body.errorMessages?.join('; ') || body.message || text.slice(0, 200);
  } catch {
    return text.slice(0, 200) || '(no body)';
  }
}
