import { describe, expect, it } from 'vitest';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { reachPlatform, SourceRateLimitedError } from '../../../src/ports';
import { SimulatedQueues } from '../../support/simulatedQueue';

async function setup() {
  const kv = new MemoryKvStore();
  const queues = new SimulatedQueues();
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await kv.set(keys.contract('acc-me', '2026-01-01'), {
    id: 'c1', personId: 'acc-me', firstDate: '2026-01-01', lastDate: null,
    schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] }, partTimeFactor: '1', holidayCalendarId: null, timeZone: null,
  });
  await applyWorklogChanges(kv, 'acc-me', [
    { kind: 'upsert', worklog: { id: '1', authorId: 'acc-me', started: Date.UTC(2026, 10, 23, 8), seconds: 30_000, updated: 1 } },
    { kind: 'upsert', worklog: { id: '2', authorId: 'acc-me', started: Date.UTC(2026, 11, 1, 8), seconds: 999, updated: 1 } },
  ]);
  await kv.set('cfg#roles', { hrAdmins: { accounts: ['acc-hr'], groups: [] }, auditors: { accounts: [], groups: [] } });
  const deps: ResolverDeps = {
    kv,
    directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) },
    permissions: { isJiraAdmin: async () => false, groupIds: async () => [] },
    syncQueue: queues.queue('sync'),
    periodsQueue: queues.queue('periods'),
    clock: { now: () => Date.UTC(2026, 10, 23) },
  };
  return { deps, queues };
}

describe('resolvers', () => {
  it('my report for a month reads my worklogs and my contract', async () => {
    const { deps } = await setup();
    const result = await invokeResolver(deps, 'report/mine', { period: { periodKey: '2026-11' } }, 'acc-me');
    expect(result.ok).toBe(true);
    const report = (result as { data: { totals: Record<string, number>; days: unknown[] } }).data;
    expect(report.days).toHaveLength(30);
    expect(report.totals).toMatchObject({ workedSeconds: 30_000, expectedSeconds: 21 * 28_800 });
  });

  it.each([
    ['an unknown field', { period: { periodKey: '2026-11' }, accountId: 'acc-other' }, /payload: Unrecognized key/],
    ['a wrong type', { period: { periodKey: 2026 } }, /period/],
    ['an impossible date', { period: { from: '2026-02-30', to: '2026-03-01' } }, /must be a date written YYYY-MM-DD/],
    ['a missing period', {}, /period/],
  ])('refuses %s with INVALID_INPUT', async (_what, payload, message) => {
    const { deps } = await setup();
    const result = await invokeResolver(deps, 'report/mine', payload, 'acc-me');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((result as { error: { message: string } }).error.message).toMatch(message);
  });

  const FORMS = '{"periodKey":"2026-11"} (a month; or an ISO week 2026-W47, a week from a start day wk7-20261122, a range r-20261101-20261115) or {"from":"2026-11-01","to":"2026-11-15"}';
  it.each([
    ['an empty period', {}, `period: needs a periodKey, or a from and a to; got {}. Send ${FORMS}`],
    ['a period with none of its fields', { month: 11 }, `period: needs a periodKey, or a from and a to; got {"month":11}. Send ${FORMS}`],
    ['a period key sent without its object', '2026-11', 'period: must be an object; got the string "2026-11". Send {"periodKey":"2026-11"}'],
    ['null', null, `period: must be an object; got null. Send ${FORMS}`],
    ['an array', ['2026-11-01', '2026-11-15'], `period: must be an object; got an array. Send ${FORMS}`],
    ['both forms at once', { periodKey: '2026-11', from: '2026-11-01', to: '2026-11-15' }, `period: has both a periodKey and from/to; send one of them: ${FORMS}`],
    ['a period key that is a number', { periodKey: 202611 }, 'period: periodKey must be a string such as "2026-11"; got 202611'],
    ['a range without its end', { from: '2026-11-01' }, 'period: has from but no to; a range needs both, dates written YYYY-MM-DD, both included, such as {"from":"2026-11-01","to":"2026-11-15"}'],
    ['a range without its start', { to: '2026-11-15' }, 'period: has to but no from; a range needs both, dates written YYYY-MM-DD, both included, such as {"from":"2026-11-01","to":"2026-11-15"}'],
    ['a date that does not exist', { from: '2026-11-31', to: '2026-12-02' }, 'period.from: must be a date written YYYY-MM-DD; "2026-11-31" is not one (November 2026 has 30 days)'],
    ['a date written another way', { from: '2026-11-01', to: '15/11/2026' }, 'period.to: must be a date written YYYY-MM-DD, such as 2026-11-15; got "15/11/2026"'],
    ['a date that is a number', { from: 20261101, to: '2026-11-15' }, 'period: from must be a date written YYYY-MM-DD, such as "2026-11-01"; got 20261101'],
    ['an empty period key', { periodKey: '' }, 'period.periodKey: must not be empty; send a period key such as "2026-11"'],
    ['a field a period does not take', { periodKey: '2026-11', zone: 'UTC' }, `period: has a field a period does not take: "zone"; send ${FORMS}`],
  ])('says what is wrong with %s and what to send instead', async (_what, period, issue) => {
    const { deps } = await setup();
    const result = await invokeResolver(deps, 'report/mine', { period }, 'acc-me');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [issue] } });
  });

  it.each([
    ['wk1-20261122', '"wk1-20261122" is not a period: a wk1 week starts on a Monday, and 2026-11-22 is a Sunday; the wk1 week that contains 2026-11-22 is wk1-20261116 (ISO week 2026-W47)'],
    ['2025-W53', '"2025-W53" is not a period: 2025 has 52 ISO weeks, 2025-W01 to 2025-W52; the week after 2025-W52 is 2026-W01'],
    ['r-20261131-20261201', '"r-20261131-20261201" is not a period: 20261131 is not a calendar date (November 2026 has 30 days)'],
    ['2026-00', '"2026-00" is not a period: months run from 01 to 12, so the months of 2026 are 2026-01 to 2026-12'],
  ])('a period key %s that is not a period answers INVALID_PERIOD saying why', async (periodKey, message) => {
    const { deps } = await setup();
    expect(await invokeResolver(deps, 'report/mine', { period: { periodKey } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'INVALID_PERIOD', message } });
  });

  it('refuses an oversized range and a bad period key with the domain’s codes', async () => {
    const { deps } = await setup();
    expect(await invokeResolver(deps, 'report/mine', { period: { from: '2025-01-01', to: '2026-12-31' } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'PERIOD_TOO_LONG' } });
    // Ten years hears the resolvers' limit (366 days), not the engine's wider one.
    expect(await invokeResolver(deps, 'report/mine', { period: { from: '2016-01-01', to: '2025-12-31' } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'PERIOD_TOO_LONG', message: 'a report covers at most 366 days; this period has 3653. Ask for a shorter one.' } });
    expect(await invokeResolver(deps, 'report/mine', { period: { from: '2026-12-31', to: '2026-01-01' } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'INVALID_PERIOD' } });
    expect(await invokeResolver(deps, 'report/mine', { period: { periodKey: '2026-13' } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'INVALID_PERIOD' } });
  });

  it('another person’s report needs a role; the caller’s id comes from the context, never the payload', async () => {
    const { deps } = await setup();
    const asStranger = await invokeResolver(deps, 'report/person', { accountId: 'acc-me', period: { periodKey: '2026-11' } }, 'acc-stranger');
    expect(asStranger).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const asHr = await invokeResolver(deps, 'report/person', { accountId: 'acc-me', period: { periodKey: '2026-11' } }, 'acc-hr');
    expect(asHr.ok).toBe(true);
  });

  it('starting an import needs an HR admin and queues the job', async () => {
    const { deps, queues } = await setup();
    expect(await invokeResolver(deps, 'sync/start-import', {}, 'acc-me')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invokeResolver(deps, 'sync/start-import', {}, 'acc-hr')).toMatchObject({ ok: true, data: { runId: expect.stringMatching(/^i\d{13}$/) } });
    expect(queues.pending).toHaveLength(1);
  });

  it('unknown resolvers and calls without a user are refused', async () => {
    const { deps } = await setup();
    expect(await invokeResolver(deps, 'admin/drop-all', {}, 'acc-hr')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_RESOLVER' } });
    expect(await invokeResolver(deps, 'report/mine', { period: { periodKey: '2026-11' } }, undefined)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('an unexpected failure is logged and answered without details', async () => {
    const { deps } = await setup();
    const logged: unknown[] = [];
    const broken = { ...deps, directory: { timeZones: async () => { throw new Error('jira down: secret detail'); } }, log: (_m: string, e: unknown) => void logged.push(e) };
    const result = await invokeResolver(broken, 'balance/mine', {}, 'acc-me');
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret detail');
    expect(logged).toHaveLength(1);
  });
});

describe('balance resolver', () => {
  it('folds the ledger: balance, open credits oldest first', async () => {
    const { deps } = await setup();
    await deps.kv.set(keys.ledgerEntry('acc-me', 1), { seq: 1, date: '2026-09-30', kind: 'period-close', seconds: 7200, periodKey: '2026-09' });
    await deps.kv.set(keys.ledgerEntry('acc-me', 2), { seq: 2, date: '2026-10-31', kind: 'payout', seconds: -3600, reason: 'paid' });
    const result = await invokeResolver(deps, 'balance/mine', {}, 'acc-me');
    expect(result).toMatchObject({ ok: true, data: { personId: 'acc-me', balanceSeconds: 3600, debtSeconds: 0, lots: [{ seq: 1, date: '2026-09-30', remainingSeconds: 3600 }], entries: 2 } });
  });
});

describe('resolvers about a person the site does not know', () => {
  /** A site whose Jira knows acc-me (with a zone) and acc-nozone (without one), and counts its lookups. */
  async function site() {
    const { deps } = await setup();
    const known = new Map<string, string | null>([['acc-me', 'Europe/Brussels'], ['acc-hr', 'Europe/Brussels'], ['acc-nozone', null]]);
    const asked: string[][] = [];
    let now = Date.UTC(2026, 10, 23);
    const site: ResolverDeps = {
      ...deps,
      clock: { now: () => now },
      directory: {
        timeZones: async (ids) => {
          asked.push([...ids]);
          return new Map(ids.filter((id) => known.has(id)).map((id) => [id, known.get(id)!]));
        },
      },
    };
    return { deps: site, known, asked, advance: (ms: number) => (now += ms) };
  }
  const period = { period: { periodKey: '2026-11' } };

  it.each([
    ['report/person', { accountId: 'acc-ghost', ...period }, 'acc-hr'],
    ['balance/person', { accountId: 'acc-ghost' }, 'acc-hr'],
    ['report/mine', period, 'acc-ghost'],
    ['balance/mine', {}, 'acc-ghost'],
  ])('%s answers PERSON_NOT_FOUND', async (resolver, payload, caller) => {
    const { deps } = await site();
    const result = await invokeResolver(deps, resolver, payload, caller);
    expect(result).toEqual({
      ok: false,
      error: { code: 'PERSON_NOT_FOUND', message: 'this Jira site has no person with account id "acc-ghost"; check the id (it is the person\'s Atlassian account id, not their name)' },
    });
  });

  it('a person Jira knows without a time zone is found', async () => {
    const { deps } = await site();
    expect(await invokeResolver(deps, 'balance/person', { accountId: 'acc-nozone' }, 'acc-hr')).toMatchObject({ ok: true, data: { personId: 'acc-nozone' } });
  });

  it('a caller without access learns nothing about which accounts exist', async () => {
    const { deps } = await site();
    expect(await invokeResolver(deps, 'report/person', { accountId: 'acc-ghost', ...period }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('"unknown" is remembered for ten minutes only, so a new account is found soon', async () => {
    const { deps, known, asked, advance } = await site();
    expect(await invokeResolver(deps, 'balance/person', { accountId: 'acc-new' }, 'acc-hr')).toMatchObject({ error: { code: 'PERSON_NOT_FOUND' } });
    known.set('acc-new', 'Asia/Tokyo');
    expect(await invokeResolver(deps, 'balance/person', { accountId: 'acc-new' }, 'acc-hr')).toMatchObject({ error: { code: 'PERSON_NOT_FOUND' } });
    expect(asked).toEqual([['acc-new']]);
    advance(600_000);
    expect(await invokeResolver(deps, 'balance/person', { accountId: 'acc-new' }, 'acc-hr')).toMatchObject({ ok: true });
    expect(asked).toEqual([['acc-new'], ['acc-new']]);
  });
});

describe('resolvers when Jira cannot say which roles the caller has', () => {
  async function withoutGroups() {
    const { deps } = await setup();
    await deps.kv.set('cfg#roles', { hrAdmins: { accounts: ['acc-hr'], groups: ['grp-hr'] }, auditors: { accounts: [], groups: [] } });
    const logged: string[] = [];
    const broken: ResolverDeps = { ...deps, permissions: { isJiraAdmin: async () => false, groupIds: async () => Promise.reject(new Error('HTTP 503')) }, log: (m) => void logged.push(m) };
    return { deps: broken, logged };
  }

  it('a person’s own report still answers; a call that needs a role answers ROLES_UNAVAILABLE, and the failure is logged', async () => {
    const { deps, logged } = await withoutGroups();
    expect(await invokeResolver(deps, 'report/mine', { period: { periodKey: '2026-11' } }, 'acc-me')).toMatchObject({ ok: true });
    const progress = await invokeResolver(deps, 'sync/progress', {}, 'acc-me');
    expect(progress).toMatchObject({ ok: false, error: { code: 'ROLES_UNAVAILABLE', message: expect.stringMatching(/which groups you are in.*Try again in a few minutes/) } });
    expect(logged).toEqual(['roles: the groups lookup failed; answering without the roles it would give', 'roles: the groups lookup failed; answering without the roles it would give']);
  });

  it('an HR admin named by account keeps their access', async () => {
    const { deps } = await withoutGroups();
    expect(await invokeResolver(deps, 'sync/progress', {}, 'acc-hr')).toMatchObject({ ok: true });
  });

  it('Jira rate limiting the app answers RATE_LIMITED with the wait, not INTERNAL', async () => {
    const { deps } = await setup();
    const limited: ResolverDeps = { ...deps, directory: { timeZones: async () => Promise.reject(new SourceRateLimitedError(30)) } };
    expect(await invokeResolver(limited, 'balance/mine', {}, 'acc-me')).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Jira asked us to slow down; try again in 30 s' } });
  });

  it('an error marked for the platform (Forge asking for consent) is thrown on, not answered INTERNAL', async () => {
    const { deps } = await setup();
    const consent = reachPlatform(new Error('NEEDS_AUTHENTICATION_ERR'));
    const logged: unknown[] = [];
    const asking: ResolverDeps = { ...deps, permissions: { isJiraAdmin: async () => Promise.reject(consent), groupIds: async () => [] }, log: (_m, e) => void logged.push(e) };
    await expect(invokeResolver(asking, 'report/mine', { period: { periodKey: '2026-11' } }, 'acc-me')).rejects.toBe(consent);
    expect(logged).toEqual([]);
  });
});
