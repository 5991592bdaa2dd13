import { DomainError, ErrorCode } from '../../domain/errors';
import {
  closePeriodEntries,
  expiryEntriesDue,
  foldLedger,
  validateRecuperationRules,
  yearEndEntries,
  type LedgerEntry,
  type RecuperationRules,
} from '../../domain/ledger';
import { addDays, formatLocalDate, type LocalDate } from '../../domain/localDate';
import { plainTextProblem } from './plainText';
import { periodFromKey, type Period } from '../../domain/period';
import { createSnapshot, type Snapshot } from '../../domain/snapshot';
import type { WorklogDrift } from '../../domain/drift';
import { KvConflictError, type Clock, type KvOperation, type KvStore } from '../ports';
import { appendAudit } from './auditLog';
import { recuperationRules } from './ledgerStore';
import { personLedgerMutex, withMutex } from './mutex';
import { countableWorklogs, loadReportInput, type ReportDeps } from './loadReport';
import { openState, readPeriodState, type PeriodState, type PeriodStatus } from './periodState';
import { queryAll } from './queryAll';
import { loadSettings } from './settings';
import { pseudonymsFor } from './pseudonyms';
import { listSnapshotVersion, unlistSnapshotVersion } from './snapshotList';
import { driftOf, pseudonymousInput, readSnapshot, writeSnapshot, type SnapshotManifest } from './snapshots';
import { keys } from './storageKeys';

/**
 * Closing, approving and locking a person's period.
 *
 *   lockPersonPeriod(deps, { personId, periodKey, actor, jobId, rules? })   → LockOutcome   one queue step; idempotent per (jobId, personId)
 *   unlockPersonPeriod(deps, { personId, periodKey, actor, reason })          → PeriodState   reason of 3–500 characters
 *   submitPeriod(deps, { personId, periodKey, actor })                        → PeriodState   approval workflow only
 *   approvePeriod(deps, { personId, periodKey, actor })                       → PeriodState
 *   rejectPeriod(deps, { personId, periodKey, actor, reason })                → PeriodState
 *   periodStatus(kv, personId, periodKey)                                     → PeriodState   `open` when never written
 *   periodDrift(kv, personId, periodKey)                                      → PeriodDrift   locked periods only
 *
 * A refused transition throws INVALID_TRANSITION naming the current state and what to do, and writes
 * nothing. Every transition appends an audit entry (target `pstate#<person>#<periodKey>`).
 *
 * **The lock step** first computes everything that can be refused (the report, the snapshot, the ledger
 * entries), so a refused lock writes nothing; then it writes, in this order, each write safe to repeat:
 * 1. a create-only claim `lockclaim#<person>#<period>#<version>` naming the job: no two jobs write one
 *    version, and a duplicate of a job that already locked (even one unlocked since) does nothing;
 * 2. the snapshot (src/app/snapshots.ts), create-only, version = last version + 1;
 * 3. in ONE transaction, the ledger entries and the period state `locked`: a crash leaves both or neither;
 * 4. the audit entry `period.lock`, under idempotency key `period.lock#<jobId>#<personId>`.
 * A retry finds what is done (claim ours, manifest sealed, state locked by this job, audit key used) and
 * does only the rest; storage ends the same as after a single run.
 *
 * **The ledger: one close per period.** The first lock appends closePeriodEntries (pending year ends and
 * expiries first, then the period's credit, then a cap or floor entry), dated the period's last day (or
 * the ledger's last date when it already moved past). Unlocking leaves the credit in the balance: the
 * period's figures are under review, not void. A relock appends only the difference between the new
 * snapshot's credit and what the period credited before, as an adjustment with a reason naming both
 * versions (after any year ends and expiries that fell due), so the balance always holds each period's
 * latest locked credit exactly once. The snapshot's opening balance counts the year ends and expiries the
 * lock writes before the period's first day, so balance after = opening + credit (+ any expiry, cap or
 * floor entry dated within the period). Lock periods in order: a credit is dated the period's last day
 * only while the ledger has nothing later.
 *
 * **One writer at a time.** A lock step, an unlock, a workflow step and the other ledger writers
 * (ledger/adjust, ledger/payout) each hold the person's mutex (src/app/mutex.ts) from their first read to
 * their last write, so none of them acts on a state or ledger another is changing: two unlocks at once
 * make one unlock and one INVALID_TRANSITION, an adjustment never takes a seq a lock is writing. A caller
 * that cannot get the mutex in time gets MUTEX_BUSY and nothing is written (a lock step is retried).
 * A lock job that stopped for good after claiming a version leaves a claim that refuses other jobs
 * (LOCK_IN_PROGRESS) for ABANDONED_CLAIM_MS; after that a new lock discards it and takes the version.
 */

export interface LockDeps extends ReportDeps {}

export interface TransitionDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
}

export interface LockRequest {
  readonly personId: string;
  readonly periodKey: string;
  /** Who asked for the lock (the job's requester), as audited. */
  readonly actor: string;
  /** The job (person or team lock) this step belongs to; the same id on a retry or duplicate. */
  readonly jobId: string;
  /** Recuperation rules (overtime multipliers, cap, floor, expiry, carry-over); default the site's (ledger/rules). Sealed into the snapshot. */
  readonly rules?: RecuperationRules;
}

export interface LockOutcome {
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  readonly hash: string;
  /** What this lock credited for the period (the snapshot's creditedSeconds). */
  readonly creditedSeconds: number;
  /** The ledger entries the lock wrote. */
  readonly ledgerSeqs: readonly number[];
  /** False when this call found the job's lock complete and wrote nothing. */
  readonly wroteAnything: boolean;
  /** The period's status now: `locked`, or another when the job's lock was unlocked since. */
  readonly status: PeriodStatus;
}

export interface TransitionRequest {
  readonly personId: string;
  readonly periodKey: string;
  readonly actor: string;
}

export interface ReasonedRequest extends TransitionRequest {
  /** 3–500 characters after trimming. */
  readonly reason: string;
}

export interface PeriodDrift extends WorklogDrift {
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  readonly hash: string;
  /** The snapshot's worked seconds and what the worklogs add up to now (worked time may differ by the zone's placement; this is logged time). */
  readonly lockedWorkedSeconds: number;
}

const INVALID_TRANSITION = 'INVALID_TRANSITION';
const MIN_REASON = 3;
const MAX_REASON = 500;
const MAX_JOB_ID = 200;
/**
 * A claim by another job this old, on a version the period never reached, belongs to a job that stopped:
 * Forge retries a failed event with gaps of up to about 15 minutes, so one without progress for twice that
 * is given up, and a new lock takes the version over.
 */
export const ABANDONED_CLAIM_MS = 30 * 60_000;
/** Longer than one lock step takes (a report, a snapshot of a few parts, one transaction, an audit entry). */
const LOCK_STEP_HOLD_MS = 120_000;
/** A queue step waits this long for another change to the person's ledger, then is retried (MUTEX_BUSY): ten people an event stay within 900 s. */
const LOCK_STEP_WAIT_MS = 20_000;
/** A resolver (25 s) waits this long for another change to the person's ledger. */
const TRANSITION_WAIT_MS = 8_000;

const invalid = (field: string, message: string) => new DomainError(ErrorCode.invalidInput, message, { field });

function checkRequest(r: TransitionRequest): Period {
  if (typeof r !== 'object' || r === null) throw invalid('request', 'the request must be an object with personId, periodKey and actor');
  if (typeof r.personId !== 'string' || r.personId.trim() === '') throw invalid('personId', `personId must be the person's account id; got ${JSON.stringify(r.personId)}`);
  if (typeof r.actor !== 'string' || r.actor.trim() === '') throw invalid('actor', `actor must be the account id of who asks; got ${JSON.stringify(r.actor)}`);
  if (typeof r.periodKey !== 'string') throw invalid('periodKey', `periodKey must be a period key such as "2026-11"; got ${JSON.stringify(r.periodKey)}`);
  return periodFromKey(r.periodKey);
}

function checkReason(reason: unknown, what: string): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  const problem = plainTextProblem(text, MIN_REASON, MAX_REASON);
  if (typeof reason !== 'string' || problem) {
    throw invalid('reason', `${what} needs a reason of ${MIN_REASON} to ${MAX_REASON} characters, so whoever reads the audit log later knows why${problem ? ` (the reason given ${problem})` : ''}; got ${(JSON.stringify(reason) ?? String(reason)).slice(0, 80)}`);
  }
  return text;
}

function refuse(state: PeriodState, action: string, todo: string): DomainError {
  const where = state.status === 'locked' ? `locked at version ${state.version}` : state.status;
  return new DomainError(INVALID_TRANSITION, `cannot ${action} ${state.personId}'s ${state.periodKey}: it is ${where}; ${todo}`, {
    status: state.status,
    version: state.version,
    action,
  });
}

const target = (personId: string, periodKey: string) => keys.periodState(personId, periodKey);
const utcDate = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10) as LocalDate;

/** The current state of a person's period: open, submitted, approved, rejected or locked (with its version). */
export async function periodStatus(kv: KvStore, personId: string, periodKey: string): Promise<PeriodState> {
  const period = checkRequest({ personId, periodKey, actor: 'reader' });
  return readPeriodState(kv, personId, period.key);
}

// ─── the lock step ───────────────────────────────────────────────────────────

const ledgerOf = async (kv: KvStore, personId: string): Promise<LedgerEntry[]> => (await queryAll<LedgerEntry>(kv, keys.ledgerPrefix(personId))).map((r) => r.value);

interface Claim {
  readonly jobId: string;
  readonly actor: string;
  readonly at: number;
  /** The period's status when the job took the version, for the audit entry's "before". */
  readonly from: PeriodStatus;
}

/** The version of this person's period that `jobId` claimed before, if any (among versions 1 … upTo). */
async function earlierClaim(kv: KvStore, personId: string, periodKey: string, jobId: string, upTo: number): Promise<number | null> {
  for (let first = 1; first <= upTo; first += 25) {
    const claimKeys = Array.from({ length: Math.min(25, upTo - first + 1) }, (_, i) => keys.lockClaim(personId, periodKey, first + i));
    const found = await kv.getMany<Claim>(claimKeys);
    for (let i = 0; i < claimKeys.length; i++) if (found.get(claimKeys[i]!)?.jobId === jobId) return first + i;
  }
  return null;
}

/** Takes version `version` for this job, create-only; returns the claim (the first attempt's, on a retry). */
async function claimVersion(kv: KvStore, state: PeriodState, version: number, claim: Claim): Promise<Claim> {
  const key = keys.lockClaim(state.personId, state.periodKey, version);
  try {
    await kv.set(key, claim, { ifAbsent: true });
    return claim;
  } catch (e) {
    if (!(e instanceof KvConflictError)) throw e;
  }
  const existing = (await kv.get<Claim>(key))!;
  if (existing.jobId === claim.jobId) return existing;
  throw lockInProgress(state, version, existing);
}

const lockInProgress = (state: PeriodState, version: number, claim: Claim) =>
  new DomainError(
    'LOCK_IN_PROGRESS',
    `${state.personId}'s ${state.periodKey} is being locked as version ${version} by job ${claim.jobId} (asked by ${claim.actor}); wait for that job to finish, then look at periods/status. ` +
      `If that job stopped for good, a lock asked for after ${new Date(claim.at + ABANDONED_CLAIM_MS).toISOString()} takes the version over`,
    { jobId: claim.jobId, version, takeoverAfter: claim.at + ABANDONED_CLAIM_MS },
  );

/**
 * Removes what a lock job that stopped half way left of a version it claimed: its claim, any snapshot
 * parts and the version's listing. Nothing refers to them (the period's state never reached that version, and the lock's audit
 * entry comes after the state), so the version can be written again. Runs under the person's mutex.
 */
async function discardAbandonedVersion(kv: KvStore, personId: string, periodKey: string, version: number): Promise<void> {
  const manifestKey = keys.snapshotPart(personId, periodKey, version, 0);
  // Unlist before unsealing: a listed version always has a manifest (src/app/snapshotList.ts).
  const manifest = await kv.get<SnapshotManifest>(manifestKey);
  if (manifest !== undefined) await unlistSnapshotVersion(kv, personId, manifest);
  await kv.delete(manifestKey); // unseal first: a crash part way leaves unsealed parts, which the next writer replaces
  const parts = await queryAll(kv, manifestKey.slice(0, -3));
  for (const part of parts) await kv.delete(part.key);
  await kv.delete(keys.lockClaim(personId, periodKey, version));
}

/**
 * The date the period's ledger entries get: its last day, or the ledger's last date when that is later
 * (the ledger only grows forward), or 1 January after a year end that already ran.
 */
function closeDate(ledger: readonly LedgerEntry[], period: Period): LocalDate {
  const last = ledger[ledger.length - 1]?.date;
  let date = last !== undefined && last > period.lastDate ? last : period.lastDate;
  const year = Number(date.slice(0, 4));
  if (ledger.some((e) => e.kind === 'carry-over' && e.date === formatLocalDate(year, 12, 31))) date = addDays(formatLocalDate(year, 12, 31), 1);
  return date;
}

const hhmm = (s: number) => `${s < 0 ? '-' : ''}${Math.floor(Math.abs(s) / 3600)}:${String(Math.floor((Math.abs(s) % 3600) / 60)).padStart(2, '0')}`;

/** The ledger entries a lock appends: the first close of the period, or on a relock the difference as an adjustment. */
export function lockLedgerEntries(
  ledger: readonly LedgerEntry[],
  rules: RecuperationRules,
  period: Period,
  lock: { readonly version: number; readonly creditedSeconds: number; readonly previouslyCreditedSeconds: number },
): LedgerEntry[] {
  const date = closeDate(ledger, period);
  const closed = ledger.some((e) => e.kind === 'period-close' && e.periodKey === period.key);
  if (!closed) return closePeriodEntries(ledger, rules, { date, periodKey: period.key, creditedSeconds: lock.creditedSeconds });
  // A relock: year ends and expiries that fell due first (as closePeriodEntries would), then the difference.
  const lastYear = ledger.length === 0 ? null : Number(ledger[ledger.length - 1]!.date.slice(0, 4));
  const closeYear = Number(date.slice(0, 4));
  const yearEnds = lastYear !== null && lastYear < closeYear ? yearEndEntries(ledger, rules, closeYear - 1) : [];
  const out = [...yearEnds, ...expiryEntriesDue([...ledger, ...yearEnds], rules, date)];
  const diff = lock.creditedSeconds - lock.previouslyCreditedSeconds;
  if (diff !== 0) {
    out.push({
      seq: ledger.length + out.length + 1,
      date,
      kind: 'adjustment',
      seconds: diff,
      periodKey: period.key,
      reason: `relock of ${period.key} as snapshot version ${lock.version}: the period now credits ${hhmm(lock.creditedSeconds)} instead of ${hhmm(lock.previouslyCreditedSeconds)}`,
    });
  }
  return out;
}

/**
 * One person's lock step of a lock job (see the module comment for what it writes and why a retry or a
 * duplicate writes nothing twice). Refuses a period that has not ended yet (PERIOD_NOT_ENDED), one locked
 * by another job, and with the approval workflow on, one not approved (INVALID_TRANSITION).
 */
export async function lockPersonPeriod(deps: LockDeps, request: LockRequest): Promise<LockOutcome> {
  const period = checkRequest(request);
  const { personId, jobId } = request;
  if (typeof jobId !== 'string' || jobId.trim() === '' || jobId.length > MAX_JOB_ID) throw invalid('jobId', `jobId must be the lock job's id, 1 to ${MAX_JOB_ID} characters; got ${JSON.stringify(jobId)}`);
  const rules = validateRecuperationRules(request.rules ?? (await recuperationRules(deps.kv)));
  // One change to a person's ledger and period states at a time: a lock, an unlock, a workflow step, an adjustment.
  return withMutex(deps, personLedgerMutex(personId), { what: `locking ${personId}'s ${period.key} (job ${jobId})`, holdMs: LOCK_STEP_HOLD_MS, waitMs: LOCK_STEP_WAIT_MS, owner: `lock-job#${jobId}` }, () =>
    lockStep(deps, request, period, rules),
  );
}

async function lockStep(deps: LockDeps, request: LockRequest, period: Period, rules: RecuperationRules): Promise<LockOutcome> {
  const { personId, actor, jobId } = request;
  const { kv } = deps;
  const pseudonyms = await pseudonymsFor(kv);
  let state = await readPeriodState(kv, personId, period.key);
  let wroteAnything = false;

  if (!(state.status === 'locked' && state.jobId === jobId)) {
    const done = await earlierClaim(kv, personId, period.key, jobId, state.version);
    if (done !== null) {
      // This job locked the period before and it was unlocked since: a late duplicate changes nothing.
      const { snapshot } = await readSnapshot(kv, personId, period.key, done);
      return { personId, periodKey: period.key, version: done, hash: snapshot.hash, creditedSeconds: snapshot.report.totals.creditedSeconds, ledgerSeqs: [], wroteAnything: false, status: state.status };
    }
    if (state.status === 'locked') throw refuse(state, 'lock', `unlock it with a reason first to lock it again`);
    if ((await loadSettings(kv)).approvalWorkflow && state.status !== 'approved') {
      throw refuse(state, 'lock', `the approval workflow is on, so the period must be submitted and approved first (or turn the workflow off in settings)`);
    }
    const now = deps.clock.now();
    if (period.lastDate >= utcDate(now)) {
      throw new DomainError('PERIOD_NOT_ENDED', `${period.key} ends on ${period.lastDate}, so it cannot be locked before ${addDays(period.lastDate, 1)}: its worklogs may still change`, {
        lastDate: period.lastDate,
      });
    }
    const version = state.version + 1;
    const claimed = await kv.get<Claim>(keys.lockClaim(personId, period.key, version));
    if (claimed !== undefined && claimed.jobId !== jobId) {
      if (now - claimed.at < ABANDONED_CLAIM_MS) throw lockInProgress(state, version, claimed);
      await discardAbandonedVersion(kv, personId, period.key, version);
    }

    let ledger = await ledgerOf(kv, personId);
    const planWith = (r: RecuperationRules, creditedSeconds: number) => lockLedgerEntries(ledger, r, period, { version, creditedSeconds, previouslyCreditedSeconds: state.creditedSeconds });
    // Everything that can be refused is computed before the first write, so a refused lock leaves no claim behind.
    let snapshot: Snapshot;
    const sealed = (await kv.get(keys.snapshotPart(personId, period.key, version, 0))) !== undefined;
    if (sealed) {
      const stored = await readSnapshot(kv, personId, period.key, version);
      snapshot = stored.snapshot;
      // An earlier attempt may have stopped between sealing the version and listing it.
      await listSnapshotVersion(kv, personId, stored.manifest);
    } else {
      // The opening balance counts the year ends and expiries this lock writes before the period's first day.
      const opening = foldLedger([...ledger, ...planWith(rules, 0)].filter((e) => e.date < period.firstDate)).balanceSeconds;
      const { input } = await loadReportInput(deps, personId, period);
      snapshot = createSnapshot(pseudonymousInput({ ...input, openingBalanceSeconds: opening, recuperationRules: rules }, pseudonyms));
    }
    const creditedSeconds = snapshot.report.totals.creditedSeconds;
    // The rules sealed with the snapshot, so a retry after the site's rules changed credits as the snapshot says.
    const plan = (credit: number) => planWith(snapshot.inputs.recuperationRules ?? rules, credit);
    const planned = plan(creditedSeconds).length;
    if (planned > 24) {
      throw new DomainError(
        ErrorCode.invalidLedgerEntry,
        `locking ${period.key} for ${personId} would append ${planned} ledger entries (years of year ends and expiries), more than one transaction holds; run the missing year ends first`,
        { entries: planned },
      );
    }

    const claim = await claimVersion(kv, state, version, { jobId, actor, at: now, from: state.status });
    // The claim makes this job the only writer of the version, so parts a crashed attempt left may be replaced.
    if (!sealed) {
      const meta = { lockedAt: claim.at, lockedBy: pseudonyms.of(claim.actor), jobId, subject: snapshot.personId };
      await writeSnapshot(kv, personId, period.key, version, snapshot, meta, { replaceUnsealed: true });
    }
    for (let attempt = 1; ; attempt++) {
      const entries = plan(creditedSeconds);
      if (entries.length > 24) throw new DomainError('LEDGER_CONTENDED', `the ledger of ${personId} changed while ${period.key} was locked and now needs ${entries.length} entries; nothing was credited yet: the job retries`, {});
      const next: PeriodState = {
        ...openState(personId, period.key),
        ...(state.submittedAt === undefined ? {} : { submittedAt: state.submittedAt, submittedBy: state.submittedBy }),
        ...(state.decidedAt === undefined ? {} : { decidedAt: state.decidedAt, decidedBy: state.decidedBy }),
        status: 'locked',
        version,
        lockedAt: claim.at,
        lockedBy: claim.actor,
        jobId,
        creditedSeconds,
        ledgerSeqs: entries.map((e) => e.seq),
        unlocks: state.unlocks,
      };
      // A transaction cannot be create-only: make sure no writer took these seqs since the ledger was read
      // (the mutex keeps the others out; one that outlived its hold might not), and plan again if one did.
      const taken = entries.length === 0 ? new Map() : await kv.getMany(entries.map((e) => keys.ledgerEntry(personId, e.seq)));
      if (taken.size > 0) {
        if (attempt >= 5) throw new DomainError('LEDGER_CONTENDED', `the ledger of ${personId} kept changing while ${period.key} was locked; nothing was credited yet: the job retries`, {});
        ledger = await ledgerOf(kv, personId);
        continue;
      }
      const ops: KvOperation[] = [...entries.map((e): KvOperation => ({ kind: 'set', key: keys.ledgerEntry(personId, e.seq), value: e })), { kind: 'set', key: target(personId, period.key), value: next }];
      await kv.transact(ops);
      state = next;
      break;
    }
    wroteAnything = true;
  }

  const manifest = (await kv.get<SnapshotManifest>(keys.snapshotPart(personId, period.key, state.version, 0)))!;
  const claim = await kv.get<Claim>(keys.lockClaim(personId, period.key, state.version));
  const seqs = state.ledgerSeqs ?? [];
  const written = seqs.length === 0 ? new Map<string, LedgerEntry>() : await kv.getMany<LedgerEntry>(seqs.map((seq) => keys.ledgerEntry(personId, seq)));
  await appendAudit(kv, {
    at: deps.clock.now(),
    actor: state.lockedBy!,
    people: [personId],
    action: 'period.lock',
    target: target(personId, period.key),
    idempotencyKey: `period.lock#${jobId}#${personId}`,
    details: {
      personId,
      periodKey: period.key,
      jobId,
      version: state.version,
      hash: manifest.hash,
      engineVersion: manifest.engineVersion,
      creditedSeconds: state.creditedSeconds,
      ledger: [...written.values()].sort((a, b) => a.seq - b.seq).map((e) => ({ seq: e.seq, date: e.date, kind: e.kind, seconds: e.seconds, ...(e.reason === undefined ? {} : { reason: e.reason }) })),
      before: { status: claim?.from ?? 'open', version: state.version - 1 },
      after: { status: 'locked', version: state.version },
    },
  });
  return {
    personId,
    periodKey: period.key,
    version: state.version,
    hash: manifest.hash,
    creditedSeconds: state.creditedSeconds,
    ledgerSeqs: state.ledgerSeqs ?? [],
    wroteAnything,
    status: state.status,
  };
}

// ─── unlock and the approval workflow ────────────────────────────────────────

/**
 * Audits, then writes the new state. Audit first: a crash in between leaves an entry for a change that
 * did not happen, which the state shows; never a change without its entry.
 */
/**
 * Reads the period's state and applies `change` to it under the person's mutex, so two changes at once
 * (two unlocks, an unlock and a relock) are made one after the other, each seeing the other's result.
 */
function changeState(deps: TransitionDeps, request: TransitionRequest, period: Period, action: string, change: (state: PeriodState) => Promise<PeriodState>): Promise<PeriodState> {
  return withMutex(deps, personLedgerMutex(request.personId), { what: `${action} of ${request.personId}'s ${period.key}`, waitMs: TRANSITION_WAIT_MS }, async () =>
    change(await readPeriodState(deps.kv, request.personId, period.key)),
  );
}

async function transition(deps: TransitionDeps, before: PeriodState, after: PeriodState, actor: string, action: string, details: Record<string, string | number>): Promise<PeriodState> {
  await appendAudit(deps.kv, {
    at: deps.clock.now(),
    people: [before.personId],
    actor,
    action,
    target: target(before.personId, before.periodKey),
    details: { personId: before.personId, periodKey: before.periodKey, before: { status: before.status, version: before.version }, after: { status: after.status, version: after.version }, ...details },
  });
  await deps.kv.set(target(before.personId, before.periodKey), after);
  return after;
}

/** Unlocks a locked period: its report is computed from storage again, its snapshots stay readable, its credit stays until a relock corrects it. */
export async function unlockPersonPeriod(deps: TransitionDeps, request: ReasonedRequest): Promise<PeriodState> {
  const period = checkRequest(request);
  const reason = checkReason(request.reason, 'unlocking a period');
  return changeState(deps, request, period, 'unlock', (state) => {
    if (state.status !== 'locked') throw refuse(state, 'unlock', 'only a locked period can be unlocked');
    const at = deps.clock.now();
    const { lockedAt: _a, lockedBy: _b, jobId: _j, ...rest } = state;
    const after: PeriodState = { ...rest, status: 'open', unlocks: [...state.unlocks, { version: state.version, at, by: request.actor, reason }] };
    return transition(deps, state, after, request.actor, 'period.unlock', { reason });
  });
}

async function workflowOn(kv: KvStore, state: PeriodState, action: string): Promise<void> {
  if (!(await loadSettings(kv)).approvalWorkflow) throw refuse(state, action, 'the approval workflow is off: an HR admin locks periods directly (turn the workflow on in settings to use it)');
}

/** The person (or someone for them) submits the period for approval: from open or rejected. */
export async function submitPeriod(deps: TransitionDeps, request: TransitionRequest): Promise<PeriodState> {
  const period = checkRequest(request);
  // Approval is by month, the period HR locks and reviews: a submitted week or range would wait for a decision no screen shows.
  if (period.kind !== 'month') throw new DomainError('INVALID_PERIOD', `${period.key} is a ${period.kind}: approval works by month; submit the month it is in (such as ${period.firstDate.slice(0, 7)})`, { kind: period.kind });
  // No one vouches for time not lived yet. Tomorrow's UTC date: the first day has begun somewhere (UTC+14) by then.
  if (period.firstDate > addDays(utcDate(deps.clock.now()), 1)) {
    throw new DomainError('PERIOD_NOT_STARTED', `${period.key} starts on ${period.firstDate}: submit it for approval once you have worked it`, { firstDate: period.firstDate });
  }
  return changeState(deps, request, period, 'submit', async (state) => {
    await workflowOn(deps.kv, state, 'submit');
    if (state.status !== 'open' && state.status !== 'rejected') throw refuse(state, 'submit', state.status === 'locked' ? 'it is final; unlock it with a reason to change it' : 'it is submitted already');
    const { rejectReason: _r, decidedAt: _d, decidedBy: _b, ...rest } = state;
    return transition(deps, state, { ...rest, status: 'submitted', submittedAt: deps.clock.now(), submittedBy: request.actor }, request.actor, 'period.submit', {});
  });
}

/** Approves a submitted period, which an HR admin may then lock. */
export async function approvePeriod(deps: TransitionDeps, request: TransitionRequest): Promise<PeriodState> {
  const period = checkRequest(request);
  return changeState(deps, request, period, 'approve', async (state) => {
    await workflowOn(deps.kv, state, 'approve');
    if (state.status !== 'submitted') throw refuse(state, 'approve', 'only a submitted period can be approved; submit it first');
    return transition(deps, state, { ...state, status: 'approved', decidedAt: deps.clock.now(), decidedBy: request.actor }, request.actor, 'period.approve', {});
  });
}

/** Sends a submitted period back with a reason; it can be corrected and submitted again. */
export async function rejectPeriod(deps: TransitionDeps, request: ReasonedRequest): Promise<PeriodState> {
  const period = checkRequest(request);
  const reason = checkReason(request.reason, 'rejecting a period');
  return changeState(deps, request, period, 'reject', async (state) => {
    await workflowOn(deps.kv, state, 'reject');
    if (state.status !== 'submitted') throw refuse(state, 'reject', 'only a submitted period can be rejected');
    return transition(deps, state, { ...state, status: 'rejected', decidedAt: deps.clock.now(), decidedBy: request.actor, rejectReason: reason }, request.actor, 'period.reject', { reason });
  });
}

// ─── drift ───────────────────────────────────────────────────────────────────

/** How the person's worklogs changed since the snapshot their locked period reads from; NOT_LOCKED when it is not locked. */
export async function periodDrift(kv: KvStore, personId: string, periodKey: string): Promise<PeriodDrift> {
  const period = checkRequest({ personId, periodKey, actor: 'reader' });
  const state = await readPeriodState(kv, personId, period.key);
  if (state.status !== 'locked') {
    throw new DomainError('NOT_LOCKED', `${personId}'s ${period.key} is ${state.status}, not locked: its report already counts the worklogs as they are, so there is no drift`, { status: state.status });
  }
  const { snapshot, manifest } = await readSnapshot(kv, personId, period.key, state.version);
  const drift = driftOf(snapshot, await countableWorklogs(kv, personId, period), personId);
  return { ...drift, personId, periodKey: period.key, version: manifest.version, hash: manifest.hash, lockedWorkedSeconds: snapshot.report.totals.workedSeconds };
}
