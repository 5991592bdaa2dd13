import type { EventQueue, QueuedEvent } from '../../src/ports';

export interface Delivery {
  readonly queue: string;
  readonly event: QueuedEvent;
  /** Delivery attempts so far. */
  attempts: number;
}

/**
 * Queues whose deliveries the test schedules itself: any order, any
 * duplication, retries after failures. At-least-once, like Forge's.
 */
export class SimulatedQueues {
  readonly pending: Delivery[] = [];
  pushed = 0;

  queue(name: string): EventQueue {
    return {
      push: async (events) => {
        if (events.length === 0 || events.length > 50) throw new Error(`a push holds 1 to 50 events; got ${events.length}`);
        if (Buffer.byteLength(JSON.stringify(events)) > 200 * 1024) throw new Error('a push is limited to 200 KB');
        for (const event of events) {
          if (Buffer.byteLength(JSON.stringify(event.body)) > 100 * 1024) throw new Error('an event is limited to 100 KB');
          this.pending.push({ queue: name, event, attempts: 0 });
          this.pushed++;
        }
      },
    };
  }

  /** Takes the delivery at `index` (mod the queue length) out of the pending list. */
  take(index: number): Delivery | undefined {
    if (this.pending.length === 0) return undefined;
    return this.pending.splice(index % this.pending.length, 1)[0];
  }
}
