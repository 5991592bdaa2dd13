import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { handlePeriodsEvent, type PeriodsEvent } from '../../../src/app/lockJobs';
import { lockPersonPeriod, submitPeriod } from '../../../src/app/periodLock';
import { startLockJob } from '../../../src/app/lockJobs';
import { RESOLVER_ACCESS, type ResolverKey } from '../../../src/app/authorization';
import { invokeResolver, type ResolverDeps, type ResolverResult } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { SimulatedQueues } from '../../support/simulatedQueue';
import { revealPage } from '../../support/revealedAudit';

const ADMIN = 'acc-jira-admin';
const HR = 'acc-hr';
const AUDITOR = 'acc-auditor';
const LEAD = 'acc-lead';
const MEMBER = 'acc-member';
const OTHER = 'acc-other';
const PEOPLE = [ADMIN, HR, AUDITOR, LEAD, MEMBER, OTHER];
const GROUP = '5b10ac8d-82e1-4bd3-a1f0-34b6dd6e4a5c';

let now = Date.UTC(2026, 11, 1, 9);

async function site(withPeriods = false) {
  const kv = new MemoryKvStore({ now: () => now });
  const queues = new SimulatedQueues();
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
  await kv.set('team#office', { id: 'office', name: 'Office', leads: [LEAD], members: [MEMBER] });
  await kv.set(keys.ledgerEntry(MEMBER, 1), { seq: 1, date: '2026-10-31', kind: 'period-close', seconds: 7200, periodKey: '2026-10' });
  await kv.set(keys.contract(MEMBER, '2026-01-01'), {
    id: 'c-20260101', personId: MEMBER, firstDate: '2026-01-01', lastDate: null,
    schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] }, partTimeFactor: '1', holidayCalendarId: null, timeZone: null,
  });
  await kv.set(keys.absence(MEMBER, '2026-11-20', 'a-present'), { id: 'a-present', personId: MEMBER, type: 'sick', firstDate: '2026-11-20', lastDate: '2026-11-20', portion: { kind: 'whole' } });
  await applyWorklogChanges(kv, MEMBER, [{ kind: 'upsert', worklog: { id: '1', source: 'jira', authorId: MEMBER, started: Date.UTC(2026, 10, 2, 8), seconds: 3600, updated: 1 } }]);
  const deps: ResolverDeps = {
    kv,
    directory: { timeZones: async (ids) => new Map(ids.filter((id) => PEOPLE.includes(id)).map((id) => [id, 'Europe/Brussels'])) },
    people: {
      searchUsers: async (query) => PEOPLE.filter((id) => id.startsWith(query)).map((id) => ({ accountId: id, displayName: id, timeZone: 'Europe/Brussels', active: true, accountType: 'atlassian' })),
      usersByIds: async (ids) => ids.filter((id) => PEOPLE.includes(id)).map((id) => ({ accountId: id, displayName: id, timeZone: 'Europe/Brussels', active: true, accountType: 'atlassian' })),
    },
    permissions: { isJiraAdmin: async (id) => id === ADMIN, groupIds: async (id) => (id === OTHER ? [GROUP] : []) },
    syncQueue: queues.queue('sync'),
    periodsQueue: queues.queue('periods'),
    clock: { now: () => now },
  };
  // For the periods resolvers: October locked (version 1), the approval workflow on, November submitted, a lock job on record.
  let jobId = 'none';
  if (withPeriods) {
    await lockPersonPeriod(deps, { personId: MEMBER, periodKey: '2026-10', actor: HR, jobId: 'seed' });
    await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels', approvalWorkflow: true });
    await submitPeriod(deps, { personId: MEMBER, periodKey: '2026-11', actor: MEMBER });
    jobId = (await startLockJob(deps, HR, { periodKey: '2026-10', people: [OTHER] })).jobId;
  }
  const call = (name: string, payload: unknown, caller: string | undefined) => invokeResolver(deps, name, name === 'periods/job' && (payload as { jobId?: string } | null)?.jobId === 'set by site()' ? { jobId } : payload, caller);
  return { kv, deps, call, queues, jobId };
}

/** Everything stored but the cache of people's zones from Jira (`user#`), which reads may refresh. */
async function dump(kv: MemoryKvStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let cursor: string | undefined;
  do {
    const page = await kv.query('', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) if (!r.key.startsWith('user#')) out[r.key] = r.value;
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** A valid payload for every resolver, about MEMBER where one is about a person. */
const PAYLOADS: Record<ResolverKey, unknown> = {
  'report/mine': { period: { periodKey: '2026-11' } },
  'balance/mine': {},
  'me/get': {},
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
  'record/mine': { period: { periodKey: '2026-11' } },
  'record/person': { accountId: MEMBER, period: { periodKey: '2026-11' } },
  'ledger/history': { accountId: MEMBER },
  'ledger/adjust': { accountId: MEMBER, seconds: 3600, reason: 'overtime agreed for the audit week' },
  'ledger/payout': { accountId: MEMBER, seconds: 1800 },
  'ledger/rules': {},
  'contracts/list': { personId: MEMBER },
  'contracts/save': { id: 'c-20260101', personId: MEMBER, firstDate: '2026-01-01', partTimeFactor: '0.8', schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] } },
  'contracts/end': { personId: MEMBER, contractId: 'c-20260101', lastDate: '2026-12-31' },
  'absences/list': { personId: MEMBER },
  'absences/save': { people: [MEMBER], ranges: [{ from: '2026-12-21', to: '2026-12-24' }], type: 'vacation' },
  'absences/delete': { personId: MEMBER, absenceId: 'a-present' },
  'holidays/countries': { country: 'BE' },
  'holidays/preview': { calendarId: 'be', country: 'BE', years: [2026] },
  'holidays/import': { calendarId: 'be', country: 'BE', years: [2026] },
  'holidays/calendar': {},
  'holidays/save': { calendarId: 'de-by', country: 'DE', region: 'DE-BY' },
  'periods/status': { personId: MEMBER, periodKey: '2026-10' },
  'periods/submit': { periodKey: '2026-09' },
  'periods/approve': { personId: MEMBER, periodKey: '2026-11' },
  'periods/reject': { personId: MEMBER, periodKey: '2026-11', reason: 'Tuesday is missing' },
  'periods/lock': { periodKey: '2026-10', teamId: 'office' },
  'periods/unlock': { personId: MEMBER, periodKey: '2026-10', reason: 'a worklog was corrected' },
  'periods/job': { jobId: 'set by site()' },
  'snapshots/list': {},
  'snapshots/get': { personId: MEMBER, periodKey: '2026-10' },
  'drift/get': { personId: MEMBER, periodKey: '2026-10' },
  'people/search': { query: 'acc' },
  'people/names': { accountIds: [MEMBER] },
  'people/known': {},
  'worklogs/mine': { date: '2026-11-23' },
  'worklogs/person': { accountId: MEMBER, date: '2026-11-23' },
};

/** Resolvers a team lead may call as a role of its own, about nobody in particular (teams/list). */
const leadRole = (r: ResolverKey) => (RESOLVER_ACCESS[r].roles as readonly string[]).includes('team-lead');

/** Resolvers whose accountId (or personId) is the person they are about (the self and team-lead rules apply). */
const ABOUT = (r: ResolverKey) => r.endsWith('/person') || ['ledger/history', 'contracts/list', 'absences/list', 'periods/status', 'periods/approve', 'periods/reject', 'snapshots/get', 'drift/get'].includes(r);
const aboutField = (r: ResolverKey) => (r.endsWith('/person') || r === 'ledger/history' ? 'accountId' : 'personId');

/** Who calls, and who a …/person call is about. */
const CALLERS = [
  { who: 'Jira admin', caller: ADMIN, about: MEMBER, allowed: (_r: ResolverKey) => true },
  { who: 'HR admin', caller: HR, about: MEMBER, allowed: (r: ResolverKey) => (RESOLVER_ACCESS[r].roles as readonly string[]).includes('hr-admin') || RESOLVER_ACCESS[r].self },
  { who: 'auditor', caller: AUDITOR, about: MEMBER, allowed: (r: ResolverKey) => (RESOLVER_ACCESS[r].roles as readonly string[]).includes('auditor') || RESOLVER_ACCESS[r].self },
  { who: 'team lead about their member', caller: LEAD, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self || RESOLVER_ACCESS[r].teamLead || leadRole(r) },
  { who: 'team lead about a stranger', caller: LEAD, about: OTHER, allowed: (r: ResolverKey) => (RESOLVER_ACCESS[r].self && !ABOUT(r)) || leadRole(r) },
  { who: 'employee about themself', caller: MEMBER, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self },
  { who: 'employee about another', caller: OTHER, about: MEMBER, allowed: (r: ResolverKey) => RESOLVER_ACCESS[r].self && !ABOUT(r) },
];

describe('every resolver as every role', () => {
  const resolvers = Object.keys(RESOLVER_ACCESS) as ResolverKey[];
  it('has a payload for every resolver', () => expect(Object.keys(PAYLOADS).sort()).toEqual([...resolvers].sort()));

  for (const c of CALLERS) {
    it.each(resolvers)(`${c.who}: %s succeeds when allowed; otherwise FORBIDDEN and nothing changes`, async (resolver) => {
      const { kv, call } = await site(resolver.startsWith('periods/') || resolver.startsWith('snapshots/') || resolver === 'drift/get');
      const payload = ABOUT(resolver) ? { ...(PAYLOADS[resolver] as object), [aboutField(resolver)]: c.about } : PAYLOADS[resolver];
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
  it('teams/list gives a team lead only the teams they lead, and everyone else with the role all; me/get says who holds which role', async () => {
    const { call } = await site();
    expect(await call('teams/save', { team: { id: 'other', name: 'Other team', leads: [HR], members: [OTHER] } }, HR)).toMatchObject({ ok: true });
    const ids = async (caller: string) => ((await call('teams/list', {}, caller)) as ResolverResult<{ id: string; leads: string[] }[]>);
    const asLead = await ids(LEAD);
    expect(asLead.ok && asLead.data.every((t) => t.leads.includes(LEAD))).toBe(true);
    expect(asLead.ok && asLead.data.map((t) => t.id)).not.toContain('other');
    const asHr = await ids(HR);
    expect(asHr.ok && asHr.data.map((t) => t.id)).toContain('other');
    expect(asHr.ok && asLead.ok && asHr.data.length).toBeGreaterThan(asLead.ok ? asLead.data.length : 0);
    expect(await call('me/get', {}, LEAD)).toMatchObject({ ok: true, data: { accountId: LEAD, roles: ['team-lead'] } });
    expect(await call('me/get', {}, MEMBER)).toMatchObject({ ok: true, data: { accountId: MEMBER, roles: [] } });
  });

  it('roles given by a Jira admin take effect, are audited with before and after, and a group is named by its id', async () => {
    const { call } = await site();
    expect(await call('sync/progress', {}, OTHER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('roles/save', PAYLOADS['roles/save'], ADMIN)).toMatchObject({ ok: true });
    // OTHER is in the group now holding the HR admin role.
    expect(await call('sync/progress', {}, OTHER)).toMatchObject({ ok: true });
    const audit = (await call('audit/list', {}, AUDITOR)) as ResolverResult<{ entries: { action: string; actor: string; details: { before: unknown; after: unknown } }[]; people: Record<string, string> }>;
    expect(audit.ok && revealPage(audit.data).entries[0]).toMatchObject({
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

  it('refuses a team or role save based on what someone else has changed since, naming what changed, and writes nothing', async () => {
    const { call, kv } = await site();
    const team = (PAYLOADS['teams/save'] as { team: { id: string; name: string; leads: string[]; members: string[] } }).team;
    expect(await call('teams/save', { team, basedOn: null }, HR)).toMatchObject({ ok: true });
    // Another admin adds a member; the first, still holding the team as it was, renames it.
    expect(await call('teams/save', { team: { ...team, members: [...team.members, HR] }, basedOn: team }, ADMIN)).toMatchObject({ ok: true });
    const before = await dump(kv);
    const stale = await call('teams/save', { team: { ...team, name: 'Nights' }, basedOn: team }, HR);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CHANGED_SINCE_READ', message: expect.stringContaining('Night shift was changed since you opened it (members)') } });
    // Creating a team whose id is taken is the same mistake: it would replace the other team.
    expect(await call('teams/save', { team: { ...team, name: 'Another' }, basedOn: null }, HR)).toMatchObject({ ok: false, error: { code: 'CHANGED_SINCE_READ' } });
    expect(await call('teams/save', { remove: team.id, basedOn: team }, HR)).toMatchObject({ ok: false, error: { code: 'CHANGED_SINCE_READ' } });
    const roles = (await call('roles/get', {}, ADMIN)) as ResolverResult<{ hrAdmins: { accounts: string[]; groups: string[] } }>;
    const current = roles.ok ? roles.data : null;
    const staleRoles = { hrAdmins: { accounts: [], groups: [] }, auditors: { accounts: [], groups: [] } };
    expect(await call('roles/save', { assignments: staleRoles, basedOn: { ...staleRoles, auditors: { accounts: [LEAD], groups: [] } } }, ADMIN)).toMatchObject({ ok: false, error: { code: 'CHANGED_SINCE_READ', message: expect.stringContaining('the role assignments were changed since you opened them') } });
    expect(await dump(kv)).toEqual(before);
    // Based on what is there, it goes through.
    expect(await call('teams/save', { team: { ...team, name: 'Nights', members: [...team.members, HR] }, basedOn: { ...team, members: [...team.members, HR] } }, HR)).toMatchObject({ ok: true });
    expect(await call('roles/save', { assignments: current, basedOn: current }, ADMIN)).toMatchObject({ ok: true });
  });

  it('refuses names, reasons and notes that would read differently than they are stored, and writes nothing', async () => {
    const { call, kv } = await site();
    const before = await dump(kv);
    const blank = await call('teams/save', { team: { id: 'ghost', name: '\u200B\u200B', leads: [LEAD], members: [] } }, HR);
    expect(blank).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('must have visible text') } });
    const flipped = await call('ledger/adjust', { accountId: MEMBER, seconds: 3600, reason: 'bonus \u202Etuo diap' }, HR);
    expect(flipped).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('bidirectional control characters') } });
    const note = await call('absences/save', { people: [MEMBER], ranges: [{ from: '2026-11-02', to: '2026-11-02' }], type: 'vacation', note: 'x\u2066y' }, HR);
    expect(note).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dump(kv)).toEqual(before);
    // An emoji counts as one character, as a person counts it: 100 of them is a name of 100 characters.
    expect(await call('teams/save', { team: { id: 'emoji', name: '🎉'.repeat(100), leads: [LEAD], members: [] } }, HR)).toMatchObject({ ok: true });
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

describe('the recuperation balance through its resolvers', () => {
  it('an adjustment and a payout move the balance, dated today in the site zone, audited with the balance before and after', async () => {
    const { call } = await site();
    expect(await call('ledger/adjust', { accountId: MEMBER, seconds: -600, reason: 'a break logged as work' }, HR)).toMatchObject({
      ok: true,
      data: { entry: { seq: 2, date: '2026-12-01', kind: 'adjustment', seconds: -600 }, balanceSeconds: 6600 },
    });
    expect(await call('ledger/payout', { accountId: MEMBER, seconds: 3600 }, HR)).toMatchObject({ ok: true, data: { entry: { seq: 3, kind: 'payout', seconds: -3600 }, balanceSeconds: 3000 } });
    expect(await call('balance/person', { accountId: MEMBER }, LEAD)).toMatchObject({ ok: true, data: { balanceSeconds: 3000 } });
    expect(await call('ledger/history', { accountId: MEMBER }, MEMBER)).toMatchObject({ ok: true, data: { balanceSeconds: 3000, entries: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] } });
    const audit = (await call('audit/list', { filters: { action: 'ledger.payout' } }, AUDITOR)) as ResolverResult<{ entries: { details: Record<string, unknown> }[]; people: Record<string, string> }>;
    expect(audit.ok && revealPage(audit.data).entries[0]!.details).toMatchObject({ personId: MEMBER, seconds: -3600, balanceBefore: 6600, balanceAfter: 3000 });
  });

  it('a payout larger than the credit, an adjustment without a reason and an unknown person are refused, and nothing is written', async () => {
    const { kv, call } = await site();
    const before = await dump(kv);
    expect(await call('ledger/payout', { accountId: MEMBER, seconds: 7201 }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_LEDGER_ENTRY' } });
    expect(await call('ledger/adjust', { accountId: MEMBER, seconds: 60, reason: '' }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/reason: must say why/) } });
    expect(await call('ledger/adjust', { accountId: MEMBER, seconds: 0, reason: 'nothing' }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('ledger/adjust', { accountId: 'acc-ghost', seconds: 60, reason: 'who is this' }, HR)).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    expect(await dump(kv)).toEqual(before);
  });

  it('the recuperation rules: auditors read them, HR admins change them (validated by the domain), auditors may not', async () => {
    const { call } = await site();
    expect(await call('ledger/rules', {}, AUDITOR)).toMatchObject({ ok: true, data: { capSeconds: null, overtime: [] } });
    expect(await call('ledger/rules', { rules: { capSeconds: 144_000 } }, AUDITOR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('ledger/rules', { rules: { capSecs: 144_000 } }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_POLICY', message: expect.stringMatching(/capSecs is not a recuperation rule/) } });
    expect(await call('ledger/rules', { rules: { capSeconds: 144_000, expiryMonths: 6 } }, HR)).toMatchObject({ ok: true, data: { capSeconds: 144_000, expiryMonths: 6 } });
    expect(await call('ledger/history', { accountId: MEMBER }, HR)).toMatchObject({ ok: true, data: { rules: { capSeconds: 144_000 }, lots: [{ seq: 1, expiresOn: '2027-04-30' }] } });
  });
});

describe('the daily working-time record through its resolvers', () => {
  it('shows first in, last out and net time in the person’s zone, and a short daily rest as a finding', async () => {
    const { kv, call } = await site();
    // A late evening and an early next morning: 23:00 out, 06:00 in is 7 h of rest, under the 11 h required.
    await applyWorklogChanges(kv, MEMBER, [
      { kind: 'upsert', worklog: { id: '2', source: 'jira', authorId: MEMBER, started: Date.UTC(2026, 10, 10, 13), seconds: 9 * 3600, updated: 1 } },
      { kind: 'upsert', worklog: { id: '3', source: 'jira', authorId: MEMBER, started: Date.UTC(2026, 10, 11, 5), seconds: 4 * 3600, updated: 1 } },
    ]);
    const result = (await call('record/mine', { period: { periodKey: '2026-11' } }, MEMBER)) as ResolverResult<{ timeZone: string; days: { date: string; firstIn: string | null; lastOut: string | null; netSeconds: number }[]; findings: { rule: string; date: string }[] }>;
    expect(result.ok).toBe(true);
    const data = result.ok ? result.data : null;
    expect(data!.timeZone).toBe('Europe/Brussels');
    expect(data!.days.find((d) => d.date === '2026-11-10')).toMatchObject({ firstIn: '14:00:00', lastOut: '23:00:00', netSeconds: 9 * 3600 });
    expect(data!.days.find((d) => d.date === '2026-11-11')).toMatchObject({ firstIn: '06:00:00', netSeconds: 4 * 3600 });
    expect(data!.findings).toContainEqual(expect.objectContaining({ rule: 'daily-rest' }));
    expect(await call('record/person', { accountId: MEMBER, period: { periodKey: '2026-11' } }, OTHER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('holiday calendars through their resolvers', () => {
  it('an HR admin previews and imports Belgium’s 2026 holidays from the offline provider; reports then expect nothing on 11 November', async () => {
    const { call } = await site();
    expect(await call('contracts/save', { ...(PAYLOADS['contracts/save'] as object), partTimeFactor: '1', holidayCalendarId: 'be' }, HR)).toMatchObject({ ok: true });
    const preview = (await call('holidays/preview', PAYLOADS['holidays/preview'], HR)) as ResolverResult<{ years: { year: number; added: { type: string }[] }[] }>;
    // Belgium's ten public holidays, with the bank holidays and observances shown but not counted.
    expect(preview.ok && preview.data.years[0]!.added.filter((h) => h.type === 'public')).toHaveLength(10);
    expect(await call('holidays/calendar', { calendarId: 'be' }, MEMBER)).toMatchObject({ ok: false });
    expect(await call('holidays/import', PAYLOADS['holidays/import'], HR)).toMatchObject({ ok: true });
    const report = (await call('report/mine', { period: { periodKey: '2026-11' } }, MEMBER)) as ResolverResult<{ days: { date: string; expectedSeconds: number; holiday: { name: string } | null }[] }>;
    const armistice = report.ok ? report.data.days.find((d) => d.date === '2026-11-11') : undefined;
    expect(armistice).toMatchObject({ expectedSeconds: 0, holiday: { name: 'Armistice Day' } });
    const audit = (await call('audit/list', { filters: { action: 'holidays.import' } }, AUDITOR)) as ResolverResult<{ entries: unknown[] }>;
    expect(audit.ok && audit.data.entries).toHaveLength(1);
    // Imported again: nothing changes, nothing is written or audited.
    expect(await call('holidays/import', PAYLOADS['holidays/import'], HR)).toMatchObject({ ok: true });
    const again = (await call('audit/list', { filters: { action: 'holidays.import' } }, AUDITOR)) as ResolverResult<{ entries: unknown[] }>;
    expect(again.ok && again.data.entries).toHaveLength(1);
  });

  it('choosing Nager.Date in a runtime that gives no way to reach it says so and writes nothing', async () => {
    const { kv, call } = await site();
    expect(await call('settings/save', { changes: { holidayProvider: 'nager-date' } }, HR)).toMatchObject({ ok: true });
    const before = await dump(kv);
    expect(await call('holidays/import', PAYLOADS['holidays/import'], HR)).toMatchObject({ ok: false, error: { code: 'HOLIDAY_PROVIDER_UNAVAILABLE' } });
    expect(await dump(kv)).toEqual(before);
  });
});

describe('closing and locking periods through the resolvers', () => {
  it('HR locks a team’s month as a job; the report then comes from the snapshot, an edit shows as drift, and unlock and relock make version 2', async () => {
    const { kv, call, queues } = await site();
    const started = (await call('periods/lock', { periodKey: '2026-11', teamId: 'office' }, HR)) as ResolverResult<{ jobId: string; total: number }>;
    expect(started).toMatchObject({ ok: true, data: { total: 1 } });
    const jobId = started.ok ? started.data.jobId : '';
    expect(await call('periods/job', { jobId }, HR)).toMatchObject({ ok: true, data: { state: 'running', done: 0, total: 1 } });
    // The periods consumer runs the job's events.
    const deps = { kv, directory: { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) }, clock: { now: () => now } };
    for (let d = queues.take(0); d; d = queues.take(0)) if (d.queue === 'periods') await handlePeriodsEvent(deps, d.event.body as unknown as PeriodsEvent);
    expect(await call('periods/job', { jobId }, AUDITOR)).toMatchObject({ ok: true, data: { state: 'done', locked: 1, failed: 0 } });
    expect(await call('periods/status', { personId: MEMBER, periodKey: '2026-11' }, MEMBER)).toMatchObject({ ok: true, data: { status: 'locked' } });

    // A worklog added to November after the lock: the locked report does not move; drift names it.
    await applyWorklogChanges(kv, MEMBER, [{ kind: 'upsert', worklog: { id: '9', source: 'jira', authorId: MEMBER, started: Date.UTC(2026, 10, 3, 8), seconds: 1800, updated: 2 } }]);
    expect(await call('report/mine', { period: { periodKey: '2026-11' } }, MEMBER)).toMatchObject({ ok: true, data: { totals: { workedSeconds: 3600 } } });
    expect(await call('drift/get', { personId: MEMBER, periodKey: '2026-11' }, LEAD)).toMatchObject({ ok: true, data: { added: [{ id: '9', seconds: 1800 }], lockedWorkedSeconds: 3600, netSecondsDelta: 1800 } });

    expect(await call('periods/unlock', { personId: MEMBER, periodKey: '2026-11', reason: '' }, HR)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('periods/unlock', { personId: MEMBER, periodKey: '2026-11', reason: 'a worklog was added late' }, HR)).toMatchObject({ ok: true });
    expect(await call('report/mine', { period: { periodKey: '2026-11' } }, MEMBER)).toMatchObject({ ok: true, data: { totals: { workedSeconds: 5400 } } });
    const relock = (await call('periods/lock', { periodKey: '2026-11', people: [MEMBER] }, HR)) as ResolverResult<{ jobId: string }>;
    for (let d = queues.take(0); d; d = queues.take(0)) if (d.queue === 'periods') await handlePeriodsEvent(deps, d.event.body as unknown as PeriodsEvent);
    expect(await call('periods/job', { jobId: relock.ok ? relock.data.jobId : '' }, HR)).toMatchObject({ ok: true, data: { state: 'done', locked: 1 } });
    const versions = (await call('snapshots/list', { personId: MEMBER, periodKey: '2026-11' }, AUDITOR)) as ResolverResult<{ snapshots: { version: number }[] }>;
    expect(versions.ok && versions.data.snapshots.map((v) => v.version)).toEqual([2, 1]);
    expect(await call('snapshots/get', { personId: MEMBER, periodKey: '2026-11', version: 1 }, AUDITOR)).toMatchObject({ ok: true });
    expect(await call('audit/verify', {}, AUDITOR)).toMatchObject({ ok: true, data: { ok: true } });
  });
});

describe('malformed payloads on every resolver', () => {
  /** Codes a bad payload may get: the caller's mistake, said clearly; never INTERNAL. */
  const CLIENT_ERRORS = new Set([
    'INVALID_INPUT', 'INVALID_PERIOD', 'PERIOD_TOO_LONG', 'FORBIDDEN', 'PERSON_NOT_FOUND', 'NOT_FOUND', 'INVALID_CONTRACT', 'INVALID_ABSENCE',
    'INVALID_DATE', 'INVALID_HOLIDAY', 'INVALID_POLICY', 'INVALID_LEDGER_ENTRY', 'INVALID_TRANSITION', 'CONTRACT_OVERLAP', 'ABSENCE_OVERLAP',
    'CONTRACT_NOT_FOUND', 'ABSENCE_NOT_FOUND', 'HOLIDAY_CALENDAR_NOT_FOUND', 'HOLIDAY_CALENDAR_MISMATCH', 'HOLIDAY_UNKNOWN_COUNTRY',
    'HOLIDAY_UNKNOWN_REGION', 'HOLIDAY_NO_DATA', 'HOLIDAY_YEAR_OUT_OF_RANGE', 'SNAPSHOT_NOT_FOUND', 'NOT_LOCKED', 'PERIOD_NOT_ENDED',
    'IMPORT_IN_PROGRESS',
  ]);
  const resolvers = Object.keys(RESOLVER_ACCESS) as ResolverKey[];
  /** Near misses of each valid payload (a field dropped, retyped or added) and arbitrary JSON. */
  const payloadArb = (resolver: ResolverKey) => {
    const valid = PAYLOADS[resolver] as Record<string, unknown>;
    const fields = Object.keys(valid);
    return fc.oneof(
      fc.jsonValue(),
      fc.record({ field: fc.constantFrom(...(fields.length ? fields : ['x'])), value: fc.jsonValue() }).map(({ field, value }) => ({ ...valid, [field]: value })),
      fc.constantFrom(...(fields.length ? fields : ['x'])).map((field) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field))),
      fc.record({ key: fc.string({ maxLength: 8 }), value: fc.jsonValue() }).map(({ key, value }) => ({ ...valid, [key]: value })),
      fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: {} } }, null, [], 'x'.repeat(10_000)),
    );
  };

  it.each(resolvers)('%s: a malformed payload gets a clear error, never a crash, and writes nothing', async (resolver) => {
    const { kv, call } = await site(resolver.startsWith('periods/') || resolver.startsWith('snapshots/') || resolver === 'drift/get');
    await fc.assert(
      fc.asyncProperty(payloadArb(resolver), async (payload) => {
        const before = await dump(kv);
        const result = await call(resolver, payload, ADMIN);
        if (result.ok) return; // a near miss that is still a valid payload
        expect(CLIENT_ERRORS, `${resolver} answered ${result.error.code}: ${result.error.message}`).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(10);
        expect(await dump(kv)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});

describe('period keys and team ids that become storage keys', () => {
  it.each([
    ['periods/lock', { periodKey: '2026-10', teamId: '!' }, /teamId: must be 1–40 lower-case letters/],
    ['snapshots/get', { personId: MEMBER, periodKey: '$' }, /periodKey: /],
    ['snapshots/list', { periodKey: '2026-13' }, /months run from 01 to 12/],
    ['drift/get', { personId: MEMBER, periodKey: '2026-W99' }, /periodKey: /],
  ])('%s refuses %j with INVALID_INPUT before anything is read', async (resolver, payload, message) => {
    const { call } = await site();
    expect(await call(resolver, payload, ADMIN)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
  });
});

describe('holidays from Nager.Date through the runtime’s fetch', () => {
  it('asks only date.nager.at, sending only the country and the year, and imports what it answers', async () => {
    const { deps } = await site();
    const asked: string[] = [];
    const answer = (status: number, body: unknown) => ({ status, headers: { get: () => 'application/json' }, text: async () => JSON.stringify(body) });
    const nagerFetch = async (url: string) => {
      asked.push(url);
      if (url.endsWith('/api/v3/AvailableCountries')) return answer(200, [{ countryCode: 'BE', name: 'Belgium' }]);
      if (url.endsWith('/api/v3/PublicHolidays/2026/BE')) {
        return answer(200, [
          { date: '2026-07-21', localName: 'Nationale feestdag', name: 'National Day', countryCode: 'BE', fixed: true, global: true, counties: null, launchYear: null, types: ['Public'] },
          { date: '2026-11-11', localName: 'Wapenstilstand', name: 'Armistice Day', countryCode: 'BE', fixed: true, global: true, counties: null, launchYear: null, types: ['Public'] },
        ]);
      }
      return answer(404, {});
    };
    const call = (name: string, payload: unknown, caller: string) => invokeResolver({ ...deps, nagerFetch }, name, payload, caller);
    expect(await call('settings/save', { changes: { holidayProvider: 'nager-date' } }, HR)).toMatchObject({ ok: true });
    expect(await call('holidays/import', { calendarId: 'be', country: 'BE', years: [2026] }, HR)).toMatchObject({ ok: true, data: { provider: 'nager-date', years: [{ year: 2026, added: [{ date: '2026-07-21' }, { date: '2026-11-11' }] }] } });
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(url).toMatch(/^https:\/\/date\.nager\.at\/api\/v3\/(AvailableCountries|PublicHolidays\/2026\/BE)$/);
  });
});

describe('four eyes', () => {
  it('no one approves or rejects their own period, or adjusts or pays out their own balance, whatever their roles', async () => {
    const { kv, call } = await site();
    await kv.set(keys.ledgerEntry(HR, 1), { seq: 1, date: '2026-10-31', kind: 'period-close', seconds: 7200, periodKey: '2026-10' });
    expect(await call('settings/save', { changes: { approvalWorkflow: true } }, HR)).toMatchObject({ ok: true });
    expect(await call('periods/submit', { periodKey: '2026-11' }, HR)).toMatchObject({ ok: true });
    const before = await dump(kv);
    expect(await call('periods/approve', { personId: HR, periodKey: '2026-11' }, HR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/approve your own period/) } });
    expect(await call('periods/reject', { personId: HR, periodKey: '2026-11', reason: 'not good enough' }, HR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('ledger/adjust', { accountId: HR, seconds: 360_000, reason: 'i deserve it' }, HR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/adjust your own balance/) } });
    expect(await call('ledger/payout', { accountId: HR, seconds: 3600 }, HR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dump(kv)).toEqual(before);
    expect(await call('periods/approve', { personId: HR, periodKey: '2026-11' }, ADMIN)).toMatchObject({ ok: true, data: { status: 'approved' } });
  });
});

describe('a save that changes nothing', () => {
  it.each([
    ['roles/save', { assignments: { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } } }],
    ['teams/save', { team: { id: 'office', name: 'Office', leads: [LEAD], members: [MEMBER] } }],
    ['settings/save', { changes: { siteTimeZone: 'Europe/Brussels' } }],
    ['ledger/rules', { rules: {} }],
  ])('%s as it already is writes and audits nothing', async (resolver, payload) => {
    const { kv, call } = await site();
    const before = await dump(kv);
    expect(await call(resolver, payload, ADMIN)).toMatchObject({ ok: true });
    expect(await dump(kv)).toEqual(before);
  });
});
