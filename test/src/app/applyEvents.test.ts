import { workedOn } from '../../support/workedOn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorklogChange } from '../../../src/app/applyWorklogChanges';
import { APPLY_SHARDS, applyConcurrencyKey, applyEvents, applyShard, CHANGES_PER_APPLY_EVENT, type ApplyEvent, type IngestEvent } from '../../../src/app/events';
import { handleApplyEvent, handleIngestEvent, type PipelineDeps } from '../../../src/app/handleEvents';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { QueueRateLimitedError, type EventQueue, type QueuedEvent } from '../../../src/ports';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';

const del = (id: number): WorklogChange => ({ kind: 'delete', id: String(id), at: id });
const bodyOf = (e: QueuedEvent) => e.body as unknown as ApplyEvent;

/** A queue shared by the installation that refuses more than 500 events in a minute of the clock, as Forge does. */
function limitedQueue(clock: { now(): number }) {
  const pushed: QueuedEvent[] = [];
  let pushes = 0;
  let minute = -1;
  let inMinute = 0;
  const queue: EventQueue = {
    async push(events) {
      const m = Math.floor(clock.now() / 60_000);
      if (m !== minute) [minute, inMinute] = [m, 0];
      if (inMinute + events.length > 500) throw new QueueRateLimitedError('apply');
      inMinute += events.length;
      pushes++;
      pushed.push(...events);
    },
  };
  return { queue, pushed, pushes: () => pushes };
}

describe('apply events: sharded by person', () => {
  it('a person always lands in the same one of the shards', () => {
    expect(applyShard('557058:f58131cb')).toBe(applyShard('557058:f58131cb'));
    const shards = new Set(Array.from({ length: 2000 }, (_, i) => applyShard(`557058:person-${i}`)));
    expect(shards.size).toBe(APPLY_SHARDS); // and 2,000 people use every shard
    expect([...shards].every((s) => Number.isInteger(s) && s >= 0 && s < APPLY_SHARDS)).toBe(true);
  });

  it('every change lands once, in order per person, in an event keyed by its person’s shard, at most 200 changes an event', () => {
    const people = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 60 });
    fc.assert(
      fc.property(people, fc.array(fc.nat(450), { minLength: 60, maxLength: 60 }), (ids, counts) => {
        let next = 1;
        const byPerson = new Map(ids.map((p, i) => [p, Array.from({ length: counts[i]! }, () => del(next++))]));
        const events = applyEvents(byPerson);
        const seen = new Map<string, WorklogChange[]>();
        for (const e of events) {
          const body = bodyOf(e);
          expect(body.kind).toBe('apply');
          expect(body.people.reduce((n, p) => n + p.changes.length, 0)).toBeLessThanOrEqual(CHANGES_PER_APPLY_EVENT);
          for (const p of body.people) {
            expect(e.concurrencyKey).toBe(applyConcurrencyKey(p.personId));
            seen.set(p.personId, [...(seen.get(p.personId) ?? []), ...p.changes]);
          }
        }
        expect(seen).toEqual(new Map([...byPerson].filter(([, c]) => c.length > 0)));
        // No more events than the shards need: a shard's events are full except its last.
        const total = [...byPerson.values()].reduce((n, c) => n + c.length, 0);
        expect(events.length).toBeLessThanOrEqual(Math.ceil(total / CHANGES_PER_APPLY_EVENT) + APPLY_SHARDS);
      }),
      { numRuns: 200 },
    );
  });

  it('a batch of 1000 worklogs from 800 people is at most 16 apply events in one push, far under 500 events a minute', async () => {
    const now = Date.UTC(2026, 10, 2, 12);
    const clock = { now: () => now };
    const source = new FakeWorklogSource(clock.now, () => 1);
    const ids = Array.from({ length: 1000 }, (_, i) => 100_000 + i);
    for (const [i, id] of ids.entries()) {
      source.worklogs.set(String(id), { id: String(id), authorId: `acc-${i % 800}`, issueId: '1', started: now - 86_400_000, seconds: 3600, updated: now - 3_600_000 });
    }
    const kv = new MemoryKvStore(clock);
    const { queue, pushed, pushes } = limitedQueue(clock);
    const deps: PipelineDeps = { kv, source, applyQueue: queue, clock };
    expect(await handleIngestEvent(deps, { kind: 'worklog-ids', ids } satisfies IngestEvent)).toBeUndefined();
    expect(pushed.length).toBeLessThanOrEqual(APPLY_SHARDS);
    expect(pushes()).toBe(1);
    expect(new Set(pushed.flatMap((e) => bodyOf(e).people.map((p) => p.personId))).size).toBe(800);

    // And applied, every person's day holds their time.
    for (const e of pushed) await handleApplyEvent(deps, bodyOf(e));
    expect(await workedOn(kv, 'acc-0', '2026-11-01')).toBe(2 * 3600);
    expect(await workedOn(kv, 'acc-799', '2026-11-01')).toBe(3600);
  });

  it('a queue that refuses the push (too many events this minute) makes the ingest ask for a retry in 60 s', async () => {
    const now = Date.UTC(2026, 10, 2, 12);
    const clock = { now: () => now };
    const source = new FakeWorklogSource(clock.now, () => 1);
    source.worklogs.set('7', { id: '7', authorId: 'acc-1', issueId: '1', started: now, seconds: 60, updated: now });
    const refusing: EventQueue = { push: () => Promise.reject(new QueueRateLimitedError('apply')) };
    const deps: PipelineDeps = { kv: new MemoryKvStore(clock), source, applyQueue: refusing, clock };
    expect(await handleIngestEvent(deps, { kind: 'worklog-ids', ids: [7] })).toEqual({ retry: true, afterSeconds: 60, reason: 'rate-limited' });
  });
});
