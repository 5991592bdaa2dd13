import { QueueRateLimitedError, type Clock, type EventQueue } from '../ports';

/**
 * A queue that waits out the platform's refusals (500 events a minute per
 * installation) while the caller's deadline allows, and pushes the same events
 * again: a push is all or nothing, so nothing is pushed twice. A wait that
 * would reach the deadline is not started; the refusal is thrown instead, for
 * the caller to save where it got to.
 */
export function pacedQueue(queue: EventQueue, clock: Clock, sleep: (ms: number) => Promise<void>, deadline: number): EventQueue {
  return {
    async push(events) {
      for (;;) {
        try {
          return await queue.push(events);
        } catch (e) {
          if (!(e instanceof QueueRateLimitedError)) throw e;
          const waitMs = e.retryAfterSeconds * 1000;
          if (clock.now() + waitMs >= deadline) throw e;
          await sleep(waitMs);
        }
      }
    },
  };
}
