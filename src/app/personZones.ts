import type { Clock, Directory, KvStore } from '../ports.ts';
import { keys } from './storageKeys.ts';

interface CachedUser {
  readonly timeZone: string | null;
  readonly fetchedAt: number;
}

/** How long a person's zone from Jira is trusted before asking again. */
export const USER_CACHE_SECONDS = 86_400;

/**
 * Time zones of people by account id, from the cache when fresh, else from
 * Jira (one bulk call for all the missing ones). Unknown accounts map to null,
 * so the caller falls back to the site zone and says so.
 */
export async function personZones(
  deps: { kv: KvStore; directory: Directory; clock: Clock },
  accountIds: readonly string[],
): Promise<Map<string, string | null>> {
  const unique = [...new Set(accountIds)];
  const out = new Map<string, string | null>();
  const now = deps.clock.now();
  for (let i = 0; i < unique.length; i += 25) {
    const chunk = unique.slice(i, i + 25);
    const cached = await deps.kv.getMany<{ timeZone: string | null; fetchedAt: number }>(chunk.map(keys.user));
    for (const id of chunk) {
      const hit = cached.get(keys.user(id)) as CachedUser | undefined;
      if (hit && now - hit.fetchedAt < USER_CACHE_SECONDS * 1000) out.set(id, hit.timeZone);
    }
  }
  const missing = unique.filter((id) => !out.has(id));
  if (missing.length > 0) {
    const fetched = await deps.directory.timeZones(missing);
    for (const id of missing) {
      const timeZone = fetched.get(id) ?? null;
      out.set(id, timeZone);
      await deps.kv.set(keys.user(id), { timeZone, fetchedAt: now }, { ttlSeconds: USER_CACHE_SECONDS * 2 });
    }
  }
  return out;
}
