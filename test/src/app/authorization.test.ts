import { describe, expect, it } from 'vitest';
import { authorize, loadCaller, RESOLVER_ACCESS, ROLES, type Caller, type ResolverKey, type Role } from '../../../src/app/authorization.ts';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore.ts';

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
};
function y(self = 1, member = 1, stranger = 1) {
  return { self: !!self, member: !!member, stranger: !!stranger };
}

function caller(role: Role | 'none'): Caller {
  const roles = new Set<Role>(role === 'none' ? [] : [role]);
  return { accountId: ME, roles, leads: new Set(role === 'team-lead' ? [MEMBER] : []) };
}

describe('authorization', () => {
  it('the table covers exactly the resolvers the expectations name', () => {
    expect(Object.keys(RESOLVER_ACCESS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const resolver of Object.keys(EXPECTED) as ResolverKey[]) {
    for (const role of [...ROLES, 'none'] as const) {
      it(`${resolver} as ${role}`, () => {
        const about = resolver.endsWith('/mine') || resolver.startsWith('sync/') ? { self: undefined, member: undefined, stranger: undefined } : { self: ME, member: MEMBER, stranger: STRANGER };
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
