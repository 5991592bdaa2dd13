import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacedTransport, type Pace } from '../../ui/src/client/pacedTransport';
import type { Envelope, Transport } from '../../ui/src/client/resolverClient';

/** A clock that only moves when the paced transport sleeps, and a transport that notes when each call started. */
function harness(pace: Pace, onHeld: (n: number) => void = () => undefined) {
  let clock = 0;
  const started: { name: string; at: number }[] = [];
  const inner: Transport = async (name) => {
    started.push({ name, at: clock });
    return { ok: true, data: name } as Envelope;
  };
  const sleep = async (ms: number) => {
    clock += ms; // time passes while a call waits for its turn
  };
  return { paced: pacedTransport(inner, pace, () => clock, sleep, onHeld), started, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('pacedTransport', () => {
  it('sends calls under the pace at once', async () => {
    const h = harness({ max: 3, windowMs: 1000 });
    await Promise.all(['a', 'b', 'c'].map((n) => h.paced(n, {})));
    expect(h.started).toEqual([{ name: 'a', at: 0 }, { name: 'b', at: 0 }, { name: 'c', at: 0 }]);
  });

  it('holds a call over the pace until the oldest start leaves the window, instead of failing it', async () => {
    const h = harness({ max: 2, windowMs: 1000 });
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => h.paced(n, {})));
    expect(answers.map((a) => (a.ok ? a.data : null))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(h.started).toEqual([
      { name: 'a', at: 0 },
      { name: 'b', at: 0 },
      { name: 'c', at: 1000 },
      { name: 'd', at: 1000 },
      { name: 'e', at: 2000 },
    ]);
  });

  it('says how many calls wait for the pace while some do, and 0 once the last has gone; nothing when none waits', async () => {
    const told: number[] = [];
    const h = harness({ max: 2, windowMs: 1000 }, (n) => told.push(n));
    await Promise.all(['a', 'b'].map((n) => h.paced(n, {})));
    expect(told).toEqual([]);
    await Promise.all(['c', 'd', 'e'].map((n) => h.paced(n, {})));
    expect(told[0]).toBe(3); // c, d and e wait behind a and b
    expect(told[told.length - 1]).toBe(0);
    expect(told.every((n, i) => i === 0 || n <= told[i - 1]!)).toBe(true); // it only goes down as they start
  });

  it('refuses a pace that cannot be kept', () => {
    expect(() => pacedTransport(async () => ({ ok: true, data: null }), { max: 0, windowMs: 1000 })).toThrow(/whole number/);
  });

  it('never starts more than max calls within any window, keeps the order asked, and holds no call longer than the pace needs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }),
        async (max, windowMs, gaps) => {
          const h = harness({ max, windowMs });
          const asked: number[] = [];
          const pending: Promise<unknown>[] = [];
          for (const [i, gap] of gaps.entries()) {
            h.advance(gap);
            asked.push(h.now());
            pending.push(h.paced(String(i), {}));
            await new Promise((r) => setImmediate(r)); // what can start (or wait its turn) does so before the next call is asked
          }
          await Promise.all(pending);
          const at = h.started.map((s) => s.at);
          expect(h.started.map((s) => s.name)).toEqual(gaps.map((_, i) => String(i)));
          for (let i = max; i < at.length; i++) expect(at[i]! - at[i - max]!).toBeGreaterThanOrEqual(windowMs);
          // Each call starts when asked, or exactly when the start `max` before it leaves the window: no later.
          for (let i = 0; i < at.length; i++) expect(at[i]).toBe(Math.max(asked[i]!, i >= max ? at[i - max]! + windowMs : 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
