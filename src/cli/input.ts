import { readFileSync } from 'node:fs';
import { validateAbsence, type Absence } from '../../domain/absence';
import { assertNoOverlaps, validateContract, type Contract } from '../../domain/contract';
import { DAY_POLICIES, type DayPolicy } from '../../domain/dayAssignment';
import { DomainError, ErrorCode } from '../../domain/errors';
import { HOLIDAY_TYPES, validateHolidayCalendar, type HolidayCalendar, type HolidayType } from '../../domain/holidays';
import { parseInstant } from '../../domain/instant';
import { validateRecuperationRules, type RecuperationRules } from '../../domain/ledger';
import { assertValidWorklog, type Worklog } from '../../domain/worklog';
import { parseZone } from '../../domain/zoneOffsets';
import { UsageError } from './args';

/** One person in a CLI input file; everything but `id` is optional. */
export interface InputPerson {
  readonly id: string;
  readonly timeZone: string | null;
  readonly openingBalanceSeconds: number;
  readonly recuperationRules: RecuperationRules | undefined;
}

/** A CLI input file after validation: domain types only. */
export interface CliInput {
  readonly siteTimeZone: string;
  readonly dayPolicy: DayPolicy | undefined;
  readonly countedHolidayTypes: readonly HolidayType[] | undefined;
  readonly people: readonly InputPerson[];
  readonly worklogs: readonly Worklog[];
  readonly contracts: readonly Contract[];
  readonly holidayCalendars: readonly HolidayCalendar[];
  readonly absences: readonly Absence[];
}

const inputError = (message: string, details: Record<string, unknown> = {}): never => {
  throw new DomainError(ErrorCode.invalidInput, message, details);
};

/** Reads and parses a JSON file, turning I/O and syntax errors into messages that name the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `input file ${path} does not exist` : `cannot read input file ${path} (${code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return inputError(`input file ${path} is not valid JSON: ${(e as Error).message}`, { file: path });
  }
}

function list(root: Record<string, unknown>, field: string, required: boolean): unknown[] {
  const value = root[field];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) inputError(`"${field}" must be a list${required ? '' : ' when given'}; got ${JSON.stringify(value)?.slice(0, 80)}`, { field });
  return value as unknown[];
}

function person(raw: unknown, i: number): InputPerson {
  const p = (raw ?? {}) as Record<string, unknown>;
  const where = `people[${i}]`;
  if (typeof p.id !== 'string' || p.id.length === 0) inputError(`${where}: id must be a non-empty string; got ${JSON.stringify(p.id)}`, { index: i, field: 'id' });
  const zone = p.timeZone ?? null;
  const opening = p.openingBalanceSeconds ?? 0;
  if (!Number.isInteger(opening)) {
    inputError(`${where} (${p.id as string}): openingBalanceSeconds must be a whole number of seconds; got ${JSON.stringify(opening)}`, { index: i, field: 'openingBalanceSeconds' });
  }
  return {
    id: p.id as string,
    timeZone: zone === null ? null : parseZone(zone, `${where} (${p.id as string}).timeZone`),
    openingBalanceSeconds: opening as number,
    recuperationRules: p.recuperationRules === undefined ? undefined : validateRecuperationRules(p.recuperationRules),
  };
}

function worklog(raw: unknown, i: number): Worklog {
  const w = (raw ?? {}) as Record<string, unknown>;
  const where = `worklog ${JSON.stringify(w.id ?? null)} (#${i})`;
  if (w.started === undefined) inputError(`${where}: started is missing; give the start as "2026-03-29T01:30:00.000+0000" or epoch ms`, { index: i, field: 'started' });
  if (w.seconds === undefined) inputError(`${where}: seconds is missing; give the duration in whole seconds`, { index: i, field: 'seconds' });
  const parsed: Worklog = {
    id: typeof w.id === 'number' ? String(w.id) : (w.id as string),
    authorId: w.authorId as string,
    started: parseInstant(w.started, `${where}: started`),
    seconds: w.seconds as number,
    ...(w.issueId === undefined ? {} : { issueId: String(w.issueId) }),
    ...(w.updated === undefined ? {} : { updated: parseInstant(w.updated, `${where}: updated`) }),
  };
  assertValidWorklog(parsed, i);
  return parsed;
}

/** Throws naming both records when two records of `field` share an id: which one would the user mean? */
function assertUniqueIds(field: string, records: readonly { readonly id: string }[]): void {
  const first = new Map<string, number>();
  records.forEach((r, i) => {
    const earlier = first.get(r.id);
    if (earlier !== undefined) {
      inputError(`${field}[${earlier}] and ${field}[${i}] both have id ${JSON.stringify(r.id)}; give each its own id`, { field, id: r.id, indexes: [earlier, i] });
    }
    first.set(r.id, i);
  });
}

/**
 * The file is the whole world: a record for someone not in "people" is a
 * typo or a missing person, and counting it anyway (in the site zone) or
 * leaving it out would both change figures without a word.
 */
function assertKnownPerson(known: ReadonlySet<string>, where: string, field: string, personId: string): void {
  if (!known.has(personId)) {
    inputError(
      `${where}: ${field} ${JSON.stringify(personId)} is not in "people"; add { "id": ${JSON.stringify(personId)}, "timeZone": … } to "people" (timeZone null counts them in the site zone), or correct the ${field}`,
      { field, value: personId },
    );
  }
}

/** Validates a parsed input file into domain types, or throws an error naming the record and field. */
export function parseCliInput(raw: unknown): CliInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) inputError('the input must be a JSON object with "people" and "worklogs"');
  const root = raw as Record<string, unknown>;
  const siteTimeZone = parseZone(root.siteTimeZone ?? 'UTC', 'siteTimeZone');
  const policy = root.dayPolicy;
  if (policy !== undefined && !DAY_POLICIES.includes(policy as DayPolicy)) {
    inputError(`dayPolicy must be one of ${DAY_POLICIES.join(', ')}; got ${JSON.stringify(policy)}`, { field: 'dayPolicy' });
  }
  const counted = root.countedHolidayTypes;
  if (counted !== undefined && (!Array.isArray(counted) || counted.some((t) => !HOLIDAY_TYPES.includes(t as HolidayType)))) {
    inputError(`countedHolidayTypes must list types among ${HOLIDAY_TYPES.join(', ')}; got ${JSON.stringify(counted)}`, { field: 'countedHolidayTypes' });
  }
  const people = list(root, 'people', true).map(person);
  assertUniqueIds('people', people);
  const worklogs = list(root, 'worklogs', true).map(worklog);
  assertUniqueIds('worklogs', worklogs);
  const contracts = list(root, 'contracts', false).map((c, i) => validateContract(c, i));
  assertUniqueIds('contracts', contracts);
  const holidayCalendars = list(root, 'holidayCalendars', false).map((c, i) => validateHolidayCalendar(c, i));
  assertUniqueIds('holidayCalendars', holidayCalendars);
  const absences = list(root, 'absences', false).map((a, i) => validateAbsence(a, i));
  assertUniqueIds('absences', absences);
  const known = new Set(people.map((p) => p.id));
  worklogs.forEach((w, i) => assertKnownPerson(known, `worklog ${JSON.stringify(w.id)} (#${i})`, 'authorId', w.authorId));
  contracts.forEach((c, i) => assertKnownPerson(known, `contract ${JSON.stringify(c.id)} (#${i})`, 'personId', c.personId));
  absences.forEach((a, i) => assertKnownPerson(known, `absence ${JSON.stringify(a.id)} (#${i})`, 'personId', a.personId));
  assertNoOverlaps(contracts);
  return {
    siteTimeZone,
    dayPolicy: policy as DayPolicy | undefined,
    countedHolidayTypes: counted as HolidayType[] | undefined,
    people,
    worklogs,
    contracts,
    holidayCalendars,
    absences,
  };
}

