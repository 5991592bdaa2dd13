import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDeltas,
  applyWorklogVersion,
  bucketsFromVersions,
  type AppliedWorklog,
  type Buckets,
  type Placement,
  type WorklogVersion,
} from '../../domain/buckets.ts';
import { placeWorklog, type DayPolicy } from '../../domain/dayAssignment.ts';
import { PERSON_IDS, worklogArb } from '../arbitraries/worklogs.ts';

const zones: Record<string, string> = { a1: 'Europe/Brussels', b2: 'Australia/Sydney', c3: 'Asia/Kathmandu', d4: 'America/Sao_Paulo' };
const placement = (policy: DayPolicy): Placement => (w) =>
  placeWorklog(w, zones[w.authorId]!, policy).map((p) => ({ personId: w.authorId, ...p }));

/** Applies versions one by one, as a consumer would, keeping one record per worklog id. */
function incremental(versions: readonly WorklogVersion[], place: Placement): Buckets {
  const records = new Map<string, AppliedWorklog>();
  const buckets: Buckets = new Map();
  for (const v of versions) {
    const id = v.kind === 'delete' ? v.id : v.worklog.id;
    const result = applyWorklogVersion(records.get(id) ?? null, v, place);
    if (!result) continue;
    records.set(id, result.record);
    addDeltas(buckets, result.deltas);
  }
  return buckets;
}

const plain = (b: Buckets) => Object.fromEntries([...b].map(([p, days]) => [p, Object.fromEntries([...days].sort())]));

/** Histories of a few worklog ids: several versions each, some deleted. */
const historyArb = fc
  .array(
    fc.tuple(
      fc.constantFrom('1', '2', '3', '4', '5'),
      worklogArb(PERSON_IDS),
      fc.integer({ min: 1, max: 50 }),
      fc.boolean(),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ),
    { maxLength: 25 },
  )
  .map((rows) => {
    const author = new Map<string, string>();
    return rows.map(([id, w, updated, isDelete, p]): WorklogVersion => {
      // A worklog keeps its author across versions, as in Jira.
      const authorId = author.get(id) ?? w.authorId;
      author.set(id, authorId);
      if (isDelete && p < 0.3) return { kind: 'delete', id, updated };
      return { kind: 'upsert', worklog: { ...w, id, authorId, updated } };
    });
  });

describe('incremental buckets', () => {
  it('an edit moves time from the old day to the new one', () => {
    const place = placement('start-day');
    const v1: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: Date.parse('2026-03-02T08:00:00Z'), seconds: 3600, updated: 1 } };
    const v2: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: Date.parse('2026-03-03T08:00:00Z'), seconds: 1800, updated: 2 } };
    const first = applyWorklogVersion(null, v1, place)!;
    const second = applyWorklogVersion(first.record, v2, place)!;
    expect(second.deltas).toEqual([
      { personId: 'a1', date: '2026-03-02', deltaSeconds: -3600 },
      { personId: 'a1', date: '2026-03-03', deltaSeconds: 1800 },
    ]);
    expect(applyWorklogVersion(second.record, v1, place)).toBeNull(); // a late, older event changes nothing
    expect(applyWorklogVersion(second.record, v2, place)).toBeNull(); // a duplicate changes nothing
  });

  it('a delete removes the time and no later event brings it back', () => {
    const place = placement('start-day');
    const v1: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: Date.parse('2026-03-02T08:00:00Z'), seconds: 3600, updated: 5 } };
    const del = applyWorklogVersion(applyWorklogVersion(null, v1, place)!.record, { kind: 'delete', id: '9', updated: 1 }, place)!;
    expect(del.deltas).toEqual([{ personId: 'a1', date: '2026-03-02', deltaSeconds: -3600 }]);
    expect(applyWorklogVersion(del.record, { ...v1, worklog: { ...v1.worklog, updated: 99 } }, place)).toBeNull();
  });

  for (const policy of ['start-day', 'split'] as const) {
    it(`equals a full recompute under any order and duplication (${policy})`, () => {
      fc.assert(
        fc.property(historyArb, fc.infiniteStream(fc.nat()), (history, picks) => {
          // Duplicate some versions, then shuffle everything.
          const it = picks[Symbol.iterator]();
          const delivered = [...history, ...history.filter(() => it.next().value % 3 === 0)];
          for (let i = delivered.length - 1; i > 0; i--) {
            const j = it.next().value % (i + 1);
            [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
          }
          const place = placement(policy);
          expect(plain(incremental(delivered, place))).toEqual(plain(bucketsFromVersions(history, place)));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the full recompute is order-independent too', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const place = placement('split');
        expect(plain(bucketsFromVersions([...history].reverse(), place))).toEqual(plain(bucketsFromVersions(history, place)));
      }),
    );
  });
});
