import type { EventQueue, QueuedEvent } from '../ports';

/** Forge's limits per push: 50 events and 200 KB together; we stay a little under. */
export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_BYTES_PER_PUSH = 180 * 1024;

/** Pushes any number of events in as few pushes as the platform limits allow. */
export async function pushInChunks(queue: EventQueue, events: readonly QueuedEvent[]): Promise<number> {
  let pushes = 0;
  let chunk: QueuedEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if (chunk.length > 0 && (chunk.length === MAX_EVENTS_PER_PUSH || bytes + size > MAX_BYTES_PER_PUSH)) {
      await queue.push(chunk);
      pushes++;
      chunk = [];
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length > 0) {
    await queue.push(chunk);
    pushes++;
  }
  return pushes;
}
