import { createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import type { Clock, KvOperation, KvStore } from '../ports';
import { withMutex } from './mutex';
import { keys } from './storageKeys';

/**
 * Pseudonyms: how the audit log and snapshots name people, so that erasing a closed account leaves
 * the hash chain and every snapshot whole.
 *
 *   pseudonymsFor(kv)                 → Pseudonyms   the site's key, read (or made, once) from KVS secrets
 *   pseudonyms.of(accountId)          → "u-<24 hex>" an HMAC-SHA256 of the account id under the site's key
 *   pseudonyms.hide(value, ids)       → value        every occurrence of those ids replaced by their pseudonyms
 *   registerPeople(kv, ps, ids, at)                   the erasable mapping pseudonym → account id (the people registry)
 *   revealPeople(kv, pseudonyms)      → Map          pseudonym → account id, or null once erased
 *
 * The mapping `person#<pseudonym>` is the only link from a pseudonym back to a person. It is also the
 * registry of everyone the app keeps data about, with when it last stored some (privacy reporting reads
 * it). Without the key (KVS secrets) nobody can compute a pseudonym from an account id, so an erased
 * person's entries cannot be found again by guessing.
 */

export const PSEUDONYM_KEY_SECRET = 'privacy-pseudonym-key';
/** What an entry shows for a pseudonym whose mapping was erased. */
export const ERASED_USER = 'erased user';
export const PSEUDONYM_PATTERN = /\bu-[0-9a-f]{24}\b/g;
/** A stored registry record is refreshed at most this often: reporting needs the day, not the second. */
const REFRESH_MS = 86_400_000;
/** Making the key is two storage calls; a maker that died is given up after this. */
const KEY_HOLD_MS = 10_000;
/** Reads of the secret while another caller makes the key: about 70 s in all, well past a dead maker's hold. */
const MAX_KEY_WAITS = 150;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A registry record: who the pseudonym stands for, and when the app last stored data about them. */
export interface PersonRecord {
  readonly accountId: string;
  /** Epoch ms. */
  readonly updatedAt: number;
}

export interface Pseudonyms {
  of(accountId: string): string;
  /** Another identifier that could be traced back to a person (an absence id is a hash of the person and dates), keyed the same way: `<prefix>-<20 hex>`. */
  keyed(prefix: string, value: string): string;
  /** `value` (JSON) with every occurrence of an id of `ids`, as a whole token, replaced by its pseudonym. */
  hide<T>(value: T, ids: Iterable<string>): T;
}

/** Characters an account id is made of: an occurrence must not touch another of them on either side. */
const ID_CHAR = 'A-Za-z0-9:_\\-';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceInJson(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => replaceInJson(v, replace));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), replaceInJson(v, replace)]));
  return value;
}

function pseudonymsWith(key: string): Pseudonyms {
  const cache = new Map<string, string>();
  const of = (accountId: string) => {
    let p = cache.get(accountId);
    if (p === undefined) {
      p = `u-${createHmac('sha256', key).update(accountId, 'utf8').digest('hex').slice(0, 24)}`;
      cache.set(accountId, p);
    }
    return p;
  };
  return {
    of,
    keyed: (prefix, value) => `${prefix}-${createHmac('sha256', key).update(`${prefix}:${value}`, 'utf8').digest('hex').slice(0, 20)}`,
    hide<T>(value: T, ids: Iterable<string>): T {
      const list = [...new Set(ids)].filter((id) => id !== '').sort((a, b) => b.length - a.length);
      if (list.length === 0) return value;
      const pattern = new RegExp(`(?<![${ID_CHAR}])(?:${list.map(escape).join('|')})(?![${ID_CHAR}])`, 'g');
      return replaceInJson(value, (s) => s.replace(pattern, (id) => of(id))) as T;
    },
  };
}

/**
 * The site's pseudonyms. The key is made once per site and kept in KVS secrets. Secrets have no
 * create-only write, so the maker holds a mutex, and everyone else reads the secret again until it is
 * there (a maker that died is taken over when its hold expires).
 */
export async function pseudonymsFor(kv: KvStore, options: { readonly clock?: Clock; readonly sleep?: (ms: number) => Promise<void> } = {}): Promise<Pseudonyms> {
  // The key never changes once made: read it once per store, not on every audit entry and apply event.
  const known = madeFor.get(kv);
  if (known) return known;
  const made = await readOrMakeKey(kv, options);
  madeFor.set(kv, made);
  return made;
}

const madeFor = new WeakMap<KvStore, Pseudonyms>();

async function readOrMakeKey(kv: KvStore, options: { readonly clock?: Clock; readonly sleep?: (ms: number) => Promise<void> }): Promise<Pseudonyms> {
  const clock = options.clock ?? { now: () => Date.now() };
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    const key = await kv.getSecret(PSEUDONYM_KEY_SECRET);
    if (key !== undefined) return pseudonymsWith(key);
    try {
      const made = await withMutex({ kv, clock }, 'privacy-key', { what: 'making the pseudonym key', waitMs: 0, holdMs: KEY_HOLD_MS }, async () => {
        const again = await kv.getSecret(PSEUDONYM_KEY_SECRET);
        if (again !== undefined) return again;
        const fresh = randomBytes(32).toString('hex');
        await kv.setSecret(PSEUDONYM_KEY_SECRET, fresh);
        return fresh;
      });
      return pseudonymsWith(made);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'MUTEX_BUSY') || attempt >= MAX_KEY_WAITS) throw e;
    }
    await sleep(Math.min(10 * 2 ** attempt, 500));
  }
}

/** Records (or refreshes, at most daily) that the app keeps data about these people, as of `at`. */
export async function registerPeople(kv: KvStore, pseudonyms: Pseudonyms, accountIds: Iterable<string>, at: number): Promise<void> {
  const ids = [...new Set(accountIds)].filter((id) => id !== '');
  for (let i = 0; i < ids.length; i += 25) {
    const batch = ids.slice(i, i + 25);
    const recordKeys = batch.map((id) => keys.person(pseudonyms.of(id)));
    const stored = await kv.getMany<PersonRecord>(recordKeys);
    const ops: KvOperation[] = [];
    batch.forEach((accountId, k) => {
      const known = stored.get(recordKeys[k]!);
      if (known === undefined || at - known.updatedAt >= REFRESH_MS) ops.push({ kind: 'set', key: recordKeys[k]!, value: { accountId, updatedAt: at } satisfies PersonRecord });
    });
    if (ops.length > 0) await kv.transact(ops);
  }
}

/** The account id behind each pseudonym, or null when it was erased (or never registered). */
export async function revealPeople(kv: KvStore, pseudonyms: Iterable<string>): Promise<Map<string, string | null>> {
  const list = [...new Set(pseudonyms)];
  const out = new Map<string, string | null>();
  for (let i = 0; i < list.length; i += 25) {
    const batch = list.slice(i, i + 25);
    const found = await kv.getMany<PersonRecord>(batch.map((p) => keys.person(p)));
    for (const p of batch) out.set(p, found.get(keys.person(p))?.accountId ?? null);
  }
  return out;
}

/** Tokens looked up per entry at most: free text is short; a longer list is a list of ids, which callers name as people. */
const MAX_TEXT_TOKENS = 200;

/**
 * The account ids of registered people that occur as whole tokens in the strings of `value` (free text
 * such as a reason or a note), other than those in `known`: each is looked up in the registry by its
 * pseudonym, so only real people match, never a word or a date.
 */
export async function registeredIn(kv: KvStore, pseudonyms: Pseudonyms, value: unknown, known: readonly string[]): Promise<string[]> {
  const skip = new Set(known);
  const tokens = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const t of v.split(/[^A-Za-z0-9:_-]+/)) {
        if (t.length >= 3 && /[A-Za-z]/.test(t) && !skip.has(t) && !/^u-[0-9a-f]{24}$/.test(t)) tokens.add(t);
      }
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (typeof v === 'object' && v !== null) {
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  const candidates = [...tokens].slice(0, MAX_TEXT_TOKENS);
  if (candidates.length === 0) return [];
  const found = await revealPeople(kv, candidates.map((t) => pseudonyms.of(t)));
  return candidates.filter((t) => found.get(pseudonyms.of(t)) === t);
}

/** Who each pseudonym is, as an answer shows it: the account id, or "erased user". */
export async function peopleNamed(kv: KvStore, value: unknown): Promise<Record<string, string>> {
  const found = await revealPeople(kv, pseudonymsIn(value));
  return Object.fromEntries([...found].map(([p, id]) => [p, id ?? ERASED_USER]));
}

/** Every pseudonym that occurs in `value` (JSON). */
export function pseudonymsIn(value: unknown): Set<string> {
  return new Set(JSON.stringify(value).match(PSEUDONYM_PATTERN) ?? []);
}
