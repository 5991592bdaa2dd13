import { z } from 'zod';
import { plainText } from './plainText';
import { ABSENCE_TYPES, validateAbsence, type Absence, type AbsencePortion, type AbsenceType } from '../../domain/absence';
import { canonicalJson, type JsonValue } from '../../domain/canonicalJson';
import { DomainError, ErrorCode } from '../../domain/errors';
import { sha256Hex } from '../../domain/hash';
import { daysBetween, isLocalDate, type LocalDate } from '../../domain/localDate';
import type { Clock, KvOperation, KvStore } from '../ports';
import { appendAudit } from './auditLog';
import { withMutex } from './mutex';
import { queryAll } from './queryAll';
import { keys } from './storageKeys';

/**
 * Absences (the "markup" grid) as HR admins keep them, stored under
 * keys.absence(personId, firstDate, absenceId).
 *
 *   listAbsences(kv, personId, range?)               → Absence[]            in first-date order; those touching the range
 *   saveAbsences(deps, actor, AbsencesSaveInput)     → AbsencesSaveResult   bulk: people × date ranges
 *   deleteAbsence(deps, actor, AbsenceDeleteInput)   → Absence              the absence removed
 *
 * Payload schemas for the resolvers: absencesListSchema (`absences/list`), absencesSaveSchema
 * (`absences/save`), absenceDeleteSchema (`absences/delete`).
 *
 * Bulk save, the rules an HR admin can rely on:
 * - One absence per person per range. Its id is derived from person, dates, type and portion
 *   (`a-` + 20 hex digits of a SHA-256), so the same call sent again (a retry after a timeout, a double
 *   click) finds its absences already there and writes nothing; a call cut off half way completes.
 * - No double booking: an absence that shares a day with another absence of the same person (in
 *   storage or in the same call) is refused (ABSENCE_OVERLAP), naming both with ids and dates. To turn
 *   vacation days into sick days, delete the vacation (absences/delete) and save the parts again.
 * - Everything is checked before anything is written: one bad person, range or overlap refuses the
 *   whole call (INVALID_INPUT, INVALID_ABSENCE, ABSENCE_OVERLAP; the message lists up to 10 problems).
 * - At most 200 people, 50 ranges and 1000 absences (people × ranges) a call, each range at most 366
 *   days: beyond, INVALID_INPUT says to split the call.
 * - Audited per group of up to 50 people: one `absence.save` entry (target `abs#<person>#` when it is
 *   about one person, `abs#` when about several) naming the people with absences written, the ranges,
 *   type and portion (which determine every id), and how many were created and changed (only the note
 *   can change under the same id). It is appended before the group's absences are written, in
 *   transactions of at most 25 keys, so nothing is stored unaudited. A failure part way leaves the
 *   groups before it written and audited (and the failed group audited); the same call again completes
 *   the rest. 1000 absences cost about 250 storage calls.
 *
 * Delete: `absence.delete` audited (target `abs#<person>#`, details the absence removed: type, dates, portion) before it
 * is deleted; an unknown id is ABSENCE_NOT_FOUND and changes nothing.
 */

export interface AbsenceDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
}

export const MAX_PEOPLE_PER_CALL = 200;
export const MAX_RANGES_PER_CALL = 50;
export const MAX_ABSENCES_PER_CALL = 1000;
export const MAX_RANGE_DAYS = 366;
export const MAX_NOTE_LENGTH = 500;
/** Problems listed in one refusal; the count says how many more there were. */
const MAX_LISTED_PROBLEMS = 10;
const KV_TRANSACTION_KEYS = 25;
/** People named in one audit entry: 50 account ids and 50 ranges keep its details near 4 KB. */
const PEOPLE_PER_AUDIT_ENTRY = 50;
/** Where every absence key begins: the audit target of an entry about several people. */
const ABSENCE_ROOT = 'abs#';
/** People whose absences are read at the same time. */
const PARALLEL_READS = 10;
/** One absence change on the site at a time (a bulk save spans up to 200 people; one key beats 200). */
export const ABSENCES_MUTEX = 'absences';

/** What a bulk save writes for one person. */
interface PersonPlan {
  readonly personId: string;
  readonly write: Absence[];
  readonly created: string[];
  readonly updated: string[];
}

/** Jira account ids, as src/app/resolverSchemas.ts checks them. */
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });
const localDate = z.string().refine(isLocalDate, { error: (issue) => `must be a date written YYYY-MM-DD, such as 2026-11-15; got ${JSON.stringify(String(issue.input).slice(0, 40))}` });
const dateRange = z.strictObject({ from: localDate, to: localDate });
const absenceId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'must be an absence id such as "a-3f2c…" (as absences/list gives it)' });

export const portionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('whole') }),
  z.strictObject({ kind: z.literal('half') }),
  z.strictObject({ kind: z.literal('seconds'), seconds: z.number().int().min(1).max(86_400) }),
]);

/** `absences/list`: a person's absences, all or those touching `from`–`to` (both included). */
export const absencesListSchema = z.strictObject({ personId: accountId, from: localDate.optional(), to: localDate.optional() });

/** `absences/save`: one absence per person per range, both dates included; portion defaults to the whole day. */
export const absencesSaveSchema = z.strictObject({
  people: z.array(accountId).min(1).max(MAX_PEOPLE_PER_CALL, { error: `at most ${MAX_PEOPLE_PER_CALL} people a call; split the list` }),
  ranges: z.array(dateRange).min(1).max(MAX_RANGES_PER_CALL, { error: `at most ${MAX_RANGES_PER_CALL} ranges a call; split the list` }),
  type: z.enum(ABSENCE_TYPES as [AbsenceType, ...AbsenceType[]]),
  portion: portionSchema.optional(),
  note: plainText(0, MAX_NOTE_LENGTH).optional(),
});

/** `absences/delete`: one absence by its id. */
export const absenceDeleteSchema = z.strictObject({ personId: accountId, absenceId });

export type AbsencesListInput = z.infer<typeof absencesListSchema>;
export type AbsencesSaveInput = z.infer<typeof absencesSaveSchema>;
export type AbsenceDeleteInput = z.infer<typeof absenceDeleteSchema>;

export interface AbsencesSaveResult {
  /** Every absence the call asked for, as now stored, grouped by person in input order. */
  readonly absences: readonly Absence[];
  /** Ids written for the first time. */
  readonly created: readonly string[];
  /** Ids already there whose note changed. */
  readonly updated: readonly string[];
  /** Ids already there exactly as asked (a retried call): not written again. */
  readonly unchanged: readonly string[];
}

const invalidInput = (message: string, details: Record<string, unknown> = {}) => new DomainError(ErrorCode.invalidInput, message, details);
const describe = (a: Pick<Absence, 'id' | 'type' | 'firstDate' | 'lastDate'>) => `${a.type} "${a.id}" (${a.firstDate} – ${a.lastDate})`;
const overlaps = (a: Pick<Absence, 'firstDate' | 'lastDate'>, b: Pick<Absence, 'firstDate' | 'lastDate'>) => a.firstDate <= b.lastDate && b.firstDate <= a.lastDate;

/** The id of the absence of this person, dates, type and portion: the same input always gives the same id. */
export function absenceIdOf(personId: string, firstDate: LocalDate, lastDate: LocalDate, type: AbsenceType, portion: AbsencePortion): string {
  return `a-${sha256Hex(canonicalJson({ personId, firstDate, lastDate, type, portion: { ...portion } })).slice(0, 20)}`;
}

/** Every absence of the person, in first-date order; with a range, only those sharing a day with it. */
export async function listAbsences(kv: KvStore, personId: string, range?: { readonly from?: LocalDate; readonly to?: LocalDate }): Promise<Absence[]> {
  const from = range?.from;
  const to = range?.to;
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (value !== undefined && !isLocalDate(value)) throw invalidInput(`${field} must be a date written YYYY-MM-DD, such as 2026-11-15; got ${JSON.stringify(value)}`, { field });
  }
  if (from !== undefined && to !== undefined && to < from) throw invalidInput(`to ${to} is before from ${from}; give a range that ends on or after it starts`, { field: 'to' });
  const all = (await queryAll<Absence>(kv, keys.absencePrefix(personId))).map((r) => r.value);
  return all.filter((a) => (from === undefined || a.lastDate >= from) && (to === undefined || a.firstDate <= to));
}

/** Throws one error listing the first problems, when there are any. */
function refuseIfAny(code: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
  const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : '';
  throw new DomainError(code, `${problems.length === 1 ? '' : `${problems.length} problems: `}${listed}${more}. Nothing was saved.`, { problems: problems.length });
}

/** The absences a bulk call asks for, each checked by the domain; throws before any read. */
function requestedAbsences(input: AbsencesSaveInput): Absence[] {
  const people = [...new Set(input.people)];
  // The same range twice asks for the same absence once.
  const ranges = [...new Map(input.ranges.map((r) => [`${r.from}/${r.to}`, r])).values()];
  if (people.length === 0 || ranges.length === 0) throw invalidInput('give at least one person and one range { from, to }');
  if (people.length > MAX_PEOPLE_PER_CALL) throw invalidInput(`${people.length} people in one call; at most ${MAX_PEOPLE_PER_CALL}: split the list`);
  if (ranges.length > MAX_RANGES_PER_CALL) throw invalidInput(`${ranges.length} ranges in one call; at most ${MAX_RANGES_PER_CALL}: split the list`);
  if (people.length * ranges.length > MAX_ABSENCES_PER_CALL) {
    throw invalidInput(`${people.length} people × ${ranges.length} ranges is ${people.length * ranges.length} absences; at most ${MAX_ABSENCES_PER_CALL} a call: split the people into groups`);
  }
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > MAX_NOTE_LENGTH)) {
    throw invalidInput(`note must be text of at most ${MAX_NOTE_LENGTH} characters; keep longer explanations elsewhere and refer to them`, { field: 'note' });
  }
  const problems: string[] = [];
  ranges.forEach((r, i) => {
    if (!isLocalDate(r.from) || !isLocalDate(r.to)) problems.push(`range #${i + 1} ${JSON.stringify(r)} needs dates written YYYY-MM-DD`);
    else if (r.to < r.from) problems.push(`range #${i + 1} (${r.from} – ${r.to}) ends before it starts`);
    else if (daysBetween(r.from, r.to) + 1 > MAX_RANGE_DAYS) problems.push(`range #${i + 1} (${r.from} – ${r.to}) is ${daysBetween(r.from, r.to) + 1} days; at most ${MAX_RANGE_DAYS}: split it`);
  });
  const sorted = ranges.filter((r) => isLocalDate(r.from) && isLocalDate(r.to) && r.from <= r.to).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (b.from <= a.to) problems.push(`ranges ${a.from} – ${a.to} and ${b.from} – ${b.to} share days; give each day once`);
  }
  refuseIfAny(ErrorCode.invalidInput, problems);

  const portion = input.portion ?? { kind: 'whole' as const };
  const out: Absence[] = [];
  for (const personId of people) {
    for (const r of ranges) {
      try {
        out.push(
          validateAbsence({
            id: absenceIdOf(personId, r.from, r.to, input.type, portion),
            personId,
            type: input.type,
            firstDate: r.from,
            lastDate: r.to,
            portion,
            ...(input.note === undefined ? {} : { note: input.note }),
          }),
        );
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        problems.push(`person ${personId}, ${r.from} – ${r.to}: ${e.message}`);
      }
    }
  }
  refuseIfAny(ErrorCode.invalidAbsence, problems);
  return out;
}

/**
 * Saves one absence per person per range, all or nothing for anything that can be checked; see the
 * module comment for retries, overlaps, limits and auditing. `actor` is the HR admin's account id.
 */
export async function saveAbsences(deps: AbsenceDeps, actor: string, input: AbsencesSaveInput): Promise<AbsencesSaveResult> {
  const requested = requestedAbsences(input);
  const byPerson = new Map<string, Absence[]>();
  for (const a of requested) byPerson.set(a.personId, [...(byPerson.get(a.personId) ?? []), a]);
  // From the overlap check to the last write, no other absence change: two saves at once would both pass the check.
  return withMutex(deps, ABSENCES_MUTEX, { what: `saving absences of ${byPerson.size} ${byPerson.size === 1 ? 'person' : 'people'}`, waitMs: 10_000 }, async () => {

    // Read every person's absences (a few at a time) and check them all before the first write.
    const people = [...byPerson.keys()];
    const stored = new Map<string, Absence[]>();
    for (let i = 0; i < people.length; i += PARALLEL_READS) {
      const group = people.slice(i, i + PARALLEL_READS);
      const lists = await Promise.all(group.map((p) => listAbsences(deps.kv, p)));
      group.forEach((p, k) => stored.set(p, lists[k]!));
    }
    const problems: string[] = [];
    const plans: PersonPlan[] = [];
    const unchanged: string[] = [];
    for (const [personId, wanted] of byPerson) {
      const existing = stored.get(personId)!;
      const plan: PersonPlan = { personId, write: [], created: [], updated: [] };
      for (const a of wanted) {
        const same = existing.find((s) => s.id === a.id);
        if (same) {
          if (canonicalJson(same as unknown as JsonValue) === canonicalJson(a as unknown as JsonValue)) unchanged.push(a.id);
          else (plan.write.push(a), plan.updated.push(a.id));
          continue;
        }
        const clash = existing.find((s) => overlaps(s, a));
        if (clash) {
          problems.push(
            `${describe(a)} for person ${personId} shares days with ${describe(clash)} from ${a.firstDate > clash.firstDate ? a.firstDate : clash.firstDate} to ${a.lastDate < clash.lastDate ? a.lastDate : clash.lastDate}; delete "${clash.id}" first (absences/delete) or leave those days out`,
          );
          continue;
        }
        plan.write.push(a);
        plan.created.push(a.id);
      }
      if (plan.write.length > 0) plans.push(plan);
    }
    refuseIfAny('ABSENCE_OVERLAP', problems);

    // One audit entry per group of up to 50 people, then their absences in transactions of 25 keys.
    const portion = input.portion ?? { kind: 'whole' as const };
    const ranges = [...new Map(input.ranges.map((r) => [`${r.from}/${r.to}`, { from: r.from, to: r.to }])).values()];
    for (let i = 0; i < plans.length; i += PEOPLE_PER_AUDIT_ENTRY) {
      const group = plans.slice(i, i + PEOPLE_PER_AUDIT_ENTRY);
      await appendAudit(deps.kv, {
        at: deps.clock.now(),
        actor,
        people: group.map((p) => p.personId),
        action: 'absence.save',
        target: group.length === 1 ? keys.absencePrefix(group[0]!.personId) : ABSENCE_ROOT,
        details: {
          // Person, range, type and portion determine each absence's id, so this names every absence written.
          people: group.map((p) => p.personId),
          ranges,
          type: input.type,
          portion: { ...portion },
          created: group.reduce((n, p) => n + p.created.length, 0),
          updated: group.reduce((n, p) => n + p.updated.length, 0),
          // Whole, so that an account id in it is recognised (and named by pseudonym) by the audit log.
        ...(input.note === undefined ? {} : { note: input.note }),
        },
      });
      const ops: KvOperation[] = group.flatMap((p) => p.write.map((a) => ({ kind: 'set' as const, key: keys.absence(a.personId, a.firstDate, a.id), value: a })));
      for (let k = 0; k < ops.length; k += KV_TRANSACTION_KEYS) await deps.kv.transact(ops.slice(k, k + KV_TRANSACTION_KEYS));
    }
    return {
      absences: requested,
      created: plans.flatMap((p) => p.created),
      updated: plans.flatMap((p) => p.updated),
      unchanged,
    };
  });
}

/** Deletes one absence of the person; ABSENCE_NOT_FOUND when the person has none by that id. */
export async function deleteAbsence(deps: AbsenceDeps, actor: string, input: AbsenceDeleteInput): Promise<Absence> {
  const { personId, absenceId: id } = input;
  return withMutex(deps, ABSENCES_MUTEX, { what: `deleting absence ${id} of ${personId}`, waitMs: 10_000 }, async () => {
    const found = (await listAbsences(deps.kv, personId)).find((a) => a.id === id);
    if (!found) {
      throw new DomainError('ABSENCE_NOT_FOUND', `person ${personId} has no absence "${id}"; absences/list gives the ids. Nothing was deleted.`, { personId, absenceId: id });
    }
    const key = keys.absence(personId, found.firstDate, found.id);
    // Not the absence's key or id: both hash the person's account id, which an erasure must leave nowhere.
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      people: [personId],
      action: 'absence.delete',
      target: keys.absencePrefix(personId),
      details: { personId, before: { type: found.type, firstDate: found.firstDate, lastDate: found.lastDate, portion: { ...found.portion } } },
  });
  await deps.kv.delete(key);
  return found;
  });
}
