import { DomainError, ErrorCode } from '../../domain/errors';
import { KvError } from '../kv/kvRules';
import type { KvOperation, KvStore } from '../ports';
import type { PeriodState, PeriodUnlock } from './periodState';
import { peopleNamed } from './pseudonyms';
import { KV_BATCH, readAll } from './readAll';
import type { SnapshotManifest } from './snapshots';
import { keys } from './storageKeys';

/**
 * snapshots/list, one page at a time, and the listing records that make a page cheap.
 *
 *   listSnapshots(kv, { personId?, periodKey? }, { limit?, cursor? }) → SnapshotPage   newest lock first
 *   listSnapshotVersion(kv, personId, manifest)                       writes a sealed version's listing (idempotent)
 *   unlistSnapshotVersion(kv, personId, manifest)                     removes it (an abandoned version)
 *   moveSnapshotListings(kv, fromPersonId, toPersonId)                 an erased person's listings, under their pseudonym
 *
 * Every sealed version has one small listing record (its manifest without the part hashes) under three
 * keys (src/app/storageKeys.ts: all, by period, by person), each beginning with 13 digits that put the
 * newest lock first in KVS's ascending order. A page of any filter but "person and period" is then one
 * prefix query of `limit` records; a person's period lists its versions, highest first, from the
 * manifests. Either way the page's period states (current version, unlocks) and who locked each
 * version are read in batches of 25. Reads per call, at most: 1 query (or 2 + ceil(limit / 25) batch
 * reads for a person's period) + ceil(limit / 25) period-state batches + ceil(lockers / 25) registry
 * batches: 9 for a page of 100, 10 for a person's period (more only for a period with over 25
 * versions that its state does not record, which only an erased person's can have).
 *
 * Order of writes, so a listed version always has a manifest: a writer seals the manifest, then lists
 * it; whoever removes a version unlists it first. A version sealed by a writer that stopped before
 * listing it is listed by the retry (writeSnapshot, or the lock step that finds it sealed).
 */

export const DEFAULT_SNAPSHOT_PAGE = 50;
export const MAX_SNAPSHOT_PAGE = 100;

/** A sealed version as the listing keeps it: the manifest without part hashes, and the person its keys name. */
export interface SnapshotListed {
  /** The person the snapshot's keys name: the account id, or the pseudonym once the account was erased. */
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  readonly hash: string;
  readonly engineVersion: string;
  readonly bytes: number;
  readonly partCount: number;
  readonly lockedAt: number;
  /** As stored: the locker's pseudonym. */
  readonly lockedBy: string;
  readonly jobId: string | null;
}

export interface SnapshotListing extends SnapshotListed {
  /** Who locked it: the account id, or "erased user". */
  readonly lockedBy: string;
  /** True for the version the period's report reads from now (the period is locked at it). */
  readonly current: boolean;
  /** The unlocks of this version, with their reasons. */
  readonly unlocks: readonly PeriodUnlock[];
}

export interface SnapshotFilter {
  readonly personId?: string;
  readonly periodKey?: string;
}

export interface SnapshotPageRequest {
  /** 1 to 100; 50 when left out. A cursor continues pages of the limit it was given with. */
  readonly limit?: number;
  /** The previous page's `nextCursor`, with the same filter and limit. */
  readonly cursor?: string;
}

export interface SnapshotPage {
  /** Newest lock first (a person's period: highest version first). */
  readonly snapshots: readonly SnapshotListing[];
  /** Set while more may follow (the next page may then be empty). */
  readonly nextCursor?: string;
}

const invalid = (message: string, field: string) => new DomainError(ErrorCode.invalidInput, message, { field });

/** 13 digits that sort the newest lock first. */
const newestFirst = (lockedAt: number): string => String(Math.min(9_999_999_999_999, Math.max(0, 9_999_999_999_999 - Math.floor(lockedAt)))).padStart(13, '0');

/** The three keys of a version's listing. */
export function listingKeys(l: Pick<SnapshotListed, 'personId' | 'periodKey' | 'version' | 'lockedAt'>): [string, string, string] {
  const n = newestFirst(l.lockedAt);
  return [keys.snapshotListedAll(n, l.personId, l.periodKey, l.version), keys.snapshotListedByPeriod(l.periodKey, n, l.personId, l.version), keys.snapshotListedByPerson(l.personId, n, l.periodKey, l.version)];
}

export function listedFrom(personId: string, m: SnapshotManifest): SnapshotListed {
  return {
    personId,
    periodKey: m.periodKey,
    version: m.version,
    hash: m.hash,
    engineVersion: m.engineVersion,
    bytes: m.bytes,
    partCount: m.partCount,
    lockedAt: m.lockedAt,
    lockedBy: m.lockedBy,
    jobId: m.jobId,
  };
}

/** Lists a sealed version: one transaction of three writes, the same on a retry. */
export async function listSnapshotVersion(kv: KvStore, personId: string, manifest: SnapshotManifest): Promise<void> {
  const listed = listedFrom(personId, manifest);
  await kv.transact(listingKeys(listed).map((key): KvOperation => ({ kind: 'set', key, value: listed })));
}

/** Unlists a version (before its manifest is deleted). */
export async function unlistSnapshotVersion(kv: KvStore, personId: string, manifest: SnapshotManifest): Promise<void> {
  await kv.transact(listingKeys(listedFrom(personId, manifest)).map((key): KvOperation => ({ kind: 'delete', key })));
}

/**
 * Moves a person's listings to keys that name `to` instead of `from` (privacy erasure: the snapshots
 * themselves move to the pseudonym). Writes the new ones before deleting the old, so a run cut short
 * is finished by the next. Returns how many keys moved (three a version).
 */
export async function moveSnapshotListings(kv: KvStore, from: string, to: string): Promise<number> {
  let moved = 0;
  for (;;) {
    // Always the first page: what moved is gone from under this prefix.
    const page = await kv.query<SnapshotListed>(keys.snapshotListedByPersonPrefix(from), { limit: 8 });
    if (page.results.length === 0) return moved;
    const entries = page.results.map((r) => r.value);
    await kv.transact(entries.flatMap((e) => {
      const next = { ...e, personId: to };
      return listingKeys(next).map((key): KvOperation => ({ kind: 'set', key, value: next }));
    }));
    // The by-person key last: it is how a rerun finds what is left to move.
    await kv.transact(entries.flatMap((e) => listingKeys(e).map((key): KvOperation => ({ kind: 'delete', key }))));
    moved += entries.length * 3;
  }
}

// ─── the page ──────────────────────────────────────────────────────────────────

/** What a cursor carries: the filter and limit it continues, and where (a KVS cursor, or the version to list below). */
interface Position {
  readonly v: 1;
  readonly p: string;
  readonly k: string;
  readonly l: number;
  readonly c?: string;
  readonly below?: number;
}

const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,2000}$/;
const notOurs = (cursor: string) =>
  invalid(`snapshot cursor ${JSON.stringify(cursor.length > 40 ? `${cursor.slice(0, 40)}…` : cursor)} is not one this resolver gave; pass the nextCursor of the previous page, or none for the first page`, 'cursor');

function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown, filter: SnapshotFilter, limit: number): Position | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || !CURSOR_TEXT.test(cursor)) throw notOurs(String(cursor));
  let p: Partial<Position>;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Position>;
  } catch {
    throw notOurs(cursor);
  }
  const ok =
    p !== null && typeof p === 'object' && p.v === 1 && typeof p.p === 'string' && typeof p.k === 'string' && Number.isSafeInteger(p.l) &&
    (typeof p.c === 'string' ? p.c !== '' && p.below === undefined : Number.isSafeInteger(p.below) && p.below! >= 2);
  if (!ok) throw notOurs(cursor);
  const pos = p as Position;
  if (pos.p !== (filter.personId ?? '') || pos.k !== (filter.periodKey ?? '')) {
    const what = (x: string, y: string) => (x === '' && y === '' ? 'every snapshot' : [x && `person ${x}`, y && `period ${y}`].filter(Boolean).join(' and '));
    throw invalid(`this cursor continues the listing of ${what(pos.p, pos.k)}, not of ${what(filter.personId ?? '', filter.periodKey ?? '')}: send the same personId and periodKey as the first page, or no cursor to start again`, 'cursor');
  }
  if (pos.l !== limit) throw invalid(`this cursor continues pages of ${pos.l}; send limit ${pos.l} with it, or no cursor to start again`, 'limit');
  return pos;
}

function checkFilter(filter: SnapshotFilter): void {
  if (filter === null || typeof filter !== 'object') throw invalid('the snapshot filter must be an object such as { personId, periodKey } (both optional)', 'filter');
  for (const field of ['personId', 'periodKey'] as const) {
    const v = filter[field];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > 128 || v.includes('#'))) {
      throw invalid(`${field} must be ${field === 'personId' ? "a person's account id" : 'a period key such as "2026-11"'}; got ${JSON.stringify(v)}`, field);
    }
  }
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_SNAPSHOT_PAGE;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SNAPSHOT_PAGE) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_SNAPSHOT_PAGE}; got ${JSON.stringify(limit)}`, 'limit');
  }
  return limit;
}

/** Codes a store answers when it is busy: passed on, never taken for a bad cursor. */
const BUSY = new Set(['RATE_LIMIT_EXCEEDED', 'TOO_MANY_REQUESTS']);

/**
 * One page of sealed snapshot versions, newest lock first, filtered by person, period, both or neither.
 * Bad input (filter, limit, cursor) throws INVALID_INPUT and reads nothing. See the module comment for
 * the reads a page takes.
 */
export async function listSnapshots(kv: KvStore, filter: SnapshotFilter = {}, page: SnapshotPageRequest = {}): Promise<SnapshotPage> {
  checkFilter(filter);
  if (page === null || typeof page !== 'object') throw invalid('the page must be an object such as { limit, cursor } (both optional)', 'page');
  const limit = checkLimit(page.limit);
  const at = decodeCursor(page.cursor, filter, limit);
  const base = { v: 1 as const, p: filter.personId ?? '', k: filter.periodKey ?? '', l: limit };

  let listed: SnapshotListed[];
  let next: Position | undefined;
  if (filter.personId !== undefined && filter.periodKey !== undefined) {
    if (at !== undefined && at.below === undefined) throw notOurs(page.cursor!);
    const found = await versionsPage(kv, filter.personId, filter.periodKey, limit, at?.below);
    listed = found.listed;
    next = found.below === undefined ? undefined : { ...base, below: found.below };
  } else {
    if (at !== undefined && at.c === undefined) throw notOurs(page.cursor!);
    const prefix = filter.periodKey !== undefined ? keys.snapshotListedByPeriodPrefix(filter.periodKey) : filter.personId !== undefined ? keys.snapshotListedByPersonPrefix(filter.personId) : keys.snapshotListedAllPrefix;
    let found;
    try {
      found = await kv.query<SnapshotListed>(prefix, { limit, ...(at?.c === undefined ? {} : { cursor: at.c }) });
    } catch (e) {
      if (at?.c !== undefined && e instanceof KvError && !BUSY.has(e.code)) {
        throw invalid(`storage refused this cursor (${e.code}): it may be too old; list again from the first page`, 'cursor');
      }
      throw e;
    }
    listed = found.results.map((r) => r.value);
    next = found.nextCursor === undefined ? undefined : { ...base, c: found.nextCursor };
  }
  return { snapshots: await withStates(kv, listed), ...(next === undefined ? {} : { nextCursor: encodeCursor(next) }) };
}

/** A person's period: its versions from `below − 1` (or the latest) down, `limit` of them, read from their manifests. */
async function versionsPage(kv: KvStore, personId: string, periodKey: string, limit: number, below: number | undefined): Promise<{ listed: SnapshotListed[]; below?: number }> {
  let top = below === undefined ? await latestVersion(kv, personId, periodKey) : below - 1;
  top = Math.min(top, 9999);
  const lowest = Math.max(1, top - limit + 1);
  if (top < 1) return { listed: [] };
  const manifestKeys = Array.from({ length: top - lowest + 1 }, (_, i) => keys.snapshotPart(personId, periodKey, top - i, 0));
  const found = await readAll<SnapshotManifest>(kv, manifestKeys);
  const listed = manifestKeys.flatMap((k) => {
    const m = found.get(k);
    return m === undefined ? [] : [listedFrom(personId, m)];
  });
  return lowest > 1 ? { listed, below: lowest } : { listed };
}

/** The highest sealed version: what the period's state records, or a version sealed beyond it (a lock under way). */
async function latestVersion(kv: KvStore, personId: string, periodKey: string): Promise<number> {
  const state = await kv.get<PeriodState>(keys.periodState(personId, periodKey));
  let version = state?.version ?? 0;
  for (;;) {
    const probe = Array.from({ length: KV_BATCH }, (_, i) => version + 1 + i).filter((v) => v <= 9999);
    if (probe.length === 0) return version;
    const probeKeys = probe.map((v) => keys.snapshotPart(personId, periodKey, v, 0));
    const found = await kv.getMany(probeKeys);
    let n = 0;
    while (n < probeKeys.length && found.has(probeKeys[n]!)) n++;
    version += n;
    if (n < probeKeys.length) return version;
  }
}

/** Each listed version with whether it is current, its unlocks and who locked it, read in batches. */
async function withStates(kv: KvStore, listed: readonly SnapshotListed[]): Promise<SnapshotListing[]> {
  const [states, lockers] = await Promise.all([
    readAll<PeriodState>(kv, listed.map((l) => keys.periodState(l.personId, l.periodKey))),
    peopleNamed(kv, listed.map((l) => l.lockedBy)),
  ]);
  return listed.map((l) => {
    const state = states.get(keys.periodState(l.personId, l.periodKey));
    return {
      ...l,
      lockedBy: lockers[l.lockedBy] ?? l.lockedBy,
      current: state?.status === 'locked' && state.version === l.version,
      unlocks: (state?.unlocks ?? []).filter((u) => u.version === l.version),
    };
  });
}
