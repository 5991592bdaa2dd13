import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableQueues } from '../../../src/local/durableQueue';

function setup(file = ':memory:') {
  let now = 1_000_000;
  const clock = { now: () => now };
  const db = new Database(file);
  const queues = new DurableQueues(db, clock, { parallelism: 4 });
  return { db, queues, clock, advance: (ms: number) => (now += ms) };
}

describe('durable queue', () => {
  it('delivers every event once when consumers succeed', async () => {
    const { queues } = setup();
    const seen: unknown[] = [];
    queues.consume('q', async (body) => void seen.push(body.n));
    await queues.queue('q').push([{ body: { n: 1 } }, { body: { n: 2 } }]);
    await queues.drain();
    expect(seen.sort()).toEqual([1, 2]);
    expect(queues.stats()).toMatchObject({ pending: 0, delivered: 2 });
  });

  it('delivers a failed event again after a backoff, until it succeeds', async () => {
    const { queues, advance } = setup();
    let calls = 0;
    queues.consume('q', async () => {
      calls++;
      if (calls < 3) throw new Error('flaky');
    });
    await queues.queue('q').push([{ body: {} }]);
    await queues.drain();
    expect(calls).toBe(1);
    advance(2_000);
    await queues.drain();
    expect(calls).toBe(2);
    advance(3_000);
    await queues.drain();
    expect(calls).toBe(2); // the second backoff is 4 s
    advance(1_000);
    await queues.drain();
    expect(calls).toBe(3);
    expect(queues.stats()).toMatchObject({ pending: 0, delivered: 1, retried: 2 });
  });

  it('waits as long as a consumer asks before retrying (a 429)', async () => {
    const { queues, advance } = setup();
    let calls = 0;
    queues.consume('q', async () => (++calls === 1 ? { retry: true as const, afterSeconds: 30, reason: 'rate-limited' as const } : undefined));
    await queues.queue('q').push([{ body: {} }]);
    await queues.drain();
    advance(29_000);
    await queues.drain();
    expect(calls).toBe(1);
    advance(1_000);
    await queues.drain();
    expect(calls).toBe(2);
  });

  it('honours delays', async () => {
    const { queues, advance } = setup();
    let calls = 0;
    queues.consume('q', async () => void calls++);
    await queues.queue('q').push([{ body: {}, delaySeconds: 60 }]);
    await queues.drain();
    expect(calls).toBe(0);
    advance(60_000);
    await queues.drain();
    expect(calls).toBe(1);
  });

  it('runs events that share a concurrency key one at a time, others in parallel', async () => {
    const { queues } = setup();
    const active = new Map<string, number>();
    let maxSameKey = 0;
    let maxOverall = 0;
    let overall = 0;
    queues.consume('q', async (body) => {
      const key = body.key as string;
      active.set(key, (active.get(key) ?? 0) + 1);
      overall++;
      maxSameKey = Math.max(maxSameKey, active.get(key)!);
      maxOverall = Math.max(maxOverall, overall);
      await new Promise((r) => setTimeout(r, 5));
      active.set(key, active.get(key)! - 1);
      overall--;
    });
    await queues.queue('q').push(Array.from({ length: 12 }, (_, i) => ({ body: { key: `p${i % 3}` }, concurrencyKey: `p${i % 3}` })));
    await queues.drain();
    expect(maxSameKey).toBe(1);
    expect(maxOverall).toBe(3);
  });

  it('parks an event that keeps failing, instead of retrying forever', async () => {
    const { queues, advance } = setup();
    queues.consume('q', async () => {
      throw new Error('always');
    });
    await queues.queue('q').push([{ body: {} }]);
    for (let i = 0; i < 20; i++) {
      await queues.drain();
      advance(900_000);
    }
    expect(queues.stats()).toMatchObject({ pending: 0, dead: 1 });
  });

  it('refuses pushes over Forge’s limits, and stores nothing of them', async () => {
    const { queues } = setup();
    const q = queues.queue('q');
    await expect(q.push([])).rejects.toThrow(/1 to 50 events/);
    await expect(q.push(Array.from({ length: 51 }, () => ({ body: {} })))).rejects.toThrow(/1 to 50 events/);
    await expect(q.push([{ body: { big: 'x'.repeat(210 * 1024) } }])).rejects.toThrow(/limited to 204800 bytes/);
    await expect(q.push([{ body: {}, delaySeconds: 901 }])).rejects.toThrow(/delaySeconds must be 0–900/);
    expect(queues.stats().pending).toBe(0);
  });

  it('events in flight when the process stops are delivered after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'worktime-queue-')), 'q.sqlite');
    const first = setup(file);
    first.queues.consume('q', () => new Promise(() => undefined)); // the process "dies" mid-delivery
    await first.queues.queue('q').push([{ body: { n: 7 } }]);
    void first.queues.drain();
    await new Promise((r) => setTimeout(r, 20));
    first.queues.close();
    first.db.close();

    const second = setup(file);
    second.advance(16 * 60_000); // past the lease of the dead delivery
    const seen: unknown[] = [];
    second.queues.consume('q', async (body) => void seen.push(body.n));
    await second.queues.drain();
    expect(seen).toEqual([7]);
  });

  it('a restarted process releases at once what the dead one had claimed, without waiting out the lease', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'worktime-queue-')), 'q.sqlite');
    const first = setup(file);
    first.queues.consume('q', () => new Promise(() => undefined)); // the process "dies" mid-delivery
    await first.queues.queue('q').push([{ body: { n: 1 } }, { body: { n: 2 }, concurrencyKey: 'k' }, { body: { n: 3 }, delaySeconds: 60 }]);
    void first.queues.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect(first.queues.stats()).toMatchObject({ pending: 3, inFlight: 2 });
    first.queues.close();
    first.db.close();

    const second = setup(file);
    const seen: unknown[] = [];
    second.queues.consume('q', async (body) => void seen.push(body.n));
    await second.queues.drain();
    expect(seen).toEqual([]); // still within the dead process's lease
    expect(second.queues.releaseClaimsOfOtherOwners()).toBe(2);
    await second.queues.drain();
    expect(seen.sort()).toEqual([1, 2]);
    expect(second.queues.stats()).toMatchObject({ pending: 1, inFlight: 0 }); // the delayed event keeps its delay
  });

  it('releases nothing it holds itself', async () => {
    const { queues } = setup();
    queues.consume('q', () => new Promise(() => undefined));
    await queues.queue('q').push([{ body: {} }]);
    void queues.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect(queues.releaseClaimsOfOtherOwners()).toBe(0);
    expect(queues.stats()).toMatchObject({ inFlight: 1 });
    queues.close();
  });
});
