import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JiraClient, JiraRateLimitedError, retryAfterSeconds } from '../../../src/sources/jiraClient';
import { fetchTransport } from '../../../src/sources/jiraTransport';
import { FakeJira } from '../../support/fakeJira';

let jira: FakeJira;
let baseUrl: string;
const slept: number[] = [];
const client = (options: ConstructorParameters<typeof JiraClient>[1] = {}) =>
  new JiraClient(fetchTransport(baseUrl, { email: 'bot@example.com', apiToken: 'test-token' }), {
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    ...options,
  });

beforeAll(async () => {
  jira = new FakeJira();
  baseUrl = await jira.listen();
});
afterAll(() => jira.close());
beforeEach(() => {
  jira.worklogs.clear();
  jira.deletions.clear();
  jira.users.clear();
  jira.calls.clear();
  slept.length = 0;
});

async function collect(pages: AsyncGenerator<{ ids: readonly number[] }>): Promise<number[]> {
  const ids: number[] = [];
  for await (const page of pages) ids.push(...page.ids);
  return ids;
}

describe('Jira client', () => {
  it('pages /worklog/updated to the end, oldest first, and leaves out the last minute', async () => {
    const base = jira.now - 3_600_000;
    for (let i = 0; i < 2500; i++) jira.upsert({ id: 10_000 + i, issueId: 1, accountId: 'a', started: base, seconds: 60, updated: base + i });
    jira.upsert({ id: 99_999, issueId: 1, accountId: 'a', started: base, seconds: 60, updated: jira.now - 30_000 });
    const ids = await collect(client().updatedWorklogs(0));
    expect(new Set(ids).size).toBe(2500);
    expect(ids).not.toContain(99_999);
    expect(jira.calls.get('updated')).toBe(3);
  });

  it('steps past a full page of worklogs updated in the same millisecond instead of stalling', async () => {
    const t = jira.now - 3_600_000;
    for (let i = 0; i < 1200; i++) jira.upsert({ id: 20_000 + i, issueId: 1, accountId: 'a', started: t, seconds: 60, updated: t });
    jira.upsert({ id: 30_000, issueId: 1, accountId: 'a', started: t, seconds: 60, updated: t + 5 });
    const ids = await collect(client().updatedWorklogs(t));
    expect(ids).toContain(30_000);
    expect(jira.calls.get('updated')).toBeLessThan(5);
  });

  it('fetches worklogs by id in calls of at most 1000, drops comments and restricted worklogs', async () => {
    for (let i = 0; i < 2001; i++) jira.upsert({ id: i + 1, issueId: 7, accountId: 'acc-1', started: Date.parse('2026-03-29T01:30:00Z'), seconds: 3600, visible: i !== 5 });
    const worklogs = await client().worklogsByIds(Array.from({ length: 2001 }, (_, i) => i + 1));
    expect(jira.calls.get('list')).toBe(3);
    expect(worklogs).toHaveLength(2000);
    expect(worklogs[0]).toEqual({ id: '1', source: 'jira', authorId: 'acc-1', issueId: '7', started: Date.parse('2026-03-29T01:30:00Z'), seconds: 3600, updated: jira.now });
    expect(JSON.stringify(worklogs)).not.toContain('private notes');
  });

  it('reads users in bulk, with null time zones kept as null', async () => {
    for (let i = 0; i < 120; i++) jira.users.set(`u${i}`, { accountId: `u${i}`, displayName: `User ${i}`, timeZone: i % 2 ? 'Europe/Brussels' : null });
    const users = await client().usersByIds(Array.from({ length: 120 }, (_, i) => `u${i}`));
    expect(users).toHaveLength(120);
    expect(users[0]).toEqual({ accountId: 'u0', displayName: 'User 0', timeZone: null, active: true, accountType: 'atlassian' });
    expect(users[1]!.timeZone).toBe('Europe/Brussels');
  });

  it('waits out a short 429 (Retry-After plus jitter) and then succeeds', async () => {
    jira.upsert({ id: 1, issueId: 1, accountId: 'a', started: 0, seconds: 1 });
    jira.failNext('list', { status: 429, retryAfter: '2' });
    const worklogs = await client().worklogsByIds([1]);
    expect(worklogs).toHaveLength(1);
    expect(slept).toEqual([2200]);
  });

  it('hands a long 429 back to the caller with the wait Jira asked for', async () => {
    jira.failNext('list', { status: 429, retryAfter: '120' });
    await expect(client().worklogsByIds([1])).rejects.toEqual(new JiraRateLimitedError(120));
    expect(slept).toEqual([]);
  });

  it('retries a 5xx with backoff, then reports the failure with what Jira said', async () => {
    jira.failNext('updated', { status: 503 }, { status: 502 }, { status: 500, body: JSON.stringify({ errorMessages: ['database unavailable'] }) });
    await expect(collect(client().updatedWorklogs(0))).rejects.toThrow('Jira /rest/api/3/worklog/updated failed with HTTP 500: database unavailable');
    expect(slept).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    jira.failNext('list', { status: 401, body: JSON.stringify({ message: 'Client must be authenticated' }) });
    await expect(client().worklogsByIds([1])).rejects.toThrow(/HTTP 401: Client must be authenticated/);
    expect(jira.calls.get('list')).toBe(1);
  });

  it('reads Retry-After as seconds, and falls back to a short wait when it is missing or odd', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds('0.2')).toBe(1);
    expect(retryAfterSeconds(null)).toBe(5);
    expect(retryAfterSeconds('soon')).toBe(5);
  });
});
