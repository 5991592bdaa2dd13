/**
 * Keeps resolver calls under the bridge's own rate limit. @forge/bridge's invoke refuses (throws)
 * once 500 calls started within 25 s in the frame; a big team or "Everyone" can ask for more than
 * that. Calls over the pace wait their turn, in the order asked, instead of failing.
 */
import type { Transport } from './resolverClient';

export interface Pace {
  /** At most this many calls start within any `windowMs`. */
  readonly max: number;
  readonly windowMs: number;
}

/** Under the bridge's 500 per 25 s, with room for its window being counted from its own first call. */
export const BRIDGE_PACE: Pace = { max: 450, windowMs: 26_000 };

/**
 * `onHeld(n)`: told how many calls wait for the pace whenever that changes while some do (and 0 when
 * the last has gone), so the page can say why it is slow instead of only "Loading…".
 */
export function pacedTransport(
  transport: Transport,
  pace: Pace = BRIDGE_PACE,
  now: () => number = () => Date.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  onHeld: (waiting: number) => void = () => undefined,
): Transport {
  if (!Number.isInteger(pace.max) || pace.max < 1 || !(pace.windowMs > 0)) throw new RangeError(`pacedTransport: max must be a whole number ≥ 1 and windowMs above 0; got ${JSON.stringify(pace)}`);
  const starts: number[] = []; // the last `max` start times, oldest first
  let turn: Promise<void> = Promise.resolve(); // calls take their turn to start one after another: first asked, first sent
  let pending = 0; // asked, not yet started
  let held = false; // whether onHeld has been told that calls wait

  const waitForSlot = async () => {
    for (;;) {
      if (starts.length < pace.max) break;
      const freeAt = starts[0]! + pace.windowMs;
      const t = now();
      if (t >= freeAt) {
        starts.shift();
        continue;
      }
      held = true;
      onHeld(pending);
      await sleep(freeAt - t);
    }
    starts.push(now());
    pending--;
    if (held) {
      onHeld(pending);
      held = pending > 0;
    }
  };

  return (name, payload) => {
    pending++;
    const slot = turn.then(waitForSlot);
    turn = slot;
    return slot.then(() => transport(name, payload));
  };
}
