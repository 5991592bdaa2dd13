import { describe, expect, it } from 'vitest';
import { invokeResolver, type ResolverDeps, type ResolverResult } from '../../../src/app/resolvers';
import { queryAll } from '../../../src/app/queryAll';
import { keys } from '../../../src/app/storageKeys';
import { KV_LIMITS } from '../../../src/kv/kvRules';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvOperation, KvSetOptions, KvStore } from '../../../src/ports';
import { revealedAudit } from '../../support/revealedAudit';
import { SimulatedQueues } from '../../support/simulatedQueue';

/**
 * Every change is audited before it is stored: when the audit entry cannot be written, the change is not
 * made (the caller is told it failed), and a retry audits it and makes it. Never a change without its entry.
 */

const HR = 'acc-hr';
const ADMIN = 'acc-admin';
const AUDITOR = 'acc-auditor';
const P = 'acc-p';

/** A store whose writes of audit entries (or of keys beginning with `failingPrefix`) fail while `failing` is set, as a storage outage between two writes would. */
class AuditFailingStore implements KvStore {
  failing = false;
  failingPrefix = 'audit#';
  constructor(private readonly inner: MemoryKvStore) {}
  private check(key: string) {
    if (this.failing && key.startsWith(this.failingPrefix)) throw new Error('storage unavailable (simulated)');
  }
  get<T = unknown>(key: string) {
    return this.inner.get<T>(key);
  }
  async set(key: string, value: NonNullable<unknown>, options?: KvSetOptions) {
    this.check(key);
    return this.inner.set(key, value, options);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  query<T = unknown>(prefix: string, options?: { limit?: number; cursor?: string }) {
    return this.inner.query<T>(prefix, options);
  }
  getMany<T = unknown>(ks: readonly string[]) {
    return this.inner.getMany<T>(ks);
  }
  async transact(operations: readonly KvOperation[]) {
    for (const op of operations) this.check(op.key);
    return this.inner.transact(operations);
  }
  getSecret(key: string) {
    return this.inner.getSecret(key);
  }
  setSecret(key: string, value: string) {
    return this.inner.setSecret(key, value);
  }
  deleteSecret(key: string) {
    return this.inner.deleteSecret(key);
  }
}

async function site() {
  const now = Date.UTC(2026, 11, 2, 9);
  const clock = { now: () => now };
  const inner = new MemoryKvStore(clock);
  await inner.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await inner.set('cfg#roles', { hrAdmins: { accounts: [HR], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
  await inner.set(keys.ledgerEntry(P, 1), { seq: 1, date: '2026-10-31', kind: 'period-close', seconds: 7200, periodKey: '2026-10' });
  const kv = new AuditFailingStore(inner);
  const queues = new SimulatedQueues();
  const deps = {
    kv,
    directory: { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) },
    permissions: { isJiraAdmin: async (id: string) => id === ADMIN, groupIds: async () => [] as string[] },
    syncQueue: queues.queue('sync'),
    periodsQueue: queues.queue('periods'),
    clock,
  } as ResolverDeps;
  const call = (caller: string, name: string, payload: unknown) => invokeResolver(deps, name, payload, caller) as Promise<ResolverResult<Record<string, unknown>>>;
  const audits = async (action: string) => (await revealedAudit(inner)).filter((e) => e.action === action);
  return { inner, kv, call, audits };
}

/** What the app stores, leaving out the people registry, mutex holders and the cache of people's zones from Jira, which an attempt may leave behind without changing anything. */
async function data(kv: KvStore) {
  return (await queryAll(kv, '')).filter((r) => !['person#', 'mutex#', 'user#'].some((p) => r.key.startsWith(p)));
}

const CHANGES: [string, string, unknown, string][] = [
  ['roles/save', ADMIN, { assignments: { hrAdmins: { accounts: [HR, 'acc-new-hr'], groups: [] }, auditors: { accounts: [], groups: [] } } }, 'roles.save'],
  ['teams/save', ADMIN, { team: { id: 't', name: 'T', leads: [HR], members: [P] } }, 'team.save'],
  ['settings/save', HR, { changes: { approvalWorkflow: true } }, 'settings.save'],
  ['ledger/rules', HR, { rules: { expiryMonths: 6 } }, 'ledger.rules'],
  ['ledger/adjust', HR, { accountId: P, seconds: 600, reason: 'overtime agreed' }, 'ledger.adjust'],
  ['ledger/payout', HR, { accountId: P, seconds: 3600, reason: 'paid in December' }, 'ledger.payout'],
  ['holidays/save', HR, { calendarId: 'be', country: 'BE', year: 2030, edits: [{ kind: 'add', holiday: { date: '2030-03-02', name: 'Day A' } }] }, 'holidays.save'],
];

describe('a change whose audit entry cannot be written', () => {
  it.each(CHANGES)('%s: answers INTERNAL and changes nothing; the retry audits it once and makes it', async (name, caller, payload, action) => {
    const { inner, kv, call, audits } = await site();
    const before = await data(inner);
    kv.failing = true;
    const failed = await call(caller, name, payload);
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await data(inner)).toEqual(before);
    kv.failing = false;
    const retried = await call(caller, name, payload);
    expect(retried.ok, JSON.stringify(retried)).toBe(true);
    expect(await audits(action)).toHaveLength(1);
    expect(await data(inner)).not.toEqual(before);
  });

  it('teams/save removal: the team stays until its removal is audited', async () => {
    const { inner, kv, call, audits } = await site();
    expect((await call(ADMIN, 'teams/save', { team: { id: 't', name: 'T', leads: [HR], members: [P] } })).ok).toBe(true);
    kv.failing = true;
    expect(await call(ADMIN, 'teams/save', { remove: 't' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await inner.get('team#t')).toBeDefined();
    kv.failing = false;
    expect((await call(ADMIN, 'teams/save', { remove: 't' })).ok).toBe(true);
    expect(await inner.get('team#t')).toBeUndefined();
    expect(await audits('team.remove')).toHaveLength(1);
  });
});

describe('a team of the largest size the schema allows', () => {
  const id = (tag: string, i: number) => `${tag}${String(i).padStart(4, '0')}`.padEnd(128, 'x');
  const team = (tag: string) => ({
    id: 'big',
    name: 'N'.repeat(100),
    leads: Array.from({ length: 20 }, (_, i) => id(`${tag}lead`, i)),
    members: Array.from({ length: 1000 }, (_, i) => id(tag, i)),
  });

  it('is saved, then replaced by another with every lead and member different, each audited in one entry within the storage limit', async () => {
    const { inner, call, audits } = await site();
    expect((await call(ADMIN, 'teams/save', { team: team('a') })).ok).toBe(true);
    const second = await call(ADMIN, 'teams/save', { team: team('b') });
    expect(second.ok, JSON.stringify(second).slice(0, 300)).toBe(true);
    expect(await inner.get('team#big')).toEqual(team('b'));
    const entries = await audits('team.save');
    expect(entries).toHaveLength(2);
    expect(entries[1]!.details).toMatchObject({ members: { added: team('b').members, removed: team('a').members } });
    for (const { value } of await queryAll(inner, 'audit#')) expect(Buffer.byteLength(JSON.stringify(value))).toBeLessThanOrEqual(KV_LIMITS.maxValueBytes);
    expect((await call(ADMIN, 'teams/save', { remove: 'big' })).ok).toBe(true);
    expect(await audits('team.remove')).toHaveLength(1);
  });
});

describe('a retried ledger movement with a requestId', () => {
  const balance = async (call: Awaited<ReturnType<typeof site>>['call']) => ((await call(HR, 'balance/person', { accountId: P })) as { ok: true; data: { balanceSeconds: number } }).data.balanceSeconds;

  it.each([
    ['ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'req-1' }, 7800],
    ['ledger/payout', { accountId: P, seconds: 3600, reason: 'paid in December', requestId: 'req-1' }, 3600],
  ] as const)('%s: the repeat answers the first movement and books nothing', async (name, payload, expected) => {
    const { inner, call, audits } = await site();
    const first = await call(HR, name, payload);
    expect(first.ok).toBe(true);
    const stored = await data(inner);
    const again = await call(HR, name, payload);
    expect(again).toEqual(first);
    expect(await data(inner)).toEqual(stored);
    expect(await balance(call)).toBe(expected);
    expect(await audits(name === 'ledger/adjust' ? 'ledger.adjust' : 'ledger.payout')).toHaveLength(1);
  });

  it('a repeat after a movement booked in between still answers the first, and the same requestId for another person books for them', async () => {
    const { call } = await site();
    const first = await call(HR, 'ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'r' });
    expect((await call(HR, 'ledger/adjust', { accountId: P, seconds: 60, reason: 'another one' })).ok).toBe(true);
    expect(await call(HR, 'ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'r' })).toEqual(first);
    expect(await balance(call)).toBe(7200 + 600 + 60);
    const other = await call(HR, 'ledger/adjust', { accountId: 'acc-q', seconds: 600, reason: 'overtime agreed', requestId: 'r' });
    expect(other).toMatchObject({ ok: true, data: { personId: 'acc-q', entry: { seq: 1 } } });
  });

  it('the same requestId for a different movement is refused, naming it, and books nothing', async () => {
    const { inner, call } = await site();
    await call(HR, 'ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'r' });
    const stored = await data(inner);
    const reused = await call(HR, 'ledger/adjust', { accountId: P, seconds: 900, reason: 'overtime agreed', requestId: 'r' });
    expect(reused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('requestId "r"') } });
    expect(await data(inner)).toEqual(stored);
  });

  it('a movement whose audit failed is booked by its retry, once', async () => {
    const { kv, call, audits } = await site();
    kv.failing = true;
    const payload = { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'r' };
    expect((await call(HR, 'ledger/adjust', payload)).ok).toBe(false);
    kv.failing = false;
    expect((await call(HR, 'ledger/adjust', payload)).ok).toBe(true);
    expect((await call(HR, 'ledger/adjust', payload)).ok).toBe(true);
    expect(await balance(call)).toBe(7800);
    expect(await audits('ledger.adjust')).toHaveLength(1);
  });

  it('a movement audited whose entry was not written is written by its retry, without a second audit entry', async () => {
    const { kv, call, audits } = await site();
    kv.failing = true;
    kv.failingPrefix = keys.ledgerPrefix(P);
    const payload = { accountId: P, seconds: 600, reason: 'overtime agreed', requestId: 'r' };
    expect(await call(HR, 'ledger/adjust', payload)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await balance(call)).toBe(7200);
    kv.failing = false;
    expect(await call(HR, 'ledger/adjust', payload)).toMatchObject({ ok: true, data: { entry: { seq: 2, seconds: 600 }, balanceSeconds: 7800 } });
    expect(await call(HR, 'ledger/adjust', payload)).toMatchObject({ ok: true, data: { entry: { seq: 2 }, balanceSeconds: 7800 } });
    expect(await balance(call)).toBe(7800);
    expect(await audits('ledger.adjust')).toHaveLength(1);
  });

  it('a requestId must be 1 to 100 characters', async () => {
    const { call } = await site();
    for (const requestId of ['', 'r'.repeat(101)]) {
      expect(await call(HR, 'ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed', requestId })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });
});

describe('a caller who may not make a change', () => {
  it('is told they may not change it (not that they may not see it), with the roles it needs; reads keep their wording', async () => {
    const { call } = await site();
    const adjust = await call(AUDITOR, 'ledger/adjust', { accountId: P, seconds: 600, reason: 'overtime agreed' });
    expect(adjust).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const message = (adjust as { error: { message: string } }).error.message;
    expect(message).toMatch(/^you may not change this for acc-p: it needs one of these roles: jira-admin, hr-admin/);
    expect(message).not.toMatch(/see/);
    expect(await call('acc-nobody', 'settings/save', { changes: { weekStart: 7 } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^this needs one of these roles: jira-admin, hr-admin/) } });
    expect(await call('acc-nobody', 'ledger/history', { accountId: P })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^you may not see this for acc-p/) } });
  });
});
