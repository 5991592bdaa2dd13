/**
 * How many resolver calls wait for the bridge's pace (the Forge build: pacedTransport's onHeld), kept
 * where the page can show it: a tiny store React reads with useSyncExternalStore.
 */
export interface HeldCalls {
  set(waiting: number): void;
  get(): number;
  subscribe(listener: () => void): () => void;
}

export function createHeldCalls(): HeldCalls {
  let waiting = 0;
  const listeners = new Set<() => void>();
  return {
    set(n) {
      if (n === waiting) return;
      waiting = n;
      for (const l of listeners) l();
    },
    get: () => waiting,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
