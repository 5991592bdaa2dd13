import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';

const outcomes: (() => unknown)[] = [];
vi.mock('../../../src/app/periodLock', () => ({
  lockPersonPeriod: vi.fn(async () => outcomes.shift()!()),
}));
const { handlePeriodsEvent, readLockJob } = await import('../../../src/app/lockJobs');

const deps = () => ({ kv: new MemoryKvStore(), directory: { timeZones: async () => new Map() }, clock: { now: () => Date.UTC(2026, 11, 1) } });
const event = { kind: 'lock' as const, jobId: 'lock-1-a', periodKey: '2026-10', actor: 'acc-hr', people: ['acc-a'] };
const job = { jobId: 'lock-1-a', kind: 'lock', periodKey: '2026-10', people: ['acc-a'], actor: 'acc-hr', createdAt: 1, teamId: null };

describe('the periods consumer', () => {
  it.each(['LEDGER_CONTENDED', 'AUDIT_CONTENDED'])('retries the event when a lock step meets %s, instead of recording a failure for good', async (code) => {
    const d = deps();
    await d.kv.set(keys.lockJob('lock-1-a'), job);
    outcomes.push(() => {
      throw new DomainError(code, 'kept changing; try again');
    });
    await expect(handlePeriodsEvent(d, event)).rejects.toThrow('kept changing');
    expect(await d.kv.get(keys.lockJobResult('lock-1-a', 'acc-a'))).toBeUndefined();
    // The platform's retry finishes the step.
    outcomes.push(() => ({ personId: 'acc-a', periodKey: '2026-10', version: 1, hash: 'h', creditedSeconds: 0, ledgerSeqs: [] }));
    await handlePeriodsEvent(d, event);
    expect(await readLockJob(d.kv, 'lock-1-a')).toMatchObject({ state: 'done', locked: 1, failed: 0 });
  });

  it('records a refusal (the period has not ended) as that person’s result, not retried', async () => {
    const d = deps();
    await d.kv.set(keys.lockJob('lock-1-a'), job);
    outcomes.push(() => {
      throw new DomainError('PERIOD_NOT_ENDED', '2026-12 ends on 2026-12-31');
    });
    await handlePeriodsEvent(d, event);
    expect(await readLockJob(d.kv, 'lock-1-a')).toMatchObject({ state: 'done', locked: 0, failed: 1, failures: [{ personId: 'acc-a', code: 'PERIOD_NOT_ENDED' }] });
  });
});
