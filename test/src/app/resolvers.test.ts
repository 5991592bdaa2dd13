import { describe, expect, it } from 'vitest';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers.ts';
import { keys } from '../../../src/app/storageKeys.ts';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore.ts';
import { SimulatedQueues } from '../../support/simulatedQueue.ts';

async function setup() {
  const kv = new MemoryKvStore();
  const queues = new SimulatedQueues();
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await kv.set(keys.contract('acc-me', '2026-01-01'), {
    id: 'c1', personId: 'acc-me', firstDate: '2026-01-01', lastDate: null,
    schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] }, partTimeFactor: '1', holidayCalendarId: null, timeZone: null,
  });
  await kv.set(keys.day('acc-me', '2026-11-23'), { seconds: 30_000 });
  await kv.set(keys.day('acc-me', '2026-12-01'), { seconds: 999 });
  await kv.set('cfg#roles', { hrAdmins: { accounts: ['acc-hr'], groups: [] }, auditors: { accounts: [], groups: [] } });
  const deps: ResolverDeps = {
    kv,
    directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) },
    permissions: { isJiraAdmin: async () => false, groupIds: async () => [] },
    syncQueue: queues.queue('sync'),
    clock: { now: () => Date.UTC(2026, 10, 23) },
  };
  return { deps, queues };
}

describe('resolvers', () => {
  it('my report for a month reads my buckets and my contract', async () => {
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

  it('refuses an oversized range and a bad period key with the domain’s codes', async () => {
    const { deps } = await setup();
    expect(await invokeResolver(deps, 'report/mine', { period: { from: '2025-01-01', to: '2026-12-31' } }, 'acc-me')).toMatchObject({ ok: false, error: { code: 'PERIOD_TOO_LONG' } });
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
    const broken = { ...deps, permissions: { isJiraAdmin: async () => { throw new Error('jira down: secret detail'); }, groupIds: async () => [] }, log: (_m: string, e: unknown) => void logged.push(e) };
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
