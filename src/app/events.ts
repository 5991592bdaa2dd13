import type { QueuedEvent } from '../ports';
import type { WorklogChange } from './applyWorklogChanges';

/**
 * The bodies of the app's queue events. They carry ids and small worklog
 * records only, never reports, so they stay far below the 100 KB an event of
 * a long-running consumer may have.
 */
export type IngestEvent =
  /** Fetch these worklogs from the source and route each to its author's apply queue. */
  | {
      readonly kind: 'worklog-ids';
      readonly ids: readonly number[];
      /** The version (Jira's updated time) per id, when known: ids already applied at it are not fetched again, and one the source no longer returns is marked hidden from it on. */
      readonly times?: readonly number[];
      readonly batch?: string;
    }
  /** These worklogs were deleted (at the given instants). */
  | { readonly kind: 'deleted'; readonly items: readonly { readonly id: number; readonly at: number }[]; readonly batch?: string }
  /** An issue was deleted: remove all of its worklogs. */
  | { readonly kind: 'issue-deleted'; readonly issueId: string; readonly at: number };

/** One person's changes within an apply event. */
export interface PersonChanges {
  readonly personId: string;
  readonly changes: readonly WorklogChange[];
}

/**
 * Changes for the people of one apply shard. Every person always falls in the
 * same shard, and a shard's events run one at a time (its concurrency key), so
 * each person's index of worklogs has one writer. Sharding, not a key per person,
 * because one ingest batch of 1000 worklogs may touch 800 people: an event
 * each would exceed Forge's 500 events a minute on its own.
 */
export interface ApplyEvent {
  readonly kind: 'apply';
  readonly people: readonly PersonChanges[];
}

/** How many apply shards: at most this many apply events per ingest batch, and this many apply consumers at once. */
export const APPLY_SHARDS = 16;

/** The shard of a person: FNV-1a of the account id, so it never changes. */
export function applyShard(personId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) {
    hash ^= personId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % APPLY_SHARDS;
}

const shardKey = (shard: number) => `apply-shard-${shard}`;
export const applyConcurrencyKey = (personId: string) => shardKey(applyShard(personId));

/** Worklog changes per apply event: about 250 bytes each, so an event stays near 50 KB. */
export const CHANGES_PER_APPLY_EVENT = 200;

/** Apply events for the changes, grouped by shard (each event ≤ CHANGES_PER_APPLY_EVENT changes, a person's changes in order). */
export function applyEvents(byPerson: ReadonlyMap<string, readonly WorklogChange[]>): QueuedEvent[] {
  const byShard = new Map<number, PersonChanges[]>();
  for (const [personId, changes] of byPerson) {
    if (changes.length === 0) continue;
    const shard = applyShard(personId);
    const people = byShard.get(shard);
    if (people) people.push({ personId, changes });
    else byShard.set(shard, [{ personId, changes }]);
  }
  const events: QueuedEvent[] = [];
  for (const [shard, people] of [...byShard].sort((a, b) => a[0] - b[0])) {
    let current: PersonChanges[] = [];
    let size = 0;
    const flush = () => {
      if (current.length === 0) return;
      const body: ApplyEvent = { kind: 'apply', people: current };
      events.push({ body: body as unknown as QueuedEvent['body'], concurrencyKey: shardKey(shard) });
      current = [];
      size = 0;
    };
    for (const person of people) {
      for (let i = 0; i < person.changes.length; ) {
        const take = Math.min(CHANGES_PER_APPLY_EVENT - size, person.changes.length - i);
        current.push({ personId: person.personId, changes: person.changes.slice(i, i + take) });
        size += take;
        i += take;
        if (size === CHANGES_PER_APPLY_EVENT) flush();
      }
    }
    flush();
  }
  return events;
}
