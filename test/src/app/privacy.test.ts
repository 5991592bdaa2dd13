import { describe, expect, it } from 'vitest';
import { saveAbsences } from '../../../src/app/absences';
import { startLockJob } from '../../../src/app/lockJobs';
import { saveRoles, saveTeam } from '../../../src/app/administration';
import { listAudit, verifyAudit } from '../../../src/app/auditLog';
import { saveContract } from '../../../src/app/contracts';
import { handleApplyEvent } from '../../../src/app/handleEvents';
import { adjustLedger } from '../../../src/app/ledgerStore';
import { loadReport } from '../../../src/app/loadReport';
import { lockPersonPeriod, periodStatus, unlockPersonPeriod } from '../../../src/app/periodLock';
import { erasePerson, handleEraseEvent, REPORT_BATCH, reportPersonalData, type EraseEvent, type PersonalDataReporter } from '../../../src/app/privacy';
import { ERASED_USER, PSEUDONYM_KEY_SECRET, pseudonymsFor, registerPeople } from '../../../src/app/pseudonyms';
import { queryAll } from '../../../src/app/queryAll';
import { listSnapshots, readSnapshot } from '../../../src/app/snapshots';
import { keys } from '../../../src/app/storageKeys';
import { DomainError } from '../../../domain/errors';
import { monthPeriod } from '../../../domain/period';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { seededRandom } from '../../../src/local/seededRandom';
import { JitteryKvStore } from '../../support/jitteryKvStore';
import type { EventQueue, KvStore, QueuedEvent } from '../../../src/ports';

const GONE = '557058:closed-account';
const KEPT = '557058:kept-account';
const HR = '557058:hr-admin';
const LOOKED_UP = '557058:looked-up-only';
const H = 3600;
const DEC_2 = Date.UTC(2026, 11, 2, 9);
const weekdays = { kind: 'weekdays' as const, secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] };

/** A queue that keeps what is pushed. */
function keepingQueue(): EventQueue & { readonly pushed: QueuedEvent[] } {
  const pushed: QueuedEvent[] = [];
  return { pushed, push: async (events) => void pushed.push(...events) };
}

/** A reporter that behaves as Atlassian's: at most 90 accounts a call; answers the closed and the changed. */
function fakeReporter(closed: readonly string[], updated: readonly string[]) {
  const calls: { accountId: string; updatedAt: string }[][] = [];
  const reporter: PersonalDataReporter = {
    async report(accounts) {
      if (accounts.length > REPORT_BATCH) throw new Error(`400: at most ${REPORT_BATCH} accounts a call, got ${accounts.length}`);
      calls.push([...accounts]);
      return accounts.filter((a) => closed.includes(a.accountId) || updated.includes(a.accountId)).map((a) => ({ accountId: a.accountId, status: closed.includes(a.accountId) ? ('closed' as const) : ('updated' as const) }));
    },
  };
  return { reporter, calls };
}

/**
 * A site where GONE has left a trace in everything the app keeps: worklogs (one deleted), a contract,
 * absences, two locked snapshot versions, ledger entries, an HR admin role and a team; and as HR admin
 * GONE unlocked KEPT's period. KEPT has the same minus the role.
 */
async function site() {
  const clock = { now: () => DEC_2 };
  const kv = new MemoryKvStore(clock);
  const deps = { kv, clock, directory: { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) } };
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await saveRoles(deps, 'jira-admin', { hrAdmins: { accounts: [HR, GONE], groups: [] }, auditors: { accounts: [], groups: [] } });
  await saveTeam(deps, HR, { team: { id: 'be', name: 'Brussels', leads: [HR], members: [GONE, KEPT] } });
  for (const person of [GONE, KEPT]) {
    await saveContract(deps, HR, { personId: person, firstDate: '2026-01-01', schedule: weekdays });
    const changes = [];
    for (let d = 2; d <= 27; d++) {
      if ([0, 6].includes(new Date(Date.UTC(2026, 10, d)).getUTCDay())) continue;
      changes.push({ kind: 'upsert' as const, worklog: { id: String((person === GONE ? 1000 : 2000) + d), source: 'jira', authorId: person, issueId: '77', started: Date.UTC(2026, 10, d, 8), seconds: 9 * H, updated: 1 } });
    }
    await handleApplyEvent(deps, { kind: 'apply', people: [{ personId: person, changes }] });
  }
  // A worklog of GONE's, deleted since: its record stays, naming its author.
  await handleApplyEvent(deps, { kind: 'apply', people: [{ personId: GONE, changes: [{ kind: 'delete', id: '1003', at: DEC_2 - 1000 }] }] });
  await saveAbsences(deps, HR, { people: [GONE], ranges: [{ from: '2026-11-30', to: '2026-11-30' }], type: 'vacation', note: `${GONE} asked for it` });
  for (const person of [GONE, KEPT]) await lockPersonPeriod(deps, { personId: person, periodKey: '2026-11', actor: HR, jobId: person === GONE ? 'job-1' : 'job-2' });
  await unlockPersonPeriod(deps, { personId: GONE, periodKey: '2026-11', actor: HR, reason: 'a correction' });
  await lockPersonPeriod(deps, { personId: GONE, periodKey: '2026-11', actor: HR, jobId: 'job-relock' });
  await unlockPersonPeriod(deps, { personId: KEPT, periodKey: '2026-11', actor: GONE, reason: `checked by ${GONE}` });
  await adjustLedger(deps, HR, { accountId: GONE, seconds: H, reason: 'training', requestId: 'r-1' });
  // Free text about a colleague that names GONE: an absence note and a ledger reason.
  await saveAbsences(deps, HR, { people: [KEPT], ranges: [{ from: '2026-12-21', to: '2026-12-21' }], type: 'vacation', note: `swapped with ${GONE}` });
  await adjustLedger(deps, HR, { accountId: KEPT, seconds: H, reason: `covered for ${GONE}` });
  // A lock job that names GONE, and a report asked about someone with no data at all.
  await startLockJob({ ...deps, periodsQueue: keepingQueue() }, HR, { periodKey: '2026-10', people: [GONE, KEPT] });
  await loadReport(deps, LOOKED_UP, monthPeriod(2026, 11));
  return { kv, clock, deps };
}

/** Every key and value in storage as one text. */
const everything = async (kv: KvStore) => JSON.stringify(await queryAll(kv, ''));
/** The stored records that name the account, key and value. */
const naming = async (kv: KvStore, accountId: string) => (await queryAll(kv, '')).filter((r) => JSON.stringify(r).includes(accountId)).map((r) => r.key);

describe('erasing a closed account', () => {
  it('leaves no trace of the account id anywhere, the audit chain verifies, and entries show "erased user"', async () => {
    const { kv, clock, deps } = await site();
    expect(await everything(kv)).toContain(GONE);
    const keptReport = await loadReport(deps, KEPT, monthPeriod(2026, 11));
    expect(await kv.get(keys.user(KEPT))).toBeDefined(); // the zone Jira gave, cached
    const pseudonym = (await pseudonymsFor(kv)).of(GONE);

    const queue = keepingQueue();
    const { reporter } = fakeReporter([GONE], [KEPT]);
    // Everyone the app keeps data about: the two, the HR admin and the Jira admin. (The person only looked
    // up has a cached zone, which expires by itself within days: docs/privacy.md.)
    expect(await reportPersonalData({ kv, clock, reporter, eraseQueue: queue }, Infinity)).toEqual({ reported: 4, closed: 1, updated: 1, complete: true });
    expect(queue.pushed.map((e) => e.body)).toEqual([{ kind: 'erase', accountId: GONE }]);
    expect(queue.pushed[0]!.concurrencyKey).toBe('privacy-erase');
    expect(await kv.get(keys.user(KEPT))).toBeUndefined(); // a changed profile: the cached zone is asked again

    await handleEraseEvent({ kv, clock, queue }, queue.pushed[0]!.body as unknown as EraseEvent, Infinity);

    expect(await naming(kv, GONE)).toEqual([]);
    expect(await verifyAudit(kv)).toMatchObject({ ok: true });
    const page = await listAudit(kv, {}, { limit: 100 });
    expect(page.people[pseudonym]).toBe(ERASED_USER);
    expect(page.people[(await pseudonymsFor(kv)).of(KEPT)]).toBe(KEPT);
    expect(page.entries[0]).toMatchObject({ action: 'privacy.erase', actor: 'app', target: keys.person(pseudonym) });
    // GONE's snapshots stay, under the pseudonym, whole and verified.
    for (const version of [1, 2]) expect((await readSnapshot(kv, pseudonym, '2026-11', version)).verification).toMatchObject({ ok: true });
    // And snapshots/list still lists them, under the pseudonym, whatever the filter.
    const theirs = (await listSnapshots(kv, { personId: pseudonym })).snapshots;
    expect(theirs.map((s) => [s.personId, s.periodKey, s.version])).toEqual([
      [pseudonym, '2026-11', 2],
      [pseudonym, '2026-11', 1],
    ]);
    expect((await listSnapshots(kv, { personId: pseudonym, periodKey: '2026-11' })).snapshots.map((s) => s.version)).toEqual([2, 1]);
    expect((await listSnapshots(kv, { periodKey: '2026-11' })).snapshots.filter((s) => s.personId === pseudonym)).toHaveLength(2);
    expect((await listSnapshots(kv, { personId: GONE })).snapshots).toEqual([]);
    // KEPT is untouched but for who unlocked their period.
    expect(await loadReport(deps, KEPT, monthPeriod(2026, 11))).toEqual(keptReport);
    expect((await periodStatus(kv, KEPT, '2026-11')).unlocks[0]).toMatchObject({ by: pseudonym, reason: `checked by ${pseudonym}` });
  });

  it('moves the snapshots a few parts a read (each part is up to 200 KB), never a whole page of 100', async () => {
    const { kv, clock, deps } = await site();
    await lockPersonPeriod(deps, { personId: GONE, periodKey: '2026-10', actor: HR, jobId: 'job-october' });
    const parts = (await queryAll(kv, `snap#${GONE}#`)).length;
    expect(parts).toBeGreaterThan(4); // more than one read's worth, or this proves little
    const limits: number[] = [];
    const query = kv.query.bind(kv);
    kv.query = ((prefix: string, options?: { limit?: number; cursor?: string }) => {
      if (prefix.startsWith(`snap#${GONE}#`)) limits.push(options?.limit ?? 10);
      return query(prefix, options);
    }) as typeof kv.query;
    await erasePerson({ kv, clock }, { kind: 'erase', accountId: GONE }, Infinity);
    expect(limits.length).toBeGreaterThanOrEqual(Math.ceil(parts / 4));
    expect(Math.max(...limits)).toBeLessThanOrEqual(4);
    expect(await queryAll(kv, `snap#${GONE}#`)).toEqual([]);
  });

  it('run again, changes nothing', async () => {
    const { kv, clock } = await site();
    await erasePerson({ kv, clock }, { kind: 'erase', accountId: GONE }, Infinity);
    const after = await everything(kv);
    await erasePerson({ kv, clock }, { kind: 'erase', accountId: GONE }, Infinity);
    expect(await everything(kv)).toBe(after);
  });

  it('out of time while sweeping worklog records, it queues the rest, which finishes the job', async () => {
    const { kv } = await site();
    // Many more worklog records, of someone else, before and after GONE's deleted one.
    for (let id = 1; id <= 600; id++) await kv.set(keys.worklog(id * 7), ['someone-else', '1', 'jira', 1, DEC_2, 60, 0]);
    let ticks = 0;
    const slow = { now: () => DEC_2 + ticks++ * 10 };
    const queue = keepingQueue();
    const first = await handleEraseEvent({ kv, clock: slow, queue }, { kind: 'erase', accountId: GONE }, DEC_2 + 40);
    expect(first.continueWith?.worklogsAfter).toMatch(/^wl#\d{12}$/);
    let event = queue.pushed.at(-1)!.body as unknown as EraseEvent;
    for (let rounds = 0; rounds < 50 && event.worklogsAfter !== undefined; rounds++) {
      ticks = 0;
      const next = await handleEraseEvent({ kv, clock: slow, queue }, event, DEC_2 + 60);
      if (!next.continueWith) break;
      event = next.continueWith;
    }
    expect(await naming(kv, GONE)).toEqual([]);
    expect(await verifyAudit(kv)).toMatchObject({ ok: true });
  });
});

describe('two erasures at once', () => {
  it('lose nothing of each other: neither account is left in roles, teams or the records of others', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const { kv, clock } = await site();
      // Both GONE and KEPT closed at once, erased side by side on storage that delays every call at random.
      const random = seededRandom(seed);
      const view = () => ({ kv: new JitteryKvStore(kv, random), clock, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms / 20)) });
      // Each erasure as its own delivery, retried as the queue retries one that found the other busy.
      const erase = async (accountId: string) => {
        for (;;) {
          try {
            return await erasePerson(view(), { kind: 'erase', accountId }, Infinity);
          } catch (e) {
            if (!(e instanceof DomainError && e.code === 'MUTEX_BUSY')) throw e;
          }
        }
      };
      await Promise.all([erase(GONE), erase(KEPT)]);
      expect(await naming(kv, GONE)).toEqual([]);
      expect(await naming(kv, KEPT)).toEqual([]);
      expect(await verifyAudit(kv)).toMatchObject({ ok: true });
    }
  });
});

describe('personal data reporting', () => {
  it('queues the erasure of many closed accounts of one batch in pushes the queue takes (50 at most)', async () => {
    const clock = { now: () => DEC_2 };
    const kv = new MemoryKvStore(clock);
    await kv.setSecret(PSEUDONYM_KEY_SECRET, 'k');
    const people = Array.from({ length: 90 }, (_, i) => `557058:closed-${String(i).padStart(2, '0')}`);
    await registerPeople(kv, await pseudonymsFor(kv), people, DEC_2);
    const pushes: number[] = [];
    const queue: EventQueue = {
      push: async (events) => {
        if (events.length > 50) throw new Error(`a push holds 1 to 50 events; got ${events.length}`);
        pushes.push(events.length);
      },
    };
    const outcome = await reportPersonalData({ kv, clock, reporter: fakeReporter(people, []).reporter, eraseQueue: queue }, Infinity);
    expect(outcome.closed).toBe(90);
    expect(pushes.reduce((a, b) => a + b, 0)).toBe(90);
  });

  it('reports every registered person once, at most 90 a call, with when the app last stored data about them', async () => {
    const clock = { now: () => DEC_2 };
    const kv = new MemoryKvStore(clock);
    await kv.setSecret(PSEUDONYM_KEY_SECRET, 'k');
    const people = Array.from({ length: 200 }, (_, i) => `557058:person-${String(i).padStart(3, '0')}`);
    await registerPeople(kv, await pseudonymsFor(kv), people, DEC_2 - 86_400_000);
    const { reporter, calls } = fakeReporter([], []);
    const outcome = await reportPersonalData({ kv, clock, reporter, eraseQueue: keepingQueue() }, Infinity);
    expect(outcome).toEqual({ reported: 200, closed: 0, updated: 0, complete: true });
    expect(calls.map((c) => c.length)).toEqual([90, 90, 20]);
    expect(calls.flat().map((a) => a.accountId).sort()).toEqual(people);
    expect(new Set(calls.flat().map((a) => a.updatedAt))).toEqual(new Set([new Date(DEC_2 - 86_400_000).toISOString()]));
  });
});
