import {
  GENESIS_HASH,
  appendAuditEntry,
  auditEntryHash,
  verifyAuditChain,
  type AuditEntry,
  type AuditInput,
  type AuditVerification,
  type ChainPoint,
} from '../../domain/auditChain';
import { DomainError, ErrorCode } from '../../domain/errors';
import { sha256Hex } from '../../domain/hash';
import { KV_LIMITS } from '../kv/kvRules';
import { KvConflictError, type KvStore } from '../ports';
import { peopleNamed, pseudonymsFor, registeredIn, registerPeople, revealPeople } from './pseudonyms';
import { keys } from './storageKeys';

/**
 * The audit log kept in KVS: the hash chain of domain/auditChain.ts, one entry
 * per key `audit#<seq, 12 digits>`. See docs/audit.md for the design and why
 * it is correct under concurrent writers, crashes and retries.
 *
 *   appendAudit(kv, input)              → AuditEntry        append one entry (idempotent with input.idempotencyKey)
 *   listAudit(kv, filters, page)        → AuditPage         newest first, cursor paging
 *   verifyAudit(kv, { fromSeq, toSeq, checkpoint }) → AuditVerification   page by page, names the first broken link
 *   auditCheckpoint(kv)                 → ChainPoint        the true head, for an auditor to record
 *
 * Bad input throws DomainError INVALID_INPUT (options, filters, cursor) or
 * INVALID_AUDIT_ENTRY (the entry) before anything is written.
 */

/** What a caller appends: the domain's input plus an optional idempotency key. */
export interface AppendAuditInput extends AuditInput {
  /**
   * The same key on a retried append (an event delivered twice, a retry after
   * a timeout) returns the entry already appended instead of appending again.
   * Kept in the entry as `details.idempotencyKey`, so it is covered by the hash.
   */
  readonly idempotencyKey?: string;
  /**
   * Every other account id the entry names (the person a change is about, the members of a team…).
   * They and the actor are stored as pseudonyms (src/app/pseudonyms.ts), wherever they occur in the
   * target, the details or the idempotency key, so that erasing a person never touches the chain.
   */
  readonly people?: readonly string[];
}

export interface AuditFilters {
  /** Entries at or after this instant (epoch ms). */
  readonly from?: number;
  /** Entries at or before this instant (epoch ms). */
  readonly to?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
}

export interface AuditPageRequest {
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string;
  /** 1 to 100; default 50. */
  readonly limit?: number;
}

export interface AuditPage {
  /** Newest first (descending seq), as stored and hashed: people appear as pseudonyms. May hold fewer than `limit` entries, even none, while `nextCursor` is set. */
  readonly entries: readonly AuditEntry[];
  /** Present while older entries remain to be looked at: pass it back with the same filters. */
  readonly nextCursor?: string;
  /** Who each pseudonym in these entries is: an account id, or "erased user" once the person's data was erased. */
  readonly people: Readonly<Record<string, string>>;
}

export interface VerifyAuditRequest {
  /** First entry to check (default 1). The entry before it is read too, so the link into the range is checked. */
  readonly fromSeq?: number;
  /** Last entry to check (default: the last entry of the log when the call starts; beyond it, the log's end). */
  readonly toSeq?: number;
  /** A head recorded earlier (auditCheckpoint): the log must still hold that entry with that hash and extend it unbroken. */
  readonly checkpoint?: ChainPoint;
  /** Entries one call checks at most (default MAX_VERIFY_ENTRIES); tests lower it. */
  readonly maxEntries?: number;
}

/** The actor of entries the app writes on its own (an erasure): no person, so never a pseudonym. */
export const SYSTEM_ACTOR = 'app';
/** Key reserved in `details` for the idempotency key. */
const IDEMPOTENCY_FIELD = 'idempotencyKey';
const MAX_IDEMPOTENCY_KEY_LENGTH = 500;
/** Each lost race costs one attempt; every attempt means another writer appended, so this bounds waiting, not correctness. */
const MAX_APPEND_ATTEMPTS = 100;
/** Entries per KVS page, and per block of keys sharing all but their last two digits. */
const BLOCK = 100;
/** How many entries one listAudit call looks at before returning a (possibly short) page. */
const LIST_SCAN_BUDGET = 2_000;
const DEFAULT_LIST_LIMIT = 50;
/** Entries one verifyAudit call checks: 100 block reads, a few seconds even at 80 ms a read. */
export const MAX_VERIFY_ENTRIES = 10_000;
const MAX_SEQ = 999_999_999_999;
const HEX64 = /^[0-9a-f]{64}$/;
const ENTRY_KEY = /^audit#(\d{12})$/;

const invalid = (message: string, details: Record<string, unknown> = {}) => new DomainError(ErrorCode.invalidInput, message, details);

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);

const idempotencyKeyOf = (entry: unknown): string | undefined => {
  if (!isRecord(entry) || !isRecord(entry.details)) return undefined;
  const k = entry.details[IDEMPOTENCY_FIELD];
  return typeof k === 'string' ? k : undefined;
};

const markerKey = (idempotencyKey: string) => keys.auditIdempotency(sha256Hex(idempotencyKey));
/** The create-only marker an entry appended with this idempotency key leaves, never removed: whether such an entry exists is one read. */
export const idempotencyMarkerKey = markerKey;

// ─── the head ────────────────────────────────────────────────────────────────

interface Head {
  /** 0 for an empty log. */
  readonly seq: number;
  /** The stored value at `seq` (unchecked), or null for an empty log. */
  readonly entry: unknown;
}

/**
 * The true last entry: the hint is a starting point only. Entries are created
 * only after their predecessor exists, so the seqs present are 1..n: probe
 * forward from the hint 25 keys a read; if the hint is past the end (entries
 * deleted), binary-search back.
 */
async function findHead(kv: KvStore): Promise<Head> {
  const hint = await kv.get<unknown>(keys.auditHeadHint);
  let seq = isRecord(hint) && Number.isSafeInteger(hint.seq) && (hint.seq as number) >= 0 && (hint.seq as number) <= MAX_SEQ ? (hint.seq as number) : 0;
  let entry: unknown = null;
  if (seq > 0) {
    entry = await kv.get<unknown>(keys.auditEntry(seq));
    if (entry === undefined) {
      seq = await lastPresentBelow(kv, seq);
      entry = seq === 0 ? null : await kv.get<unknown>(keys.auditEntry(seq));
    }
  }
  for (;;) {
    const probe = Array.from({ length: 25 }, (_, i) => keys.auditEntry(seq + 1 + i));
    const found = await kv.getMany<unknown>(probe);
    let n = 0;
    while (n < probe.length && found.has(probe[n]!)) n++;
    if (n > 0) {
      seq += n;
      entry = found.get(probe[n - 1]!);
    }
    if (n < probe.length) return { seq, entry: entry ?? null };
  }
}

/** The largest seq below `missing` that has an entry (0 if none), assuming entries 1..n are present. */
async function lastPresentBelow(kv: KvStore, missing: number): Promise<number> {
  let lo = 0;
  let hi = missing;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await kv.get<unknown>(keys.auditEntry(mid))) === undefined) hi = mid;
    else lo = mid;
  }
  return lo;
}

// ─── append ──────────────────────────────────────────────────────────────────

/**
 * Appends one entry after the true last entry, create-only, so two writers
 * can never both take a seq (no fork); a writer that loses the race re-reads
 * the head and tries the next seq. `at` earlier than the last entry's (another
 * writer won the race with a later clock reading) is raised to it, keeping
 * the chain in time order. With `idempotencyKey`, appending the same key again
 * returns the entry appended the first time (docs/audit.md says why this holds
 * across crashes); reusing a key for a different actor, action or target is refused.
 */
export async function appendAudit(kv: KvStore, input: AppendAuditInput): Promise<AuditEntry> {
  if (!isRecord(input)) throw new DomainError(ErrorCode.invalidAuditEntry, 'an audit entry needs { at, actor, action, target, details }', {});
  if (isRecord(input.details) && Object.hasOwn(input.details, IDEMPOTENCY_FIELD)) {
    throw new DomainError(ErrorCode.invalidAuditEntry, `details.${IDEMPOTENCY_FIELD} is reserved; pass the key as input.idempotencyKey`, { field: 'details' });
  }
  if (input.people !== undefined && (!Array.isArray(input.people) || input.people.some((p) => typeof p !== 'string'))) {
    throw new DomainError(ErrorCode.invalidAuditEntry, 'people must be a list of account ids, or left out', { field: 'people' });
  }
  if (input.idempotencyKey !== undefined && (typeof input.idempotencyKey !== 'string' || input.idempotencyKey.trim() === '' || input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    throw new DomainError(ErrorCode.invalidAuditEntry, `idempotencyKey must be a non-empty string of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, or left out`, {
      field: 'idempotencyKey',
    });
  }
  const plain: AuditInput = {
    at: input.at,
    actor: input.actor,
    action: input.action,
    target: input.target,
    details: input.idempotencyKey === undefined ? input.details : { ...input.details, [IDEMPOTENCY_FIELD]: input.idempotencyKey },
  };
  // Check the input before anything is read or written (the domain throws INVALID_AUDIT_ENTRY).
  appendAuditEntry(null, plain);
  // People are stored as pseudonyms, registered (erasably) just before the entry that names them is written.
  const named = typeof input.actor === 'string' && input.actor !== SYSTEM_ACTOR ? [input.actor, ...(input.people ?? [])] : [...(input.people ?? [])];
  const pseudonyms = await pseudonymsFor(kv);
  // Account ids of known people written in free text (a reason, a note) are people named too.
  named.push(...(await registeredIn(kv, pseudonyms, plain.details, named)));
  const base = pseudonyms.hide(plain, named);
  let registered = false;
  const idempotencyKey = idempotencyKeyOf(base);
  const marker = idempotencyKey === undefined ? undefined : markerKey(idempotencyKey);

  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const head = await findHead(kv);
    const previous = head.entry as AuditEntry | null;
    if (idempotencyKey !== undefined && marker !== undefined) {
      // Order matters: head first, then marker (docs/audit.md, "Idempotency").
      if (idempotencyKeyOf(previous) === idempotencyKey) return sameRequest(previous!, base);
      const marked = await kv.get<unknown>(marker);
      if (marked !== undefined) return sameRequest(await markedEntry(kv, marked, idempotencyKey), base);
    }
    const entry = appendAuditEntry(previous, previous === null ? base : { ...base, at: Math.max(base.at, previous.at) });
    const bytes = Buffer.byteLength(JSON.stringify(entry), 'utf8');
    if (bytes > KV_LIMITS.maxValueBytes) {
      throw new DomainError(
        ErrorCode.invalidAuditEntry,
        `the audit entry would be ${bytes} bytes, over the ${KV_LIMITS.maxValueBytes} bytes one stored value may hold; keep large before/after data elsewhere and put its key and hash in details`,
        { field: 'details', bytes },
      );
    }
    // The predecessor's marker exists before its successor does, so only the last entry can lack one.
    if (previous !== null) await ensureMarker(kv, previous);
    if (!registered) {
      // The mapping exists before any entry that names a pseudonym of it.
      await registerPeople(kv, pseudonyms, named, input.at);
      registered = true;
    }
    try {
      await kv.set(keys.auditEntry(entry.seq), entry, { ifAbsent: true });
    } catch (e) {
      if (e instanceof KvConflictError) continue;
      throw e;
    }
    // Both best-effort: the next appender writes a missing marker, and the hint is only a hint.
    await ensureMarker(kv, entry).catch(() => undefined);
    await kv.set(keys.auditHeadHint, { seq: entry.seq }).catch(() => undefined);
    return entry;
  }
  throw new DomainError(
    'AUDIT_CONTENDED',
    `the audit entry was not appended: ${MAX_APPEND_ATTEMPTS} other entries were appended while this one tried; nothing was written for it, so retry the action`,
    { attempts: MAX_APPEND_ATTEMPTS },
  );
}

async function ensureMarker(kv: KvStore, entry: AuditEntry): Promise<void> {
  const key = idempotencyKeyOf(entry);
  if (key === undefined) return;
  try {
    await kv.set(markerKey(key), { seq: entry.seq }, { ifAbsent: true });
  } catch (e) {
    if (!(e instanceof KvConflictError)) throw e;
  }
}

async function markedEntry(kv: KvStore, marked: unknown, idempotencyKey: string): Promise<AuditEntry> {
  const seq = isRecord(marked) && Number.isSafeInteger(marked.seq) ? (marked.seq as number) : null;
  const entry = seq === null ? undefined : await kv.get<unknown>(keys.auditEntry(seq));
  if (idempotencyKeyOf(entry) !== idempotencyKey) {
    throw new DomainError(
      ErrorCode.invalidAuditEntry,
      `the audit log records idempotency key ${JSON.stringify(idempotencyKey)} at seq ${seq ?? '(unreadable)'}, but that entry is missing or has another key: the log was altered; run audit/verify`,
      { seq },
    );
  }
  return entry as AuditEntry;
}

function sameRequest(existing: AuditEntry, input: AuditInput): AuditEntry {
  for (const field of ['actor', 'action', 'target'] as const) {
    if (existing[field] !== input[field]) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        `idempotency key ${JSON.stringify(idempotencyKeyOf(existing))} was already used for audit entry seq ${existing.seq} with ${field} ${JSON.stringify(existing[field])}, not ${JSON.stringify(input[field])}; use a new key for a different action`,
        { seq: existing.seq, field },
      );
    }
  }
  return existing;
}

// ─── reading blocks ──────────────────────────────────────────────────────────

interface Stored {
  /** The seq in the key, which a tampered value may not agree with. */
  readonly seq: number;
  readonly value: unknown;
}

/** The entries stored with seq from block·100 to block·100+99, ascending: one prefix query (more only if foreign keys share the prefix). */
async function readBlock(kv: KvStore, block: number): Promise<Stored[]> {
  const prefix = keys.auditEntry(block * BLOCK).slice(0, -2);
  const out: Stored[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.query<unknown>(prefix, { limit: BLOCK, ...(cursor ? { cursor } : {}) });
    for (const { key, value } of page.results) {
      const m = ENTRY_KEY.exec(key);
      if (m) out.push({ seq: Number(m[1]), value });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

// ─── list ────────────────────────────────────────────────────────────────────

function checkFilters(filters: AuditFilters): void {
  if (!isRecord(filters as unknown)) throw invalid('audit filters must be an object such as { from, to, actor, action, target } (all optional)');
  for (const f of ['from', 'to'] as const) {
    const v = filters[f];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw invalid(`audit filter ${f} must be epoch milliseconds (a whole number ≥ 0); got ${JSON.stringify(v)}`, { field: f });
  }
  for (const f of ['actor', 'action', 'target'] as const) {
    const v = filters[f];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw invalid(`audit filter ${f} must be a non-empty string or left out; got ${JSON.stringify(v)}`, { field: f });
  }
  if (filters.from !== undefined && filters.to !== undefined && filters.from > filters.to) {
    throw invalid(`audit filter from (${filters.from}) is after to (${filters.to}); swap them`, { field: 'from' });
  }
}

/** The seq the cursor says to continue below. Cursors are the decimal seq of the last entry looked at. */
function cursorSeq(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || !/^[1-9][0-9]{0,11}$/.test(cursor)) {
    throw invalid(`audit cursor ${JSON.stringify(cursor)} is not one this app gave out; pass the nextCursor of the previous page, or none for the newest entries`, { field: 'cursor' });
  }
  return Number(cursor);
}

const matches = (e: AuditEntry, f: AuditFilters): boolean =>
  (f.from === undefined || e.at >= f.from) &&
  (f.to === undefined || e.at <= f.to) &&
  (f.actor === undefined || e.actor === f.actor) &&
  (f.action === undefined || e.action === f.action) &&
  (f.target === undefined || e.target === f.target);

/**
 * One page of entries that pass every filter, newest first (descending seq).
 * The cursor is a seq, so paging is stable while entries are appended (new
 * ones are above the first page and not repeated) and the same on every store.
 * Entries are never earlier than the one before, so `to` is found by binary
 * search and the scan stops at the first entry before `from`.
 */
export async function listAudit(kv: KvStore, given: AuditFilters = {}, page: AuditPageRequest = {}): Promise<AuditPage> {
  checkFilters(given);
  const filters = await storedFormOf(kv, given);
  const found = await scanAudit(kv, filters, page);
  return { ...found, people: await peopleNamed(kv, found.entries) };
}

/**
 * The filters as entries store them: an account id as actor becomes its pseudonym, and so does each
 * `#`-separated part of a target that is a registered person (`pstate#<account id>#2026-11`).
 */
async function storedFormOf(kv: KvStore, filters: AuditFilters): Promise<AuditFilters> {
  if (filters.actor === undefined && filters.target === undefined) return filters;
  const pseudonyms = await pseudonymsFor(kv);
  const candidates = [...new Set([...(filters.actor === undefined ? [] : [filters.actor]), ...(filters.target?.split('#') ?? [])])].filter((c) => c !== '');
  const known = await revealPeople(kv, candidates.map((c) => pseudonyms.of(c)));
  const people = candidates.filter((c) => known.get(pseudonyms.of(c)) === c);
  return {
    ...filters,
    ...(filters.actor === undefined ? {} : { actor: pseudonyms.hide(filters.actor, people) }),
    ...(filters.target === undefined ? {} : { target: pseudonyms.hide(filters.target, people) }),
  };
}

async function scanAudit(kv: KvStore, filters: AuditFilters, page: AuditPageRequest): Promise<Omit<AuditPage, 'people'>> {
  if (!isRecord(page as unknown)) throw invalid('audit page must be an object such as { cursor, limit } (both optional)');
  const limit = page.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > BLOCK) throw invalid(`audit page limit must be a whole number from 1 to ${BLOCK}; got ${JSON.stringify(page.limit)}`, { field: 'limit' });
  const below = cursorSeq(page.cursor);

  let top = (await findHead(kv)).seq;
  if (below !== undefined) top = Math.min(top, below - 1);
  if (filters.to !== undefined) top = await lastAtOrBefore(kv, filters.to, top);

  const entries: AuditEntry[] = [];
  let scanned = 0;
  let next = top;
  while (next >= 1 && scanned < LIST_SCAN_BUDGET) {
    const block = Math.floor(next / BLOCK);
    const stored = new Map((await readBlock(kv, block)).map((s) => [s.seq, s.value]));
    for (let seq = next; seq >= Math.max(1, block * BLOCK); seq--) {
      scanned++;
      const e = stored.get(seq);
      next = seq - 1;
      if (!isRecord(e)) continue; // missing or unreadable: verifyAudit names it
      const entry = e as unknown as AuditEntry;
      if (filters.from !== undefined && entry.at < filters.from) return { entries };
      if (matches(entry, filters)) {
        entries.push(entry);
        if (entries.length === limit) return next >= 1 ? { entries, nextCursor: String(seq) } : { entries };
      }
    }
  }
  return next >= 1 ? { entries, nextCursor: String(next + 1) } : { entries };
}

/** The largest seq ≤ top whose entry is at or before `to` (0 if none); `at` never decreases along the chain. Unreadable entries stop the search at `top`, and the scan's own filter then applies. */
async function lastAtOrBefore(kv: KvStore, to: number, top: number): Promise<number> {
  let lo = 0; // at ≤ to (or before the first entry)
  let hi = top + 1; // at > to (or past the range)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await kv.get<unknown>(keys.auditEntry(mid));
    if (!isRecord(e) || typeof e.at !== 'number') return top;
    if (e.at <= to) lo = mid;
    else hi = mid;
  }
  return lo;
}

// ─── verify ──────────────────────────────────────────────────────────────────

function checkSeq(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 1 || (v as number) > MAX_SEQ) throw invalid(`verifyAudit: ${name} must be a whole number from 1 to ${MAX_SEQ}; got ${JSON.stringify(v)}`, { option: name });
  return v as number;
}

function checkCheckpoint(cp: unknown): ChainPoint | undefined {
  if (cp === undefined) return undefined;
  if (!isRecord(cp) || !Number.isSafeInteger(cp.seq) || (cp.seq as number) < 0 || typeof cp.hash !== 'string' || !HEX64.test(cp.hash)) {
    throw invalid(`verifyAudit: checkpoint must be { seq: whole number ≥ 0, hash: 64 lowercase hex digits } as audit/checkpoint returned it; got ${JSON.stringify(cp) ?? String(cp)}`, {
      option: 'checkpoint',
    });
  }
  if (cp.seq === 0 && cp.hash !== GENESIS_HASH) throw invalid(`verifyAudit: a checkpoint at seq 0 (the empty log) has the hash ${GENESIS_HASH}`, { option: 'checkpoint' });
  return { seq: cp.seq as number, hash: cp.hash };
}

/**
 * Verifies the stored chain from `fromSeq` (default 1) to `toSeq` (default:
 * the last entry when the call starts), reading 100 entries at a time, so
 * memory stays bounded whatever the log's length. Each page is verified with
 * the last entry of the page before it (time order and links carry across
 * pages). On failure, `brokenAt.seq` is the seq in the broken entry's key and
 * `brokenAt.index` its position counted from the first entry read (the entry
 * before `fromSeq` when fromSeq > 1). With `checkpoint`, the entry at its seq
 * must still have its hash (else `head-mismatch`: rewritten, or cut off when
 * the log now ends before it); it must lie in fromSeq−1 … toSeq.
 */
/**
 * What verifyAudit answers: the domain's verdict, and when the range was longer than one call checks,
 * `complete: false` with the seq to pass as `fromSeq` next (with the same `toSeq` and checkpoint).
 */
export type AuditRangeVerification = AuditVerification | (Extract<AuditVerification, { ok: true }> & { readonly complete: false; readonly continueFrom: number });

export async function verifyAudit(kv: KvStore, options: VerifyAuditRequest = {}): Promise<AuditRangeVerification> {
  if (!isRecord(options as unknown)) throw invalid('verifyAudit options must be an object such as { fromSeq, toSeq, checkpoint } (all optional)');
  const fromSeq = checkSeq('fromSeq', options.fromSeq) ?? 1;
  const toSeq = checkSeq('toSeq', options.toSeq);
  const checkpoint = checkCheckpoint(options.checkpoint);
  if (toSeq !== undefined && toSeq < fromSeq) throw invalid(`verifyAudit: toSeq (${toSeq}) is before fromSeq (${fromSeq})`, { option: 'toSeq' });
  if (checkpoint !== undefined && (checkpoint.seq < fromSeq - 1 || (toSeq !== undefined && checkpoint.seq > toSeq))) {
    throw invalid(`verifyAudit: the checkpoint (seq ${checkpoint.seq}) must lie within fromSeq−1 … toSeq (${fromSeq - 1} … ${toSeq ?? 'the end'}) to be checked`, { option: 'checkpoint' });
  }
  const head = (await findHead(kv)).seq;
  const cutBeforeCheckpoint = checkpoint !== undefined && checkpoint.seq > head;
  if (fromSeq > 1 && fromSeq > head && !cutBeforeCheckpoint) {
    throw invalid(`verifyAudit: fromSeq (${fromSeq}) is after the last entry of the log (seq ${head})`, { option: 'fromSeq', lastSeq: head });
  }
  const wanted = Math.min(toSeq ?? head, head);
  // The entry before the range is read as well, so the link into the range is checked; when the log
  // now ends before the range (cut off under a checkpoint), its last entry is read so the cut is reported.
  const readFrom = Math.max(1, Math.min(fromSeq - 1, head));
  // One call checks a bounded window, so it fits a resolver's 25 s; the answer says where to go on.
  const end = Math.min(wanted, Math.max(fromSeq, readFrom) + (options.maxEntries ?? MAX_VERIFY_ENTRIES) - 1);
  const partial = end < wanted;

  let previous: AuditEntry | null = null;
  let verified = 0;
  let checkpointDone = checkpoint === undefined || checkpoint.seq === 0;

  /** Verifies `chunk` after `previous`; returns the failure, with index and seq counted over the whole run. */
  const check = (chunk: readonly Stored[], expectCheckpoint: boolean): AuditVerification | null => {
    const first: Stored | undefined = chunk[0];
    const list: unknown[] = chunk.map((s) => s.value);
    let anchor: ChainPoint;
    if (previous !== null) {
      // Verified already; listed again so the time order across the page boundary is checked too.
      list.unshift(previous);
      anchor = { seq: previous.seq - 1, hash: previous.prevHash };
    } else if (readFrom === 1) {
      anchor = { seq: 0, hash: GENESIS_HASH };
    } else {
      // The first entry read is the one before the range: anchored on its own prevHash, so its hash and seq are still checked.
      const prevHash = isRecord(first?.value) && typeof first.value.prevHash === 'string' && HEX64.test(first.value.prevHash) ? first.value.prevHash : GENESIS_HASH;
      anchor = { seq: readFrom - 1, hash: prevHash };
    }
    // Indexes count over the whole run; `previous` (if listed) is at verified − 1.
    const firstIndex = previous === null ? verified : verified - 1;
    const result = verifyAuditChain(list as AuditEntry[], { anchor, firstIndex, ...(expectCheckpoint && checkpoint ? { expectedHead: checkpoint } : {}) });
    if (!result.ok) {
      // Name the seq of the key the broken entry is stored under (a tampered value may claim another).
      return { ...result, brokenAt: { index: result.brokenAt.index, seq: chunk[result.brokenAt.index - verified]?.seq ?? result.brokenAt.seq } };
    }
    if (chunk.length > 0) {
      previous = chunk[chunk.length - 1]!.value as AuditEntry;
      verified += chunk.length;
    }
    return null;
  };

  for (let block = Math.floor(readFrom / BLOCK); block <= Math.floor(end / BLOCK) && readFrom <= end; block++) {
    const chunk = (await readBlock(kv, block)).filter((s) => s.seq >= readFrom && s.seq <= end);
    // The log's last block, not merely this window's: a checkpoint past the window waits for its call.
    const last = block === Math.floor(end / BLOCK) && !partial;
    let failure: AuditVerification | null;
    if (!checkpointDone && checkpoint !== undefined) {
      const upTo = chunk.filter((s) => s.seq <= checkpoint.seq);
      const after = chunk.filter((s) => s.seq > checkpoint.seq);
      if (after.length > 0 || last || chunk.at(-1)?.seq === checkpoint.seq) {
        checkpointDone = true;
        failure = check(upTo, true) ?? check(after, false);
      } else {
        failure = check(upTo, false);
      }
    } else {
      failure = check(chunk, false);
    }
    if (failure) return failure;
  }
  // A checkpoint past this window is checked by the call that reaches it.
  if (!checkpointDone && !(partial && checkpoint !== undefined && checkpoint.seq > end)) {
    const failure = check([], true);
    if (failure) return failure;
  }
  const lastEntry = previous as AuditEntry | null;
  const verifiedRange = { ok: true as const, count: verified, lastSeq: lastEntry?.seq ?? 0, lastHash: lastEntry?.hash ?? GENESIS_HASH };
  return partial ? { ...verifiedRange, complete: false, continueFrom: end + 1 } : verifiedRange;
}

// ─── checkpoint ──────────────────────────────────────────────────────────────

/** The true head of the log (seq 0 and GENESIS_HASH when empty), refusing to vouch for a last entry that fails its own hash. */
export async function auditCheckpoint(kv: KvStore): Promise<ChainPoint> {
  const head = await findHead(kv);
  if (head.seq === 0) return { seq: 0, hash: GENESIS_HASH };
  const e = head.entry;
  if (!isRecord(e) || typeof e.hash !== 'string' || !HEX64.test(e.hash) || safeHash(e) !== e.hash) {
    throw new DomainError(ErrorCode.invalidAuditEntry, `the last audit entry (seq ${head.seq}) is malformed or altered, so no checkpoint is given; run audit/verify to see what broke`, {
      seq: head.seq,
    });
  }
  return { seq: head.seq, hash: e.hash };
}

const safeHash = (e: Readonly<Record<string, unknown>>): string | null => {
  try {
    return auditEntryHash(e as unknown as AuditEntry);
  } catch {
    return null;
  }
};
