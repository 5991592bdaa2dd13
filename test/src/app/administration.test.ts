import { describe, expect, it } from 'vitest';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { RESOLVER_ACCESS, type ResolverKey } from '../../../src/app/authorization';
import { invokeResolver, type ResolverDeps, type ResolverResult } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { SimulatedQueues } from '../../support/simulatedQueue';

const ADMIN = 'acc-jira-admin';
const HR = 'acc-hr';
const AUDITOR = 'acc-auditor';
const LEAD = 'acc-lead';
const MEMBER = 'acc-member';
const OTHER = 'acc-other';
const PEOPLE = [ADMIN, HR, AUDITOR, LEAD, MEMBER, OTHER];
const GROUP = '5b10ac8d-82e1-4bd3-a1f0-34b6dd6e4a5c';

let now = Date.UTC(2026, 11, 1, 9);

async function site() {
  const kv = new MemoryKvStore({ now: () => now });
  const queues = new SimulatedQueues();
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
  await kv.set('team#office', { id: 'office', name: 'Office', leads: [LEAD], members: [MEMBER] });
  await applyWorklogChanges(kv, MEMBER, [{ kind: 'upsert', worklog: { id: '1', source: 'jira', authorId: MEMBER, started: Date.UTC(2026, 10, 2, 8), seconds: 3600, updated: 1 } }]);
  const deps: ResolverDeps = {
    kv,
    directory: { timeZones: async (ids) => new Map(ids.filter((id) => PEOPLE.includes(id)).map((id) => [id, 'Europe/Brussels'])) },
    permissions: { isJiraAdmin: async (id) => id === ADMIN, groupIds: async (id) => (id === OTHER ? [GROUP] : []) },
    syncQueue: queues.queue('sync'),
    clock: { now: () => now },
  };
  const call = (name: string, payload: unknown, caller: string | undefined) => invokeResolver(deps, name, payload, caller);
  return { kv, deps, call };
}

async function dump(kv: MemoryKvStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let cursor: string | undefined;
  do {
    const page = await kv.query('', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) out[r.key] = r.value;
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** A valid payload for every resolver, about MEMBER where one is about a person. */
const PAYLOADS: Record<ResolverKey, unknown> = {
  'report/mine': { period: { periodKey: '2026-11' } },
  'balance/mine': {},
  'report/person': { accountId: MEMBER, period: { periodKey: '2026-11' } },
  'balance/person': { accountId: MEMBER },
  'sync/progress': {},
  'sync/start-import': {},
  'audit/list': { limit: 10 },
  'audit/verify': {},
  'audit/checkpoint': {},
  'roles/get': {},
  'roles/save': { assignments: { hrAdmins: { accounts: [HR], groups: [GROUP] }, auditors: { accounts: [AUDITOR], groups: [] } } },
  'teams/list': {},
  'teams/save': { team: { id: 'night-shift', name: 'Night shift', leads: [LEAD], members: [MEMBER, OTHER] } },
  'settings/get': {},
  'settings/save': { changes: { siteTimeZone: 'Asia/Kathmandu' } },
};

/** Who calls, and who a …/person call is about. */
const CALLERS = [
  { who: 'Jira admin', caller: ADMIN, about: MEMBER, allowed: (_r: ResolverKey) => true },
  { who: 'HR admin', caller: HR, about: MEMBER, allowed: (r: ResolverKey) => (RESOLVER_ACCESS[r].roles as readonly string[]).includes('hr-admin') || RESOLVER_ACCESS[r].self },
  { who: 'auditor', caller: AUDITOR, about: MEMBER, allowed: (r: ResolverKey) => (RESOLVER_ACCESS[r].roles as readonly string[]).includes('auditor') || RESOLVER_ACCESS[r].self },
  { who: 'team lead about their member', caller: LEAD, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self || RESOLVER_ACCESS[r].teamLead },
  { who: 'team lead about a stranger', caller: LEAD, about: OTHER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self && !r.endsWith('/person') },
  { who: 'employee about themself', caller: MEMBER, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self },
  { who: 'employee about another', caller: OTHER, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self && !r.endsWith('/person') },
];

describe('every resolver as every role', () => {
  const resolvers = Object.keys(RESOLVER_ACCESS) as ResolverKey[];
  it('has a payload for every resolver', () => expect(Object.keys(PAYLOADS).sort()).toEqual([...resolvers].sort()));

  for (const c of CALLERS) {
    it.each(resolvers)(`${c.who}: %s succeeds when allowed; otherwise FORBIDDEN and nothing changes`, async (resolver) => {
      const { kv, call } = await site();
      const payload = resolver.endsWith('/person') ? { ...(PAYLOADS[resolver] as object), accountId: c.about } : PAYLOADS[resolver];
      const before = await dump(kv);
      const result = await call(resolver, payload, c.caller);
      if (c.allowed(resolver)) expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      else {
        expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await dump(kv)).toEqual(before);
      }
    });
  }

  it.each(resolvers)('no caller: %s is refused with UNAUTHENTICATED and nothing changes', async (resolver) => {
    const { kv, call } = await site();
    const before = await dump(kv);
    expect(await call(resolver, PAYLOADS[resolver], undefined)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await dump(kv)).toEqual(before);
  });
});

describe('administration', () => {
  it('roles given by a Jira admin take effect, are audited with before and after, and a group is named by its id', async () => {
    const { call } = await site();
    expect(await call('sync/progress', {}, OTHER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('roles/save', PAYLOADS['roles/save'], ADMIN)).toMatchObject({ ok: true });
    // OTHER is in the group now holding the HR admin role.
    expect(await call('sync/progress', {}, OTHER)).toMatchObject({ ok: true });
    const audit = (await call('audit/list', {}, AUDITOR)) as ResolverResult<{ entries: { action: string; actor: string; details: { before: unknown; after: unknown } }[] }>;
    expect(audit.ok && audit.data.entries[0]).toMatchObject({
      action: 'roles.save',
      actor: ADMIN,
      details: { before: { hrAdmins: { accounts: [HR], groups: [] } }, after: { hrAdmins: { accounts: [HR], groups: [GROUP] } } },
    });
  });

  it.each([
    ['a group name instead of its id', { assignments: { hrAdmins: { accounts: [], groups: ['hr-team'] }, auditors: { accounts: [], groups: [] } } }, /groups\.0: must be a Jira group id/],
    ['an account twice', { assignments: { hrAdmins: { accounts: [HR, HR], groups: [] }, auditors: { accounts: [], groups: [] } } }, /lists an entry twice/],
    ['a storage key as an account', { assignments: { hrAdmins: { accounts: ['a#b'], groups: [] }, auditors: { accounts: [], groups: [] } } }, /must be a Jira account id/],
  ])('roles/save refuses %s with a clear error and changes nothing', async (_what, payload, message) => {
    const { kv, call } = await site();
    const before = await dump(kv);
    const result = await call('roles/save', payload, ADMIN);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
    expect(await dump(kv)).toEqual(before);
  });

  it('a team makes its lead able to read its members, and removing it takes that away; both audited', async () => {
    const { call } = await site();
    expect(await call('report/person', { accountId: OTHER, period: { periodKey: '2026-11' } }, LEAD)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('teams/save', PAYLOADS['teams/save'], HR)).toMatchObject({ ok: true });
    expect(await call('report/person', { accountId: OTHER, period: { periodKey: '2026-11' } }, LEAD)).toMatchObject({ ok: true });
    expect(await call('teams/list', {}, AUDITOR)).toMatchObject({ ok: true, data: [{ id: 'night-shift' }, { id: 'office' }] });
    expect(await call('teams/save', { remove: 'night-shift' }, HR)).toMatchObject({ ok: true, data: { removed: 'night-shift' } });
    expect(await call('report/person', { accountId: OTHER, period: { periodKey: '2026-11' } }, LEAD)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('teams/save', { remove: 'night-shift' }, HR)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('teams/save', { team: { id: 'Bad Id', name: '', leads: [], members: [] } }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const audit = (await call('audit/list', {}, ADMIN)) as ResolverResult<{ entries: { action: string }[] }>;
    expect(audit.ok && audit.data.entries.map((e) => e.action)).toEqual(['team.remove', 'team.save']);
  });

  it('settings change what reports use, refuse what cannot be right, and list the changed fields in the audit log', async () => {
    const { call } = await site();
    expect(await call('settings/get', {}, MEMBER)).toMatchObject({ ok: true, data: { siteTimeZone: 'Europe/Brussels', dayPolicy: 'start-day', holidayProvider: 'offline', approvalWorkflow: false, rounding: 'nearest-minute' } });
    expect(await call('settings/save', { changes: { siteTimeZone: 'Mars/Olympus' } }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/IANA time zone/) } });
    expect(await call('settings/save', { changes: { countedHolidayTypes: ['public', 'observance'] } }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/observances/) } });
    expect(await call('settings/save', { changes: {} }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/changes nothing/) } });
    expect(await call('settings/save', { changes: { dayPolicy: 'split', approvalWorkflow: true } }, HR)).toMatchObject({ ok: true, data: { dayPolicy: 'split', approvalWorkflow: true, siteTimeZone: 'Europe/Brussels' } });
    const audit = (await call('audit/list', { filters: { action: 'settings.save' } }, AUDITOR)) as ResolverResult<{ entries: { details: unknown }[] }>;
    expect(audit.ok && audit.data.entries).toEqual([expect.objectContaining({ details: { changed: ['dayPolicy', 'approvalWorkflow'], before: { dayPolicy: 'start-day', approvalWorkflow: false }, after: { dayPolicy: 'split', approvalWorkflow: true } } })]);
  });
});

describe('the audit log through its resolvers', () => {
  it('verifies, names a tampered entry, and with a recorded checkpoint notices entries cut off the end', async () => {
    const { kv, call } = await site();
    for (const [i, zone] of ['Asia/Tokyo', 'UTC', 'Europe/Paris'].entries()) {
      now += 60_000;
      expect(await call('settings/save', { changes: { siteTimeZone: zone, weekStart: i + 1 } }, HR)).toMatchObject({ ok: true });
    }
    expect(await call('audit/verify', {}, AUDITOR)).toMatchObject({ ok: true, data: { ok: true } });
    const checkpoint = (await call('audit/checkpoint', {}, AUDITOR)) as ResolverResult<{ seq: number; hash: string }>;
    expect(checkpoint).toMatchObject({ ok: true, data: { seq: 3 } });

    const second = keys.auditEntry(2);
    const stored = (await kv.get<Record<string, unknown>>(second))!;
    await kv.set(second, { ...stored, actor: AUDITOR });
    expect(await call('audit/verify', {}, AUDITOR)).toMatchObject({ ok: true, data: { ok: false, brokenAt: { seq: 2 } } });
    await kv.set(second, stored);

    await kv.delete(keys.auditEntry(3));
    expect(await call('audit/verify', {}, AUDITOR)).toMatchObject({ ok: true, data: { ok: true } });
    expect(await call('audit/verify', { checkpoint: checkpoint.ok && checkpoint.data }, AUDITOR)).toMatchObject({ ok: true, data: { ok: false } });
    expect(await call('audit/verify', { checkpoint: { seq: 1, hash: 'not-a-hash' } }, AUDITOR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
