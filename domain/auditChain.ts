import { canonicalJson, type JsonObject } from './canonicalJson';
import { DomainError, ErrorCode } from './errors';
import { sha256Hex } from './hash';

/**
 * The audit log as a hash chain.
 *
 * Each entry carries the hash of the entry before it (`prevHash`; the first
 * entry carries GENESIS_HASH) and its own `hash`: the SHA-256 of the canonical
 * JSON of all its other fields `{ seq, at, actor, action, target, details,
 * prevHash }`. Editing any field of any entry, deleting, inserting or moving an
 * entry therefore breaks a link that `verifyAuditChain` finds and names.
 *
 * What the chain alone cannot show (see docs/domain-audit.md): entries cut off
 * at the end (the remaining chain is still a valid chain — pass `expectedHead`
 * to catch it), and a complete rewrite by someone who recomputes every hash
 * after the change (only a head published or stored elsewhere catches it).
 *
 * Times: `at` is epoch milliseconds given by the caller (the domain has no
 * clock), a whole number from 0 to 8.64e15 (the range of a JavaScript date).
 * An entry may have the same `at` as the one before it (several actions in one
 * millisecond, e.g. a batch); the order is then given by `seq`. An earlier `at`
 * than the entry before it is refused on append and reported on verify.
 */

/** One audit log entry; `hash` covers every other field. */
export interface AuditEntry {
  /** 1 for the first entry of the log, then +1 each entry, no gaps. */
  readonly seq: number;
  /** When it happened, epoch ms, given by the caller; never earlier than the entry before. */
  readonly at: number;
  /** Who did it (an account id). */
  readonly actor: string;
  /** What was done, e.g. `snapshot.lock`. */
  readonly action: string;
  /** What it was done to, e.g. a snapshot key. */
  readonly target: string;
  /** Any further facts, as plain JSON. */
  readonly details: JsonObject;
  /** `hash` of the entry before; GENESIS_HASH for seq 1. */
  readonly prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of the fields above. */
  readonly hash: string;
}

/** What the caller supplies to append an entry; the chain fields are computed. */
export interface AuditInput {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: JsonObject;
}

/** A point of the chain: an entry's seq and hash (seq 0 with GENESIS_HASH is the start). */
export interface ChainPoint {
  readonly seq: number;
  readonly hash: string;
}

export interface VerifyAuditOptions {
  /**
   * The trusted entry just BEFORE the first one given, to verify a slice that
   * starts mid-chain: the first entry must then have seq `anchor.seq + 1` and
   * prevHash `anchor.hash`. Default: the start of the log, `{ seq: 0, hash: GENESIS_HASH }`.
   */
  readonly anchor?: ChainPoint;
  /**
   * The head recorded elsewhere when the last entry was appended: the entries
   * must end exactly at this seq with this hash. Catches entries cut off at the
   * end, entries appended behind the recorder's back, and full rewrites.
   */
  readonly expectedHead?: ChainPoint;
  /**
   * The index to report for the first entry given (default 0), when the list is
   * one page of a longer run: `brokenAt.index` and the messages then count over
   * the whole run rather than within the page.
   */
  readonly firstIndex?: number;
}

export type AuditBreakReason =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'seq-gap'
  | 'seq-not-increasing'
  | 'malformed-entry'
  | 'time-went-backwards'
  | 'head-mismatch';

export type AuditVerification =
  | { readonly ok: true; readonly count: number; readonly lastSeq: number; readonly lastHash: string }
  | {
      readonly ok: false;
      /** `index` is the position in the list given (from 0, or from `firstIndex`); `seq` is that entry's seq, or null when unreadable or past the end. */
      readonly brokenAt: { readonly index: number; readonly seq: number | null };
      readonly reason: AuditBreakReason;
      readonly message: string;
    };

/** The `prevHash` of the first entry of a log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Latest instant a JavaScript Date can hold, epoch ms. */
const MAX_AT = 8_640_000_000_000_000;
const HEX64 = /^[0-9a-f]{64}$/;
const ENTRY_FIELDS = ['seq', 'at', 'actor', 'action', 'target', 'details', 'prevHash', 'hash'] as const;

/** Returns the hash an entry with these fields must carry: SHA-256 of the canonical JSON of all fields but `hash`. */
export function auditEntryHash(fields: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      seq: fields.seq,
      at: fields.at,
      actor: fields.actor,
      action: fields.action,
      target: fields.target,
      details: fields.details,
      prevHash: fields.prevHash,
    }),
  );
}

interface Problem {
  readonly field: string;
  readonly why: string;
}

const show = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
};

const isPlainRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isInstant = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_AT;

const isName = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The first problem with the caller-supplied fields, or null. */
function inputProblem(input: Readonly<Record<string, unknown>>): Problem | null {
  if (!isInstant(input.at)) return { field: 'at', why: `must be a whole number of epoch milliseconds from 0 to ${MAX_AT}, but it is ${show(input.at)}` };
  for (const field of ['actor', 'action', 'target'] as const) {
    if (!isName(input[field])) return { field, why: `must be a non-empty string, but it is ${show(input[field])}` };
  }
  const details = input.details;
  if (!isPlainRecord(details)) return { field: 'details', why: `must be a plain JSON object (use {} for none), but it is ${show(details)}` };
  try {
    canonicalJson(details as JsonObject);
  } catch (e) {
    if (e instanceof DomainError) return { field: 'details', why: `is not plain JSON: ${e.message}` };
    throw e;
  }
  return null;
}

/** The first structural problem of a stored entry, or null when it has exactly the fields of an AuditEntry, well typed. */
function entryProblem(entry: unknown): Problem | null {
  if (!isPlainRecord(entry)) return { field: '(entry)', why: `must be an object, but it is ${show(entry)}` };
  for (const field of ENTRY_FIELDS) {
    if (!Object.hasOwn(entry, field)) return { field, why: 'is missing' };
  }
  const extra = Object.keys(entry).find((k) => !(ENTRY_FIELDS as readonly string[]).includes(k));
  if (extra !== undefined) return { field: extra, why: 'is not a field of an audit entry and is not covered by its hash' };
  if (!Number.isSafeInteger(entry.seq) || (entry.seq as number) < 1) return { field: 'seq', why: `must be a whole number from 1, but it is ${show(entry.seq)}` };
  const p = inputProblem(entry);
  if (p) return p;
  for (const field of ['prevHash', 'hash'] as const) {
    const h = entry[field];
    if (typeof h !== 'string' || !HEX64.test(h)) return { field, why: `must be 64 lowercase hex digits, but it is ${show(h)}` };
  }
  return null;
}

const readableSeq = (entry: unknown): number | null =>
  isPlainRecord(entry) && Number.isSafeInteger(entry.seq) ? (entry.seq as number) : null;

const when = (at: number): string => `${new Date(at).toISOString()} (${at} ms)`;

/**
 * Returns the entry that follows `previous` (null: the first entry of the log)
 * with seq, prevHash and hash filled in and `details` deep-copied in canonical
 * form; throws INVALID_AUDIT_ENTRY when the input or `previous` is unusable,
 * `previous` fails its own hash, or `at` is earlier than `previous.at`.
 */
export function appendAuditEntry(previous: AuditEntry | null, input: AuditInput): AuditEntry {
  if (previous !== null) {
    const p = entryProblem(previous);
    if (p) {
      throw new DomainError(ErrorCode.invalidAuditEntry, `cannot append after a malformed entry: its ${p.field} ${p.why}; pass the last entry as read from the log`, {
        seq: readableSeq(previous),
        field: p.field,
      });
    }
    const recomputed = auditEntryHash(previous);
    if (recomputed !== previous.hash) {
      throw new DomainError(
        ErrorCode.invalidAuditEntry,
        `cannot append after entry seq ${previous.seq}: it was altered (its content hashes to ${recomputed}, its stored hash is ${previous.hash}); verify the log before writing to it`,
        { seq: previous.seq, expected: previous.hash, found: recomputed },
      );
    }
  }
  if (!isPlainRecord(input)) {
    throw new DomainError(ErrorCode.invalidAuditEntry, `an audit entry needs { at, actor, action, target, details }; got ${show(input)}`, {});
  }
  const p = inputProblem(input);
  if (p) {
    throw new DomainError(ErrorCode.invalidAuditEntry, `audit entry ${p.field} ${p.why}`, { field: p.field });
  }
  if (previous !== null && input.at < previous.at) {
    throw new DomainError(
      ErrorCode.invalidAuditEntry,
      `audit entry at ${when(input.at)} is earlier than the entry before it (seq ${previous.seq}, at ${when(previous.at)}); entries are written in time order, so pass the current time`,
      { field: 'at', at: input.at, previousAt: previous.at },
    );
  }
  const fields = {
    seq: previous === null ? 1 : previous.seq + 1,
    at: input.at,
    actor: input.actor,
    action: input.action,
    target: input.target,
    // A canonical deep copy: what is hashed is exactly what is kept, and later changes to the caller's object do not leak in.
    details: JSON.parse(canonicalJson(input.details)) as JsonObject,
    prevHash: previous === null ? GENESIS_HASH : previous.hash,
  };
  return { ...fields, hash: auditEntryHash(fields) };
}

function checkPoint(name: string, point: ChainPoint | undefined): void {
  if (point === undefined) return;
  if (!isPlainRecord(point) || !Number.isSafeInteger(point.seq) || point.seq < 0 || typeof point.hash !== 'string' || !HEX64.test(point.hash)) {
    throw new DomainError(ErrorCode.invalidInput, `verifyAuditChain: ${name} must be { seq: whole number ≥ 0, hash: 64 lowercase hex digits }; got ${JSON.stringify(point) ?? String(point)}`, {
      option: name,
    });
  }
}

/**
 * Checks that `entries` form an unbroken chain from the anchor (default: the
 * start of the log) and, when given, end at `expectedHead`; on failure names
 * the FIRST broken link (its list index and seq), why, and what was expected
 * and found. Never throws for damaged entries; throws INVALID_INPUT only for
 * unusable options or when `entries` is not an array.
 */
export function verifyAuditChain(entries: readonly AuditEntry[], options: VerifyAuditOptions = {}): AuditVerification {
  if (!Array.isArray(entries)) {
    throw new DomainError(ErrorCode.invalidInput, `verifyAuditChain needs a list of entries; got ${show(entries)}`, {});
  }
  checkPoint('anchor', options.anchor);
  checkPoint('expectedHead', options.expectedHead);
  const base = options.firstIndex ?? 0;
  if (!Number.isSafeInteger(base) || base < 0) {
    throw new DomainError(ErrorCode.invalidInput, `verifyAuditChain: firstIndex must be a whole number ≥ 0; got ${JSON.stringify(options.firstIndex)}`, { option: 'firstIndex' });
  }
  const anchor = options.anchor ?? { seq: 0, hash: GENESIS_HASH };
  const head = options.expectedHead;
  if (head !== undefined && (head.seq < anchor.seq || (head.seq === anchor.seq && head.hash !== anchor.hash))) {
    throw new DomainError(
      ErrorCode.invalidInput,
      `verifyAuditChain: expectedHead (seq ${head.seq}) cannot come before the anchor (seq ${anchor.seq}), nor differ from it at the same seq`,
      { anchor, expectedHead: head },
    );
  }
  const start = anchor.seq === 0 && anchor.hash === GENESIS_HASH ? 'the start of the log' : `the anchor entry seq ${anchor.seq}`;

  let prevSeq = anchor.seq;
  let prevHash = anchor.hash;
  let prevAt: number | null = null;
  let prevName = start;
  const fail = (index: number, seq: number | null, reason: AuditBreakReason, message: string): AuditVerification => ({
    ok: false,
    brokenAt: { index: index + base, seq },
    reason,
    message,
  });

  for (let index = 0; index < entries.length; index++) {
    const raw: unknown = entries[index];
    const problem = entryProblem(raw);
    if (problem) {
      const seq = readableSeq(raw);
      return fail(
        index,
        seq,
        'malformed-entry',
        `The entry at list index ${index + base}${seq === null ? '' : ` (seq ${seq})`} is malformed: its ${problem.field} ${problem.why}. The stored log is damaged or was written by something other than the audit log.`,
      );
    }
    const e = raw as AuditEntry;
    const name = `entry seq ${e.seq} (list index ${index + base})`;
    const Name = `Entry seq ${e.seq} (list index ${index + base})`;
    const recomputed = auditEntryHash(e);
    if (recomputed !== e.hash) {
      return fail(index, e.seq, 'hash-mismatch', `${Name} was altered after it was written: its content hashes to ${recomputed}, but its stored hash is ${e.hash}.`);
    }
    const expectedSeq = prevSeq + 1;
    if (e.seq < expectedSeq) {
      return fail(
        index,
        e.seq,
        'seq-not-increasing',
        `${Name} comes after ${prevName}, so seq ${expectedSeq} was expected; a seq that does not increase means an entry was inserted, replayed or moved.`,
      );
    }
    if (e.seq > expectedSeq) {
      const missing = e.seq - expectedSeq;
      return fail(
        index,
        e.seq,
        'seq-gap',
        `${Name} comes after ${prevName}, so seq ${expectedSeq} was expected: ${missing === 1 ? `entry seq ${expectedSeq} is` : `${missing} entries (seq ${expectedSeq} to ${e.seq - 1}) are`} missing — deleted, or the list was reordered.`,
      );
    }
    if (e.prevHash !== prevHash) {
      return fail(
        index,
        e.seq,
        'prev-hash-mismatch',
        `${Name} records ${e.prevHash} as the hash of the entry before it, but ${prevName} has hash ${prevHash}: one of the two was replaced, or forged with a recomputed hash.`,
      );
    }
    if (prevAt !== null && e.at < prevAt) {
      return fail(
        index,
        e.seq,
        'time-went-backwards',
        `${Name} is dated ${when(e.at)}, earlier than ${prevName} dated ${when(prevAt)}; entries are written in time order, so this one was forged or moved.`,
      );
    }
    prevSeq = e.seq;
    prevHash = e.hash;
    prevAt = e.at;
    prevName = name;
  }

  if (head !== undefined) {
    // Every entry is now known to be in place: entries[i].seq === anchor.seq + i + 1.
    const headIndex = head.seq - anchor.seq - 1;
    if (headIndex >= entries.length) {
      const missing = head.seq - prevSeq;
      return fail(
        entries.length,
        prevSeq + 1,
        'head-mismatch',
        `The entries end at ${entries.length === 0 ? `${start}, with none after it` : `seq ${prevSeq}`} (hash ${prevHash}), but the recorded head is seq ${head.seq} (hash ${head.hash}): ${missing === 1 ? `the last entry (seq ${head.seq}) is` : `the last ${missing} entries (seq ${prevSeq + 1} to ${head.seq}) are`} missing — the log was cut off.`,
      );
    }
    const headEntry = headIndex >= 0 ? entries[headIndex] : undefined;
    if (headEntry !== undefined && headEntry.hash !== head.hash) {
      return fail(
        headIndex,
        head.seq,
        'head-mismatch',
        `Entry seq ${head.seq} (list index ${headIndex + base}) has hash ${headEntry.hash}, but the recorded head says seq ${head.seq} has hash ${head.hash}: the log up to this entry was rewritten with recomputed hashes.`,
      );
    }
    if (headIndex < entries.length - 1) {
      return fail(
        headIndex + 1,
        head.seq + 1,
        'head-mismatch',
        `Entry seq ${head.seq + 1} (list index ${headIndex + 1 + base}) and any after it come after the recorded head (seq ${head.seq}, hash ${head.hash}): they were appended without updating the head, or the head given is out of date.`,
      );
    }
  }
  return { ok: true, count: entries.length, lastSeq: prevSeq, lastHash: prevHash };
}
