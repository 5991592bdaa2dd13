import { DomainError, ErrorCode } from './errors';
import { isLocalDate, type LocalDate } from './localDate';

export type AbsenceType = 'sick' | 'vacation' | 'training' | 'other';
export const ABSENCE_TYPES: readonly AbsenceType[] = ['sick', 'vacation', 'training', 'other'];

/**
 * How much of each day an absence covers: the whole day, half of it, or a
 * fixed number of seconds (a two-hour doctor's visit).
 */
export type AbsencePortion = { readonly kind: 'whole' } | { readonly kind: 'half' } | { readonly kind: 'seconds'; readonly seconds: number };

/** A markup entry: an absence on every date from firstDate to lastDate, both included. */
export interface Absence {
  readonly id: string;
  readonly personId: string;
  readonly type: AbsenceType;
  readonly firstDate: LocalDate;
  readonly lastDate: LocalDate;
  readonly portion: AbsencePortion;
  readonly note?: string;
}

const absenceError = (where: string, field: string, why: string, value: unknown, extra: Record<string, unknown>): never => {
  throw new DomainError(ErrorCode.invalidAbsence, `${where}: ${field} ${why}; got ${JSON.stringify(value)}`, { field, value, ...extra });
};

/** Returns a well-formed absence or throws INVALID_ABSENCE naming the absence and field. */
export function validateAbsence(input: unknown, index?: number): Absence {
  const a = (input ?? {}) as Record<string, unknown>;
  const where = `absence ${JSON.stringify(a.id ?? null)}${index === undefined ? '' : ` (#${index})`}`;
  const ctx = { absenceId: a.id, index };
  if (typeof a.id !== 'string' || a.id.length === 0) absenceError(where, 'id', 'must be a non-empty string', a.id, ctx);
  if (typeof a.personId !== 'string' || a.personId.length === 0) absenceError(where, 'personId', 'must be a non-empty string', a.personId, ctx);
  if (!ABSENCE_TYPES.includes(a.type as AbsenceType)) absenceError(where, 'type', `must be one of ${ABSENCE_TYPES.join(', ')}`, a.type, ctx);
  if (!isLocalDate(a.firstDate)) absenceError(where, 'firstDate', 'must be a date YYYY-MM-DD', a.firstDate, ctx);
  const lastDate = a.lastDate ?? a.firstDate;
  if (!isLocalDate(lastDate) || lastDate < (a.firstDate as string)) {
    absenceError(where, 'lastDate', `must be a date YYYY-MM-DD, not before firstDate ${String(a.firstDate)}`, lastDate, ctx);
  }
  const p = (a.portion ?? { kind: 'whole' }) as Record<string, unknown>;
  let portion: AbsencePortion;
  if (p.kind === 'whole' || p.kind === 'half') portion = { kind: p.kind };
  else if (p.kind === 'seconds' && Number.isInteger(p.seconds) && (p.seconds as number) > 0 && (p.seconds as number) <= 86_400) {
    portion = { kind: 'seconds', seconds: p.seconds as number };
  } else {
    return absenceError(where, 'portion', 'must be {"kind":"whole"}, {"kind":"half"} or {"kind":"seconds","seconds":1..86400}', a.portion, ctx);
  }
  if (a.note !== undefined && typeof a.note !== 'string') absenceError(where, 'note', 'must be text when given', a.note, ctx);
  return {
    id: a.id as string,
    personId: a.personId as string,
    type: a.type as AbsenceType,
    firstDate: a.firstDate as string,
    lastDate: lastDate as string,
    portion,
    ...(a.note === undefined ? {} : { note: a.note as string }),
  };
}

/** Absences of `personId` covering `date`, in input order. */
export function absencesOn(absences: readonly Absence[], personId: string, date: LocalDate): Absence[] {
  return absences.filter((a) => a.personId === personId && a.firstDate <= date && date <= a.lastDate);
}

/**
 * Seconds an absence credits on a day: never more than what is still expected
 * after holidays (`remainingSeconds`), so an absence on a holiday or a day off
 * credits nothing and time is never credited twice. A half day is half of the
 * day's full expected time (`dayExpectedSeconds`), rounded down to a second.
 */
export function absenceCreditSeconds(portion: AbsencePortion, dayExpectedSeconds: number, remainingSeconds: number): number {
  const wanted =
    portion.kind === 'whole' ? remainingSeconds : portion.kind === 'half' ? Math.floor(dayExpectedSeconds / 2) : portion.seconds;
  return Math.max(0, Math.min(wanted, remainingSeconds));
}
