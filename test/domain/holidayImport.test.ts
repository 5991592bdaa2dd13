import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyImport, editCalendarYear, previewImport, slotKey } from '../../domain/holidayImport';
import { countedHolidayOn, holidayKey, holidaysOn, validateHolidayCalendar, type Holiday, type HolidayType } from '../../domain/holidays';
import { thrown } from '../support/thrown';

const YEAR = 2026;
const h = (date: string, name: string, more: Partial<Holiday> = {}): Holiday => ({ date: `${YEAR}-${date}`, name, type: 'public', fraction: 1, regions: null, ...more });

// Few dates and names, so that imports and stored entries collide often.
const dateArb = fc.constantFrom('01-01', '05-01', '07-21', '12-24', '12-25').map((d) => `${YEAR}-${d}`);
const nameArb = fc.constantFrom('New Year', 'Labour Day', 'National Day', 'Christmas Eve', 'Christmas');
const plainArb: fc.Arbitrary<Holiday> = fc.record({
  date: dateArb,
  name: nameArb,
  type: fc.constantFrom<HolidayType>('public', 'bank', 'observance'),
  fraction: fc.constantFrom<1 | 0.5>(1, 0.5),
  regions: fc.constantFrom<readonly string[] | null>(null, ['DE-BY']),
});
const importArb = fc.uniqueArray(plainArb, { selector: holidayKey, maxLength: 12 });
const storedEntryArb: fc.Arbitrary<Holiday> = fc.oneof(
  plainArb,
  plainArb.map((p) => ({ ...p, manual: 'added' as const })),
  fc.tuple(plainArb, dateArb, nameArb).map(([p, d, n]) => ({ ...p, manual: 'edited' as const, importKey: `${d}|${n}` })),
  fc.tuple(plainArb, dateArb, nameArb).map(([p, d, n]) => ({ ...p, manual: 'removed' as const, importKey: `${d}|${n}` })),
);
const storedArb = fc.uniqueArray(storedEntryArb, { selector: slotKey, maxLength: 12 });
const overwriteArb = fc.boolean();

const bySlot = (list: readonly Holiday[]) => [...list].sort((a, b) => (slotKey(a) < slotKey(b) ? -1 : 1));

describe('previewImport and applyImport: properties', () => {
  it('applying the preview to the stored year gives the preview\'s result', () => {
    fc.assert(
      fc.property(storedArb, importArb, overwriteArb, (stored, imported, overwriteManual) => {
        const preview = previewImport(stored, imported, { year: YEAR, overwriteManual });
        expect(applyImport(stored, preview)).toEqual(preview.result);
        expect(preview.result.length).toBe(stored.length + preview.added.length - preview.removed.length);
      }),
    );
  });

  it('the result is exactly the import plus the kept manual entries (each import holiday once, unless HR holds its slot)', () => {
    fc.assert(
      fc.property(storedArb, importArb, (stored, imported) => {
        const { result, keptManual, changed } = previewImport(stored, imported, { year: YEAR });
        const manual = stored.filter((x) => x.manual !== undefined);
        const manualSlots = new Set(manual.map(slotKey));
        expect(bySlot(result.filter((x) => x.manual !== undefined))).toEqual(bySlot(manual));
        expect(bySlot(result.filter((x) => x.manual === undefined))).toEqual(bySlot(imported.filter((x) => !manualSlots.has(holidayKey(x)))));
        expect(bySlot(keptManual)).toEqual(bySlot(manual));
        expect(changed.every((c) => c.before.manual === undefined)).toBe(true);
      }),
    );
  });

  it('with overwriteManual the year becomes exactly the import', () => {
    fc.assert(
      fc.property(storedArb, importArb, (stored, imported) => {
        const { result, keptManual } = previewImport(stored, imported, { year: YEAR, overwriteManual: true });
        expect(bySlot(result)).toEqual(bySlot(imported));
        expect(keptManual).toEqual([]);
      }),
    );
  });

  it('importing the same list twice changes nothing the second time', () => {
    fc.assert(
      fc.property(storedArb, importArb, overwriteArb, (stored, imported, overwriteManual) => {
        const once = applyImport(stored, previewImport(stored, imported, { year: YEAR, overwriteManual }));
        const again = previewImport(once, imported, { year: YEAR, overwriteManual });
        expect([again.added, again.changed, again.removed]).toEqual([[], [], []]);
        expect(again.result).toEqual(once);
      }),
    );
  });

  it('an HR edit survives a re-import of the same list', () => {
    const editArb = fc.oneof(
      plainArb.map((holiday) => ({ kind: 'add' as const, holiday })),
      fc.tuple(fc.nat(), plainArb).map(([i, holiday]) => ({ kind: 'edit' as const, i, holiday })),
      fc.nat().map((i) => ({ kind: 'remove' as const, i })),
    );
    fc.assert(
      fc.property(importArb, editArb, (imported, e) => {
        const year = applyImport([], previewImport([], imported, { year: YEAR }));
        let edited: Holiday[];
        try {
          if (e.kind === 'add') edited = editCalendarYear(year, YEAR, e);
          else {
            if (year.length === 0) return;
            const slot = slotKey(year[e.i % year.length]!);
            edited = editCalendarYear(year, YEAR, e.kind === 'edit' ? { kind: 'edit', slot, holiday: e.holiday } : { kind: 'remove', slot });
          }
        } catch {
          return; // a refused edit (adding a holiday that exists) is tested below
        }
        const reimport = previewImport(edited, imported, { year: YEAR });
        expect(reimport.result).toEqual(edited);
        expect([reimport.added, reimport.changed, reimport.removed]).toEqual([[], [], []]);
      }),
    );
  });
});

describe('previewImport: known answers', () => {
  it('a changed type, a holiday gone and a new one', () => {
    const stored = [h('01-01', 'New Year'), h('05-08', 'Victory Day'), h('12-24', 'Christmas Eve', { type: 'observance' })];
    const imported = [h('01-01', 'New Year'), h('12-24', 'Christmas Eve', { type: 'bank', fraction: 0.5 }), h('12-25', 'Christmas')];
    const p = previewImport(stored, imported, { year: YEAR });
    expect(p.added).toEqual([h('12-25', 'Christmas')]);
    expect(p.changed).toEqual([{ before: stored[2], after: imported[1] }]);
    expect(p.removed).toEqual([h('05-08', 'Victory Day')]);
    expect([p.keptManual, p.unchanged]).toEqual([[], 1]);
    expect(p.result).toEqual(imported);
  });

  it('HR removed Christmas Eve and renamed New Year: a re-import keeps both, unless told to overwrite', () => {
    const imported = [h('01-01', 'New Year'), h('12-24', 'Christmas Eve', { type: 'bank', fraction: 0.5 })];
    let year = applyImport([], previewImport([], imported, { year: YEAR }));
    year = editCalendarYear(year, YEAR, { kind: 'remove', slot: `${YEAR}-12-24|Christmas Eve` });
    year = editCalendarYear(year, YEAR, { kind: 'edit', slot: `${YEAR}-01-01|New Year`, holiday: h('01-01', "New Year's Day") });
    expect(year).toEqual([
      h('01-01', "New Year's Day", { manual: 'edited', importKey: `${YEAR}-01-01|New Year` }),
      h('12-24', 'Christmas Eve', { type: 'bank', fraction: 0.5, manual: 'removed', importKey: `${YEAR}-12-24|Christmas Eve` }),
    ]);
    // The removed one neither counts nor shows.
    const calendar = { id: 'de', country: 'DE', region: null, holidays: year };
    expect(countedHolidayOn(calendar, `${YEAR}-12-24`, ['public', 'bank'])).toBeNull();
    expect(holidaysOn(calendar, `${YEAR}-12-24`)).toEqual([]);

    const kept = previewImport(year, imported, { year: YEAR });
    expect([kept.added, kept.changed, kept.removed, kept.keptManual.length]).toEqual([[], [], [], 2]);

    const overwritten = previewImport(year, imported, { year: YEAR, overwriteManual: true });
    expect(overwritten.changed.map((c) => [c.before.manual, c.after.name])).toEqual([['edited', 'New Year'], ['removed', 'Christmas Eve']]);
    expect(overwritten.result).toEqual(imported);
  });

  it('a holiday HR added stays when the provider starts listing the same one', () => {
    const added = editCalendarYear([], YEAR, { kind: 'add', holiday: h('11-02', 'Staff Day', { type: 'bank' }) });
    const p = previewImport(added, [h('11-02', 'Staff Day', { type: 'observance' })], { year: YEAR });
    expect(p.result).toEqual([h('11-02', 'Staff Day', { type: 'bank', manual: 'added' })]);
    expect(p.keptManual).toHaveLength(1);
  });
});

describe('bad input is refused with a clear error and changes nothing', () => {
  it('a date outside the year, a duplicate, a marked import, a stale preview', () => {
    expect(thrown(() => previewImport([], [h('01-01', 'New Year', { date: '2027-01-01' })], { year: YEAR })).message).toMatch(/imported holiday #0 \(2027-01-01 New Year\) is not in 2026/);
    expect(thrown(() => previewImport([h('01-01', 'A'), h('01-01', 'A', { type: 'bank' })], [], { year: YEAR })).message).toMatch(/stored holds holiday #0 and #1 for the same holiday "2026-01-01\|A"/);
    expect(thrown(() => previewImport([], [h('01-01', 'A', { manual: 'added' })], { year: YEAR })).message).toMatch(/carry no manual marking/);
    expect(thrown(() => previewImport([{ ...h('01-01', 'A'), fraction: 0.25 } as unknown as Holiday], [], { year: YEAR })).code).toBe('INVALID_HOLIDAY');
    const preview = previewImport([h('01-01', 'A')], [h('01-01', 'A', { type: 'bank' })], { year: YEAR });
    expect(thrown(() => applyImport([h('01-01', 'A', { type: 'school' })], preview)).message).toMatch(/changed since the preview was made; preview the import again/);
  });

  it('edits that address nothing or collide', () => {
    const year = [h('01-01', 'New Year')];
    expect(thrown(() => editCalendarYear(year, YEAR, { kind: 'remove', slot: `${YEAR}-02-02|Nothing` })).message).toMatch(/no holiday "2026-02-02\|Nothing" in 2026 to change/);
    expect(thrown(() => editCalendarYear(year, YEAR, { kind: 'add', holiday: h('01-01', 'New Year') })).message).toMatch(/already has the holiday "New Year"; edit that one instead/);
    const removed = editCalendarYear(year, YEAR, { kind: 'remove', slot: `${YEAR}-01-01|New Year` });
    expect(thrown(() => editCalendarYear(removed, YEAR, { kind: 'remove', slot: `${YEAR}-01-01|New Year` })).code).toBe('INVALID_HOLIDAY');
    // Adding back a removed imported holiday restores it as an edit of the imported one.
    expect(editCalendarYear(removed, YEAR, { kind: 'add', holiday: h('01-01', 'New Year') })).toEqual([h('01-01', 'New Year', { manual: 'edited', importKey: `${YEAR}-01-01|New Year` })]);
  });

  it('validateHolidayCalendar checks the manual marking and its import key', () => {
    const cal = (x: Record<string, unknown>) => ({ id: 'c', country: 'DE', region: null, holidays: [{ ...h('01-01', 'A'), ...x }] });
    expect(thrown(() => validateHolidayCalendar(cal({ manual: 'deleted' }))).message).toMatch(/manual must be one of added, edited, removed/);
    expect(thrown(() => validateHolidayCalendar(cal({ manual: 'edited' }))).message).toMatch(/importKey must name the imported holiday/);
    expect(thrown(() => validateHolidayCalendar(cal({ importKey: '2026-01-01|A' }))).message).toMatch(/importKey belongs only to an edited or removed holiday/);
    expect(validateHolidayCalendar(cal({})).holidays[0]).toEqual(h('01-01', 'A'));
    expect(validateHolidayCalendar(cal({ manual: 'removed', importKey: '2026-01-01|A' })).holidays[0]).toEqual(h('01-01', 'A', { manual: 'removed', importKey: '2026-01-01|A' }));
  });
});
