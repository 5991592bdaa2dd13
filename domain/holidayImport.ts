/**
 * Importing a provider's holidays into one calendar year, and an HR admin's edits of it. Pure.
 *
 *   previewImport(stored, imported, { year, overwriteManual? }) → ImportPreview
 *       what an import would do: { added, changed: {before, after}[], removed, keptManual, unchanged, result }
 *   applyImport(stored, preview) → Holiday[]     the calendar year after the import (equals preview.result)
 *   editCalendarYear(stored, year, edit) → Holiday[]   one HR edit (add, edit, remove), marked so re-import keeps it
 *   slotKey(holiday) → string                   which entry an import or an edit addresses
 *
 * Every list is one calendar year of one calendar, as stored under hol#<calendar>#<year>.
 *
 * How entries are matched: each stored entry fills a slot. An imported holiday's slot is holidayKey
 * (its date and name); an entry HR edited or removed keeps the slot of the imported holiday it stands
 * for (`importKey`), whatever its date and name now; an entry HR added has the slot of its own date
 * and name. An import fills the slots of the provider's holidays; a slot held by a manual entry
 * (manual: added, edited or removed) stays as HR left it unless `overwriteManual` is true, in which
 * case the year becomes exactly the import. Manual entries whose holiday the provider no longer lists
 * are kept too (without overwriteManual): they were HR's decision, not the provider's.
 */
import { DomainError, ErrorCode } from './errors';
import { holidayKey, validateHolidayCalendar, type Holiday } from './holidays';

export interface ImportOptions {
  readonly year: number;
  /** Replace HR's manual entries by the import too. Default false: manual entries are kept. */
  readonly overwriteManual?: boolean;
}

export interface HolidayChange {
  readonly before: Holiday;
  readonly after: Holiday;
}

export interface ImportPreview {
  readonly year: number;
  /** Holidays the import adds (slots the year does not have yet). */
  readonly added: readonly Holiday[];
  /** Entries whose slot the import fills differently (a new type, fraction or region; with overwriteManual, a manual entry undone). */
  readonly changed: readonly HolidayChange[];
  /** Entries the import takes out: imported holidays the provider no longer lists (with overwriteManual, also HR's). */
  readonly removed: readonly Holiday[];
  /** HR's entries the import leaves as they are. */
  readonly keptManual: readonly Holiday[];
  /** How many imported entries are already stored as they are. */
  readonly unchanged: number;
  /** The calendar year after the import, sorted by date then name. */
  readonly result: readonly Holiday[];
}

/** The slot an entry fills (see the module comment). */
export function slotKey(h: Holiday): string {
  return (h.manual === 'edited' || h.manual === 'removed') && h.importKey !== undefined ? h.importKey : holidayKey(h);
}

const importError = (message: string, details: Record<string, unknown> = {}): never => {
  throw new DomainError(ErrorCode.invalidHoliday, message, details);
};

/** Validates one calendar year (each holiday as validateHolidayCalendar does, dates in `year`, one entry a slot). */
function checkYear(list: unknown, year: number, what: string): Holiday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) importError(`the year must be a whole number from 1 to 9999; got ${JSON.stringify(year)}`, { field: 'year', value: year });
  if (!Array.isArray(list)) importError(`${what} must be a list of holidays; got ${JSON.stringify(list)}`, { field: what });
  const holidays = [...validateHolidayCalendar({ id: what, country: 'ZZ', region: null, holidays: list }).holidays];
  const slots = new Map<string, number>();
  holidays.forEach((h, i) => {
    if (!h.date.startsWith(`${String(year).padStart(4, '0')}-`)) importError(`${what} holiday #${i} (${h.date} ${h.name}) is not in ${year}: a calendar year holds only its own dates`, { field: 'date', holidayIndex: i, value: h.date });
    const slot = slotKey(h);
    const first = slots.get(slot);
    if (first !== undefined) importError(`${what} holds holiday #${first} and #${i} for the same holiday ${JSON.stringify(slot)}: keep one of them`, { field: 'holidays', holidayIndex: i, slot });
    slots.set(slot, i);
  });
  return holidays;
}

function checkImported(list: unknown, year: number): Holiday[] {
  const holidays = checkYear(list, year, 'imported');
  holidays.forEach((h, i) => {
    if (h.manual !== undefined) importError(`imported holiday #${i} (${h.date} ${h.name}) is marked manual "${h.manual}": a provider's holidays carry no manual marking`, { field: 'manual', holidayIndex: i });
  });
  return holidays;
}

const sameHoliday = (a: Holiday, b: Holiday): boolean =>
  a.date === b.date &&
  a.name === b.name &&
  a.type === b.type &&
  a.fraction === b.fraction &&
  a.manual === b.manual &&
  a.importKey === b.importKey &&
  JSON.stringify(a.regions) === JSON.stringify(b.regions);

const sorted = (list: Iterable<Holiday>): Holiday[] =>
  [...list].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.name !== b.name ? (a.name < b.name ? -1 : 1) : slotKey(a) < slotKey(b) ? -1 : slotKey(a) > slotKey(b) ? 1 : 0));

export function previewImport(stored: readonly Holiday[], imported: readonly Holiday[], options: ImportOptions): ImportPreview {
  const year = options.year;
  const before = checkYear(stored, year, 'stored');
  const incoming = checkImported(imported, year);
  const overwrite = options.overwriteManual === true;

  const result = new Map<string, Holiday>();
  if (!overwrite) for (const h of before) if (h.manual !== undefined) result.set(slotKey(h), h);
  for (const h of incoming) if (!result.has(holidayKey(h))) result.set(holidayKey(h), h);

  const storedBySlot = new Map(before.map((h) => [slotKey(h), h] as const));
  const added: Holiday[] = [];
  const changed: HolidayChange[] = [];
  const keptManual: Holiday[] = [];
  let unchanged = 0;
  for (const [slot, after] of result) {
    const was = storedBySlot.get(slot);
    if (was === undefined) added.push(after);
    else if (!sameHoliday(was, after)) changed.push({ before: was, after });
    else if (after.manual !== undefined) keptManual.push(after);
    else unchanged++;
  }
  const removed = before.filter((h) => !result.has(slotKey(h)));
  return { year, added: sorted(added), changed: changed.sort((a, b) => (slotKey(a.after) < slotKey(b.after) ? -1 : 1)), removed: sorted(removed), keptManual: sorted(keptManual), unchanged, result: sorted(result.values()) };
}

/** The stored year with the preview's changes applied: what to store. Refuses a preview made from another stored year. */
export function applyImport(stored: readonly Holiday[], preview: ImportPreview): Holiday[] {
  const before = checkYear(stored, preview.year, 'stored');
  const bySlot = new Map(before.map((h) => [slotKey(h), h] as const));
  const stale = (): never => importError(`the stored holidays of ${preview.year} changed since the preview was made; preview the import again`, { year: preview.year });
  for (const h of preview.removed) {
    const was = bySlot.get(slotKey(h));
    if (was === undefined || !sameHoliday(was, h)) stale();
    bySlot.delete(slotKey(h));
  }
  for (const { before: b, after } of preview.changed) {
    const was = bySlot.get(slotKey(b));
    if (was === undefined || !sameHoliday(was, b)) stale();
    bySlot.set(slotKey(b), after);
  }
  for (const h of preview.added) {
    if (bySlot.has(slotKey(h))) stale();
    bySlot.set(slotKey(h), h);
  }
  return sorted(bySlot.values());
}

/** One change an HR admin makes to a calendar year. `slot` is slotKey of the entry addressed. */
export type HolidayEditRequest =
  | { readonly kind: 'add'; readonly holiday: Holiday }
  | { readonly kind: 'edit'; readonly slot: string; readonly holiday: Holiday }
  | { readonly kind: 'remove'; readonly slot: string };

/**
 * The year after one HR edit, each marked so that a re-import keeps it:
 * - add: a new holiday (manual "added"); adding one HR removed before brings it back as "edited".
 * - edit: an imported or edited entry becomes "edited" (standing for the same imported holiday);
 *   one HR added stays "added" under its new date and name.
 * - remove: an imported or edited entry becomes a "removed" marker (it never counts, and a re-import
 *   does not bring it back); one HR added is deleted.
 */
export function editCalendarYear(stored: readonly Holiday[], year: number, edit: HolidayEditRequest): Holiday[] {
  const before = checkYear(stored, year, 'stored');
  const bySlot = new Map(before.map((h) => [slotKey(h), h] as const));
  const plain = (h: Holiday): Holiday => {
    const [checked] = checkYear([h], year, 'edited');
    const { manual: _m, importKey: _k, ...rest } = checked as Holiday;
    return rest;
  };
  const existing = (slot: string): Holiday => {
    const h = bySlot.get(slot);
    if (h === undefined || h.manual === 'removed') importError(`there is no holiday ${JSON.stringify(slot)} in ${year} to change; list the year's holidays and pick one`, { slot });
    return h as Holiday;
  };
  switch (edit.kind) {
    case 'add': {
      const h = plain(edit.holiday);
      const slot = holidayKey(h);
      const was = bySlot.get(slot);
      if (was !== undefined && was.manual !== 'removed') importError(`${h.date} already has the holiday ${JSON.stringify(h.name)}; edit that one instead`, { slot });
      bySlot.set(slot, was === undefined ? { ...h, manual: 'added' } : { ...h, manual: 'edited', importKey: slot });
      break;
    }
    case 'edit': {
      const was = existing(edit.slot);
      const h = plain(edit.holiday);
      if (was.manual === 'added') {
        bySlot.delete(edit.slot);
        if (bySlot.has(holidayKey(h))) importError(`${h.date} already has the holiday ${JSON.stringify(h.name)}; pick another name or date`, { slot: holidayKey(h) });
        bySlot.set(holidayKey(h), { ...h, manual: 'added' });
      } else bySlot.set(edit.slot, { ...h, manual: 'edited', importKey: edit.slot });
      break;
    }
    case 'remove': {
      const was = existing(edit.slot);
      if (was.manual === 'added') bySlot.delete(edit.slot);
      else bySlot.set(edit.slot, { ...was, manual: 'removed', importKey: edit.slot });
      break;
    }
    default:
      importError(`an edit is "add", "edit" or "remove"; got ${JSON.stringify((edit as { kind?: unknown }).kind)}`, { field: 'kind' });
  }
  return sorted(bySlot.values());
}
