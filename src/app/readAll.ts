import type { KvStore } from '../ports';

/** Keys one getMany takes (KVS's batch limit). */
export const KV_BATCH = 25;
/** getMany calls in flight at once: a few, so a page reads quickly without bursting the read quota. */
export const PARALLEL_READS = 4;

/**
 * Reads keys in batches of 25, four batches at a time; the result has every requested key, `undefined`
 * where nothing is stored. Requests made: ceil(distinct keys / 25).
 */
export async function readAll<T = unknown>(kv: KvStore, wanted: Iterable<string>): Promise<Map<string, T | undefined>> {
  const unique = [...new Set(wanted)];
  const out = new Map<string, T | undefined>(unique.map((k) => [k, undefined]));
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += KV_BATCH) batches.push(unique.slice(i, i + KV_BATCH));
  for (let i = 0; i < batches.length; i += PARALLEL_READS) {
    const found = await Promise.all(batches.slice(i, i + PARALLEL_READS).map((b) => kv.getMany<T>(b)));
    for (const map of found) for (const [k, v] of map) out.set(k, v);
  }
  return out;
}
