import { describe, expect, it } from 'vitest';
import { validateContract } from '../../../domain/contract';
import { foldLedger, type LedgerEntry } from '../../../domain/ledger';
import { saveAbsences, listAbsences } from '../../../src/app/absences';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { listContracts, saveContract } from '../../../src/app/contracts';
import { adjustLedger } from '../../../src/app/ledgerStore';
import { ABANDONED_CLAIM_MS, lockPersonPeriod, periodStatus, unlockPersonPeriod } from '../../../src/app/periodLock';
import { queryAll } from '../../../src/app/queryAll';
import { listSnapshotVersion, listSnapshots } from '../../../src/app/snapshotList';
import { keys } from '../../../src/app/storageKeys';
import { DomainError } from '../../../domain/errors';
import { sha256Hex } from '../../../domain/hash';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { seededRandom } from '../../../src/local/seededRandom';
import type { KvStore } from '../../../src/ports';
import { JitteryKvStore } from '../../support/jitteryKvStore';
import { revealedAudit } from '../../support/revealedAudit';
import { rejectedWith } from '../../support/thrown';

/**
 * Changes made at the same moment by two HR admins (or an admin and a lock job), on storage that
 * delays every call at random so the two interleave at every step. Each scenario runs under several
 * seeds: whatever the interleaving, storage ends as if the changes had been made one after the other.
 */

const P = 'acc-a';
const HR = 'hr-1';
const HR2 = 'hr-2';
const H = 3600;
const DEC_2 = Date.UTC(2026, 11, 2, 9);
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
/** The waits the mutex asks for, a tenth as long: the test is quick and a waiter still outlasts a lock step. */
const briefSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / 10));

/** A Brussels site, acc-a on 40 h a week, 9 h worked every weekday of November 2026; each caller sees the store through its own jittery view. */
async function site(seed: number) {
  let t = DEC_2;
  const clock = { now: () => t, set: (ms: number) => (t = ms) };
  const kv = new MemoryKvStore(clock);
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  const contract = validateContract({ id: 'c-1', personId: P, firstDate: '2025-01-01', lastDate: null, schedule: { kind: 'weekly', weeklySeconds: 40 * H, workingDays: [1, 2, 3, 4, 5] } });
  await kv.set(keys.contract(P, contract.firstDate), contract);
  const changes = [];
  for (let d = 1; d <= 30; d++) {
    const day = new Date(Date.UTC(2026, 10, d)).getUTCDay();
    if (day !== 0 && day !== 6) changes.push({ kind: 'upsert' as const, worklog: { id: String(100 + d), source: 'jira', authorId: P, issueId: '1', started: Date.UTC(2026, 10, d, 7), seconds: 9 * H, updated: 1 } });
  }
  await applyWorklogChanges(kv, P, changes);
  const random = seededRandom(seed);
  const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) };
  const view = () => {
    const jittery = new JitteryKvStore(kv, random);
    return { kv: jittery, clock, directory, sleep: briefSleep };
  };
  return { kv, clock, view };
}

const settled = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
const codeOf = (r: { ok: false; error: unknown }) => (r.error instanceof DomainError ? r.error.code : String(r.error));
const actions = async (kv: KvStore) => (await queryAll<{ action: string }>(kv, 'audit#')).map((r) => r.value.action);
const ledgerOf = async (kv: KvStore) => (await queryAll<LedgerEntry>(kv, keys.ledgerPrefix(P))).map((r) => r.value);
const lockNov = (jobId: string) => ({ personId: P, periodKey: '2026-11', actor: HR, jobId });
const unlockNov = (actor: string) => ({ personId: P, periodKey: '2026-11', actor, reason: 'worklogs corrected' });

describe('two changes to one period at once', () => {
  it('two unlocks: one unlocks, the other is refused as the period is open by then; one unlock recorded and audited', async () => {
    for (const seed of SEEDS) {
      const { kv, view } = await site(seed);
      await lockPersonPeriod(view(), lockNov('job-1'));
      const results = await Promise.all([settled(unlockPersonPeriod(view(), unlockNov(HR))), settled(unlockPersonPeriod(view(), unlockNov(HR2)))]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok)!;
      expect(codeOf(refused as { ok: false; error: unknown })).toBe('INVALID_TRANSITION');
      const state = await periodStatus(kv, P, '2026-11');
      expect(state).toMatchObject({ status: 'open', version: 1 });
      expect(state.unlocks).toHaveLength(1);
      expect((await actions(kv)).filter((a) => a === 'period.unlock')).toHaveLength(1);
    }
  });

  it('two unlocks racing a relock: storage ends as one order of the three, never stuck, and the period can always be locked again', async () => {
    for (const seed of SEEDS) {
      const { kv, view } = await site(seed);
      await lockPersonPeriod(view(), lockNov('job-1'));
      /** The relock, tried until the period is open (an HR admin clicking "lock" again). */
      const relock = async () => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const r = await settled(lockPersonPeriod(view(), lockNov('job-2')));
          if (r.ok || codeOf(r) !== 'INVALID_TRANSITION') return r;
          await briefSleep(20);
        }
        throw new Error('the period never became open');
      };
      const [first, second, relocked] = await Promise.all([settled(unlockPersonPeriod(view(), unlockNov(HR))), settled(unlockPersonPeriod(view(), unlockNov(HR2))), relock()]);
      expect(relocked.ok).toBe(true);
      const unlocks = [first, second].filter((r) => r.ok).length;
      const state = await periodStatus(kv, P, '2026-11');
      // Each successful unlock is recorded once, the relock made version 2, and the state says where the period is.
      expect(state.unlocks).toHaveLength(unlocks);
      expect((await actions(kv)).filter((a) => a === 'period.unlock')).toHaveLength(unlocks);
      expect(state.version).toBe(2);
      expect(state.status).toBe(unlocks === 2 ? 'open' : 'locked');
      // Never stuck: unlock it if needed and lock it once more.
      if (state.status === 'locked') await unlockPersonPeriod(view(), unlockNov(HR));
      expect(await lockPersonPeriod(view(), lockNov('job-3'))).toMatchObject({ version: 3, status: 'locked' });
      // The ledger holds the period's credit once.
      expect(foldLedger(await ledgerOf(kv)).balanceSeconds).toBe(21 * H);
    }
  });

  it('an adjustment made while the period is locked: every entry the audit log names is the one stored under its seq', async () => {
    for (const seed of SEEDS) {
      const { kv, view } = await site(seed);
      const results = await Promise.all([
        settled(lockPersonPeriod(view(), lockNov('job-1'))),
        ...[1, 2, 3, 4, 5, 6].map((n) => settled(adjustLedger(view(), HR2, { accountId: P, seconds: n * 60, reason: `correction ${n}` }))),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : `${codeOf(r)}: ${(r.error as Error).message}`))).toEqual(Array(7).fill('ok'));
      const ledger = await ledgerOf(kv);
      expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
      expect(ledger.map((e) => e.kind).sort()).toEqual([...Array(6).fill('adjustment'), 'period-close']);
      expect(foldLedger(ledger).balanceSeconds).toBe(21 * H + 21 * 60);
      const audited = (await revealedAudit(kv)) as unknown as { action: string; target: string; details: { seconds?: number; ledger?: { seq: number; kind: string; seconds: number }[] } }[];
      for (const entry of audited) {
        if (entry.action === 'ledger.adjust') {
          const stored = await kv.get<LedgerEntry>(entry.target);
          expect(stored).toMatchObject({ kind: 'adjustment', seconds: entry.details.seconds });
        }
        if (entry.action === 'period.lock') {
          for (const e of entry.details.ledger!) expect(await kv.get(keys.ledgerEntry(P, e.seq))).toMatchObject({ kind: e.kind, seconds: e.seconds });
        }
      }
    }
  });
});

describe('a lock job that stopped after claiming a version', () => {
  /** Job "dead" claimed version 1 and wrote a snapshot part, then stopped for good. */
  async function abandoned(seed: number, claimedAgoMs: number) {
    const s = await site(seed);
    await s.kv.set(keys.lockClaim(P, '2026-11', 1), { jobId: 'dead', actor: HR2, at: DEC_2 - claimedAgoMs, from: 'open' });
    await s.kv.set(keys.snapshotPart(P, '2026-11', 1, 1), '{"half":');
    return s;
  }

  it('holds other locks off while it may still be retried, saying when it will be taken over', async () => {
    const { kv, view } = await abandoned(1, 10 * 60_000);
    const error = await rejectedWith(lockPersonPeriod(view(), lockNov('job-2')));
    expect(error.code).toBe('LOCK_IN_PROGRESS');
    expect(error.message).toContain(new Date(DEC_2 - 10 * 60_000 + ABANDONED_CLAIM_MS).toISOString());
    expect(await periodStatus(kv, P, '2026-11')).toMatchObject({ status: 'open', version: 0 });
  });

  it('is taken over once given up: the new lock writes version 1 whole, under its own claim', async () => {
    const { kv, view } = await abandoned(2, ABANDONED_CLAIM_MS + 1);
    const outcome = await lockPersonPeriod(view(), lockNov('job-2'));
    expect(outcome).toMatchObject({ version: 1, status: 'locked', creditedSeconds: 21 * H });
    expect(await kv.get(keys.lockClaim(P, '2026-11', 1))).toMatchObject({ jobId: 'job-2' });
    expect(await periodStatus(kv, P, '2026-11')).toMatchObject({ status: 'locked', version: 1, jobId: 'job-2' });
    // The dead job's retry, should it come, finds the period locked by another job and changes nothing.
    const before = JSON.stringify(await queryAll(kv, ''));
    expect((await rejectedWith(lockPersonPeriod(view(), lockNov('dead')))).code).toBe('INVALID_TRANSITION');
    expect(JSON.stringify(await queryAll(kv, ''))).toBe(before);
  });

  it('had it sealed and listed its version, the takeover unlists it: snapshots/list shows only the version that counts', async () => {
    const { kv, view } = await abandoned(3, ABANDONED_CLAIM_MS + 1);
    const part = '{"dead":true}';
    const manifest = { format: 1, personId: P, periodKey: '2026-11', version: 1, hash: 'f'.repeat(64), engineVersion: '0.0.0', partCount: 1, partHashes: [sha256Hex(part)], bytes: part.length, lockedAt: DEC_2 - ABANDONED_CLAIM_MS - 1, lockedBy: HR2, jobId: 'dead' } as const;
    await kv.set(keys.snapshotPart(P, '2026-11', 1, 1), part);
    await kv.set(keys.snapshotPart(P, '2026-11', 1, 0), manifest);
    await listSnapshotVersion(kv, P, manifest);
    expect((await listSnapshots(kv, { personId: P })).snapshots.map((s) => s.jobId)).toEqual(['dead']);
    await lockPersonPeriod(view(), lockNov('job-2'));
    for (const filter of [{}, { personId: P }, { periodKey: '2026-11' }, { personId: P, periodKey: '2026-11' }]) {
      expect((await listSnapshots(kv, filter)).snapshots.map((s) => [s.version, s.jobId, s.current])).toEqual([[1, 'job-2', true]]);
    }
  });
});

describe('two HR admins saving at once', () => {
  const weekdays = { kind: 'weekdays' as const, secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] };

  it('contracts that overlap: one is stored, the other is refused naming it', async () => {
    for (const seed of SEEDS) {
      const { kv, view } = await site(seed);
      await kv.delete(keys.contract(P, '2025-01-01'));
      const results = await Promise.all([
        settled(saveContract(view(), HR, { personId: P, firstDate: '2027-01-01', schedule: weekdays })),
        settled(saveContract(view(), HR2, { personId: P, firstDate: '2027-03-01', schedule: weekdays, partTimeFactor: '0.5' })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(codeOf(results.find((r) => !r.ok) as { ok: false; error: unknown })).toBe('CONTRACT_OVERLAP');
      expect(await listContracts(kv, P)).toHaveLength(1);
      expect((await actions(kv)).filter((a) => a === 'contract.save')).toHaveLength(1);
    }
  });

  it('absences that share days: one is stored, the other is refused; no day is booked twice', async () => {
    for (const seed of SEEDS) {
      const { kv, view } = await site(seed);
      const results = await Promise.all([
        settled(saveAbsences(view(), HR, { people: [P, 'acc-b'], ranges: [{ from: '2027-02-01', to: '2027-02-05' }], type: 'vacation' })),
        settled(saveAbsences(view(), HR2, { people: [P], ranges: [{ from: '2027-02-04', to: '2027-02-04' }], type: 'sick' })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(codeOf(results.find((r) => !r.ok) as { ok: false; error: unknown })).toBe('ABSENCE_OVERLAP');
      expect(await listAbsences(kv, P)).toHaveLength(1);
    }
  });
});
