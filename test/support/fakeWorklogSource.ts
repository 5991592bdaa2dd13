import type { Worklog } from '../../domain/worklog';
import { SourceRateLimitedError, type ChangedIdsPage, type Directory, type WorklogSource } from '../../src/ports';

/**
 * The truth, in memory: worklogs as Jira holds them, with updated and deleted
 * lists that behave like /worklog/updated and /worklog/deleted (pages, a 60 s
 * lag) and an optional chance of answering 429.
 */
export class FakeWorklogSource implements WorklogSource, Directory {
  readonly worklogs = new Map<string, Worklog & { updated: number }>();
  readonly deleted = new Map<string, number>();
  readonly zones = new Map<string, string | null>();
  rateLimitChance = 0;
  calls = 0;
  pageSize = 1000;

  constructor(
    readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  private maybeThrottle(): void {
    this.calls++;
    if (this.random() < this.rateLimitChance) throw new SourceRateLimitedError(30);
  }

  async byIds(ids: readonly number[]): Promise<Worklog[]> {
    if (ids.length > 1000) throw new Error('at most 1000 ids per call');
    this.maybeThrottle();
    return ids.map((id) => this.worklogs.get(String(id))).filter((w): w is Worklog & { updated: number } => !!w).map((w) => ({ ...w }));
  }

  private async *pages(entries: [string, number][], since: number): AsyncGenerator<ChangedIdsPage> {
    this.maybeThrottle();
    const horizon = this.now() - 60_000;
    const eligible = entries.filter(([, t]) => t >= since && t <= horizon).sort((a, b) => a[1] - b[1] || Number(a[0]) - Number(b[0]));
    for (let i = 0; i === 0 || i < eligible.length; i += this.pageSize) {
      const page = eligible.slice(i, i + this.pageSize);
      const lastPage = i + this.pageSize >= eligible.length;
      yield { ids: page.map(([id]) => Number(id)), times: page.map(([, t]) => t), until: page.length ? page[page.length - 1]![1] : since, lastPage };
    }
  }

  updatedSince(since: number): AsyncIterable<ChangedIdsPage> {
    return this.pages([...this.worklogs.values()].map((w) => [w.id, w.updated]), since);
  }

  deletedSince(since: number): AsyncIterable<ChangedIdsPage> {
    return this.pages([...this.deleted], since);
  }

  async timeZones(accountIds: readonly string[]): Promise<Map<string, string | null>> {
    return new Map(accountIds.filter((id) => this.zones.has(id)).map((id) => [id, this.zones.get(id)!]));
  }
}
