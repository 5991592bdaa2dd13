import type { Worklog } from '../../domain/worklog';
import type { ChangedIdsPage, Directory, DirectoryUser, IssueLookup, IssueSummary, PeopleDirectory, Permissions, WorklogSource } from '../ports';

/** The demo's issues: worklogs are logged on ids DEMO_FIRST_ISSUE_ID and the DEMO_ISSUE_COUNT - 1 after it. */
export const DEMO_FIRST_ISSUE_ID = 10_000;
export const DEMO_ISSUE_COUNT = 40;

const DEMO_SUMMARIES = [
  'Quarterly close', 'Payroll export', 'Customer onboarding', 'Release planning', 'Support rota', 'Office move', 'Security review', 'Invoice backlog',
  'Team training', 'Supplier audit', 'Website refresh', 'Data clean-up', 'Budget forecast', 'Hiring interviews', 'Incident follow-up', 'Contract renewals',
] as const;

/**
 * Key and summary of a demo issue, the same on every run: WT-1 for the first id and so on, with a
 * summary from a fixed list; ids outside the demo's range are issues that do not exist.
 */
export function demoIssue(issueId: string): IssueSummary | undefined {
  const n = Number(issueId) - DEMO_FIRST_ISSUE_ID;
  if (!/^\d+$/.test(issueId) || n < 0 || n >= DEMO_ISSUE_COUNT) return undefined;
  return { key: `WT-${n + 1}`, summary: `${DEMO_SUMMARIES[n % DEMO_SUMMARIES.length]}${n >= DEMO_SUMMARIES.length ? ` (part ${Math.floor(n / DEMO_SUMMARIES.length) + 1})` : ''}` };
}

/**
 * The demo's stand-in for a Jira site: worklogs, deletions and people in
 * memory, behaving like the REST endpoints the app reads (updated and deleted
 * lists oldest first, 1000 a page, the last 60 s left out).
 */
export class DemoSource implements WorklogSource, Directory, PeopleDirectory, Permissions, IssueLookup {
  readonly worklogs = new Map<string, Worklog & { updated: number }>();
  readonly deleted = new Map<string, number>();
  /** The demo site's people: they log work, and /api/people lists them to act as. */
  readonly people = new Map<string, { displayName: string; timeZone: string | null }>();
  /** Other accounts the stand-in Jira has, which the app has no data about: new hires, an app's bot, a deactivated account. Found only by searching. */
  readonly otherAccounts = new Map<string, { displayName: string; timeZone: string | null; active: boolean; accountType: string }>();
  readonly admins = new Set<string>();

  constructor(private readonly now: () => number) {}

  async byIds(ids: readonly number[]): Promise<Worklog[]> {
    return ids.map((id) => this.worklogs.get(String(id))).filter((w): w is Worklog & { updated: number } => !!w).map((w) => ({ ...w }));
  }

  private async *pages(entries: [string, number][], since: number): AsyncGenerator<ChangedIdsPage> {
    const horizon = this.now() - 60_000;
    const eligible = entries.filter(([, t]) => t >= since && t <= horizon).sort((a, b) => a[1] - b[1] || Number(a[0]) - Number(b[0]));
    for (let i = 0; i === 0 || i < eligible.length; i += 1000) {
      const page = eligible.slice(i, i + 1000);
      yield { ids: page.map(([id]) => Number(id)), times: page.map(([, t]) => t), until: page.length ? page[page.length - 1]![1] : since, lastPage: i + 1000 >= eligible.length };
    }
  }

  updatedSince(since: number): AsyncIterable<ChangedIdsPage> {
    return this.pages([...this.worklogs.values()].map((w) => [w.id, w.updated]), since);
  }

  deletedSince(since: number): AsyncIterable<ChangedIdsPage> {
    return this.pages([...this.deleted], since);
  }

  async timeZones(accountIds: readonly string[]): Promise<Map<string, string | null>> {
    return new Map(accountIds.flatMap((id) => {
      const known = this.people.get(id) ?? this.otherAccounts.get(id);
      return known ? [[id, known.timeZone] as const] : [];
    }));
  }

  /** Every account, as Jira's user endpoints give them. */
  private accounts(): DirectoryUser[] {
    return [
      ...[...this.people].map(([accountId, p]) => ({ accountId, ...p, active: true, accountType: 'atlassian' })),
      ...[...this.otherAccounts].map(([accountId, a]) => ({ accountId, ...a })),
    ];
  }

  /** As Jira's GET /user/search: the start of a display name or of one of its words, case aside; apps and deactivated accounts included. */
  async searchUsers(query: string, page: { readonly startAt: number; readonly maxResults: number }): Promise<DirectoryUser[]> {
    const q = query.toLocaleLowerCase();
    const matches = this.accounts().filter((u) => [u.displayName, ...u.displayName.split(/\s+/)].some((w) => w.toLocaleLowerCase().startsWith(q)));
    return matches.slice(0, 1000).slice(page.startAt, page.startAt + page.maxResults);
  }

  async usersByIds(accountIds: readonly string[]): Promise<DirectoryUser[]> {
    const wanted = new Set(accountIds);
    return this.accounts().filter((u) => wanted.has(u.accountId));
  }

  async isJiraAdmin(accountId: string): Promise<boolean> {
    return this.admins.has(accountId);
  }

  async groupIds(): Promise<readonly string[]> {
    return [];
  }

  /** Every demo issue is open to everyone on the demo site. */
  async issueSummaries(issueIds: readonly string[]): Promise<Map<string, IssueSummary>> {
    const out = new Map<string, IssueSummary>();
    for (const id of issueIds) {
      const issue = demoIssue(id);
      if (issue) out.set(id, issue);
    }
    return out;
  }
}
