import type { Clock, EventQueue, KvOperation, KvStore } from '../ports';
import { appendAudit, idempotencyMarkerKey, SYSTEM_ACTOR } from './auditLog';
import { ABSENCES_MUTEX } from './absences';
import { contractsMutex } from './contracts';
import { ROLES_MUTEX, teamMutex } from './administration';
import { roleKeys, type RoleAssignments, type Team } from './authorization';
import { personLedgerMutex, withMutex } from './mutex';
import { pushInChunks } from './pushInChunks';
import { pseudonymsFor, type PersonRecord, type Pseudonyms } from './pseudonyms';
import { queryAll } from './queryAll';
import { moveSnapshotListings } from './snapshotList';
import { SNAPSHOT_PARTS_PER_READ } from './snapshots';
import { keys } from './storageKeys';

/**
 * Personal data reporting and erasure (Forge's user privacy guidelines; docs/privacy.md).
 *
 *   reportPersonalData(deps, deadline)   → ReportOutcome   weekly: every registered person, 90 a call, to Atlassian
 *   erasePerson(deps, event, deadline)   → EraseOutcome    one closed account's data erased (a periods-queue event)
 *
 * Atlassian answers which accounts were closed (erase their data) or changed (refresh what we cache of
 * them: the time zone). Erasing a person deletes what is theirs (worklog index and records, contracts,
 * absences, ledger, period states, cached zone), removes them from roles and teams, replaces their
 * account id with their pseudonym where other records name them (period states, lock claims and jobs,
 * deleted worklog records), moves their snapshots (and their listings) to keys named by the pseudonym (the snapshots already
 * name them so, so their hashes stay valid), appends a `privacy.erase` entry, and last deletes the
 * registry record that links the pseudonym to the account id: from then on the audit log and snapshots
 * show "erased user", and the chain still verifies. Every step is safe to repeat, so a retried event
 * finishes what a stopped one began.
 */

/** Erasures one at a time: their own mutex (held across one run), and a concurrency key on the queue. */
const ERASE_MUTEX = 'privacy-erase';
const ERASE_CONCURRENCY_KEY = 'privacy-erase';
/** Records only erasures rewrite once written (lock jobs) are changed under this one. */
const ERASE_MUTEX_RECORDS = 'privacy-erase-records';
/** Longer than one run may take (a consumer's 900 s). */
const ERASE_HOLD_MS = 960_000;
/** `wl#` and 12 digits (keys.worklog). */
const WORKLOG_KEY_LENGTH = 15;
/** What Atlassian's personal data reporting takes per call (LIMIT in @forge/api's privacy module). */
export const REPORT_BATCH = 90;

export interface PersonalDataReporter {
  /** Up to 90 accounts with when the app last stored data about each (ISO 8601); answers those to act on. */
  report(accounts: readonly { accountId: string; updatedAt: string }[]): Promise<readonly { accountId: string; status: 'closed' | 'updated' }[]>;
}

export interface PrivacyDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
}

export interface EraseEvent {
  readonly kind: 'erase';
  readonly accountId: string;
  /** Where a sweep of worklog records stopped when the previous run ran out of time. */
  readonly worklogsAfter?: string;
}

export interface ReportOutcome {
  readonly reported: number;
  readonly closed: number;
  readonly updated: number;
  /** False when the run stopped at its deadline; the next weekly run starts again. */
  readonly complete: boolean;
}

/** Reports every registered person in batches of 90, refreshes changed ones and queues the erasure of closed ones. */
export async function reportPersonalData(deps: PrivacyDeps & { readonly reporter: PersonalDataReporter; readonly eraseQueue: EventQueue }, deadline: number): Promise<ReportOutcome> {
  let reported = 0;
  let closed = 0;
  let updated = 0;
  let cursor: string | undefined;
  do {
    if (deps.clock.now() >= deadline) return { reported, closed, updated, complete: false };
    const page = await deps.kv.query<PersonRecord>(keys.personPrefix, { limit: REPORT_BATCH, ...(cursor ? { cursor } : {}) });
    cursor = page.nextCursor;
    const accounts = page.results.map((r) => ({ accountId: r.value.accountId, updatedAt: new Date(r.value.updatedAt).toISOString() }));
    if (accounts.length === 0) continue;
    const answers = await deps.reporter.report(accounts);
    reported += accounts.length;
    const closedIds = answers.filter((a) => a.status === 'closed').map((a) => a.accountId);
    const changedIds = answers.filter((a) => a.status === 'updated').map((a) => a.accountId);
    // A changed profile may have a new time zone: forget the cached one, so the next report asks Jira.
    for (const id of changedIds) await deps.kv.delete(keys.user(id));
    // One erasure at a time (a concurrency key), pushed 50 a request at most.
    if (closedIds.length > 0) await pushInChunks(deps.eraseQueue, closedIds.map((accountId) => ({ body: { kind: 'erase', accountId } satisfies EraseEvent, concurrencyKey: ERASE_CONCURRENCY_KEY })));
    closed += closedIds.length;
    updated += changedIds.length;
  } while (cursor);
  return { reported, closed, updated, complete: true };
}

export interface EraseOutcome {
  readonly accountId: string;
  /** Keys deleted or moved, and records rewritten. */
  readonly deleted: number;
  readonly rewritten: number;
  /** Set when the run stopped at its deadline: push the event again with it. */
  readonly continueWith?: EraseEvent;
}

/**
 * Erases one closed account's data (see the module comment); idempotent, continues where a stopped run
 * left off. Erasures run one at a time (their own mutex, and a concurrency key on the queue), and each
 * record other writers change is rewritten under the mutex those writers hold, so no change is lost.
 */
export async function erasePerson(deps: PrivacyDeps, event: EraseEvent, deadline: number): Promise<EraseOutcome> {
  return withMutex(deps, ERASE_MUTEX, { what: 'erasing a closed account', holdMs: ERASE_HOLD_MS, waitMs: 30_000, owner: `erase#${event.accountId}` }, () => eraseUnderMutex(deps, event, deadline));
}

async function eraseUnderMutex(deps: PrivacyDeps, event: EraseEvent, deadline: number): Promise<EraseOutcome> {
  const { kv } = deps;
  const id = event.accountId;
  const pseudonyms = await pseudonymsFor(kv);
  const p = pseudonyms.of(id);
  let deleted = 0;
  let rewritten = 0;
  /** Deletes keys 25 to a transaction (the most KVS takes), not one call each: a person may have thousands. */
  const remove = async (doomed: readonly string[]) => {
    for (let i = 0; i < doomed.length; i += 25) await kv.transact(doomed.slice(i, i + 25).map((key): KvOperation => ({ kind: 'delete', key })));
    deleted += doomed.length;
  };

  if (event.worklogsAfter === undefined) {
    // Their worklog index and the records of the worklogs it holds.
    const shelves = [...(await queryAll<Record<string, unknown>>(kv, `day#${id}#`)), ...(await queryAll<Record<string, unknown>>(kv, keys.longWorklogs(id)))].filter(
      (s) => s.key === keys.longWorklogs(id) || s.key.startsWith(`day#${id}#`),
    );
    // Worklog records before the shelves that list them, so a run cut short still finds them next time.
    await remove(shelves.flatMap((shelf) => Object.keys(shelf.value).map((worklogId) => keys.worklog(worklogId))));
    await remove(shelves.map((shelf) => shelf.key));
    // Everything else keyed by them.
    for (const prefix of [keys.contractPrefix(id), keys.absencePrefix(id), keys.ledgerPrefix(id), keys.ledgerRequest(id, ''), keys.periodStatePrefix(id), `lockclaim#${id}#`]) {
      await remove((await queryAll(kv, prefix)).map((r) => r.key));
    }
    await remove([keys.user(id), keys.applyError(id), keys.mutex(personLedgerMutex(id)), keys.mutex(contractsMutex(id))]);
    // Their snapshots, under keys named by the pseudonym their content already uses: copied first, then deleted.
    // A few parts a read (each up to 200 KB, as the snapshot reader reads them), keeping only their keys: a
    // person's years of snapshots never sit in memory or in one answer at once.
    const partKeys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await kv.query<unknown>(`snap#${id}#`, { limit: SNAPSHOT_PARTS_PER_READ, ...(cursor ? { cursor } : {}) });
      for (const part of page.results) {
        await kv.set(`snap#${p}#${part.key.slice(`snap#${id}#`.length)}`, part.value as NonNullable<unknown>);
        partKeys.push(part.key);
      }
      cursor = page.nextCursor;
    } while (cursor);
    // Their listings (snapshots/list) follow, before the old parts go: a listed version always has a manifest.
    deleted += await moveSnapshotListings(kv, id, p);
    await remove(partKeys);
    rewritten += await removeFromRolesAndTeams(deps, id);
    // Records of others that name them: period states (who submitted, decided, locked, unlocked, and
    // reasons), claims, ledger reasons, absence notes, lock jobs; each under its writers' mutex.
    const ownerMutex = (key: string) => personLedgerMutex(key.split('#')[1]!);
    for (const [prefix, mutexOf] of [
      [keys.periodStatePrefix(), ownerMutex],
      ['lockclaim#', ownerMutex],
      ['ledger#', ownerMutex],
      ['ledgerreq#', ownerMutex],
      ['abs#', () => ABSENCES_MUTEX],
      ['job#', () => ERASE_MUTEX_RECORDS],
    ] as const) {
      rewritten += await hideIn(deps, prefix, mutexOf, pseudonyms, id);
    }
    for (const r of await queryAll<unknown>(kv, 'jobresult#')) {
      if (!r.key.endsWith(`#${id}`)) continue;
      await kv.set(`${r.key.slice(0, -id.length)}${p}`, pseudonyms.hide(r.value, [id]) as NonNullable<unknown>);
      await remove([r.key]);
    }
  }

  // Worklog records no longer indexed (deleted or moved worklogs) still name their author: a sweep of all.
  const sweep = await hideInWorklogRecords(kv, pseudonyms, id, event.worklogsAfter, deps.clock, deadline);
  rewritten += sweep.rewritten;
  if (sweep.stoppedAfter !== undefined) return { accountId: id, deleted, rewritten, continueWith: { kind: 'erase', accountId: id, worklogsAfter: sweep.stoppedAfter } };

  await appendAudit(kv, {
    at: deps.clock.now(),
    actor: SYSTEM_ACTOR,
    people: [id],
    action: 'privacy.erase',
    idempotencyKey: eraseIdempotencyKey(p),
    target: keys.person(p),
    details: { reason: 'Atlassian reported the account closed', deleted, rewritten },
  });
  await kv.delete(keys.person(p));
  return { accountId: id, deleted, rewritten };
}

/** The idempotency key of a person's `privacy.erase` audit entry: by pseudonym, never by account id. */
const eraseIdempotencyKey = (pseudonym: string) => `privacy.erase#${pseudonym}`;

/**
 * Of these accounts, those this site erased. The `privacy.erase` entry leaves a create-only marker
 * named by a hash of the pseudonym (auditLog.ts), never removed, and the pseudonym needs the site's
 * secret key: so this answers without the app keeping any erased account id. Anything that would
 * show or store a person again (finding people to give a contract or a role to) asks this first.
 */
export async function erasedAmong(kv: KvStore, accountIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(accountIds)];
  const erased = new Set<string>();
  if (ids.length === 0) return erased;
  const pseudonyms = await pseudonymsFor(kv);
  for (let i = 0; i < ids.length; i += 25) {
    const batch = ids.slice(i, i + 25);
    const markers = batch.map((id) => idempotencyMarkerKey(eraseIdempotencyKey(pseudonyms.of(id))));
    const found = await kv.getMany(markers);
    batch.forEach((id, k) => found.has(markers[k]!) && erased.add(id));
  }
  return erased;
}

/**
 * Changes one record under `mutex`, the one its own writers hold, reading it again there: `change`
 * answers the new value, or undefined to leave it. True when it wrote.
 */
async function rewriteUnder<T>(deps: PrivacyDeps, mutex: string, key: string, change: (value: T) => T | undefined): Promise<boolean> {
  return withMutex(deps, mutex, { what: 'erasing a closed account', waitMs: 30_000 }, async () => {
    const value = await deps.kv.get<T>(key);
    const next = value === undefined ? undefined : change(value);
    if (next === undefined) return false;
    await deps.kv.set(key, next as NonNullable<unknown>);
    return true;
  });
}

/** Rewrites the records under `prefix` that name `id`, with its pseudonym instead; returns how many. */
async function hideIn(deps: PrivacyDeps, prefix: string, mutexOf: (key: string) => string, pseudonyms: Pseudonyms, id: string): Promise<number> {
  let n = 0;
  const naming = (value: unknown) => JSON.stringify(pseudonyms.hide(value, [id])) !== JSON.stringify(value);
  for (const r of await queryAll<unknown>(deps.kv, prefix)) {
    if (!naming(r.value)) continue;
    if (await rewriteUnder<unknown>(deps, mutexOf(r.key), r.key, (v) => (naming(v) ? pseudonyms.hide(v, [id]) : undefined))) n++;
  }
  return n;
}

async function removeFromRolesAndTeams(deps: PrivacyDeps, id: string): Promise<number> {
  let n = 0;
  const without = (h: RoleAssignments['hrAdmins']) => ({ ...h, accounts: h.accounts.filter((a) => a !== id) });
  const roles = (r: RoleAssignments) => ([...r.hrAdmins.accounts, ...r.auditors.accounts].includes(id) ? { hrAdmins: without(r.hrAdmins), auditors: without(r.auditors) } : undefined);
  if (await rewriteUnder(deps, ROLES_MUTEX, roleKeys.assignments, roles)) n++;
  for (const { key, value } of await queryAll<Team>(deps.kv, roleKeys.teamPrefix)) {
    if (!value.leads.includes(id) && !value.members.includes(id)) continue;
    const team = (t: Team) => (t.leads.includes(id) || t.members.includes(id) ? { ...t, leads: t.leads.filter((a) => a !== id), members: t.members.filter((a) => a !== id) } : undefined);
    if (await rewriteUnder(deps, teamMutex(value.id), key, team)) n++;
  }
  return n;
}

/**
 * The worklog records (`wl#<12 digits>`) after `after` (all when undefined), each naming `id` rewritten
 * with the pseudonym, until `deadline`. KVS cursors cannot be kept between runs, so a run resumes after a
 * key by querying the prefixes that cover every later key: for `wl#000000012345`, `wl#00000001235`…
 * `wl#00000001239`, then `wl#0000000124`… and so on up to `wl#1`…`wl#9`.
 */
async function hideInWorklogRecords(kv: KvStore, pseudonyms: Pseudonyms, id: string, after: string | undefined, clock: Clock, deadline: number) {
  const root = 'wl#';
  const prefixes: string[] = [];
  if (after === undefined) prefixes.push(root);
  else {
    for (let level = after.length; level > root.length; level--) {
      const digit = Number(after[level - 1]);
      for (let d = digit + 1; d <= 9; d++) prefixes.push(`${after.slice(0, level - 1)}${d}`);
    }
  }
  let rewritten = 0;
  let last = after;
  let pages = 0;
  for (const prefix of prefixes) {
    let cursor: string | undefined;
    do {
      // At least one page a run, so that every run moves on.
      if (pages > 0 && clock.now() >= deadline && last !== undefined) return { rewritten, stoppedAfter: last };
      pages++;
      const page = await kv.query<unknown[]>(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
      const ops: KvOperation[] = [];
      for (const r of page.results) {
        last = r.key;
        if (Array.isArray(r.value) && r.value[0] === id) ops.push({ kind: 'set', key: r.key, value: [pseudonyms.of(id), ...r.value.slice(1)] });
      }
      for (let i = 0; i < ops.length; i += 25) await kv.transact(ops.slice(i, i + 25));
      rewritten += ops.length;
      cursor = page.nextCursor;
    } while (cursor);
    // Past every key under this prefix, listed or not: the highest key it covers.
    last = prefix.padEnd(WORKLOG_KEY_LENGTH, '9');
  }
  return { rewritten, stoppedAfter: undefined };
}

/** The periods consumer's erase events: erase, and when the run ran out of time, queue the rest. */
export async function handleEraseEvent(deps: PrivacyDeps & { readonly queue: EventQueue }, event: EraseEvent, deadline: number): Promise<EraseOutcome> {
  const outcome = await erasePerson(deps, event, deadline);
  if (outcome.continueWith) await deps.queue.push([{ body: { ...outcome.continueWith }, concurrencyKey: ERASE_CONCURRENCY_KEY }]);
  return outcome;
}
