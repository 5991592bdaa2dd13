import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../domain/localDate';
import {
  applyIndexChanges,
  applyWorklogVersion,
  indexFromVersions,
  MAX_DAY_FILED_SECONDS,
  shelfOf,
  utcDatesToRead,
  type AppliedWorklog,
  type WorklogIndex,
  type WorklogVersion,
} from '../../domain/worklogIndex';
import { localEpochDayAt, startOfLocalDay } from '../../domain/zoneOffsets';
import { PERSON_IDS, worklogArb } from '../arbitraries/worklogs';
import { instantArb, zoneArb } from '../arbitraries/zones';

/** Applies versions one by one, as a consumer would, keeping one record per worklog id. */
function incremental(versions: readonly WorklogVersion[]): WorklogIndex {
  const records = new Map<string, AppliedWorklog>();
  const index: WorklogIndex = new Map();
  for (const v of versions) {
    const id = v.kind === 'delete' ? v.id : v.worklog.id;
    const result = applyWorklogVersion(records.get(id) ?? null, v);
    if (!result) continue;
    records.set(id, result.record);
    applyIndexChanges(index, result.changes);
  }
  return index;
}

const plain = (index: WorklogIndex) => Object.fromEntries([...index].sort().map(([k, shelf]) => [k, Object.fromEntries([...shelf].sort())]));

/** Histories of a few worklog ids: several versions each, some deleted. */
const historyArb = fc
  .array(
    fc.tuple(fc.constantFrom('1', '2', '3', '4', '5'), worklogArb(PERSON_IDS), fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })),
    { maxLength: 25 },
  )
  .map((rows) => {
    const author = new Map<string, string>();
    return rows.map(([id, w, updated, isDelete, p]): WorklogVersion => {
      // A worklog keeps its author across versions, as in Jira.
      const authorId = author.get(id) ?? w.authorId;
      author.set(id, authorId);
      if (isDelete && p < 0.3) return { kind: 'delete', id, personId: authorId, updated };
      return { kind: 'upsert', worklog: { ...w, id, authorId, updated } };
    });
  });

const at = (iso: string) => Date.parse(iso);

describe('the worklog index', () => {
  it('files a worklog of at most a day under the UTC date of its start, a longer one apart', () => {
    expect(shelfOf('a1', at('2026-03-29T23:30:00Z'), 7200)).toEqual({ personId: 'a1', kind: 'day', utcDate: '2026-03-29' });
    expect(shelfOf('a1', at('2026-03-29T23:30:00Z'), MAX_DAY_FILED_SECONDS)).toEqual({ personId: 'a1', kind: 'day', utcDate: '2026-03-29' });
    expect(shelfOf('a1', at('2026-03-29T23:30:00Z'), MAX_DAY_FILED_SECONDS + 1)).toEqual({ personId: 'a1', kind: 'long' });
    expect(shelfOf('a1', at('1969-12-31T23:59:59.500Z'), 1)).toEqual({ personId: 'a1', kind: 'day', utcDate: '1969-12-31' });
  });

  it('reads two UTC dates before the first local date and one after the last', () => {
    expect(utcDatesToRead('2026-03-01', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03']);
  });

  it('an edit moves the worklog from its old shelf to its new one', () => {
    const v1: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: at('2026-03-02T08:00:00Z'), seconds: 3600, updated: 1 } };
    const v2: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: at('2026-03-03T08:00:00Z'), seconds: 1800, updated: 2 } };
    const first = applyWorklogVersion(null, v1)!;
    const second = applyWorklogVersion(first.record, v2)!;
    expect(second.changes).toEqual([
      { kind: 'remove', shelf: { personId: 'a1', kind: 'day', utcDate: '2026-03-02' }, id: '9' },
      { kind: 'put', shelf: { personId: 'a1', kind: 'day', utcDate: '2026-03-03' }, worklog: { id: '9', started: at('2026-03-03T08:00:00Z'), seconds: 1800, updated: 2 } },
    ]);
    expect(applyWorklogVersion(second.record, v1)).toBeNull(); // a late, older event changes nothing
    expect(applyWorklogVersion(second.record, v2)).toBeNull(); // a duplicate changes nothing
  });

  it('a delete takes the worklog out and no later event brings it back', () => {
    const v1: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: at('2026-03-02T08:00:00Z'), seconds: 3600, updated: 5 } };
    const del = applyWorklogVersion(applyWorklogVersion(null, v1)!.record, { kind: 'delete', id: '9', personId: 'a1', updated: 1 })!;
    expect(del.changes).toEqual([{ kind: 'remove', shelf: { personId: 'a1', kind: 'day', utcDate: '2026-03-02' }, id: '9' }]);
    expect(del.record).toMatchObject({ deleted: true, seconds: 0, updated: 5 });
    expect(applyWorklogVersion(del.record, { ...v1, worklog: { ...v1.worklog, updated: 99 } })).toBeNull();
  });

  it('a worklog of zero seconds is recorded (its version counts) but indexed nowhere', () => {
    const v: WorklogVersion = { kind: 'upsert', worklog: { id: '9', authorId: 'a1', started: at('2026-03-02T08:00:00Z'), seconds: 0, updated: 1 } };
    expect(applyWorklogVersion(null, v)!.changes).toEqual([]);
  });

  it('equals a full rebuild under any order and duplication of versions', () => {
    fc.assert(
      fc.property(historyArb, fc.infiniteStream(fc.nat()), (history, picks) => {
        // Duplicate some versions, then shuffle everything.
        const it = picks[Symbol.iterator]();
        const delivered = [...history, ...history.filter(() => it.next().value % 3 === 0)];
        for (let i = delivered.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
        }
        expect(plain(incremental(delivered))).toEqual(plain(indexFromVersions(history)));
      }),
      { numRuns: 300 },
    );
  });

  it('the full rebuild is order-independent too', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(plain(indexFromVersions([...history].reverse()))).toEqual(plain(indexFromVersions(history)));
      }),
    );
  });

  it('a reader of a local date finds every worklog that touches that date, in any zone', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 3 * 86_400 }), zoneArb, fc.integer({ min: -3, max: 3 }), (started, seconds, zone, dayShift) => {
        // A local date near the worklog, in a zone with any offset.
        const epochDay = localEpochDayAt(zone, started) + dayShift;
        const dayStart = startOfLocalDay(zone, epochDay);
        const dayEnd = startOfLocalDay(zone, epochDay + 1);
        const touches = started < dayEnd && started + seconds * 1000 > dayStart;
        fc.pre(touches);
        const shelf = shelfOf('a1', started, seconds);
        const date = new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
        expect(shelf.kind === 'long' || utcDatesToRead(date, date).includes(shelf.utcDate)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
