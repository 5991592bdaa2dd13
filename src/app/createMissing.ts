import { KvConflictError, type KvStore, type Stored } from '../ports';

/** Keys per KVS batch read and per transaction. */
const KV_BATCH = 25;

/**
 * Creates the keys that do not exist yet and leaves the others as they are:
 * markers written once and kept (tombstones). Per 25 keys, one batch read and
 * one transaction for the missing ones: a transaction counts as one write
 * against KVS's 4,000 writes a minute, where a create-only write per key would
 * count 25, and it is one round trip instead of 25.
 *
 * KVS has no create-only write inside a transaction (conditions are for
 * entities only), so a key another writer creates between the read and the
 * transaction gets this value instead of its own. Write only markers whose
 * values mean the same to every writer this way: a tombstone's `at` is one
 * instant of the same final deletion, and nothing counts differently on it.
 * A lone missing key is written create-only: the same cost, and no window.
 * Every key exists when this resolves.
 */
export async function createMissing(kv: KvStore, entries: readonly { readonly key: string; readonly value: Stored }[]): Promise<void> {
  const unique = [...new Map(entries.map((e) => [e.key, e.value])).entries()];
  for (let i = 0; i < unique.length; i += KV_BATCH) {
    const group = unique.slice(i, i + KV_BATCH);
    const existing = group.length === 1 ? new Map<string, unknown>() : await kv.getMany(group.map(([key]) => key));
    const missing = group.filter(([key]) => !existing.has(key));
    if (missing.length === 1) {
      try {
        await kv.set(missing[0]![0], missing[0]![1], { ifAbsent: true });
      } catch (e) {
        if (!(e instanceof KvConflictError)) throw e;
      }
    } else if (missing.length > 1) await kv.transact(missing.map(([key, value]) => ({ kind: 'set' as const, key, value })));
  }
}
