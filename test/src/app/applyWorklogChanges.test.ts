import { describe, expect, it } from 'vitest';
import { applyWorklogChanges, type WorklogChange } from '../../../src/app/applyWorklogChanges';
import { keys } from '../../../src/app/storageKeys';
import { KV_LIMITS } from '../../../src/kv/kvRules';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { workedOn } from '../../support/workedOn';

describe('applying a person’s changes', () => {
  it('packs them into transactions the platform accepts: at most 25 keys and under 1 MB each', async () => {
    const kv = new MemoryKvStore();
    const transactions: number[] = [];
    const original = kv.transact.bind(kv);
    kv.transact = async (ops) => {
      transactions.push(ops.reduce((n, o) => n + o.key.length + (o.kind === 'set' ? JSON.stringify(o.value).length : 0), 0));
      return original(ops);
    };
    // A heavy account: five UTC days that each already hold about 200 KB of worklogs.
    const dates = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'];
    for (const [d, date] of dates.entries()) {
      const day = Date.parse(`${date}T00:00:00Z`);
      await kv.set(keys.day('acc-a', date), Object.fromEntries(Array.from({ length: 4_500 }, (_, i) => [String(50_000_000 + d * 10_000 + i), [day + (i % 1440) * 60_000, 60, 1_793_600_000_000]])));
    }
    const changes: WorklogChange[] = dates.map((date, i) => ({
      kind: 'upsert',
      worklog: { id: String(i + 1), source: 'jira', authorId: 'acc-a', issueId: '1', started: Date.parse(`${date}T08:00:00Z`), seconds: 3600, updated: 1 },
    }));
    expect(await applyWorklogChanges(kv, 'acc-a', changes)).toMatchObject({ applied: 5, unchanged: 0 });
    expect(transactions.length).toBeGreaterThan(1);
    expect(Math.max(...transactions)).toBeLessThanOrEqual(KV_LIMITS.maxTransactionBytes);
    for (const date of dates) expect(await workedOn(kv, 'acc-a', date)).toBe(4_500 * 60 + 3600);
  });
});
