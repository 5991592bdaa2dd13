import type { Clock, Directory, KvStore } from '../ports';
import { keys } from './storageKeys';

/** What the cache keeps of a person: whether Jira knows the account, and its zone (null when Jira gives none). */
type CachedUser = { readonly known: true; readonly timeZone: string | null; readonly fetchedAt: number } | { readonly known: false; readonly fetchedAt: number };

/** How long a person's zone from Jira is trusted before asking again. */
export const USER_CACHE_SECONDS = 86_400;
/**
 * How long "Jira does not know this account" is trusted: briefly, so that a
 * new account is found soon, yet long enough that a caller repeating a
 * request about an unknown account does not send Jira one lookup each time.
 */
export const UNKNOWN_USER_CACHE_SECONDS = 600;

type Deps = { kv: KvStore; directory: Directory; clock: Clock };

/**
 * The people Jira knows among these accounts, with their time zones (null
 * when Jira gives none); accounts Jira does not know are left out. From the
 * cache when fresh, else from Jira (one bulk call for all the missing ones).
 */
export async function knownPersonZones(deps: Deps, accountIds: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(accountIds)];
  const out = new Map<string, string | null>();
  const settled = new Set<string>();
  const now = deps.clock.now();
  for (let i = 0; i < unique.length; i += 25) {
    const chunk = unique.slice(i, i + 25);
    const cached = await deps.kv.getMany<CachedUser>(chunk.map(keys.user));
    for (const id of chunk) {
      const hit = cached.get(keys.user(id));
      if (!hit || now - hit.fetchedAt >= (hit.known ? USER_CACHE_SECONDS : UNKNOWN_USER_CACHE_SECONDS) * 1000) continue;
      settled.add(id);
      if (hit.known) out.set(id, hit.timeZone);
    }
  }
  const missing = unique.filter((id) => !settled.has(id));
  if (missing.length > 0) {
    const fetched = await deps.directory.timeZones(missing);
    for (const id of missing) {
      const known = fetched.has(id);
      const entry: CachedUser = known ? { known, timeZone: fetched.get(id) ?? null, fetchedAt: now } : { known, fetchedAt: now };
      if (known) out.set(id, fetched.get(id) ?? null);
      await deps.kv.set(keys.user(id), entry, { ttlSeconds: (known ? USER_CACHE_SECONDS : UNKNOWN_USER_CACHE_SECONDS) * 2 });
    }
  }
  return out;
}

/**
 * Time zones of people by account id, as knownPersonZones finds them, with
 * unknown accounts mapped to null, so the caller falls back to the site zone
 * and says so.
 */
export async function personZones(deps: Deps, accountIds: readonly string[]): Promise<Map<string, string | null>> {
  const known = await knownPersonZones(deps, accountIds);
  return new Map([...new Set(accountIds)].map((id) => [id, known.get(id) ?? null]));
}
