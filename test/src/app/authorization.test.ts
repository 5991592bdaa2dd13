import { NeedsAuthenticationError } from '@forge/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize, loadCaller, RESOLVER_ACCESS, ROLES, type Caller, type ResolverKey, type Role, type RoleLookup } from '../../../src/app/authorization';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { reachPlatform } from '../../../src/ports';

const ME = 'acc-me';
const MEMBER = 'acc-member';
const STRANGER = 'acc-stranger';

/** What the table must say, written out by hand: every resolver × role × subject. */
const EXPECTED: Record<ResolverKey, Record<Role | 'none', { self: boolean; member: boolean; stranger: boolean }>> = {
  'report/mine': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'balance/mine': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'report/person': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'balance/person': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'sync/progress': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'sync/start-import': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'audit/list': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(0, 0, 0), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'audit/verify': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(0, 0, 0), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'audit/checkpoint': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(0, 0, 0), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'roles/get': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'roles/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(0, 0, 0), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'teams/list': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 1), none: y(0, 0, 0) },
  'me/get': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'teams/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'settings/get': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'settings/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'record/mine': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'record/person': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'ledger/history': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  // Four eyes: never about oneself, whatever the roles.
  'ledger/adjust': { 'jira-admin': y(0, 1, 1), 'hr-admin': y(0, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'ledger/payout': { 'jira-admin': y(0, 1, 1), 'hr-admin': y(0, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'ledger/rules': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'contracts/list': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'contracts/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'contracts/end': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'absences/list': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'absences/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'absences/delete': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'holidays/countries': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'holidays/preview': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'holidays/import': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'holidays/calendar': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'holidays/save': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'periods/status': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'periods/submit': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'periods/approve': { 'jira-admin': y(0, 1, 1), 'hr-admin': y(0, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 1, 0), none: y(0, 0, 0) },
  'periods/reject': { 'jira-admin': y(0, 1, 1), 'hr-admin': y(0, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 1, 0), none: y(0, 0, 0) },
  'periods/lock': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'periods/unlock': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'periods/job': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'snapshots/list': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'snapshots/get': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'drift/get': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
  'people/search': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'people/names': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'people/known': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(0, 0, 0), 'team-lead': y(0, 0, 0), none: y(0, 0, 0) },
  'worklogs/mine': { 'jira-admin': y(), 'hr-admin': y(), auditor: y(), 'team-lead': y(), none: y() },
  'worklogs/person': { 'jira-admin': y(1, 1, 1), 'hr-admin': y(1, 1, 1), auditor: y(1, 1, 1), 'team-lead': y(1, 1, 0), none: y(1, 0, 0) },
};
function y(self = 1, member = 1, stranger = 1) {
  return { self: !!self, member: !!member, stranger: !!stranger };
}

function caller(role: Role | 'none'): Caller {
  const roles = new Set<Role>(role === 'none' ? [] : [role]);
  return { accountId: ME, roles, leads: new Set(role === 'team-lead' ? [MEMBER] : []), unavailable: [] };
}

describe('authorization', () => {
  it('the table covers exactly the resolvers the expectations name', () => {
    expect(Object.keys(RESOLVER_ACCESS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const resolver of Object.keys(EXPECTED) as ResolverKey[]) {
    for (const role of [...ROLES, 'none'] as const) {
      it(`${resolver} as ${role}`, () => {
        // Only the …/person resolvers are about someone else; the others are about the caller or the site.
        const about = resolver.endsWith('/person') || ['ledger/history', 'contracts/list', 'absences/list', 'periods/status', 'periods/approve', 'periods/reject', 'snapshots/get', 'drift/get', 'ledger/adjust', 'ledger/payout'].includes(resolver) ? { self: ME, member: MEMBER, stranger: STRANGER } : { self: undefined, member: undefined, stranger: undefined };
        const want = EXPECTED[resolver][role];
        if (about.self === undefined) {
          expect(authorize(caller(role), resolver).allowed).toBe(want.self);
        } else {
          expect(authorize(caller(role), resolver, about.self).allowed, 'self').toBe(want.self);
          expect(authorize(caller(role), resolver, about.member).allowed, 'member').toBe(want.member);
          expect(authorize(caller(role), resolver, about.stranger).allowed, 'stranger').toBe(want.stranger);
        }
      });
    }
  }

  it('a refusal says what is missing', () => {
    const refused = authorize(caller('none'), 'sync/start-import');
    expect(refused).toEqual({ allowed: false, code: 'FORBIDDEN', message: 'this needs one of these roles: jira-admin, hr-admin; ask a Jira admin to give you one' });
  });

  it('roles come from Jira and storage, by account or by group id, and team leads from teams', async () => {
    const kv = new MemoryKvStore();
    await kv.set('cfg#roles', { hrAdmins: { accounts: ['acc-hr'], groups: [] }, auditors: { accounts: [], groups: ['grp-audit'] } });
    await kv.set('team#t1', { id: 't1', name: 'Platform', leads: ['acc-lead'], members: ['acc-x', 'acc-y'] });
    const permissions = {
      isJiraAdmin: async (id: string) => id === 'acc-admin',
      groupIds: async (id: string) => (id === 'acc-aud' ? ['grp-audit'] : []),
    };
    const roles = async (id: string) => [...(await loadCaller({ kv, permissions }, id)).roles];
    expect(await roles('acc-admin')).toEqual(['jira-admin']);
    expect(await roles('acc-hr')).toEqual(['hr-admin']);
    expect(await roles('acc-aud')).toEqual(['auditor']);
    expect(await roles('acc-lead')).toEqual(['team-lead']);
    expect(await roles('acc-x')).toEqual([]);
    expect([...(await loadCaller({ kv, permissions }, 'acc-lead')).leads]).toEqual(['acc-x', 'acc-y']);
  });
});

describe('authorization when Jira cannot say which roles the caller has', () => {
  const resolvers = Object.keys(RESOLVER_ACCESS) as ResolverKey[];
  const lookups: RoleLookup[] = ['jira-admin', 'groups'];

  it('allows exactly what the established roles allow, and refuses the rest with ROLES_UNAVAILABLE, never FORBIDDEN', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ROLES]),
        fc.subarray(lookups, { minLength: 1 }),
        fc.constantFrom(...resolvers),
        fc.constantFrom(undefined, ME, MEMBER, STRANGER),
        (roles, unavailable, resolver, subject) => {
          const complete: Caller = { accountId: ME, roles: new Set(roles), leads: new Set(roles.includes('team-lead') ? [MEMBER] : []), unavailable: [] };
          const partial: Caller = { ...complete, unavailable };
          const known = authorize(complete, resolver, subject);
          const unsure = authorize(partial, resolver, subject);
          expect(unsure.allowed).toBe(known.allowed);
          if (!unsure.allowed) expect(unsure.code).toBe('ROLES_UNAVAILABLE');
        },
      ),
    );
  });

  it('a plain employee still gets their own report and balance; another person’s is refused with a message that says what to do', () => {
    const employee: Caller = { accountId: ME, roles: new Set(), leads: new Set(), unavailable: ['groups'] };
    expect(authorize(employee, 'report/mine')).toEqual({ allowed: true });
    expect(authorize(employee, 'balance/mine')).toEqual({ allowed: true });
    expect(authorize(employee, 'report/person', ME)).toEqual({ allowed: true });
    expect(authorize(employee, 'report/person', STRANGER)).toEqual({
      allowed: false,
      code: 'ROLES_UNAVAILABLE',
      message: 'Jira did not tell us which groups you are in, so we cannot check your roles for this. Try again in a few minutes; if it keeps happening, ask your Jira admin to check that Worktime may read users and groups.',
    });
  });

  async function rolesSite(groups: string[]) {
    const kv = new MemoryKvStore();
    await kv.set('cfg#roles', { hrAdmins: { accounts: ['acc-hr'], groups }, auditors: { accounts: [], groups: [] } });
    return kv;
  }

  it('a failed group lookup is logged and named, while roles given to the account still count', async () => {
    const kv = await rolesSite(['grp-hr']);
    const logged: string[] = [];
    const permissions = { isJiraAdmin: async () => false, groupIds: async () => Promise.reject(new Error('Jira /user/groups failed with HTTP 503')) };
    const caller = await loadCaller({ kv, permissions, log: (m) => void logged.push(m) }, 'acc-hr');
    expect([...caller.roles]).toEqual(['hr-admin']);
    expect(caller.unavailable).toEqual(['groups']);
    expect(logged).toEqual(['roles: the groups lookup failed; answering without the roles it would give']);
  });

  it('a failed admin check is named too; groups are not asked when no role is given to a group', async () => {
    const kv = await rolesSite([]);
    let groupCalls = 0;
    const permissions = {
      isJiraAdmin: async () => Promise.reject(new Error('HTTP 500')),
      groupIds: async () => {
        groupCalls++;
        return [];
      },
    };
    const caller = await loadCaller({ kv, permissions }, 'acc-x');
    expect(caller.unavailable).toEqual(['jira-admin']);
    expect(groupCalls).toBe(0);
  });

  it('an error the platform must see (Forge asking for consent) is not taken for a failed lookup', async () => {
    const kv = await rolesSite(['grp-hr']);
    const consent = reachPlatform(new NeedsAuthenticationError('Authentication Required', 'atlassian-token-service-key'));
    const permissions = { isJiraAdmin: async () => false, groupIds: async () => Promise.reject(consent) };
    await expect(loadCaller({ kv, permissions }, 'acc-x')).rejects.toBe(consent);
  });
});
