/**
 * Runs `task` over `items` with at most `limit` running at once, reporting each finished item, so a
 * team of hundreds does not fire hundreds of resolver calls together (Forge and KVS rate limits).
 * Results keep the items' order; a failed item is its error, not a failure of the whole.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function mapBounded<I, T>(
  items: readonly I[],
  limit: number,
  task: (item: I) => Promise<T>,
  onSettled: (index: number, result: Settled<T>) => void = () => undefined,
  isCancelled: () => boolean = () => false,
): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !isCancelled()) {
      const index = next++;
      let result: Settled<T>;
      try {
        result = { ok: true, value: await task(items[index]!) };
      } catch (error) {
        result = { ok: false, error };
      }
      results[index] = result;
      if (!isCancelled()) onSettled(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
