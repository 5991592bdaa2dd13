import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withMutex } from '../../../src/app/mutex';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { KvConflictError } from '../../../src/ports';
import { seededRandom } from '../../../src/local/seededRandom';
import { JitteryKvStore } from '../../support/jitteryKvStore';
import { rejectedWith } from '../../support/thrown';

const T0 = Date.UTC(2026, 11, 2, 9);
/** Waiting as the mutex asks, shortened: the interleavings are the same, the test is quick. */
const briefSleep = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Runs `n` critical sections on one mutex at once and reports how many were ever inside together. */
async function contend(n: number, seed: number, stores = 1) {
  const clock = { now: () => T0 };
  const base = new MemoryKvStore(clock);
  const random = seededRandom(seed);
  const views = Array.from({ length: stores }, () => new JitteryKvStore(base, random));
  let inside = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      withMutex({ kv: views[i % stores]!, clock, sleep: briefSleep }, 'person#a', { what: `change ${i}`, waitMs: 60_000 }, async () => {
        inside++;
        most = Math.max(most, inside);
        // Work that spans several storage round trips, as a check-then-write does.
        await views[i % stores]!.get('x');
        await views[i % stores]!.set('x', i);
        order.push(i);
        inside--;
      }),
    ),
  );
  return { most, order, left: await base.get(keys.mutex('person#a')) };
}

describe('withMutex', () => {
  it('never lets two holders in at once, whatever the interleaving; every caller gets its turn and the mutex is gone after', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 3 }), async (n, seed, stores) => {
        const { most, order, left } = await contend(n, seed, stores);
        expect(most).toBe(1);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(left).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });

  it('a live holder makes a caller give up with MUTEX_BUSY naming what holds it; its work never runs', async () => {
    const clock = { now: () => T0 };
    const kv = new MemoryKvStore(clock);
    const holder = { token: 't-1', what: 'saving contracts of acc-a', expiresAt: T0 + 60_000 };
    await kv.set(keys.mutex('person#a'), holder);
    let ran = false;
    const error = await rejectedWith(
      withMutex({ kv, clock, sleep: async () => {} }, 'person#a', { what: 'mine', waitMs: 2_000 }, async () => {
        ran = true;
      }),
    );
    expect(error).toMatchObject({ code: 'MUTEX_BUSY' });
    expect(error.message).toContain('saving contracts of acc-a');
    expect(ran).toBe(false);
    expect(await kv.get(keys.mutex('person#a'))).toEqual(holder);
  });

  it('a holder that died (past its expiry) is taken over at once, by exactly one of several waiters at a time', async () => {
    const clock = { now: () => T0 };
    const base = new MemoryKvStore(clock);
    await base.set(keys.mutex('person#a'), { token: 'dead', what: 'a crashed resolver', expiresAt: T0 - 1 });
    const random = seededRandom(9);
    let inside = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        withMutex({ kv: new JitteryKvStore(base, random), clock, sleep: briefSleep }, 'person#a', { what: `w${i}`, waitMs: 60_000 }, async () => {
          inside++;
          most = Math.max(most, inside);
          await base.get('x');
          inside--;
          done++;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(done).toBe(6);
  });

  it('work naming itself as owner takes over its own earlier holder at once (a retried lock step), but not another owner\'s', async () => {
    const clock = { now: () => T0 };
    const kv = new MemoryKvStore(clock);
    await kv.set(keys.mutex('person#a'), { token: 'attempt-1', what: 'lock job j-1', expiresAt: T0 + 60_000, owner: 'lock-job#j-1' });
    const noSleep = { kv, clock, sleep: async () => {} };
    expect(await withMutex(noSleep, 'person#a', { what: 'retry', owner: 'lock-job#j-1', waitMs: 0 }, async () => 'ran')).toBe('ran');
    await kv.set(keys.mutex('person#a'), { token: 'other', what: 'lock job j-2', expiresAt: T0 + 60_000, owner: 'lock-job#j-2' });
    expect(await rejectedWith(withMutex(noSleep, 'person#a', { what: 'retry', owner: 'lock-job#j-1', waitMs: 100 }, async () => 'ran'))).toMatchObject({ code: 'MUTEX_BUSY' });
  });

  it('gives up with MUTEX_BUSY, instead of spinning, on a store that refuses the create-only write yet finds no holder', async () => {
    const clock = { now: () => T0 };
    const kv = new MemoryKvStore(clock);
    const contrary = Object.assign(Object.create(kv) as MemoryKvStore, {
      set: async () => {
        throw new KvConflictError(keys.mutex('person#a'));
      },
      get: async () => undefined,
    });
    const error = await rejectedWith(withMutex({ kv: contrary, clock }, 'person#a', { what: 'mine' }, async () => 'ran'));
    expect(error.code).toBe('MUTEX_BUSY');
  });

  it('tells a caller that gave up when a holder that stopped half way is given up', async () => {
    const clock = { now: () => T0 };
    const kv = new MemoryKvStore(clock);
    await kv.set(keys.mutex('person#a'), { token: 't-1', what: 'saving absences of 200 people', expiresAt: T0 + 45_000 });
    const error = await rejectedWith(withMutex({ kv, clock, sleep: async () => {} }, 'person#a', { what: 'mine', waitMs: 1_000 }, async () => 'ran'));
    expect(error.message).toContain(new Date(T0 + 45_000).toISOString());
  });

  it('releases the mutex when the work throws, and passes the error on', async () => {
    const clock = { now: () => T0 };
    const kv = new MemoryKvStore(clock);
    const failing = withMutex({ kv, clock }, 'person#a', { what: 'failing' }, async () => {
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await kv.get(keys.mutex('person#a'))).toBeUndefined();
  });
});
