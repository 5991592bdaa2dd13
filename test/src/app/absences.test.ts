import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../domain/localDate';
import { monthPeriod } from '../../../domain/period';
import { absenceDeleteSchema, absenceIdOf, absencesSaveSchema, deleteAbsence, listAbsences, saveAbsences, type AbsencesSaveInput } from '../../../src/app/absences';
import { listRevealed } from '../../support/revealedAudit';
import { saveContract } from '../../../src/app/contracts';
import { loadReport } from '../../../src/app/loadReport';
import { queryAll } from '../../../src/app/queryAll';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvOperation, KvStore } from '../../../src/ports';
import { refusalOf } from '../../support/thrown';

const NOW = Date.UTC(2026, 11, 1, 9);
const clock = { now: () => NOW };
const HR = '557058:hr-admin';

function site() {
  const kv = new MemoryKvStore(clock);
  return { kv, deps: { kv, clock } };
}

/** Every stored key and value, to show a refused call changed nothing. */
const everything = async (kv: KvStore) => JSON.stringify(await queryAll(kv, ''));


const batch = (over: Partial<AbsencesSaveInput> = {}): AbsencesSaveInput => ({
  people: ['acc-a', 'acc-b', 'acc-c'],
  ranges: [
    { from: '2026-11-02', to: '2026-11-06' },
    { from: '2026-12-21', to: '2026-12-24' },
  ],
  type: 'vacation',
  ...over,
});

describe('saving absences in bulk', () => {
  it('creates one absence per person per range (3 × 2), under their keys, with ids derived from the input', async () => {
    const { kv, deps } = site();
    const result = await saveAbsences(deps, HR, batch());
    expect(result.created).toHaveLength(6);
    expect(result.updated).toEqual([]);
    expect(result.unchanged).toEqual([]);
    // The id is pinned (SHA-256 of the sorted-key JSON of person, dates, portion and type, checked with node's crypto):
    // a retry after a deploy must find the absences the first call saved.
    expect(absenceIdOf('acc-a', '2026-11-02', '2026-11-06', 'vacation', { kind: 'whole' })).toBe('a-7cf4de3e97f84a265a2f');
    for (const person of ['acc-a', 'acc-b', 'acc-c']) {
      const stored = await listAbsences(kv, person);
      expect(stored.map((a) => [a.firstDate, a.lastDate, a.type, a.portion.kind])).toEqual([
        ['2026-11-02', '2026-11-06', 'vacation', 'whole'],
        ['2026-12-21', '2026-12-24', 'vacation', 'whole'],
      ]);
      for (const a of stored) expect(await kv.get(keys.absence(person, a.firstDate, a.id))).toEqual(a);
    }
    expect((await listAbsences(kv, 'acc-a'))[0]!.id).toBe('a-7cf4de3e97f84a265a2f');
  });

  it('appends one audit entry for the batch, by the HR admin, naming the people, ranges, type and portion', async () => {
    const { kv, deps } = site();
    await saveAbsences(deps, HR, batch({ note: 'winter break' }));
    const { entries } = await listRevealed(kv);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: HR, action: 'absence.save', target: 'abs#', at: NOW });
    expect(entries[0]!.details).toEqual({
      people: ['acc-a', 'acc-b', 'acc-c'],
      ranges: [
        { from: '2026-11-02', to: '2026-11-06' },
        { from: '2026-12-21', to: '2026-12-24' },
      ],
      type: 'vacation',
      portion: { kind: 'whole' },
      created: 6,
      updated: 0,
      note: 'winter break',
    });
    // About one person, the entry targets that person's absences.
    await saveAbsences(deps, HR, { people: ['acc-d'], ranges: [{ from: '2026-11-02', to: '2026-11-02' }], type: 'sick' });
    expect((await listRevealed(kv, { target: 'abs#acc-d#' })).entries).toHaveLength(1);
  });

  it('names at most 50 people in one audit entry: 60 people make two entries, before their absences are written', async () => {
    const { kv, deps } = site();
    const people = Array.from({ length: 60 }, (_, i) => `acc-${String(i).padStart(2, '0')}`);
    await saveAbsences(deps, HR, { people, ranges: [{ from: '2026-11-02', to: '2026-11-02' }], type: 'training' });
    const entries = [...(await listRevealed(kv)).entries].reverse();
    expect(entries.map((e) => (e.details as { people: string[] }).people)).toEqual([people.slice(0, 50), people.slice(50)]);
    expect(entries.map((e) => (e.details as { created: number }).created)).toEqual([50, 10]);
    for (const e of entries) expect(Buffer.byteLength(JSON.stringify(e.details))).toBeLessThan(4096);
  });

  it('a retried call writes nothing and appends nothing; a changed note updates the same absences', async () => {
    const { kv, deps } = site();
    const first = await saveAbsences(deps, HR, batch());
    const before = await everything(kv);
    const retry = await saveAbsences(deps, HR, batch());
    expect(retry.unchanged).toEqual(first.created);
    expect(retry.created).toEqual([]);
    expect(await everything(kv)).toBe(before);
    const noted = await saveAbsences(deps, HR, batch({ note: 'approved by M.' }));
    expect(noted.updated).toEqual(first.created);
    expect((await listAbsences(kv, 'acc-c')).every((a) => a.note === 'approved by M.')).toBe(true);
    expect((await listRevealed(kv)).entries).toHaveLength(2);
  });

  it('a call cut off half way completes when sent again, without duplicating anything', async () => {
    const { kv, deps } = site();
    // 3 people × 10 ranges is 30 writes: a transaction of 25, then one of 5, which fails.
    const input = batch({ ranges: Array.from({ length: 10 }, (_, i) => ({ from: addDays('2026-01-05', 7 * i), to: addDays('2026-01-06', 7 * i) })) });
    let transactions = 0;
    const failing: KvStore = Object.assign(Object.create(kv) as KvStore, {
      transact: async (ops: readonly KvOperation[]) => {
        // Only the absences' own transactions (the audit log's person registry writes some too).
        if (ops.some((op) => op.key.startsWith('abs#')) && ++transactions > 1) throw new Error('storage unavailable');
        return kv.transact(ops);
      },
    });
    await expect(saveAbsences({ kv: failing, clock }, HR, input)).rejects.toThrow('storage unavailable');
    expect(await listAbsences(kv, 'acc-c')).toHaveLength(5);
    const retry = await saveAbsences(deps, HR, input);
    expect(retry.created).toHaveLength(5);
    expect(retry.unchanged).toHaveLength(25);
    for (const person of ['acc-a', 'acc-b', 'acc-c']) expect(await listAbsences(kv, person)).toHaveLength(10);
    // The entry is appended before the writes, so none goes unaudited: the cut-off attempt is logged too.
    const entries = [...(await listRevealed(kv)).entries].reverse();
    expect(entries.map((e) => [(e.details as { people: string[] }).people, (e.details as { created: number }).created])).toEqual([
      [['acc-a', 'acc-b', 'acc-c'], 30],
      [['acc-c'], 5],
    ]);
  });

  it('refuses the whole batch when one absence would double-book a person, naming both, and writes nothing', async () => {
    const { kv, deps } = site();
    await saveAbsences(deps, HR, { people: ['acc-b'], ranges: [{ from: '2026-11-05', to: '2026-11-05' }], type: 'sick' });
    const sickId = absenceIdOf('acc-b', '2026-11-05', '2026-11-05', 'sick', { kind: 'whole' });
    const vacationId = absenceIdOf('acc-b', '2026-11-02', '2026-11-06', 'vacation', { kind: 'whole' });
    const before = await everything(kv);
    expect(await refusalOf(saveAbsences(deps, HR, batch()))).toEqual({
      code: 'ABSENCE_OVERLAP',
      message: `vacation "${vacationId}" (2026-11-02 – 2026-11-06) for person acc-b shares days with sick "${sickId}" (2026-11-05 – 2026-11-05) from 2026-11-05 to 2026-11-05; delete "${sickId}" first (absences/delete) or leave those days out. Nothing was saved.`,
    });
    expect(await everything(kv)).toBe(before);
  });

  it.each([
    [
      'a range that ends before it starts',
      batch({ ranges: [{ from: '2026-11-06', to: '2026-11-02' }] }),
      'INVALID_INPUT',
      'range #1 (2026-11-06 – 2026-11-02) ends before it starts. Nothing was saved.',
    ],
    [
      'ranges that share days',
      batch({ ranges: [{ from: '2026-11-02', to: '2026-11-06' }, { from: '2026-11-06', to: '2026-11-09' }] }),
      'INVALID_INPUT',
      'ranges 2026-11-02 – 2026-11-06 and 2026-11-06 – 2026-11-09 share days; give each day once. Nothing was saved.',
    ],
    [
      'a range over a year',
      batch({ ranges: [{ from: '2026-01-01', to: '2027-01-02' }] }),
      'INVALID_INPUT',
      'range #1 (2026-01-01 – 2027-01-02) is 367 days; at most 366: split it. Nothing was saved.',
    ],
    ['a note over 500 characters', batch({ note: 'x'.repeat(501) }), 'INVALID_INPUT', 'note must be text of at most 500 characters; keep longer explanations elsewhere and refer to them'],
    ['too many people', batch({ people: Array.from({ length: 201 }, (_, i) => `acc-${i}`) }), 'INVALID_INPUT', '201 people in one call; at most 200: split the list'],
    [
      'too many absences',
      batch({ people: Array.from({ length: 40 }, (_, i) => `acc-${i}`), ranges: Array.from({ length: 30 }, (_, i) => ({ from: addDays('2026-01-05', 7 * i), to: addDays('2026-01-05', 7 * i) })) }),
      'INVALID_INPUT',
      '40 people × 30 ranges is 1200 absences; at most 1000 a call: split the people into groups',
    ],
    [
      'a portion the domain refuses',
      batch({ people: ['acc-a'], ranges: [{ from: '2026-11-02', to: '2026-11-02' }], portion: { kind: 'seconds', seconds: 0 } }),
      'INVALID_ABSENCE',
      `person acc-a, 2026-11-02 – 2026-11-02: absence "${absenceIdOf('acc-a', '2026-11-02', '2026-11-02', 'vacation', { kind: 'seconds', seconds: 0 })}": portion must be {"kind":"whole"}, {"kind":"half"} or {"kind":"seconds","seconds":1..86400}; got {"kind":"seconds","seconds":0}. Nothing was saved.`,
    ],
  ])('refuses %s clearly and writes nothing', async (_, input, code, message) => {
    const { kv, deps } = site();
    await saveAbsences(deps, HR, { people: ['acc-z'], ranges: [{ from: '2026-10-01', to: '2026-10-01' }], type: 'training' });
    const before = await everything(kv);
    expect(await refusalOf(saveAbsences(deps, HR, input))).toEqual({ code, message });
    expect(await everything(kv)).toBe(before);
  });

  it('writes a person with 50 ranges in transactions the store accepts (at most 25 keys each)', async () => {
    const { kv, deps } = site();
    const ranges = Array.from({ length: 50 }, (_, i) => ({ from: addDays('2026-01-05', 7 * i), to: addDays('2026-01-06', 7 * i) }));
    const result = await saveAbsences(deps, HR, { people: ['acc-a'], ranges, type: 'training', portion: { kind: 'half' } });
    expect(result.created).toHaveLength(50);
    expect(await listAbsences(kv, 'acc-a')).toHaveLength(50);
    const [entry] = (await listRevealed(kv)).entries;
    expect(Buffer.byteLength(JSON.stringify(entry!.details))).toBeLessThan(4096);
  });

  it('saving any batch twice stores the same as saving it once: one absence per person and range', async () => {
    const people = fc.uniqueArray(fc.constantFrom('acc-a', 'acc-b', 'acc-c', 'acc-d'), { minLength: 1 });
    // Ranges that never share a day: week i, for 1 to 3 days.
    const ranges = fc.uniqueArray(fc.record({ week: fc.integer({ min: 0, max: 20 }), days: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 6, selector: (r) => r.week });
    await fc.assert(
      fc.asyncProperty(people, ranges, fc.constantFrom('sick', 'vacation', 'training', 'other') as fc.Arbitrary<AbsencesSaveInput['type']>, async (ps, rs, type) => {
        const { kv, deps } = site();
        const input = { people: ps, ranges: rs.map((r) => ({ from: addDays('2026-01-05', 7 * r.week), to: addDays('2026-01-05', 7 * r.week + r.days - 1) })), type };
        await saveAbsences(deps, HR, input);
        const once = await everything(kv);
        const again = await saveAbsences(deps, HR, input);
        expect(await everything(kv)).toBe(once);
        expect(again.unchanged).toHaveLength(ps.length * rs.length);
        for (const p of ps) expect(await listAbsences(kv, p)).toHaveLength(rs.length);
      }),
      { numRuns: 40 },
    );
  });

  it('the save payload schema is strict and bounds the call', () => {
    expect(absencesSaveSchema.safeParse(batch()).success).toBe(true);
    expect(absencesSaveSchema.safeParse({ ...batch(), extra: true }).success).toBe(false);
    expect(absencesSaveSchema.safeParse(batch({ ranges: [{ from: '2026-11-31', to: '2026-12-01' }] })).success).toBe(false);
    expect(absencesSaveSchema.safeParse(batch({ people: ['no spaces please'] })).success).toBe(false);
    expect(absencesSaveSchema.safeParse(batch({ ranges: Array.from({ length: 51 }, () => ({ from: '2026-11-02', to: '2026-11-02' })) })).success).toBe(false);
    expect(absencesSaveSchema.safeParse({ ...batch(), portion: { kind: 'seconds', seconds: 90_000 } }).success).toBe(false);
    expect(absenceDeleteSchema.safeParse({ personId: 'acc-a', absenceId: 'a-1' }).success).toBe(true);
  });
});

describe('listing and deleting absences', () => {
  it('lists those that share a day with a range, in date order', async () => {
    const { kv, deps } = site();
    await saveAbsences(deps, HR, batch({ people: ['acc-a'] }));
    expect((await listAbsences(kv, 'acc-a', { from: '2026-11-06', to: '2026-11-30' })).map((a) => a.firstDate)).toEqual(['2026-11-02']);
    expect((await listAbsences(kv, 'acc-a', { from: '2026-11-07' })).map((a) => a.firstDate)).toEqual(['2026-12-21']);
    expect(await listAbsences(kv, 'acc-a', { from: '2026-11-07', to: '2026-12-20' })).toEqual([]);
    expect((await refusalOf(listAbsences(kv, 'acc-a', { from: '2026-12-01', to: '2026-11-01' }))).message).toBe('to 2026-11-01 is before from 2026-12-01; give a range that ends on or after it starts');
  });

  it('deletes one absence, audited with what was removed; an unknown id changes nothing', async () => {
    const { kv, deps } = site();
    await saveAbsences(deps, HR, batch({ people: ['acc-a'] }));
    const [november] = await listAbsences(kv, 'acc-a');
    const removed = await deleteAbsence(deps, '557058:other-hr', { personId: 'acc-a', absenceId: november!.id });
    expect(removed).toEqual(november);
    expect((await listAbsences(kv, 'acc-a')).map((a) => a.firstDate)).toEqual(['2026-12-21']);
    const [latest] = (await listRevealed(kv)).entries;
    expect(latest).toMatchObject({
      actor: '557058:other-hr',
      action: 'absence.delete',
      // Neither the absence's key nor its id: both hash the account id, which an erasure must leave nowhere.
      target: keys.absencePrefix('acc-a'),
      details: { personId: 'acc-a', before: { type: 'vacation', firstDate: '2026-11-02', lastDate: '2026-11-06', portion: { kind: 'whole' } } },
    });
    const before = await everything(kv);
    expect(await refusalOf(deleteAbsence(deps, HR, { personId: 'acc-a', absenceId: november!.id }))).toEqual({
      code: 'ABSENCE_NOT_FOUND',
      message: `person acc-a has no absence "${november!.id}"; absences/list gives the ids. Nothing was deleted.`,
    });
    expect(await everything(kv)).toBe(before);
  });
});

describe('absences in reports', () => {
  it('a saved week of vacation is credited as expected time; deleting it brings the expectation back', async () => {
    const { kv, deps } = site();
    await kv.set(keys.settings, { siteTimeZone: 'UTC' });
    await saveContract(deps, HR, { personId: 'acc-a', firstDate: '2026-01-01', schedule: { kind: 'weekdays', secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] } });
    await saveAbsences(deps, HR, { people: ['acc-a'], ranges: [{ from: '2026-11-02', to: '2026-11-06' }], type: 'vacation' });
    await saveAbsences(deps, HR, { people: ['acc-a'], ranges: [{ from: '2026-11-09', to: '2026-11-09' }], type: 'sick', portion: { kind: 'half' } });
    const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'UTC'])) };
    const report = await loadReport({ kv, directory, clock }, 'acc-a', monthPeriod(2026, 11));
    // November 2026 has 21 weekdays: 5 of them vacation, half of one sick.
    expect(report.totals.expectedSeconds).toBe(21 * 28800 - 5 * 28800 - 14400);
    expect(report.days.find((d) => d.date === '2026-11-04')).toMatchObject({ absenceSeconds: 28800, expectedSeconds: 0, absences: [{ type: 'vacation', seconds: 28800 }] });
    expect(report.days.find((d) => d.date === '2026-11-09')).toMatchObject({ absenceSeconds: 14400, expectedSeconds: 14400 });
    const [vacation] = await listAbsences(kv, 'acc-a');
    await deleteAbsence(deps, HR, { personId: 'acc-a', absenceId: vacation!.id });
    const after = await loadReport({ kv, directory, clock }, 'acc-a', monthPeriod(2026, 11));
    expect(after.totals.expectedSeconds).toBe(21 * 28800 - 14400);
  });
});
