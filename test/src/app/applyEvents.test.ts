import { workedOn } from '../../support/workedOn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorklogChange } from '../../../src/app/applyWorklogChanges';
import { APPLY_SHARDS, applyConcurrencyKey, applyEvents, applyShard, CHANGES_PER_APPLY_EVENT, type ApplyEvent, type IngestEvent } from '../../../src/app/events';
import { handleApplyEvent, handleIngestEvent, type PipelineDeps } from '../../../src/app/handleEvents';
import { readSyncProgress } from '../../../src/app/importProgress';
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

describe('apply events: one person’s failure holds back no one else', () => {
  const clock = { now: () => Date.UTC(2026, 10, 3) };
  const upsert = (personId: string, id: number, startMinute: number): WorklogChange => ({
    kind: 'upsert',
    worklog: { id: String(id), source: 'jira', authorId: personId, issueId: '1', started: Date.UTC(2026, 10, 2) + startMinute * 60_000, seconds: 60, updated: 1 },
  });

  it('changes that exceed a storage limit are recorded for sync/progress and not retried, and the others of the event are applied', async () => {
    const kv = new MemoryKvStore(clock);
    // An automated account whose day already holds nearly as many worklogs as one stored value can (240 KiB).
    const day = Date.UTC(2026, 10, 2);
    const full = Object.fromEntries(Array.from({ length: 5_500 }, (_, i) => [String(20_000_000 + i), [day + (i % 1440) * 60_000, 60, 1_793_600_000_000]]));
    await kv.set(keys.day('557058:bot', '2026-11-02'), full);
    const bot = Array.from({ length: 300 }, (_, i) => upsert('557058:bot', 10_000_000 + i, i));
    const event: ApplyEvent = { kind: 'apply', people: [{ personId: '557058:bot', changes: bot }, { personId: 'acc-a', changes: [upsert('acc-a', 1, 480)] }, { personId: 'acc-b', changes: [upsert('acc-b', 2, 600)] }] };
    expect(await handleApplyEvent({ kv, clock }, event)).toBeUndefined();
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(60);
    expect(await workedOn(kv, 'acc-b', '2026-11-02')).toBe(60);
    const progress = await readSyncProgress(kv, { now: clock.now() });
    expect(progress.applyErrors).toEqual([{ personId: '557058:bot', at: clock.now(), message: expect.stringMatching(/300 worklog change\(s\) of 557058:bot could not be stored and are not counted: .*245760/) }]);
    // What fitted is counted, consistently: every worklog stored is on its shelf and nothing else is.
    const stored = await workedOn(kv, '557058:bot', '2026-11-02');
    expect(stored % 60).toBe(0);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(5_800 * 60);
  });

  it('a passing failure of one person still applies the others, then the retried event applies the rest and changes no one twice', async () => {
    const kv = new MemoryKvStore(clock);
    let failures = 1;
    const flaky = new Proxy(kv, {
      get(target, prop, receiver) {
        if (prop === 'transact') {
          return async (ops: Parameters<MemoryKvStore['transact']>[0]) => {
            if (failures > 0 && ops.some((o) => o.key.includes('acc-a'))) {
              failures--;
              throw new Error('storage unavailable');
            }
            return target.transact(ops);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const event: ApplyEvent = { kind: 'apply', people: [{ personId: 'acc-a', changes: [upsert('acc-a', 1, 480)] }, { personId: 'acc-b', changes: [upsert('acc-b', 2, 600)] }] };
    await expect(handleApplyEvent({ kv: flaky, clock }, event)).rejects.toThrow('storage unavailable');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    expect(await workedOn(kv, 'acc-b', '2026-11-02')).toBe(60);
    expect(await handleApplyEvent({ kv: flaky, clock }, event)).toBeUndefined();
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(60);
    expect(await workedOn(kv, 'acc-b', '2026-11-02')).toBe(60);
    expect((await readSyncProgress(kv, { now: clock.now() })).applyErrors).toEqual([]);
  });
});
