import { describe, expect, it } from 'vitest';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { MAX_DAY_WORKLOGS, type DayWorklogsAnswer } from '../../../src/app/dayWorklogs';
import { invokeResolver, type ResolverDeps, type ResolverResult } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { reachPlatform, type IssueLookup } from '../../../src/ports';
import { SimulatedQueues } from '../../support/simulatedQueue';

const ME = 'acc-me';
const MEMBER = 'acc-member';
const STRANGER = 'acc-stranger';
const LEAD = 'acc-lead';
const HR = 'acc-hr';
const AUDITOR = 'acc-auditor';
const ADMIN = 'acc-admin';

/** Issues the caller may see in Jira: key and summary by issue id, per caller. */
function issueLookupFor(visible: Record<string, { key: string; summary: string }>, asked: string[][]): IssueLookup {
  return {
    async issueSummaries(ids) {
      asked.push([...ids]);
      return new Map(ids.filter((id) => id in visible).map((id) => [id, visible[id]!]));
    },
  };
}

const upsert = (id: string, startedIso: string, seconds: number, issueId = '10001') => ({
  kind: 'upsert' as const,
  worklog: { id, authorId: ME, issueId, source: 'jira', started: Date.parse(startedIso), seconds, updated: 1 },
});

async function site(options: { zones?: Record<string, string | null>; lookup?: (caller: string) => IssueLookup } = {}) {
  const kv = new MemoryKvStore();
  const queues = new SimulatedQueues();
  await kv.set(keys.settings, { siteTimeZone: 'UTC' });
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
  await kv.set('team#night-shift', { id: 'night-shift', name: 'Night shift', leads: [LEAD], members: [ME, MEMBER] });
  const zones: Record<string, string | null> = { [ME]: 'Europe/Brussels', [MEMBER]: 'Europe/Brussels', [STRANGER]: 'UTC', [LEAD]: 'UTC', [HR]: 'UTC', [AUDITOR]: 'UTC', [ADMIN]: 'UTC', ...options.zones };
  const asked: string[][] = [];
  const visible = { '10001': { key: 'OPS-1', summary: 'Night <b>deploy</b>' }, '10002': { key: 'OPS-2', summary: 'On call' } };
  const depsFor = (caller: string): ResolverDeps => ({
    kv,
    directory: { timeZones: async (ids) => new Map(ids.filter((id) => id in zones).map((id) => [id, zones[id]!])) },
    permissions: { isJiraAdmin: async (id) => id === ADMIN, groupIds: async () => [] },
    syncQueue: queues.queue('sync'),
    periodsQueue: queues.queue('periods'),
    clock: { now: () => Date.UTC(2026, 10, 25) },
    issueLookup: options.lookup ? options.lookup(caller) : issueLookupFor(visible, asked),
  });
  const call = async (name: string, payload: unknown, caller: string) => (await invokeResolver(depsFor(caller), name, payload, caller)) as ResolverResult<DayWorklogsAnswer>;
  const data = async (name: string, payload: unknown, caller: string) => {
    const result = await call(name, payload, caller);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.data;
  };
  return { kv, call, data, asked };
}

describe('worklogs/mine and worklogs/person: the worklogs behind a day', () => {
  it('splits a worklog crossing midnight in the person’s zone between the two days, each with its part', async () => {
    const { kv, data } = await site();
    // 22:30–00:30 in Brussels (UTC+1 in November): 1 h 30 min on the 22nd, 30 min on the 23rd; both on 22 November in UTC.
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-22T21:30:00Z', 7200), upsert('502', '2026-11-23T08:00:00Z', 3600, '10002')]);

    const first = await data('worklogs/mine', { date: '2026-11-22' }, ME);
    expect(first).toMatchObject({ personId: ME, date: '2026-11-22', timeZone: 'Europe/Brussels', zoneDefaulted: false, total: 1, capped: false, issueDetails: 'complete' });
    expect(first.worklogs).toEqual([
      { worklogId: '501', issueId: '10001', issueKey: 'OPS-1', issueSummary: 'Night <b>deploy</b>', source: 'jira', started: '2026-11-22T21:30:00.000Z', startedLocal: '2026-11-22T22:30:00', seconds: 7200, secondsOnDay: 5400 },
    ]);

    const second = await data('worklogs/mine', { date: '2026-11-23' }, ME);
    expect(second.worklogs.map((w) => [w.worklogId, w.startedLocal, w.secondsOnDay, w.issueKey])).toEqual([
      ['501', '2026-11-22T22:30:00', 1800, 'OPS-1'],
      ['502', '2026-11-23T09:00:00', 3600, 'OPS-2'],
    ]);
  });

  it('answers an empty list for a day with no worklogs', async () => {
    const { kv, data, asked } = await site();
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-22T10:00:00Z', 3600)]);
    expect(await data('worklogs/mine', { date: '2026-11-24' }, ME)).toEqual({
      personId: ME, date: '2026-11-24', timeZone: 'Europe/Brussels', zoneDefaulted: false, worklogs: [], total: 0, capped: false, issueDetails: 'complete',
    });
    expect(asked).toEqual([]); // nothing to name: Jira is not asked
  });

  it('uses the zone the report counts the date in: a contract’s override, else Jira’s, else the site’s (said so)', async () => {
    const { kv, data } = await site({ zones: { [MEMBER]: null } });
    expect(await data('worklogs/person', { accountId: MEMBER, date: '2026-11-23' }, HR)).toMatchObject({ timeZone: 'UTC', zoneDefaulted: true });
    await kv.set(keys.contract(MEMBER, '2026-11-01'), {
      id: 'c1', personId: MEMBER, firstDate: '2026-11-01', lastDate: null,
      schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] }, partTimeFactor: '1', holidayCalendarId: null, timeZone: 'Asia/Tokyo',
    });
    expect(await data('worklogs/person', { accountId: MEMBER, date: '2026-11-23' }, HR)).toMatchObject({ timeZone: 'Asia/Tokyo', zoneDefaulted: false });
    expect(await data('worklogs/person', { accountId: MEMBER, date: '2026-10-31' }, HR)).toMatchObject({ timeZone: 'UTC', zoneDefaulted: true });
  });

  it('leaves key and summary null for an issue Jira does not show the caller, and lists the worklog all the same', async () => {
    const { kv, data } = await site();
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600, '99999')]);
    expect((await data('worklogs/mine', { date: '2026-11-23' }, ME)).worklogs).toMatchObject([{ worklogId: '501', issueId: '99999', issueKey: null, issueSummary: null }]);
  });

  it('asks Jira as the caller: a team lead gets the names their own lookup gives', async () => {
    const perCaller: Record<string, Record<string, { key: string; summary: string }>> = { [LEAD]: {}, [ME]: { '10001': { key: 'OPS-1', summary: 'Night deploy' } } };
    const { kv, data } = await site({ lookup: (caller) => issueLookupFor(perCaller[caller] ?? {}, []) });
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600)]);
    expect((await data('worklogs/mine', { date: '2026-11-23' }, ME)).worklogs[0]).toMatchObject({ issueKey: 'OPS-1' });
    expect((await data('worklogs/person', { accountId: ME, date: '2026-11-23' }, LEAD)).worklogs[0]).toMatchObject({ worklogId: '501', issueKey: null, issueSummary: null });
  });

  it('still lists the worklogs when Jira cannot name the issues, and says so; a consent request reaches the platform', async () => {
    const failing = await site({ lookup: () => ({ issueSummaries: async () => Promise.reject(new Error('Jira is down')) }) });
    await applyWorklogChanges(failing.kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600)]);
    expect(await failing.data('worklogs/mine', { date: '2026-11-23' }, ME)).toMatchObject({ issueDetails: 'unavailable', worklogs: [{ worklogId: '501', issueKey: null }] });

    const consent = reachPlatform(new Error('needs consent'));
    const asking = await site({ lookup: () => ({ issueSummaries: async () => Promise.reject(consent) }) });
    await applyWorklogChanges(asking.kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600)]);
    await expect(asking.call('worklogs/mine', { date: '2026-11-23' }, ME)).rejects.toBe(consent);
  });

  it('leaves out deleted worklogs and those the engine does not count', async () => {
    const { kv, data } = await site();
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600), upsert('502', '2026-11-23T10:00:00Z', 3600), upsert('503', '2026-11-23T12:00:00Z', 0)]);
    await applyWorklogChanges(kv, ME, [{ kind: 'delete', id: '502', at: 2 }]);
    expect((await data('worklogs/mine', { date: '2026-11-23' }, ME)).worklogs.map((w) => w.worklogId)).toEqual(['501']);
  });

  it(`lists at most ${MAX_DAY_WORKLOGS} worklogs, the earliest, and says how many there were; Jira is asked about the listed ones only`, async () => {
    const { kv, data, asked } = await site();
    const many = Array.from({ length: MAX_DAY_WORKLOGS + 5 }, (_, i) => upsert(String(1000 + i), new Date(Date.UTC(2026, 10, 23, 6) + i * 60_000).toISOString(), 60, String(20_000 + i)));
    for (let i = 0; i < many.length; i += 50) await applyWorklogChanges(kv, ME, many.slice(i, i + 50));
    const answer = await data('worklogs/mine', { date: '2026-11-23' }, ME);
    expect(answer).toMatchObject({ total: MAX_DAY_WORKLOGS + 5, capped: true });
    expect(answer.worklogs).toHaveLength(MAX_DAY_WORKLOGS);
    expect(answer.worklogs[0]!.worklogId).toBe('1000');
    expect(answer.worklogs.at(-1)!.worklogId).toBe(String(1000 + MAX_DAY_WORKLOGS - 1));
    expect(asked.flat()).toHaveLength(MAX_DAY_WORKLOGS);
  });

  it('reads the index, not the whole store: a bounded number of reads whatever else is stored', async () => {
    const { kv, data } = await site();
    await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600)]);
    let queries = 0;
    const query = kv.query.bind(kv);
    kv.query = (async (prefix: string, options?: { limit?: number; cursor?: string }) => {
      queries++;
      expect(prefix).not.toBe('');
      return query(prefix, options);
    }) as typeof kv.query;
    await data('worklogs/mine', { date: '2026-11-23' }, ME);
    // Teams (roles) and contracts: prefix queries of the caller's own keys; worklogs come from getMany on day shelves and records.
    expect(queries).toBeLessThanOrEqual(3);
  });

  describe('who may read whose day (as report/person)', () => {
    it.each([
      ['the person themself', ME, ME, true],
      ['an HR admin', HR, MEMBER, true],
      ['an auditor', AUDITOR, MEMBER, true],
      ['a Jira admin', ADMIN, MEMBER, true],
      ['the lead of a team the person is in', LEAD, MEMBER, true],
      ['a team lead, about someone outside their teams', LEAD, STRANGER, false],
      ['a colleague with no role', MEMBER, ME, false],
      ['anyone, about a stranger', STRANGER, ME, false],
    ])('%s: %s', async (_who, caller, subject, allowed) => {
      const { kv, call, asked } = await site();
      await applyWorklogChanges(kv, ME, [upsert('501', '2026-11-23T08:00:00Z', 3600)]);
      const result = await call('worklogs/person', { accountId: subject, date: '2026-11-23' }, caller);
      if (allowed) expect(result).toMatchObject({ ok: true, data: { personId: subject } });
      else {
        expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('you may not see this') } });
        expect(asked).toEqual([]);
      }
    });

    it('worklogs/mine is always about the caller: it takes no accountId', async () => {
      const { call } = await site();
      expect(await call('worklogs/mine', { date: '2026-11-23', accountId: MEMBER }, ME)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('accountId') } });
    });

    it('answers PERSON_NOT_FOUND for an account Jira does not know, to those who may ask', async () => {
      const { call } = await site();
      expect(await call('worklogs/person', { accountId: 'acc-ghost', date: '2026-11-23' }, HR)).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    });
  });

  it.each([
    ['a date that does not exist', { date: '2026-02-30' }, 'date: must be a date written YYYY-MM-DD; "2026-02-30" is not one'],
    ['a date written another way', { date: '23/11/2026' }, 'date: must be a date written YYYY-MM-DD, such as 2026-11-15; got "23/11/2026"'],
    ['a date and time', { date: '2026-11-23T00:00:00Z' }, 'date: must be a date written YYYY-MM-DD'],
    ['a number', { date: 20261123 }, 'date: '],
    ['no date', {}, 'date: '],
  ])('refuses %s with INVALID_INPUT saying what to send', async (_what, payload, message) => {
    const { call } = await site();
    const mine = await call('worklogs/mine', payload, ME);
    expect(mine).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!mine.ok && mine.error.message).toContain(message);
    const person = await call('worklogs/person', { accountId: MEMBER, ...payload }, HR);
    expect(!person.ok && person.error.message).toContain(message);
  });
});
