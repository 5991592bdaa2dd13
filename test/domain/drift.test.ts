import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIdsNumericAware, computeDrift, type DriftWorklog, type WorklogDrift } from '../../domain/drift';
import { DomainError, ErrorCode } from '../../domain/errors';
import { thrown } from '../support/thrown';

const H = 3600;
/** A worklog; `updated: null` leaves `updated` out. */
const w = (id: string, seconds: number, started = 1_000, updated: number | null = 1): DriftWorklog =>
  updated === null ? { id, seconds, started } : { id, seconds, started, updated };


describe('drift: examples', () => {
  it('sorts every list by numeric id and reports seconds, started and updated changes', () => {
    const snapshot = [w('100', H, 1_000, 1), w('9', 2 * H), w('10', H), w('11', H), w('12', H, 1_000, null), w('7', H)];
    const current = [w('10', 3 * H, 1_000, 2), w('11', H), w('100', H, 1_000, 5), w('5', H), w('1000', 2 * H), w('12', H, 2_000, null), w('7', H, 1_000, null)];
    const d = computeDrift(snapshot, current);
    expect(d.added.map((x) => x.id)).toEqual(['5', '1000']);
    expect(d.deleted.map((x) => x.id)).toEqual(['9']);
    expect(d.changed.map((c) => [c.id, c.secondsDelta])).toEqual([
      ['7', 0], // updated 1 → absent
      ['10', 2 * H], // seconds and updated
      ['12', 0], // started moved
      ['100', 0], // only updated moved: an edit Jira recorded
    ]);
    expect(d.changed[1]).toEqual({ id: '10', before: w('10', H), after: w('10', 3 * H, 1_000, 2), secondsDelta: 2 * H });
    expect(d.unchanged).toBe(1); // '11'
    expect(d.netSecondsDelta).toBe(H + 2 * H - 2 * H + 2 * H); // added 5 and 1000, deleted 9, changed 10
  });

  it('a snapshot against an empty source: everything deleted', () => {
    const d = computeDrift([w('2', H), w('1', 2 * H)], []);
    expect(d).toEqual({ added: [], changed: [], deleted: [w('1', 2 * H), w('2', H)], unchanged: 0, netSecondsDelta: -3 * H });
  });

  it('a duplicate id in either list is refused, naming the id and the list', () => {
    const dupSnapshot = thrown(() => computeDrift([w('10', H), w('11', H), w('10', 2 * H)], []));
    expect(dupSnapshot.code).toBe(ErrorCode.invalidWorklog);
    expect(dupSnapshot.message).toContain('"10"');
    expect(dupSnapshot.message).toContain('snapshot');
    expect(dupSnapshot.details).toMatchObject({ worklogId: '10', side: 'snapshot', index: 2 });
    const dupCurrent = thrown(() => computeDrift([], [w('7', H), w('7', H)]));
    expect(dupCurrent.details).toMatchObject({ worklogId: '7', side: 'current' });
    expect(dupCurrent.message).toContain('current');
  });

  it('an unusable worklog is refused, naming it and the field', () => {
    const cases: [unknown, string][] = [
      [{ id: '', seconds: 1, started: 0 }, 'id'],
      [{ id: '1', seconds: 1.5, started: 0 }, 'seconds'],
      [{ id: '1', seconds: -1, started: 0 }, 'seconds'],
      [{ id: '1', seconds: 1, started: Number.NaN }, 'started'],
      [{ id: '1', seconds: 1, started: 0, updated: 'yesterday' }, 'updated'],
      [null, 'the worklog'],
    ];
    for (const [bad, field] of cases) {
      const e = thrown(() => computeDrift([], [bad as DriftWorklog]));
      expect(e.code, field).toBe(ErrorCode.invalidWorklog);
      expect(e.details.field, e.message).toBe(field);
    }
  });

  it('orders ids numerically, numeric before non-numeric, and consistently even for mixed ids', () => {
    const ids = ['10', 'b', '9', '1a', '100', '2', '009', '9', 'A', '0'];
    expect([...ids].sort(compareIdsNumericAware)).toEqual(['0', '2', '009', '9', '9', '10', '100', '1a', 'A', 'b']);
    // '2' < '10' numerically; '10' and '1a' must not form a cycle with '2' (plain string fallback would).
    expect(compareIdsNumericAware('2', '10')).toBeLessThan(0);
    expect(compareIdsNumericAware('10', '1a')).toBeLessThan(0);
    expect(compareIdsNumericAware('2', '1a')).toBeLessThan(0);
  });
});

// ---------------------------------------------------------------------------
// Properties

const idArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 200 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('007', 'x1', 'x10', 'a', 'B') },
);
const valuesArb = fc.record({
  seconds: fc.constantFrom(0, 900, H, 2 * H, 8 * H),
  started: fc.constantFrom(0, 1_000, 86_400_000),
  updated: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
});
const worklogArb: fc.Arbitrary<DriftWorklog> = fc
  .tuple(idArb, valuesArb)
  .map(([id, v]) => (v.updated === undefined ? { id, seconds: v.seconds, started: v.started } : { id, ...v }));
const listArb = fc.uniqueArray(worklogArb, { selector: (x) => x.id, maxLength: 30 });

/** A snapshot and a current list derived from it: kept, edited or dropped, plus new ones, in shuffled order. */
const pairArb: fc.Arbitrary<[DriftWorklog[], DriftWorklog[]]> = listArb.chain((snapshot) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom('keep', 'edit', 'drop'), valuesArb), { minLength: snapshot.length, maxLength: snapshot.length }),
      listArb,
      fc.integer(),
    )
    .map(([fates, extra, seed]): [DriftWorklog[], DriftWorklog[]] => {
      const taken = new Set(snapshot.map((x) => x.id));
      const current: DriftWorklog[] = [];
      snapshot.forEach((x, i) => {
        const [fate, v] = fates[i]!;
        if (fate === 'keep') current.push(x);
        if (fate === 'edit') current.push(v.updated === undefined ? { id: x.id, seconds: v.seconds, started: v.started } : { id: x.id, ...v });
      });
      for (const x of extra) if (!taken.has(x.id)) current.push(x);
      return [snapshot, shuffle(current, seed)];
    }),
);

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sortById = (list: readonly DriftWorklog[]) => [...list].sort((a, b) => compareIdsNumericAware(a.id, b.id));

/** The snapshot with the drift applied: deleted removed, changed replaced by their after, added put in. */
function apply(snapshot: readonly DriftWorklog[], d: WorklogDrift): DriftWorklog[] {
  const byId = new Map(snapshot.map((x) => [x.id, x]));
  for (const x of d.deleted) byId.delete(x.id);
  for (const c of d.changed) byId.set(c.id, c.after);
  for (const x of d.added) byId.set(x.id, x);
  return sortById([...byId.values()]);
}

const isSorted = (ids: readonly string[]) => ids.every((id, i) => i === 0 || compareIdsNumericAware(ids[i - 1]!, id) < 0);
const total = (list: readonly DriftWorklog[]) => list.reduce((s, x) => s + x.seconds, 0);

describe('drift: laws', () => {
  it('applying the drift to the snapshot gives the current set', () => {
    fc.assert(
      fc.property(pairArb, ([snapshot, current]) => {
        expect(apply(snapshot, computeDrift(snapshot, current))).toEqual(sortById(current));
      }),
      { numRuns: 500 },
    );
  });

  it('the drift of a set with itself (in any order) is empty: nothing added, changed or deleted, all unchanged, net 0', () => {
    fc.assert(
      fc.property(listArb, fc.integer(), (list, seed) => {
        expect(computeDrift(list, shuffle(list, seed))).toEqual({ added: [], changed: [], deleted: [], unchanged: list.length, netSecondsDelta: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('every worklog is counted exactly once on each side, and net seconds = current total − snapshot total', () => {
    fc.assert(
      fc.property(pairArb, ([snapshot, current]) => {
        const d = computeDrift(snapshot, current);
        expect(d.added.length + d.changed.length + d.unchanged).toBe(current.length);
        expect(d.deleted.length + d.changed.length + d.unchanged).toBe(snapshot.length);
        expect(d.netSecondsDelta).toBe(total(current) - total(snapshot));
        for (const c of d.changed) {
          expect(c.secondsDelta).toBe(c.after.seconds - c.before.seconds);
          expect(c.before.seconds !== c.after.seconds || c.before.started !== c.after.started || c.before.updated !== c.after.updated).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every list is sorted by numeric-aware id, and the drift does not depend on input order', () => {
    fc.assert(
      fc.property(pairArb, fc.integer(), ([snapshot, current], seed) => {
        const d = computeDrift(snapshot, current);
        expect(isSorted(d.added.map((x) => x.id))).toBe(true);
        expect(isSorted(d.deleted.map((x) => x.id))).toBe(true);
        expect(isSorted(d.changed.map((c) => c.id))).toBe(true);
        expect(computeDrift(shuffle(snapshot, seed), shuffle(current, seed + 1))).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });

  it('drift backwards is drift forwards mirrored: added ↔ deleted, before ↔ after, deltas negated', () => {
    fc.assert(
      fc.property(pairArb, ([snapshot, current]) => {
        const there = computeDrift(snapshot, current);
        const back = computeDrift(current, snapshot);
        expect(back.added).toEqual(there.deleted);
        expect(back.deleted).toEqual(there.added);
        expect(back.changed).toEqual(there.changed.map((c) => ({ id: c.id, before: c.after, after: c.before, secondsDelta: 0 - c.secondsDelta }) /* 0 - x: never -0 */));
        expect(back.unchanged).toBe(there.unchanged);
        expect(back.netSecondsDelta + there.netSecondsDelta).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('the id order is a strict total order (antisymmetric, transitive) with numeric ids in numeric order', () => {
    const anyId = fc.oneof(idArb, fc.string({ maxLength: 4 }), fc.stringMatching(/^0{0,2}[0-9]{1,3}$/));
    fc.assert(
      fc.property(anyId, anyId, anyId, (a, b, c) => {
        const sign = (x: number) => Math.sign(x);
        expect(sign(compareIdsNumericAware(a, b))).toBe(-sign(compareIdsNumericAware(b, a)) || 0);
        expect(compareIdsNumericAware(a, b) === 0).toBe(a === b);
        if (compareIdsNumericAware(a, b) < 0 && compareIdsNumericAware(b, c) < 0) expect(compareIdsNumericAware(a, c)).toBeLessThan(0);
        if (/^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) !== BigInt(b)) {
          expect(sign(compareIdsNumericAware(a, b))).toBe(BigInt(a) < BigInt(b) ? -1 : 1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
