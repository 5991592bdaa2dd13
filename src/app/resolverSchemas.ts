import { z } from 'zod';
import { characterCount, plainText, quoted, visibleCount } from './plainText';
import { isLocalDate } from '../../domain/localDate';
import { periodFromKey, whyNotACalendarDate } from '../../domain/period';
import { roleAssignmentsSchema, settingsChangesSchema, teamSaveSchema, teamSchema } from './administration';
import { absenceDeleteSchema, absencesListSchema, absencesSaveSchema } from './absences';
import { contractEndSchema, contractSaveSchema, contractsListSchema } from './contracts';
import { adjustSchema, payoutSchema } from './ledgerStore';
import { PEOPLE_NAMES_MAX } from './people';
import { holidayCalendarSchema, holidayCountriesSchema, holidayImportSchema, holidaySaveSchema } from '../holidays/holidayCalendars';

/** The longest period a resolver reports on in one call: a year and a day. */
export const MAX_RESOLVER_PERIOD_DAYS = 366;

/** A date of a range: the message says why a string that looks like a date is none. */
const localDate = z.string().refine(isLocalDate, {
  error: (issue) => {
    const typed = String(issue.input);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
    const why = m ? whyNotACalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    return why ? `must be a date written YYYY-MM-DD; ${JSON.stringify(typed)} is not one (${why})` : `must be a date written YYYY-MM-DD, such as 2026-11-15; got ${JSON.stringify(typed.slice(0, 40))}`;
  },
});
/** An instant, epoch milliseconds. */
const epochMs = z.number().int().min(0).max(8.64e15);
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });

const PERIOD_FORMS =
  '{"periodKey":"2026-11"} (a month; or an ISO week 2026-W47, a week from a start day wk7-20261122, a range r-20261101-20261115) or {"from":"2026-11-01","to":"2026-11-15"}';

/** Why a value matches neither period form, when no single form comes close enough for zod to name one field. */
function periodFormProblem(input: unknown): string {
  if (input === undefined) return `is missing; send ${PERIOD_FORMS}`;
  if (typeof input === 'string') return `must be an object; got the string ${JSON.stringify(input.slice(0, 40))}. Send {"periodKey":${JSON.stringify(input.slice(0, 40))}}`;
  if (input === null || typeof input !== 'object') return `must be an object; got ${JSON.stringify(input) ?? typeof input}. Send ${PERIOD_FORMS}`;
  if (Array.isArray(input)) return `must be an object; got an array. Send ${PERIOD_FORMS}`;
  const has = (field: string) => Object.hasOwn(input, field);
  if (has('periodKey') && (has('from') || has('to'))) return `has both a periodKey and from/to; send one of them: ${PERIOD_FORMS}`;
  if (has('periodKey')) return `periodKey must be a string such as "2026-11"; got ${String(JSON.stringify((input as { periodKey: unknown }).periodKey)).slice(0, 40)}`;
  if (has('from') && has('to')) {
    const [field, value] = typeof (input as { from: unknown }).from !== 'string' ? ['from', (input as { from: unknown }).from] : ['to', (input as { to: unknown }).to];
    return `${field} must be a date written YYYY-MM-DD, such as "${field === 'from' ? '2026-11-01' : '2026-11-15'}"; got ${String(JSON.stringify(value)).slice(0, 40)}`;
  }
  if (has('from') !== has('to')) {
    const [given, missing] = has('from') ? ['from', 'to'] : ['to', 'from'];
    return `has ${given} but no ${missing}; a range needs both, dates written YYYY-MM-DD, both included, such as {"from":"2026-11-01","to":"2026-11-15"}`;
  }
  const shown = JSON.stringify(input);
  return `needs a periodKey, or a from and a to; got ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}. Send ${PERIOD_FORMS}`;
}

/** A period is named by its key (2026-11, 2026-W47, …) or given as a range of dates. */
const periodKey = z
  .string()
  .min(1, { error: 'must not be empty; send a period key such as "2026-11"' })
  .max(40, { error: (issue) => `is ${String(issue.input).length} characters; a period key has at most 40, such as "r-20261101-20261115"` });
/** A period key that names a real period (it becomes part of storage keys): the period's own message when not. */
const realPeriodKey = periodKey.superRefine((key, ctx) => {
  try {
    periodFromKey(key);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});
/** Why a period is sent back or unlocked: kept in its history and the audit log. */
const transitionReason = plainText(3, 500);
/** A field neither form takes. */
const periodForm = { error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `has a field a period does not take: ${issue.keys!.map((k) => JSON.stringify(k)).join(', ')}; send ${PERIOD_FORMS}` : undefined) };

export const periodSchema = z.union([z.strictObject({ periodKey }, periodForm), z.strictObject({ from: localDate, to: localDate }, periodForm)], {
  error: (issue) => periodFormProblem(issue.input),
});

/** What people/search looks for: the start of a name or an email, trimmed. */
const peopleQuery = z
  .string({ error: (issue) => (issue.input === undefined ? 'is missing; send the start of a name or an email, such as "ann"' : `must be text, such as "ann"; got ${JSON.stringify(issue.input)}`) })
  .trim()
  // Characters as people count them, invisible ones not at all (the same rule as names and reasons: src/app/plainText.ts).
  .superRefine((query, ctx) => {
    if (visibleCount(query) < 2) ctx.addIssue({ code: 'custom', message: `must have at least 2 visible characters; got ${quoted(query)}. Type more of the name` });
    else if (characterCount(query) > 100) ctx.addIssue({ code: 'custom', message: `has ${characterCount(query)} characters; at most 100. Type the start of a name or an email` });
  });

/** Every resolver's payload, strict: unknown fields are refused, not ignored. */
export const resolverSchemas = {
  'report/mine': z.strictObject({ period: periodSchema }),
  'balance/mine': z.strictObject({}),
  'report/person': z.strictObject({ accountId, period: periodSchema }),
  'balance/person': z.strictObject({ accountId }),
  'sync/progress': z.strictObject({}),
  'sync/start-import': z.strictObject({}),
  'audit/list': z.strictObject({
    filters: z.strictObject({ from: epochMs, to: epochMs, actor: z.string().min(1).max(128), action: z.string().min(1).max(100), target: z.string().min(1).max(500) }).partial().optional(),
    cursor: z.string().max(20).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  'audit/verify': z.strictObject({
    fromSeq: z.number().int().min(1).optional(),
    toSeq: z.number().int().min(1).optional(),
    checkpoint: z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the 64-hex hash audit/checkpoint gave' }) }).optional(),
  }),
  'audit/checkpoint': z.strictObject({}),
  'roles/get': z.strictObject({}),
  // `basedOn`: the assignments as the caller read them, so a change someone made since is not overwritten unseen.
  'roles/save': z.strictObject({ assignments: roleAssignmentsSchema, basedOn: roleAssignmentsSchema.optional() }),
  'teams/list': z.strictObject({}),
  'me/get': z.strictObject({}),
  'teams/save': teamSaveSchema,
  'settings/get': z.strictObject({}),
  'settings/save': z.strictObject({ changes: settingsChangesSchema }),
  'record/mine': z.strictObject({ period: periodSchema }),
  'record/person': z.strictObject({ accountId, period: periodSchema }),
  'ledger/history': z.strictObject({ accountId }),
  'ledger/adjust': adjustSchema,
  'ledger/payout': payoutSchema,
  // Without rules: the site's rules; with them: replaces them (HR admins and Jira admins only).
  'ledger/rules': z.strictObject({ rules: z.record(z.string(), z.unknown()).optional() }),
  'contracts/list': contractsListSchema,
  'contracts/save': contractSaveSchema,
  'contracts/end': contractEndSchema,
  'absences/list': absencesListSchema,
  'absences/save': absencesSaveSchema,
  'absences/delete': absenceDeleteSchema,
  'holidays/countries': holidayCountriesSchema,
  'holidays/preview': holidayImportSchema,
  'holidays/import': holidayImportSchema,
  'holidays/calendar': holidayCalendarSchema,
  'holidays/save': holidaySaveSchema,
  'periods/status': z.strictObject({ personId: accountId, periodKey: realPeriodKey }),
  'periods/submit': z.strictObject({ periodKey: realPeriodKey }),
  'periods/approve': z.strictObject({ personId: accountId, periodKey: realPeriodKey }),
  'periods/reject': z.strictObject({ personId: accountId, periodKey: realPeriodKey, reason: transitionReason }),
  'periods/lock': z
    .strictObject({ periodKey: realPeriodKey, people: z.array(accountId).min(1).max(2000).optional(), teamId: teamSchema.shape.id.optional() })
    .refine((p) => p.people !== undefined || p.teamId !== undefined, { message: 'name the people to lock, or a teamId, or both' }),
  'periods/unlock': z.strictObject({ personId: accountId, periodKey: realPeriodKey, reason: transitionReason }),
  'periods/job': z.strictObject({ jobId: z.string().min(1).max(80).regex(/^[A-Za-z0-9-]+$/, { message: 'must be a job id as periods/lock gave it' }) }),
  'snapshots/list': z.strictObject({
    personId: accountId.optional(),
    periodKey: realPeriodKey.optional(),
    limit: z.number().int().min(1).max(100).optional(),
    cursor: z.string().min(1).max(2000).regex(/^[A-Za-z0-9_-]+$/, { message: 'must be the nextCursor of the previous page, as snapshots/list gave it' }).optional(),
  }),
  'snapshots/get': z.strictObject({ personId: accountId, periodKey: realPeriodKey, version: z.number().int().min(1).optional() }),
  'drift/get': z.strictObject({ personId: accountId, periodKey: realPeriodKey }),
  'people/search': z.strictObject({ query: peopleQuery }),
  'people/known': z.strictObject({ cursor: z.string().min(1, { message: 'must be the nextCursor a previous page gave; leave it out for the first page' }).max(2000).optional() }),
  'people/names': z.strictObject({
    accountIds: z
      .array(accountId)
      .min(1, { message: 'must name at least one account id' })
      .max(PEOPLE_NAMES_MAX, { message: `names at most ${PEOPLE_NAMES_MAX} account ids a call; send the rest in another call` }),
  }),
  'worklogs/mine': z.strictObject({ date: localDate }),
  'worklogs/person': z.strictObject({ accountId, date: localDate }),
} as const;

export type ResolverPayloads = { [K in keyof typeof resolverSchemas]: z.infer<(typeof resolverSchemas)[K]> };
