import type { KvStore } from '../ports';

/** Every value under a prefix, following cursors page by page (100 a page). */
export async function queryAll<T>(kv: KvStore, prefix: string): Promise<{ key: string; value: T }[]> {
  const out: { key: string; value: T }[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.query<T>(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
