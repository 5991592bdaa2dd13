import { compactDate, type LocalDate } from '../../domain/localDate';

/**
 * Every storage key the app writes, declared once. `#` separates parts, and
 * numbers are zero-padded so that lexicographic order is numeric order.
 */
const pad12 = (id: string | number) => String(id).padStart(12, '0');
/** A snapshot version (1 … 9999) written so that the highest sorts first. */
const highestFirst = (version: number) => String(9999 - version).padStart(4, '0');

export const keys = {
  /** The applied version of a worklog and the interval it counts (domain/worklogIndex.ts). */
  worklog: (id: string | number) => `wl#${pad12(id)}`,
  /** A deletion seen for a worklog; written once, never removed, so nothing brings the worklog back. */
  tombstone: (id: string | number) => `del#${pad12(id)}`,
  /** A worklog the source would not return (deleted or hidden from the app) when listed at version `at`: older versions never count. */
  hidden: (id: string | number) => `hidden#${pad12(id)}`,
  /** A deleted issue: its worklogs never count again, even if an update for one arrives late. */
  issueTombstone: (issueId: string | number) => `delissue#${pad12(issueId)}`,
  /** Index of an issue's worklogs, to remove them when the issue is deleted. */
  issueWorklog: (issueId: string | number, worklogId: string | number) => `iwl#${pad12(issueId)}#${pad12(worklogId)}`,
  issueWorklogPrefix: (issueId: string | number) => `iwl#${pad12(issueId)}#`,
  /** A person's counted worklogs of at most a day that started on a UTC date (domain/worklogIndex.ts). */
  day: (personId: string, utcDate: LocalDate) => `day#${personId}#${compactDate(utcDate)}`,
  /** A person's counted worklogs longer than a day, read with every report. */
  longWorklogs: (personId: string) => `long#${personId}`,
  /** A person's contract, keyed by its first date so a prefix query lists them in order. */
  contract: (personId: string, firstDate: LocalDate) => `contract#${personId}#${compactDate(firstDate)}`,
  contractPrefix: (personId: string) => `contract#${personId}#`,
  /** A holiday calendar's description, and its holidays per year. */
  calendar: (calendarId: string) => `hcal#${calendarId}`,
  holidays: (calendarId: string, year: number) => `hol#${calendarId}#${year}`,
  /** A person's absence, keyed by first date and id. */
  absence: (personId: string, firstDate: LocalDate, absenceId: string) => `abs#${personId}#${compactDate(firstDate)}#${absenceId}`,
  absencePrefix: (personId: string) => `abs#${personId}#`,
  /** A person's recuperation ledger entry; seq zero-padded so entries list in order. */
  ledgerEntry: (personId: string, seq: number) => `ledger#${personId}#${String(seq).padStart(8, '0')}`,
  ledgerPrefix: (personId: string) => `ledger#${personId}#`,
  /** The ledger entry a movement sent with a requestId planned (its SHA-256), so a retry is not booked twice; kept a week (src/app/ledgerStore.ts). */
  ledgerRequest: (personId: string, requestHash: string) => `ledgerreq#${personId}#${requestHash}`,
  /** A person's time zone from Jira, cached for a day. */
  user: (accountId: string) => `user#${accountId}`,
  /** The erasable link from a pseudonym to the account id, and when the app last stored data about that person (src/app/pseudonyms.ts). */
  person: (pseudonym: string) => `person#${pseudonym}`,
  personPrefix: 'person#',
  settings: 'cfg#site',
  /** The site's recuperation rules (domain/ledger.ts). */
  recuperationRules: 'cfg#recuperation',
  updatedCursor: 'cursor#worklog-updated',
  deletedCursor: 'cursor#worklog-deleted',
  syncLease: 'lease#sync',
  /**
   * A create-only claim to take over a stale sync lease (`lease` names the stale lease; `generation`
   * moves on when a claimant died before taking over), so that exactly one run takes it over.
   */
  syncLeaseClaim: (lease: string, generation: number) => `lease#sync#claim#${lease}#${generation}`,
  /** A mutual exclusion for check-then-write changes (src/app/mutex.ts): who holds it and until when. */
  mutex: (name: string) => `mutex#${name}`,
  /** A create-only claim to take over a stale holder of a mutex (like syncLeaseClaim). */
  mutexClaim: (name: string, holder: string, generation: number) => `mutex#claim#${name}#${holder}#${generation}`,
  /**
   * The state of the current or last initial import (its step and invocation chain). Records written
   * before reconciles had a key of their own may hold a reconcile (`mode: 'reconcile'`).
   */
  syncProgress: 'sync#progress',
  /** The state of the current or last reconcile run, kept apart from the import's. */
  syncReconcile: 'sync#reconcile',
  /** Written once per ingest batch when it is done, so progress is a count of keys, not a shared counter. */
  syncBatch: (batch: string) => `sync#batch#${batch}`,
  syncBatchPrefix: 'sync#batch#',
  syncError: (batch: string) => `sync#error#${batch}`,
  syncErrorPrefix: 'sync#error#',
  /** A person's changes that could not be applied for a reason no retry mends (a storage limit), shown by sync/progress. */
  applyError: (personId: string) => `sync#apply-error#${personId}`,
  applyErrorPrefix: 'sync#apply-error#',
  /** Where every issue-index key (issueWorklog) begins: the daily issue check walks them all. */
  issueWorklogRoot: 'iwl#',
  /** Where the daily check that indexed issues still exist has got to (src/app/checkIndexedIssues.ts). */
  issueCheck: 'check#issues',
  /** An audit log entry (src/app/auditLog.ts); seq zero-padded to 12, so `audit#` + the first 10 digits lists a block of 100 in order. */
  auditEntry: (seq: number) => `audit#${pad12(seq)}`,
  /** Where the last audit entry probably is: a hint that may lag or be wrong, never trusted for correctness. */
  auditHeadHint: 'auditmeta#head',
  /** Create-only marker: the seq of the audit entry appended under an idempotency key (its SHA-256, so any text can be a key). */
  auditIdempotency: (keyHash: string) => `auditkey#${keyHash}`,
  /**
   * One part of a locked period's snapshot (src/app/snapshots.ts): part 000 is the manifest (hash, part
   * count, engine version, who locked it), parts 001… the snapshot's canonical JSON text in slices.
   */
  snapshotPart: (personId: string, periodKey: string, version: number, part: number) =>
    `snap#${personId}#${periodKey}#${String(version).padStart(4, '0')}#${String(part).padStart(3, '0')}`,
  /**
   * The listing of a sealed snapshot version (src/app/snapshotList.ts), one small record under three keys so
   * snapshots/list reads a page with one prefix query whatever its filter: all versions, a period's, a person's.
   * `newest` is 9999999999999 − lockedAt, 13 digits, and the version is written as 9999 − version, so
   * ascending key order lists the newest lock first, and of versions locked in the same millisecond the highest.
   */
  snapshotListedAll: (newest: string, personId: string, periodKey: string, version: number) => `snapidx#all#${newest}#${personId}#${periodKey}#${highestFirst(version)}`,
  snapshotListedByPeriod: (periodKey: string, newest: string, personId: string, version: number) => `snapidx#period#${periodKey}#${newest}#${personId}#${highestFirst(version)}`,
  snapshotListedByPerson: (personId: string, newest: string, periodKey: string, version: number) => `snapidx#person#${personId}#${newest}#${periodKey}#${highestFirst(version)}`,
  snapshotListedAllPrefix: 'snapidx#all#',
  snapshotListedByPeriodPrefix: (periodKey: string) => `snapidx#period#${periodKey}#`,
  snapshotListedByPersonPrefix: (personId: string) => `snapidx#person#${personId}#`,
  /** A person's period state: open, submitted, approved, rejected or locked, its versions and unlocks (src/app/periodState.ts). */
  periodState: (personId: string, periodKey: string) => `pstate#${personId}#${periodKey}`,
  periodStatePrefix: (personId?: string) => (personId === undefined ? 'pstate#' : `pstate#${personId}#`),
  /** Create-only: which lock job took snapshot version `version` of a person's period, so no two jobs write one version. */
  lockClaim: (personId: string, periodKey: string, version: number) => `lockclaim#${personId}#${periodKey}#${String(version).padStart(4, '0')}`,
  /** A lock job (src/app/lockJobs.ts) and each person's result in it, written once per person. */
  lockJob: (jobId: string) => `job#${jobId}`,
  lockJobResult: (jobId: string, personId: string) => `jobresult#${jobId}#${personId}`,
  lockJobResultPrefix: (jobId: string) => `jobresult#${jobId}#`,
} as const;
