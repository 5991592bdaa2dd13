import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateContract } from '../../../domain/contract';
import { foldLedger, type LedgerEntry, type RecuperationRules } from '../../../domain/ledger';
import { monthPeriod } from '../../../domain/period';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { loadReport } from '../../../src/app/loadReport';
import { approvePeriod, lockPersonPeriod, periodDrift, periodStatus, rejectPeriod, submitPeriod, unlockPersonPeriod } from '../../../src/app/periodLock';
import { queryAll } from '../../../src/app/queryAll';
import { listSnapshots, lockedReport, readSnapshot } from '../../../src/app/snapshots';
import { PSEUDONYM_KEY_SECRET } from '../../../src/app/pseudonyms';
import { revealedAudit } from '../../support/revealedAudit';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvStore } from '../../../src/ports';
import { FaultyKvStore, SimulatedCrash } from '../../support/faultyKvStore';
import { rejectedWith } from '../../support/thrown';

const P = 'acc-a';
const HR = 'hr-1';
const H = 3600;
const DEC_2 = Date.UTC(2026, 11, 2, 9);

/** A clock a test can move. */
const clockAt = (ms: number) => {
  const c = { t: ms, now: () => c.t };
  return c;
};

type Clock = ReturnType<typeof clockAt>;

/** A site in Brussels with a full-time contract (8 h Monday to Friday) for acc-a since 2025. */
async function site(clock: Clock = clockAt(DEC_2), settings: Record<string, unknown> = {}) {
  const kv = new MemoryKvStore(clock);
  // One pseudonym key for every site of these tests, so that runs on separate stores store the same.
  await kv.setSecret(PSEUDONYM_KEY_SECRET, 'test-key');
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels', ...settings });
  const contract = validateContract({ id: 'c-1', personId: P, firstDate: '2025-01-01', lastDate: null, schedule: { kind: 'weekly', weeklySeconds: 40 * H, workingDays: [1, 2, 3, 4, 5] } });
  await kv.set(keys.contract(P, contract.firstDate), contract);
  const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) };
  return { kv, clock, directory, deps: { kv, directory, clock } };
}

const upsert = (id: string, started: number, seconds: number, updated = 1) => ({ kind: 'upsert' as const, worklog: { id, source: 'jira', authorId: P, issueId: '1', started, seconds, updated } });

/** 9 h on every weekday of the month (07:00 UTC = 08:00 Brussels), ids from `firstId`. */
async function workEveryWeekday(kv: KvStore, year: number, month: number, firstId: number): Promise<number> {
  const changes = [];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let d = 1; d <= days; d++) {
    const day = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    if (day !== 0 && day !== 6) changes.push(upsert(String(firstId + d), Date.UTC(year, month - 1, d, 7), 9 * H));
  }
  await applyWorklogChanges(kv, P, changes);
  return changes.length;
}

async function ledger(kv: KvStore): Promise<LedgerEntry[]> {
  return (await queryAll<LedgerEntry>(kv, keys.ledgerPrefix(P))).map((r) => r.value);
}

/**
 * Everything stored but the zone cache (`user#`), the audit log's two best-effort helpers (the head hint,
 * and an idempotency marker the next append writes if missing) and a mutex holder a crash left (`mutex#`:
 * it expires, and the job's retry takes it over at once).
 */
async function dump(kv: KvStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of await queryAll(kv, '')) {
    if (key.startsWith('user#') || key.startsWith('auditmeta#') || key.startsWith('auditkey#') || key.startsWith('mutex#')) continue;
    out[key] = value;
  }
  return out;
}

async function auditActions(kv: KvStore): Promise<string[]> {
  return (await queryAll<{ action: string }>(kv, 'audit#')).map((r) => r.value.action);
}


const NOV = monthPeriod(2026, 11);
const lockNov = (jobId = 'job-1', rules?: RecuperationRules) => ({ personId: P, periodKey: '2026-11', actor: HR, jobId, ...(rules ? { rules } : {}) });

describe('locking a period', () => {
  it('seals the report in a snapshot, credits the ledger once, and the report then comes from the snapshot', async () => {
    const { kv, deps } = await site();
    const weekdays = await workEveryWeekday(kv, 2026, 11, 100);
    expect(weekdays).toBe(21);
    const live = await loadReport(deps, P, NOV);
    expect(live.totals.creditedSeconds).toBe(21 * H); // 1 h over on each of 21 weekdays

    const outcome = await lockPersonPeriod(deps, lockNov());
    expect(outcome).toMatchObject({ version: 1, creditedSeconds: 21 * H, ledgerSeqs: [1], wroteAnything: true, status: 'locked' });
    expect(await periodStatus(kv, P, '2026-11')).toMatchObject({ status: 'locked', version: 1, lockedBy: HR, jobId: 'job-1', creditedSeconds: 21 * H });

    const locked = await loadReport(deps, P, NOV);
    expect(locked.lock).toMatchObject({ version: 1, hash: outcome.hash, lockedBy: HR });
    const { lock: _lock, ...figures } = locked;
    // The snapshot names acc-a by pseudonym; the report served names them by account id.
    const sealed = (await readSnapshot(kv, P, '2026-11', 1)).snapshot;
    expect(sealed.personId).toMatch(/^u-[0-9a-f]{24}$/);
    expect(figures).toEqual({ ...sealed.report, personId: P });
    expect(figures.totals).toEqual(live.totals);
    const [entry] = await revealedAudit(kv);
    expect(entry).toMatchObject({
      actor: HR,
      target: 'pstate#acc-a#2026-11',
      details: {
        personId: P,
        periodKey: '2026-11',
        jobId: 'job-1',
        version: 1,
        hash: outcome.hash,
        creditedSeconds: 21 * H,
        ledger: [{ seq: 1, date: '2026-11-30', kind: 'period-close', seconds: 21 * H }],
        before: { status: 'open', version: 0 },
        after: { status: 'locked', version: 1 },
      },
    });
  });

  it('the balance after the lock is the opening balance plus the credit, and the next period opens with it', async () => {
    const { kv, deps } = await site();
    await kv.set(keys.ledgerEntry(P, 1), { seq: 1, date: '2026-10-31', kind: 'adjustment', seconds: 5 * H, reason: 'carried from the old system' });
    await workEveryWeekday(kv, 2026, 11, 100);
    await lockPersonPeriod(deps, lockNov());
    const report = (await lockedReport(kv, P, '2026-11'))!.report;
    expect(report.totals.openingBalanceSeconds).toBe(5 * H);
    const balance = foldLedger(await ledger(kv)).balanceSeconds;
    expect(balance).toBe(report.totals.openingBalanceSeconds + report.totals.creditedSeconds);
    expect(balance).toBe(report.totals.closingBalanceSeconds);
    const december = await loadReport(deps, P, monthPeriod(2026, 12));
    expect(december.totals.openingBalanceSeconds).toBe(balance);
  });

  it('shows a worklog edited after the lock as drift; the locked figures do not move until unlocked', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    await lockPersonPeriod(deps, lockNov());
    const before = await loadReport(deps, P, NOV);

    // Worklog 102 (2 November) shortened from 9 h to 7 h; a new worklog of 1 h on 3 November.
    await applyWorklogChanges(kv, P, [upsert('102', Date.UTC(2026, 10, 2, 7), 7 * H, 2), upsert('500', Date.UTC(2026, 10, 3, 13), H, 2)]);
    expect(await loadReport(deps, P, NOV)).toEqual(before);
    const drift = await periodDrift(kv, P, '2026-11');
    expect(drift.changed.map((c) => [c.id, c.secondsDelta])).toEqual([['102', -2 * H]]);
    expect(drift.added.map((w) => w.id)).toEqual(['500']);
    expect(drift.deleted).toEqual([]);
    expect(drift.netSecondsDelta).toBe(-H);
    expect(drift).toMatchObject({ version: 1, lockedWorkedSeconds: 21 * 9 * H });

    await unlockPersonPeriod(deps, { personId: P, periodKey: '2026-11', actor: HR, reason: 'worklog of 2 November corrected' });
    const after = await loadReport(deps, P, NOV);
    expect(after.lock).toBeUndefined();
    expect(after.totals.workedSeconds).toBe(21 * 9 * H - H);
    expect((await rejectedWith(periodDrift(kv, P, '2026-11'))).code).toBe('NOT_LOCKED');
  });

  it('unlock needs a reason of 3 to 500 characters and a locked period; a refused unlock changes nothing', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    const unlock = (reason: unknown) => unlockPersonPeriod(deps, { personId: P, periodKey: '2026-11', actor: HR, reason: reason as string });
    let e = await rejectedWith(unlock('because'));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toContain("cannot unlock acc-a's 2026-11: it is open");
    await lockPersonPeriod(deps, lockNov());
    const before = await dump(kv);
    for (const reason of [undefined, '', '  a  ', 'x'.repeat(501)]) {
      e = await rejectedWith(unlock(reason));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('needs a reason of 3 to 500 characters');
    }
    expect(await dump(kv)).toEqual(before);
    const state = await unlock('  contract changed in November  ');
    expect(state).toMatchObject({ status: 'open', version: 1, unlocks: [{ version: 1, by: HR, reason: 'contract changed in November' }] });
    expect(await auditActions(kv)).toEqual(['period.lock', 'period.unlock']);
  });

  it('relocking makes version 2, version 1 stays readable, and the ledger holds the period once at its new credit', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    const first = await lockPersonPeriod(deps, lockNov('job-1'));
    await applyWorklogChanges(kv, P, [upsert('102', Date.UTC(2026, 10, 2, 7), 6 * H, 2)]); // 3 h less
    await unlockPersonPeriod(deps, { personId: P, periodKey: '2026-11', actor: HR, reason: 'worklog corrected' });
    const second = await lockPersonPeriod(deps, lockNov('job-2'));
    expect(second).toMatchObject({ version: 2, creditedSeconds: 18 * H, ledgerSeqs: [2] });
    expect(second.hash).not.toBe(first.hash);
    expect((await readSnapshot(kv, P, '2026-11', 1)).snapshot.report.totals.creditedSeconds).toBe(21 * H);
    expect((await lockedReport(kv, P, '2026-11'))!.lock.version).toBe(2);

    const entries = await ledger(kv);
    expect(entries.map((e) => [e.kind, e.seconds])).toEqual([
      ['period-close', 21 * H],
      ['adjustment', -3 * H],
    ]);
    expect(entries[1]!.reason).toBe('relock of 2026-11 as snapshot version 2: the period now credits 18:00 instead of 21:00');
    expect(foldLedger(entries).balanceSeconds).toBe(18 * H);

    // Newest first: the relock, then the version it replaced.
    const listed = (await listSnapshots(kv, { personId: P })).snapshots;
    expect(listed.map((s) => [s.version, s.current, s.unlocks.map((u) => u.reason)])).toEqual([
      [2, true, []],
      [1, false, ['worklog corrected']],
    ]);
    expect(await listSnapshots(kv, { personId: P, periodKey: '2026-11' })).toEqual({ snapshots: listed });
    expect(await listSnapshots(kv, { periodKey: '2026-11' })).toEqual({ snapshots: listed });
    expect(await listSnapshots(kv, { periodKey: '2026-10' })).toEqual({ snapshots: [] });
  });

  it('unlock then relock with nothing changed credits nothing more', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    await lockPersonPeriod(deps, lockNov('job-1'));
    await unlockPersonPeriod(deps, { personId: P, periodKey: '2026-11', actor: HR, reason: 'checking' });
    const again = await lockPersonPeriod(deps, lockNov('job-2'));
    expect(again).toMatchObject({ version: 2, ledgerSeqs: [] });
    expect(foldLedger(await ledger(kv)).balanceSeconds).toBe(21 * H);
  });

  it('refuses a period not yet ended, and one another job locked, changing nothing', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    const before = await dump(kv);
    const e = await rejectedWith(lockPersonPeriod(deps, { ...lockNov(), periodKey: '2026-12' }));
    expect(e.code).toBe('PERIOD_NOT_ENDED');
    expect(e.message).toBe('2026-12 ends on 2026-12-31, so it cannot be locked before 2027-01-01: its worklogs may still change');
    expect(await dump(kv)).toEqual(before);
    await lockPersonPeriod(deps, lockNov('job-1'));
    const locked = await dump(kv);
    const other = await rejectedWith(lockPersonPeriod(deps, lockNov('job-2')));
    expect(other.code).toBe('INVALID_TRANSITION');
    expect(other.message).toBe("cannot lock acc-a's 2026-11: it is locked at version 1; unlock it with a reason first to lock it again");
    expect(await dump(kv)).toEqual(locked);
  });
});

describe('a refused lock', () => {
  it('leaves nothing behind, so another job can lock once the cause is mended', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    // A ledger entry with seq 2 and no seq 1: the ledger is invalid, so nothing can be credited.
    await kv.set(keys.ledgerEntry(P, 2), { seq: 2, date: '2026-10-01', kind: 'adjustment', seconds: H, reason: 'typed in by hand' });
    const before = await dump(kv);
    const e = await rejectedWith(lockPersonPeriod(deps, lockNov('job-1')));
    expect(e.code).toBe('INVALID_LEDGER_ENTRY');
    expect(await dump(kv)).toEqual(before);
    await kv.delete(keys.ledgerEntry(P, 2));
    expect(await lockPersonPeriod(deps, lockNov('job-2'))).toMatchObject({ version: 1, status: 'locked' });
  });
});

describe('a lock step run twice', () => {
  it('writes nothing the second time, and a late duplicate after an unlock does not lock again', async () => {
    const { kv, deps } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    await lockPersonPeriod(deps, lockNov('job-1'));
    const once = await dump(kv);
    const again = await lockPersonPeriod(deps, lockNov('job-1'));
    expect(again).toMatchObject({ version: 1, wroteAnything: false, status: 'locked' });
    expect(await dump(kv)).toEqual(once);

    await unlockPersonPeriod(deps, { personId: P, periodKey: '2026-11', actor: HR, reason: 'to correct' });
    const unlocked = await dump(kv);
    const late = await lockPersonPeriod(deps, lockNov('job-1'));
    expect(late).toMatchObject({ version: 1, wroteAnything: false, status: 'open' });
    expect(await dump(kv)).toEqual(unlocked);
  });

  /** Setup on a fresh store, then the lock step through a store that crashes at the `crashAt`-th write decision. */
  async function crashedThenRetried(crashAt: number): Promise<{ crashed: boolean; kv: MemoryKvStore }> {
    const { kv, clock, directory } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    let decision = 0;
    const faulty = new FaultyKvStore(kv, () => (decision++ === crashAt ? 0 : 1));
    faulty.failureChance = 1;
    const deps = { kv: faulty, clock, directory };
    let crashed = false;
    try {
      await lockPersonPeriod(deps, lockNov('job-1'));
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) throw e;
      crashed = true;
      await lockPersonPeriod(deps, lockNov('job-1'));
    }
    return { crashed, kv };
  }

  it('ends with the same storage as a single run after a crash before or after any one write', async () => {
    const reference = await crashedThenRetried(-1);
    const expected = await dump(reference.kv);
    expect(Object.keys(expected).filter((k) => !k.startsWith('day#') && !k.startsWith('wl#') && !k.startsWith('iwl#') && !k.startsWith('long#'))).toEqual([
      'audit#000000000001',
      'cfg#site',
      'contract#acc-a#20250101',
      'ledger#acc-a#00000001',
      'lockclaim#acc-a#2026-11#0001',
      // The pseudonyms the audit entry and the snapshot name: the HR admin and acc-a.
      'person#u-303f8b4c83ff1d262b4cef31',
      'person#u-9b514fc8520432ee50798f6e',
      'pstate#acc-a#2026-11',
      'snap#acc-a#2026-11#0001#000',
      'snap#acc-a#2026-11#0001#001',
      // Its listing for snapshots/list: all, by period, by person (newest lock first).
      'snapidx#all#8203797999999#acc-a#2026-11#9998',
      'snapidx#period#2026-11#8203797999999#acc-a#9998',
      'snapidx#person#acc-a#8203797999999#2026-11#9998',
    ]);
    // Two decisions a write (crash before it, crash after it); a crash in a best-effort write (the audit
    // log's marker and head hint) is swallowed there, so the step completes without a retry.
    let crashes = 0;
    for (let at = 0; at < 30; at++) {
      const { crashed, kv } = await crashedThenRetried(at);
      if (crashed) crashes++;
      expect(await dump(kv), `crash at write decision ${at}`).toEqual(expected);
      expect(await auditActions(kv)).toEqual(['period.lock']);
    }
    expect(crashes).toBeGreaterThanOrEqual(10); // 12 today: the zone cache, claim, part, manifest, transaction, audit entry
  });

  it('ends with the same storage whatever crashes hit it, retried until it succeeds', async () => {
    const reference = await dump((await crashedThenRetried(-1)).kv);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), async (script) => {
        const { kv, clock, directory } = await site();
        await workEveryWeekday(kv, 2026, 11, 100);
        let i = 0;
        const faulty = new FaultyKvStore(kv, () => (script[i++] ? 0 : 1));
        faulty.failureChance = 1;
        for (let attempt = 0; ; attempt++) {
          try {
            await lockPersonPeriod({ kv: faulty, clock, directory }, lockNov('job-1'));
            break;
          } catch (e) {
            if (!(e instanceof SimulatedCrash)) throw e;
            expect(attempt).toBeLessThan(script.length + 1);
          }
        }
        expect(await dump(kv)).toEqual(reference);
      }),
      { numRuns: 30 },
    );
  });
});

describe('one credit per period', () => {
  it('whatever edits, unlocks and relocks happen, the balance is the sum of each period\'s latest locked credit', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), month: fc.constantFrom(10, 11), day: fc.integer({ min: 1, max: 28 }), hours: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('unlock' as const), month: fc.constantFrom(10, 11) }),
      fc.record({ kind: fc.constant('lock' as const), month: fc.constantFrom(10, 11) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { kv, deps } = await site();
        let job = 0;
        let edits = 0;
        for (const s of steps) {
          const periodKey = `2026-${s.month}`;
          const state = await periodStatus(kv, P, periodKey);
          if (s.kind === 'edit') {
            edits++;
            await applyWorklogChanges(kv, P, [upsert(`${s.month}${String(s.day).padStart(2, '0')}`, Date.UTC(2026, s.month - 1, s.day, 7), s.hours * H, edits)]);
          } else if (s.kind === 'unlock' && state.status === 'locked') {
            await unlockPersonPeriod(deps, { personId: P, periodKey, actor: HR, reason: 'property test' });
          } else if (s.kind === 'lock' && state.status !== 'locked') {
            await lockPersonPeriod(deps, { personId: P, periodKey, actor: HR, jobId: `job-${++job}` });
          }
        }
        let expected = 0;
        for (const periodKey of ['2026-10', '2026-11']) {
          const state = await periodStatus(kv, P, periodKey);
          if (state.version > 0) expected += (await readSnapshot(kv, P, periodKey, state.version)).snapshot.report.totals.creditedSeconds;
          expect(state.creditedSeconds).toBe(state.version > 0 ? (await readSnapshot(kv, P, periodKey, state.version)).snapshot.report.totals.creditedSeconds : 0);
        }
        const entries = await ledger(kv);
        expect(foldLedger(entries).balanceSeconds).toBe(expected);
        expect(entries.filter((e) => e.kind === 'period-close').length).toBe(new Set(entries.filter((e) => e.kind === 'period-close').map((e) => e.periodKey)).size);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a lock step and other ledger writers', () => {
  it('never overwrites an entry another writer appended while it ran: it plans again after it', async () => {
    const { kv, clock, directory } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    // HR's adjustment lands at seq 1 just as the lock step checks the seqs it is about to write.
    let raced = false;
    const racing: KvStore = Object.assign(Object.create(kv) as MemoryKvStore, {
      getMany: async (list: readonly string[]) => {
        if (!raced && list[0] === keys.ledgerEntry(P, 1)) {
          raced = true;
          await kv.set(keys.ledgerEntry(P, 1), { seq: 1, date: '2026-12-02', kind: 'adjustment', seconds: 2 * H, reason: 'HR correction' }, { ifAbsent: true });
        }
        return kv.getMany(list);
      },
    });
    const outcome = await lockPersonPeriod({ kv: racing, clock, directory }, lockNov());
    expect(raced).toBe(true);
    expect(outcome.ledgerSeqs).toEqual([2]);
    expect((await ledger(kv)).map((e) => [e.seq, e.kind, e.seconds])).toEqual([
      [1, 'adjustment', 2 * H],
      [2, 'period-close', 21 * H],
    ]);
  });

  it('uses the site\'s recuperation rules when the job names none: a cap cuts the credit after the close', async () => {
    const { kv, deps } = await site();
    await kv.set(keys.recuperationRules, { capSeconds: 10 * H, floorSeconds: null, expiryMonths: null, yearEndCarryOverLimitSeconds: null, overtime: [] });
    await workEveryWeekday(kv, 2026, 11, 100);
    await lockPersonPeriod(deps, lockNov());
    expect((await ledger(kv)).map((e) => [e.kind, e.seconds, e.periodKey])).toEqual([
      ['period-close', 21 * H, '2026-11'],
      ['expiry', -11 * H, '2026-11'],
    ]);
    expect((await readSnapshot(kv, P, '2026-11')).snapshot.inputs.recuperationRules).toMatchObject({ capSeconds: 10 * H });
  });

  it('after a crash half-way through the snapshot and a worklog change, the retry seals the snapshot of the data as it is then', async () => {
    const { kv, clock, directory } = await site();
    await workEveryWeekday(kv, 2026, 11, 100);
    const part1 = keys.snapshotPart(P, '2026-11', 1, 1);
    let crash = true;
    const crashing: KvStore = Object.assign(Object.create(kv) as MemoryKvStore, {
      set: async (key: string, value: NonNullable<unknown>, options?: { ifAbsent?: boolean }) => {
        await kv.set(key, value, options);
        if (crash && key === part1) {
          crash = false;
          throw new SimulatedCrash(`after set ${key}`);
        }
      },
    });
    const deps = { kv: crashing, clock, directory };
    await expect(lockPersonPeriod(deps, lockNov())).rejects.toBeInstanceOf(SimulatedCrash);
    await applyWorklogChanges(kv, P, [upsert('102', Date.UTC(2026, 10, 2, 7), 8 * H, 2)]);
    const outcome = await lockPersonPeriod(deps, lockNov());
    expect(outcome).toMatchObject({ version: 1, creditedSeconds: 20 * H });
    const stored = await readSnapshot(kv, P, '2026-11', 1);
    expect(stored.verification.ok).toBe(true);
    expect(stored.snapshot.report.totals.creditedSeconds).toBe(20 * H);
  });
});

describe('the ledger at a year end', () => {
  const rules: RecuperationRules = { capSeconds: null, floorSeconds: null, expiryMonths: null, yearEndCarryOverLimitSeconds: 4 * H, overtime: [] };

  it('writes the pending year end before the December credit, and the report opens with the balance after it', async () => {
    const { kv, clock, deps } = await site(clockAt(Date.UTC(2027, 0, 5, 9)));
    await kv.set(keys.ledgerEntry(P, 1), { seq: 1, date: '2025-06-30', kind: 'adjustment', seconds: 10 * H, reason: 'carried from the old system' });
    await workEveryWeekday(kv, 2026, 12, 100);
    const december = await lockPersonPeriod(deps, { personId: P, periodKey: '2026-12', actor: HR, jobId: 'job-dec', rules });
    const entries = await ledger(kv);
    expect(entries.map((e) => [e.seq, e.date, e.kind, e.seconds])).toEqual([
      [1, '2025-06-30', 'adjustment', 10 * H],
      [2, '2025-12-31', 'carry-over', -6 * H],
      [3, '2026-12-31', 'period-close', december.creditedSeconds],
    ]);
    const report = (await lockedReport(kv, P, '2026-12'))!.report;
    expect(report.totals.openingBalanceSeconds).toBe(4 * H);
    expect(foldLedger(entries).balanceSeconds).toBe(4 * H + december.creditedSeconds);

    // January: the 2026 year end runs first, cutting the balance to the limit, then January's credit.
    clock.t = Date.UTC(2027, 1, 2, 9);
    await workEveryWeekday(kv, 2027, 1, 200);
    const january = await lockPersonPeriod(deps, { personId: P, periodKey: '2027-01', actor: HR, jobId: 'job-jan', rules });
    const after = await ledger(kv);
    expect(after.slice(3).map((e) => [e.date, e.kind, e.seconds])).toEqual([
      ['2026-12-31', 'carry-over', 4 * H - (4 * H + december.creditedSeconds)],
      ['2027-01-31', 'period-close', january.creditedSeconds],
    ]);
    expect((await lockedReport(kv, P, '2027-01'))!.report.totals.openingBalanceSeconds).toBe(4 * H);
  });
});

describe('the approval workflow', () => {
  const req = { personId: P, periodKey: '2026-11', actor: 'lead-1' };

  it('goes submit → reject with a reason → submit → approve → lock, each step audited', async () => {
    const { kv, deps } = await site(clockAt(DEC_2), { approvalWorkflow: true });
    await workEveryWeekday(kv, 2026, 11, 100);
    let e = await rejectedWith(lockPersonPeriod(deps, lockNov()));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toContain('the approval workflow is on, so the period must be submitted and approved first');
    expect((await rejectedWith(approvePeriod(deps, req))).message).toBe("cannot approve acc-a's 2026-11: it is open; only a submitted period can be approved; submit it first");

    expect((await submitPeriod(deps, { ...req, actor: P })).status).toBe('submitted');
    expect((await rejectedWith(submitPeriod(deps, req))).code).toBe('INVALID_TRANSITION');
    e = await rejectedWith(rejectPeriod(deps, { ...req, reason: 'no' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(await rejectPeriod(deps, { ...req, reason: 'hours of 2 November missing' })).toMatchObject({ status: 'rejected', rejectReason: 'hours of 2 November missing' });
    expect((await submitPeriod(deps, { ...req, actor: P })).rejectReason).toBeUndefined();
    expect((await approvePeriod(deps, req)).status).toBe('approved');
    expect((await lockPersonPeriod(deps, lockNov())).version).toBe(1);
    expect((await rejectedWith(submitPeriod(deps, req))).message).toContain('unlock it with a reason to change it');
    expect(await auditActions(kv)).toEqual(['period.submit', 'period.reject', 'period.submit', 'period.approve', 'period.lock']);
  });

  it('refuses to submit a period that has not started anywhere yet, changing nothing; the running month may be submitted', async () => {
    const { kv, deps } = await site(clockAt(DEC_2), { approvalWorkflow: true });
    const before = await dump(kv);
    const e = await rejectedWith(submitPeriod(deps, { personId: P, periodKey: '2027-01', actor: P }));
    expect(e.code).toBe('PERIOD_NOT_STARTED');
    expect(e.message).toBe('2027-01 starts on 2027-01-01: submit it for approval once you have worked it');
    // Approval is by month, the period HR locks: a week or a range would be a state nobody reviews.
    for (const periodKey of ['2026-W49', 'r-20261201-20261202']) {
      const refused = await rejectedWith(submitPeriod(deps, { personId: P, periodKey, actor: P }));
      expect(refused.code).toBe('INVALID_PERIOD');
      expect(refused.message).toContain('approval works by month');
    }
    expect(await dump(kv)).toEqual(before);
    expect((await submitPeriod(deps, { personId: P, periodKey: '2026-12', actor: P })).status).toBe('submitted');
  });

  it('is refused when the workflow is off: HR locks directly', async () => {
    const { kv, deps } = await site();
    const before = await dump(kv);
    const e = await rejectedWith(submitPeriod(deps, req));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toContain('the approval workflow is off');
    expect(await dump(kv)).toEqual(before);
  });
});
