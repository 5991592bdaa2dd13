/**
 * Finding people in the Forge build: the resolvers people/search and people/names over the Forge
 * adapter (forgeJira, with its requestJira forwarded to a local stand-in of Jira's user endpoints,
 * test/support/fakeJira.ts), as the app sends them: GET /rest/api/3/user/search and /user/bulk.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers';
import { SEARCH_PAGE_SIZE } from '../../../src/app/people';
import { forgeJira, forgeJiraTransport } from '../../../src/forge/forgeJira';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { FakeJira } from '../../support/fakeJira';
import { SimulatedQueues } from '../../support/simulatedQueue';

const HR = '557058:hr';
let jira: FakeJira;
let baseUrl: string;
const slept: number[] = [];
const routes: string[] = [];

beforeAll(async () => {
  jira = new FakeJira();
  baseUrl = await jira.listen();
});
afterAll(() => jira.close());
beforeEach(() => {
  jira.users.clear();
  jira.calls.clear();
  jira.searches.length = 0;
  slept.length = 0;
  routes.length = 0;
  jira.users.set(HR, { accountId: HR, displayName: 'Harriet HR', timeZone: 'Europe/Brussels' });
});

/** The resolvers as the Forge app wires them (src/forge/index.ts: forgeJira(2)), with requestJira reaching the stand-in. */
async function forgeResolvers() {
  const requester = () => ({
    requestJira: (async (route: { value: string }, init: RequestInit) => {
      routes.push(route.value);
      return fetch(baseUrl + route.value, init);
    }) as never,
  });
  const app = forgeJira(2, forgeJiraTransport(requester), { sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
  const kv = new MemoryKvStore();
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [], groups: [] } });
  const queues = new SimulatedQueues();
  const deps: ResolverDeps = { kv, directory: app, people: app, permissions: app, syncQueue: queues.queue('sync'), periodsQueue: queues.queue('periods'), clock: { now: () => Date.UTC(2026, 10, 23) } };
  return (name: string, payload: unknown) => invokeResolver(deps, name, payload, HR);
}

const ids = (answer: unknown) => (answer as { data: { accountId: string }[] }).data.map((p) => p.accountId);

describe('people/search through the Forge adapter and Jira’s GET /user/search', () => {
  it('asks 25 at a time, encoded, and answers people only, with whether Jira shows their zone', async () => {
    jira.users.set('557058:zoe', { accountId: '557058:zoe', displayName: 'Zoë & Co Smith', timeZone: null });
    jira.users.set('557058:zora', { accountId: '557058:zora', displayName: 'Zora Jones', timeZone: 'Asia/Kathmandu', emailAddress: 'zora@example.com' });
    jira.users.set('app:zapier', { accountId: 'app:zapier', displayName: 'Zapier', timeZone: null, accountType: 'app' });
    jira.users.set('557058:zack', { accountId: '557058:zack', displayName: 'Zack Gone', timeZone: null, active: false });
    const call = await forgeResolvers();
    const answer = await call('people/search', { query: 'Zoë & C' });
    expect(answer).toEqual({ ok: true, data: [{ accountId: '557058:zoe', displayName: 'Zoë & Co Smith', hasTimeZone: false }] });
    expect(routes.at(-1)).toBe(`/rest/api/3/user/search?query=Zo%C3%AB%20%26%20C&startAt=0&maxResults=${SEARCH_PAGE_SIZE}`);
    expect(ids(await call('people/search', { query: 'z' + 'a' }))).toEqual([]);
    expect(await call('people/search', { query: 'zora@ex' })).toEqual({ ok: true, data: [{ accountId: '557058:zora', displayName: 'Zora Jones', hasTimeZone: true }] });
  });

  it('reads the next page when the first holds apps and deactivated accounts, and stops at a short page', async () => {
    for (let i = 0; i < 15; i++) jira.users.set(`app:${i}`, { accountId: `app:${i}`, displayName: `Pat bot ${i}`, timeZone: null, accountType: 'app' });
    for (let i = 0; i < 5; i++) jira.users.set(`557058:gone${i}`, { accountId: `557058:gone${i}`, displayName: `Pat gone ${i}`, timeZone: null, active: false });
    for (let i = 0; i < 12; i++) jira.users.set(`557058:p${i}`, { accountId: `557058:p${i}`, displayName: `Pat ${i}`, timeZone: 'UTC' });
    const call = await forgeResolvers();
    const answer = await call('people/search', { query: 'pat' });
    expect(ids(answer)).toEqual(Array.from({ length: 12 }, (_, i) => `557058:p${i}`));
    expect(jira.searches).toEqual([`?query=pat&startAt=0&maxResults=25`, `?query=pat&startAt=25&maxResults=25`]);
  });

  it('answers at most 20 of many, from one page when it holds 20 people', async () => {
    for (let i = 0; i < 300; i++) jira.users.set(`557058:p${String(i).padStart(3, '0')}`, { accountId: `557058:p${String(i).padStart(3, '0')}`, displayName: `Pat ${i}`, timeZone: 'UTC' });
    const call = await forgeResolvers();
    expect(ids(await call('people/search', { query: 'pat' }))).toHaveLength(20);
    expect(jira.calls.get('search')).toBe(1);
  });

  it('waits out a short 429 as its Retry-After says, and answers', async () => {
    jira.users.set('557058:nora', { accountId: '557058:nora', displayName: 'Nora Newhire', timeZone: 'UTC' });
    jira.failNext('search', { status: 429, retryAfter: '1' });
    const call = await forgeResolvers();
    expect(ids(await call('people/search', { query: 'nora' }))).toEqual(['557058:nora']);
    expect(slept).toEqual([1100]);
    expect(jira.calls.get('search')).toBe(2);
  });

  it('answers RATE_LIMITED with Jira’s wait when it is longer than a resolver may wait', async () => {
    jira.failNext('search', { status: 429, retryAfter: '120' });
    const call = await forgeResolvers();
    expect(await call('people/search', { query: 'nora' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Jira asked us to slow down; try again in 120 s' } });
    expect(slept).toEqual([]);
  });
});

describe('people/names through the Forge adapter and Jira’s GET /user/bulk', () => {
  it('names people by account id, 50 ids a request, leaving out apps, deactivated and unknown accounts', async () => {
    const people = Array.from({ length: 70 }, (_, i) => `557058:p${i}`);
    for (const [i, id] of people.entries()) jira.users.set(id, { accountId: id, displayName: `Person ${i}`, timeZone: i % 2 ? 'UTC' : null });
    jira.users.set('app:bot', { accountId: 'app:bot', displayName: 'Bot', timeZone: null, accountType: 'app' });
    jira.users.set('557058:gone', { accountId: '557058:gone', displayName: 'Gone', timeZone: null, active: false });
    const call = await forgeResolvers();
    const answer = await call('people/names', { accountIds: ['557058:gone', 'app:bot', '557058:nobody', ...people] });
    expect(answer).toMatchObject({ ok: true });
    expect(ids(answer)).toEqual(people);
    expect((answer as { data: unknown[] }).data[1]).toEqual({ accountId: '557058:p1', displayName: 'Person 1', hasTimeZone: true });
    expect(routes.filter((r) => r.startsWith('/rest/api/3/user/bulk?')).length).toBeGreaterThanOrEqual(2);
  });
});
