import { Queue } from '@forge/events';
import type { EventQueue, QueuedEvent } from '../ports.ts';

/**
 * EventQueue over a Forge async-events queue. A concurrency key becomes
 * Forge's `concurrency: { key, limit: 1 }`: one event per key at a time,
 * across every queue of the installation.
 */
export function forgeQueue(key: string, make: (key: string) => Pick<Queue, 'push'> = (k) => new Queue({ key: k })): EventQueue {
  const queue = make(key);
  return {
    async push(events: readonly QueuedEvent[]) {
      await queue.push(
        events.map((e) => ({
          body: e.body as Record<string, unknown>,
          ...(e.delaySeconds ? { delayInSeconds: e.delaySeconds } : {}),
          ...(e.concurrencyKey ? { concurrency: { key: e.concurrencyKey, limit: 1 } } : {}),
        })),
      );
    },
  };
}
