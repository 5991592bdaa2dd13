import { Queue, RateLimitError } from '@forge/events';
import { QueueRateLimitedError, type EventQueue, type QueuedEvent } from '../ports';

/**
 * EventQueue over a Forge async-events queue. A concurrency key becomes
 * Forge's `concurrency: { key, limit: 1 }`: one event per key at a time,
 * across every queue of the installation. Forge's 500-events-a-minute refusal
 * becomes QueueRateLimitedError, which consumers turn into a retry.
 */
export function forgeQueue(key: string, make: (key: string) => Pick<Queue, 'push'> = (k) => new Queue({ key: k })): EventQueue {
  const queue = make(key);
  return {
    async push(events: readonly QueuedEvent[]) {
      try {
        await queue.push(
          events.map((e) => ({
            body: e.body as Record<string, unknown>,
            ...(e.delaySeconds ? { delayInSeconds: e.delaySeconds } : {}),
            ...(e.concurrencyKey ? { concurrency: { key: e.concurrencyKey, limit: 1 } } : {}),
          })),
        );
      } catch (e) {
        if (e instanceof RateLimitError) throw new QueueRateLimitedError(key);
        throw e;
      }
    },
  };
}
