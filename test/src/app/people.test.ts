import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PEOPLE_SEARCH_MAX, SEARCH_MAX_PAGES, SEARCH_PAGE_SIZE } from '../../../src/app/people';
import { erasePerson } from '../../../src/app/privacy';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { SourceRateLimitedError, type DirectoryUser, type PeopleDirectory } from '../../../src/ports';
import { SimulatedQueues } from '../../support/simulatedQueue';

const ADMIN = 'acc-jira-admin';
const HR = 'acc-hr';
const AUDITOR = 'acc-auditor';
const LEAD = 'acc-lead';
const EMPLOYEE = 'acc-employee';

const person = (accountId: string, displayName: string, over: Partial<DirectoryUser> = {}): DirectoryUser => ({ accountId, displayName, timeZone: 'Europe/Brussels', active: true, accountType: 'atlassian', ...over });

/** Jira's user search as documented: a plain list, prefix matches on a name's words, startAt/maxResults over the matches. */
class ListedDirectory implements PeopleDirectory {
  readonly searches: { query: string; startAt: number; maxResults: number }[] = [];
  readonly lookups: string[][] = [];
  failWith: Error | null = null;
  constructor(readonly users: DirectoryUser[]) {}
  async searchUsers(query: string, page: { startAt: number; maxResults: number }) {
    this.searches.push({ query, ...page });
    if (this.failWith) throw this.failWith;
    const q = query.toLowerCase();
    const matches = this.users.filter((u) => u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)));
    return matches.slice(page.startAt, page.startAt + page.maxResults);
  }
  async usersByIds(ids: readonly string[]) {
    this.lookups.push([...ids]);
    if (this.failWith) throw this.failWith;
    return this.users.filter((u) => ids.includes(u.accountId));
  }
}

async function setup(users: DirectoryUser[] = []) {
  const kv = new MemoryKvStore();
  const queues = new SimulatedQueues();
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
  await kv.set('team#office', { id: 'office', name: 'Office', leads: [LEAD], members: [EMPLOYEE] });
  const directory = new ListedDirectory(users);
  const deps: ResolverDeps = {
    kv,
    directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) },
    people: directory,
    permissions: { isJiraAdmin: async (id) => id === ADMIN, groupIds: async () => [] },
    syncQueue: queues.queue('sync'),
    periodsQueue: queues.queue('periods'),
    clock: { now: () => Date.UTC(2026, 10, 23) },
  };
  return { kv, deps, directory, call: (name: string, payload: unknown, caller = HR) => invokeResolver(deps, name, payload, caller) };
}

const SITE = [
  person('acc-nora', 'Nora Newhire'),
  person('acc-ned', 'Ned Newhire', { timeZone: null }),
  person('acc-bot', 'Newsletter bot', { accountType: 'app' }),
  person('acc-customer', 'Nelly Customer', { accountType: 'customer' }),
  person('acc-left', 'Nils Leaver', { active: false }),
  person('acc-anna', 'Anna Other'),
];

describe('people/search', () => {
  it('finds people whose name begins with the query, with whether Jira gives their zone; apps, customers and deactivated accounts are left out', async () => {
    const { call } = await setup(SITE);
    expect(await call('people/search', { query: 'N' + 'e' })).toEqual({
      ok: true,
      data: [
        { accountId: 'acc-nora', displayName: 'Nora Newhire', hasTimeZone: true },
        { accountId: 'acc-ned', displayName: 'Ned Newhire', hasTimeZone: false },
      ],
    });
    const nils = await call('people/search', { query: 'nils' });
    expect(nils).toEqual({ ok: true, data: [] });
  });

  it('a Jira admin may search too; auditors, team leads and employees are refused, and Jira is not asked', async () => {
    const { call, directory } = await setup(SITE);
    expect(await call('people/search', { query: 'nora' }, ADMIN)).toMatchObject({ ok: true, data: [{ accountId: 'acc-nora' }] });
    const asked = directory.searches.length;
    for (const who of [AUDITOR, LEAD, EMPLOYEE]) {
      const refused = await call('people/search', { query: 'nora' }, who);
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect((refused as { error: { message: string } }).error.message).toMatch(/jira-admin, hr-admin; ask a Jira admin/);
    }
    expect(directory.searches).toHaveLength(asked);
  });

  it.each([
    ['no query', {}, 'query: is missing; send the start of a name or an email, such as "ann"'],
    ['one letter', { query: 'a' }, 'query: must have at least 2 visible characters; got "a". Type more of the name'],
    ['one letter in spaces', { query: '  a  ' }, 'query: must have at least 2 visible characters; got "a". Type more of the name'],
    ['101 characters', { query: 'x'.repeat(101) }, 'query: has 101 characters; at most 100. Type the start of a name or an email'],
    ['zero-width spaces only', { query: '\u200B\u200B\u200B' }, 'query: must have at least 2 visible characters; got "\\u200B\\u200B\\u200B". Type more of the name'],
    ['101 emoji (one character each)', { query: '😀'.repeat(101) }, 'query: has 101 characters; at most 100. Type the start of a name or an email'],
    ['a number', { query: 42 }, 'query: must be text, such as "ann"; got 42'],
    ['an unknown field', { query: 'nora', limit: 50 }, 'payload: Unrecognized key: "limit"'],
  ])('refuses %s with INVALID_INPUT saying what to send, and asks Jira nothing', async (_what, payload, message) => {
    const { call, directory } = await setup(SITE);
    const result = await call('people/search', payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((result as { error: { message: string } }).error.message).toBe(`the people/search payload is not valid: ${message}`);
    expect(directory.searches).toEqual([]);
  });

  it('sends the trimmed query to Jira', async () => {
    const { call, directory } = await setup(SITE);
    await call('people/search', { query: '  Nora  ' });
    expect(directory.searches[0]).toEqual({ query: 'Nora', startAt: 0, maxResults: SEARCH_PAGE_SIZE });
  });

  it('answers at most 20 people, reading pages only while it has fewer', async () => {
    const many = Array.from({ length: 60 }, (_, i) => person(`acc-p${i}`, `Pat ${i}`));
    const { call, directory } = await setup(many);
    const result = (await call('people/search', { query: 'pat' })) as { ok: true; data: { accountId: string }[] };
    expect(result.data.map((p) => p.accountId)).toEqual(many.slice(0, 20).map((p) => p.accountId));
    expect(directory.searches.map((s) => s.startAt)).toEqual([0]);
  });

  it('reads on past pages full of apps and deactivated accounts, but no more than 4 pages', async () => {
    // Page 1: 20 apps and 5 people; page 2: 25 deactivated; page 3: 25 people; never page 5.
    const users = [
      ...Array.from({ length: 20 }, (_, i) => person(`acc-app${i}`, `Pat bot ${i}`, { accountType: 'app' })),
      ...Array.from({ length: 5 }, (_, i) => person(`acc-a${i}`, `Pat A${i}`)),
      ...Array.from({ length: 25 }, (_, i) => person(`acc-gone${i}`, `Pat gone ${i}`, { active: false })),
      ...Array.from({ length: 200 }, (_, i) => person(`acc-b${i}`, `Pat B${i}`)),
    ];
    const { call, directory } = await setup(users);
    const result = (await call('people/search', { query: 'pat' })) as { ok: true; data: { accountId: string }[] };
    expect(result.data).toHaveLength(PEOPLE_SEARCH_MAX);
    expect(result.data.slice(0, 6).map((p) => p.accountId)).toEqual(['acc-a0', 'acc-a1', 'acc-a2', 'acc-a3', 'acc-a4', 'acc-b0']);
    expect(directory.searches.map((s) => s.startAt)).toEqual([0, 25, 50]);

    const onlyApps = await setup(Array.from({ length: 500 }, (_, i) => person(`acc-app${i}`, `Pat bot ${i}`, { accountType: 'app' })));
    expect(await onlyApps.call('people/search', { query: 'pat' })).toEqual({ ok: true, data: [] });
    expect(onlyApps.directory.searches).toHaveLength(SEARCH_MAX_PAGES);
  });

  it('whatever Jira lists, answers only active people, each once, at most 20', async () => {
    const user = fc.record({
      n: fc.integer({ min: 0, max: 40 }),
      active: fc.boolean(),
      accountType: fc.constantFrom('atlassian', 'app', 'customer'),
      zone: fc.constantFrom('Europe/Brussels', null),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(user, { maxLength: 150 }), async (raw) => {
        const users = raw.map((u) => person(`acc-${u.n}`, `Pat ${u.n}`, { active: u.active, accountType: u.accountType, timeZone: u.zone }));
        const { call } = await setup(users);
        const result = (await call('people/search', { query: 'pat' })) as { ok: true; data: { accountId: string; hasTimeZone: boolean }[] };
        expect(result.ok).toBe(true);
        expect(result.data.length).toBeLessThanOrEqual(PEOPLE_SEARCH_MAX);
        expect(new Set(result.data.map((p) => p.accountId)).size).toBe(result.data.length);
        const listed = users.slice(0, SEARCH_MAX_PAGES * SEARCH_PAGE_SIZE);
        for (const p of result.data) expect(listed.some((u) => u.accountId === p.accountId && u.active && u.accountType === 'atlassian')).toBe(true);
        // Nobody left out while fewer than 20 were answered.
        const people = new Set(listed.filter((u) => u.active && u.accountType === 'atlassian').map((u) => u.accountId));
        expect(result.data.length).toBe(Math.min(PEOPLE_SEARCH_MAX, people.size));
      }),
      { numRuns: 60 },
    );
  });

  it('never answers an account this site erased, and stores nothing about the people it finds', async () => {
    const { kv, call, deps } = await setup(SITE);
    await erasePerson({ kv, clock: deps.clock }, { kind: 'erase', accountId: 'acc-nora' }, Date.UTC(2026, 10, 24));
    expect(await call('people/search', { query: 'newhire' })).toEqual({ ok: true, data: [{ accountId: 'acc-ned', displayName: 'Ned Newhire', hasTimeZone: false }] });
    const stored = JSON.stringify((await kv.query('', { limit: 100 })).results);
    expect(stored).not.toContain('acc-ned');
    expect(stored).not.toContain('Ned Newhire');
    expect(stored).not.toContain('acc-nora');
  });

  it('says when Jira asks to slow down, and when the runtime cannot search', async () => {
    const { call, directory, deps } = await setup(SITE);
    directory.failWith = new SourceRateLimitedError(30);
    expect(await call('people/search', { query: 'nora' })).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Jira asked us to slow down; try again in 30 s' } });
    const { people: _people, ...without } = deps;
    expect(await invokeResolver(without, 'people/search', { query: 'nora' }, HR)).toMatchObject({ ok: false, error: { code: 'PEOPLE_DIRECTORY_UNAVAILABLE' } });
  });
});

describe('people/names', () => {
  it('names the people among the ids, in the order asked; unknown ids, apps, customers, deactivated and erased accounts are left out', async () => {
    const { kv, call, deps } = await setup([...SITE, person('acc-erased', 'Eve Erased')]);
    await erasePerson({ kv, clock: deps.clock }, { kind: 'erase', accountId: 'acc-erased' }, Date.UTC(2026, 10, 24));
    const ids = ['acc-anna', 'acc-unknown', 'acc-bot', 'acc-customer', 'acc-left', 'acc-erased', 'acc-ned', 'acc-anna'];
    expect(await call('people/names', { accountIds: ids })).toEqual({
      ok: true,
      data: [
        { accountId: 'acc-anna', displayName: 'Anna Other', hasTimeZone: true },
        { accountId: 'acc-ned', displayName: 'Ned Newhire', hasTimeZone: false },
      ],
    });
  });

  it('is for HR admins and Jira admins only', async () => {
    const { call } = await setup(SITE);
    expect(await call('people/names', { accountIds: ['acc-anna'] }, ADMIN)).toMatchObject({ ok: true });
    for (const who of [AUDITOR, LEAD, EMPLOYEE]) expect(await call('people/names', { accountIds: ['acc-anna'] }, who)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it.each([
    ['no ids', { accountIds: [] }, 'accountIds: must name at least one account id'],
    ['101 ids', { accountIds: Array.from({ length: 101 }, (_, i) => `acc-${i}`) }, 'accountIds: names at most 100 account ids a call; send the rest in another call'],
    ['a name instead of an id', { accountIds: ['Anna Other'] }, 'accountIds.0: must be a Jira account id'],
  ])('refuses %s with INVALID_INPUT', async (_what, payload, message) => {
    const { call, directory } = await setup(SITE);
    const result = await call('people/names', payload);
    expect((result as { error: { message: string } }).error.message).toBe(`the people/names payload is not valid: ${message}`);
    expect(directory.lookups).toEqual([]);
  });
});

describe('people/known', () => {
  /** Registers people as the app does when it first stores data about them (a worklog, a contract, an audit entry). */
  const register = async (kv: MemoryKvStore, ids: string[]) => {
    const { pseudonymsFor, registerPeople } = await import('../../../src/app/pseudonyms');
    await registerPeople(kv, await pseudonymsFor(kv), ids, Date.UTC(2026, 10, 23));
  };

  it('lists every person the app keeps data about, a page at a time, each once, and no longer an erased one', async () => {
    const { kv, call, deps } = await setup(SITE);
    const ids = Array.from({ length: 230 }, (_, i) => `acc-p${String(i).padStart(3, '0')}`);
    await register(kv, ids);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await call('people/known', cursor ? { cursor } : {})) as { ok: true; data: { accountIds: string[]; nextCursor?: string } };
      expect(page.ok).toBe(true);
      expect(page.data.accountIds.length).toBeLessThanOrEqual(100);
      seen.push(...page.data.accountIds);
      cursor = page.data.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...ids].sort());
    await erasePerson({ kv, clock: deps.clock }, { kind: 'erase', accountId: 'acc-p007' }, Date.UTC(2026, 10, 24));
    const all: string[] = [];
    cursor = undefined;
    do {
      const page = (await call('people/known', cursor ? { cursor } : {})) as { ok: true; data: { accountIds: string[]; nextCursor?: string } };
      all.push(...page.data.accountIds);
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(all).not.toContain('acc-p007');
    expect(all).toHaveLength(229);
  });

  it('is for HR admins and Jira admins only, and refuses a cursor that is not one', async () => {
    const { call } = await setup(SITE);
    expect(await call('people/known', {}, ADMIN)).toMatchObject({ ok: true });
    for (const who of [AUDITOR, LEAD, EMPLOYEE]) expect(await call('people/known', {}, who)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('people/known', { cursor: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('writes naming an erased account', () => {
  it('are refused (PERSON_ERASED) and write nothing: a stale page cannot give an erased person data, or their pseudonym its name, again', async () => {
    const { kv, call, deps } = await setup(SITE);
    await erasePerson({ kv, clock: deps.clock }, { kind: 'erase', accountId: 'acc-nora' }, Date.UTC(2026, 10, 24));
    const everything = async () => JSON.stringify((await kv.query('', { limit: 100 })).results);
    const before = await everything();
    const weekdays = { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] };
    const writes: [string, unknown][] = [
      ['contracts/save', { personId: 'acc-nora', firstDate: '2026-12-01', schedule: weekdays }],
      ['absences/save', { people: [EMPLOYEE, 'acc-nora'], ranges: [{ from: '2026-12-03', to: '2026-12-03' }], type: 'vacation' }],
      ['ledger/adjust', { accountId: 'acc-nora', seconds: 3600, reason: 'a correction' }],
      ['teams/save', { team: { id: 'night', name: 'Night', leads: [LEAD], members: ['acc-nora'] } }],
    ];
    for (const [name, payload] of writes) {
      expect(await call(name, payload), name).toMatchObject({ ok: false, error: { code: 'PERSON_ERASED', message: expect.stringContaining('acc-nora') } });
    }
    expect(await call('roles/save', { assignments: { hrAdmins: { accounts: [HR, 'acc-nora'], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } } }, ADMIN)).toMatchObject({ ok: false, error: { code: 'PERSON_ERASED' } });
    expect(await everything()).toBe(before);
    // Anyone else is written as before.
    expect(await call('teams/save', { team: { id: 'night', name: 'Night', leads: [LEAD], members: [EMPLOYEE] } })).toMatchObject({ ok: true });
  });
});
