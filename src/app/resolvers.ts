import { DomainError } from '../../domain/errors';
import { daysBetween } from '../../domain/localDate';
import { periodFromKey, rangePeriod, type Period } from '../../domain/period';
import { reachesPlatform, SourceRateLimitedError, type Clock, type Directory, type EventQueue, type IssueLookup, type KvStore, type PeopleDirectory, type Permissions } from '../ports';
import { deleteAbsence, listAbsences, saveAbsences } from './absences';
import { getRoles, getSettings, listTeams, saveRoles, saveSettings, saveTeam } from './administration';
import { endContract, listContracts, saveContract } from './contracts';
import { appendAudit, auditCheckpoint, listAudit, verifyAudit } from './auditLog';
import { authorize, loadCaller, type Caller, type ResolverKey } from './authorization';
import { adjustLedger, ledgerBalance, ledgerHistory, payOut, recuperationRules, saveRecuperationRules } from './ledgerStore';
import { readSyncProgress, startImport } from './importProgress';
import { loadDayWorklogs } from './dayWorklogs';
import { loadReport } from './loadReport';
import { loadWorkingTimeRecord } from './workingTimeRecords';
import { loadSettings } from './settings';
import { readLockJob, startLockJob } from './lockJobs';
import { approvePeriod, periodDrift, periodStatus, rejectPeriod, submitPeriod, unlockPersonPeriod } from './periodLock';
import { listSnapshots, readSnapshot } from './snapshots';
import { getHolidayCalendar, holidayCountries, holidaySourceFor, importHolidays, previewHolidayImport, saveHolidays } from '../holidays/holidayCalendars';
import type { HttpFetch } from '../holidays/nagerDate';
import { knownPeople, namePeople, searchPeople } from './people';
import { erasedAmong } from './privacy';
import { knownPersonZones } from './personZones';
import { MAX_RESOLVER_PERIOD_DAYS, resolverSchemas, type ResolverPayloads } from './resolverSchemas';
import { keys } from './storageKeys';

/** One envelope for every resolver answer, shared by the back end and the UI. */
export type ResolverResult<T = unknown> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string; readonly issues?: readonly string[] } };

export interface ResolverDeps {
  readonly kv: KvStore;
  readonly directory: Directory;
  /** Finding people by name (people/search, people/names); a runtime without it answers PEOPLE_DIRECTORY_UNAVAILABLE there. */
  readonly people?: PeopleDirectory;
  readonly permissions: Permissions;
  readonly syncQueue: EventQueue;
  /** Where lock jobs go (the `periods` queue). */
  readonly periodsQueue: EventQueue;
  /** The runtime's fetch for Nager.Date (its declared egress), used only when the settings choose that provider. */
  readonly nagerFetch?: HttpFetch | null;
  /** Issue keys and summaries as the caller may see them (Forge: asUser); without it worklogs/* answer none. */
  readonly issueLookup?: IssueLookup;
  readonly clock: Clock;
  readonly log?: (message: string, error: unknown) => void;
}

const fail = (code: string, message: string, issues?: string[]): ResolverResult<never> => ({ ok: false, error: { code, message, ...(issues ? { issues } : {}) } });

function toPeriod(input: ResolverPayloads['report/mine']['period']): Period {
  const keyed = 'periodKey' in input ? periodFromKey(input.periodKey) : null;
  // A from/to range is measured before the engine builds it, so a ten-year range hears this limit, not the engine's wider one.
  const { firstDate: first, lastDate: last } = keyed ?? { firstDate: (input as { from: string }).from, lastDate: (input as { to: string }).to };
  const days = daysBetween(first, last) + 1;
  if (first <= last && days > MAX_RESOLVER_PERIOD_DAYS) {
    throw new DomainError('PERIOD_TOO_LONG', `a report covers at most ${MAX_RESOLVER_PERIOD_DAYS} days; this period has ${days}. Ask for a shorter one.`, { days });
  }
  return keyed ?? rangePeriod(first, last);
}

/** A resolver's work, for the caller as the server established them (`caller.accountId` is who calls). */
type Handler<K extends ResolverKey> = (deps: ResolverDeps, payload: ResolverPayloads[K], caller: string, roles: Caller) => Promise<unknown>;

const handlers: { [K in ResolverKey]: Handler<K> } = {
  'report/mine': (deps, p, caller) => loadReport(deps, caller, toPeriod(p.period)),
  'report/person': (deps, p) => loadReport(deps, p.accountId, toPeriod(p.period)),
  'balance/mine': (deps, _p, caller) => ledgerBalance(deps.kv, caller),
  'balance/person': (deps, p) => ledgerBalance(deps.kv, p.accountId),
  'sync/progress': (deps) => readSyncProgress(deps.kv, { now: deps.clock.now() }),
  'sync/start-import': async (deps, _p, caller) => {
    const started = await startImport(deps);
    await appendAudit(deps.kv, { at: deps.clock.now(), actor: caller, action: 'import.start', target: keys.syncProgress, details: { runId: started.runId } });
    return started;
  },
  'audit/list': (deps, p) => listAudit(deps.kv, p.filters ?? {}, { ...(p.cursor !== undefined ? { cursor: p.cursor } : {}), ...(p.limit !== undefined ? { limit: p.limit } : {}) }),
  'audit/verify': (deps, p) => verifyAudit(deps.kv, p),
  'audit/checkpoint': (deps) => auditCheckpoint(deps.kv),
  'roles/get': (deps) => getRoles(deps.kv),
  'roles/save': (deps, p, caller) => saveRoles(deps, caller, p.assignments, p.basedOn),
  'teams/list': async (deps, _p, caller, roles) => {
    const teams = await listTeams(deps.kv);
    const seesAll = (['jira-admin', 'hr-admin', 'auditor'] as const).some((r) => roles.roles.has(r));
    return seesAll ? teams : teams.filter((t) => t.leads.includes(caller));
  },
  'me/get': async (deps, _p, caller, roles) => ({
    accountId: caller,
    roles: [...roles.roles].sort(),
    timeZone: (await knownPersonZones(deps, [caller])).get(caller) ?? null,
  }),
  'teams/save': (deps, p, caller) => saveTeam(deps, caller, p),
  'settings/get': (deps) => getSettings(deps.kv),
  'settings/save': (deps, p, caller) => saveSettings(deps, caller, p.changes),
  'record/mine': (deps, p, caller) => loadWorkingTimeRecord(deps, caller, toPeriod(p.period)),
  'record/person': (deps, p) => loadWorkingTimeRecord(deps, p.accountId, toPeriod(p.period)),
  'ledger/history': (deps, p) => ledgerHistory(deps, p.accountId),
  'ledger/adjust': (deps, p, caller) => adjustLedger(deps, caller, p),
  'ledger/payout': (deps, p, caller) => payOut(deps, caller, p),
  'ledger/rules': async (deps, p, caller, roles) => {
    if (p.rules === undefined) return recuperationRules(deps.kv);
    if (!roles.roles.has('hr-admin') && !roles.roles.has('jira-admin')) {
      throw new DomainError('FORBIDDEN', 'changing the recuperation rules needs the HR admin or Jira admin role; ask a Jira admin');
    }
    return saveRecuperationRules(deps, caller, p.rules);
  },
  'contracts/list': (deps, p) => listContracts(deps.kv, p.personId),
  'contracts/save': (deps, p, caller) => saveContract(deps, caller, p),
  'contracts/end': (deps, p, caller) => endContract(deps, caller, p),
  'absences/list': (deps, p) => listAbsences(deps.kv, p.personId, { ...(p.from ? { from: p.from } : {}), ...(p.to ? { to: p.to } : {}) }),
  'absences/save': (deps, p, caller) => saveAbsences(deps, caller, p),
  'absences/delete': (deps, p, caller) => deleteAbsence(deps, caller, p),
  'holidays/countries': async (deps, p) => holidayCountries(await holidaySource(deps), p),
  'holidays/preview': async (deps, p) => previewHolidayImport(deps.kv, await holidaySource(deps), p),
  'holidays/import': async (deps, p, caller) => importHolidays(deps, caller, await holidaySource(deps), p),
  'holidays/calendar': (deps, p) => getHolidayCalendar(deps.kv, p),
  'holidays/save': (deps, p, caller) => saveHolidays(deps, caller, p),
  'periods/status': (deps, p) => periodStatus(deps.kv, p.personId, p.periodKey),
  'periods/submit': (deps, p, caller) => submitPeriod(deps, { personId: caller, periodKey: p.periodKey, actor: caller }),
  'periods/approve': (deps, p, caller) => approvePeriod(deps, { personId: p.personId, periodKey: p.periodKey, actor: caller }),
  'periods/reject': (deps, p, caller) => rejectPeriod(deps, { personId: p.personId, periodKey: p.periodKey, actor: caller, reason: p.reason }),
  'periods/lock': (deps, p, caller) => startLockJob(deps, caller, p),
  'periods/unlock': (deps, p, caller) => unlockPersonPeriod(deps, { personId: p.personId, periodKey: p.periodKey, actor: caller, reason: p.reason }),
  'periods/job': (deps, p) => readLockJob(deps.kv, p.jobId),
  'snapshots/list': (deps, p) =>
    listSnapshots(deps.kv, { ...(p.personId ? { personId: p.personId } : {}), ...(p.periodKey ? { periodKey: p.periodKey } : {}) }, { ...(p.limit ? { limit: p.limit } : {}), ...(p.cursor ? { cursor: p.cursor } : {}) }),
  'snapshots/get': (deps, p) => readSnapshot(deps.kv, p.personId, p.periodKey, p.version),
  'drift/get': (deps, p) => periodDrift(deps.kv, p.personId, p.periodKey),
  'people/search': (deps, p) => searchPeople(deps, p.query),
  'people/names': (deps, p) => namePeople(deps, p.accountIds),
  'people/known': (deps, p) => knownPeople(deps.kv, p.cursor),
  'worklogs/mine': (deps, p, caller) => loadDayWorklogs(deps, caller, p.date),
  'worklogs/person': (deps, p) => loadDayWorklogs(deps, p.accountId, p.date),
};

/**
 * The holiday provider the site's settings name: the offline one (nothing leaves the site) unless an
 * admin chose Nager.Date, which goes through the runtime's fetch for its declared host; a runtime that
 * passes none answers HOLIDAY_PROVIDER_UNAVAILABLE.
 */
async function holidaySource(deps: ResolverDeps) {
  const { holidayProvider } = await loadSettings(deps.kv);
  return holidaySourceFor(holidayProvider, { kv: deps.kv, nagerFetch: deps.nagerFetch ?? null });
}

/** Whose data a call is about, when it is about someone. */
function subjectOf(resolver: ResolverKey, payload: Record<string, unknown>): string | undefined {
  return PERSON_SUBJECT.has(resolver) ? ((payload.accountId ?? payload.personId) as string) : undefined;
}

/** Resolvers whose payload's accountId (or personId) names the person they are about (self and team-lead rules apply to that person). */
const PERSON_SUBJECT: ReadonlySet<ResolverKey> = new Set([
  'report/person', 'balance/person', 'record/person', 'ledger/history', 'contracts/list', 'absences/list',
  'periods/status', 'periods/approve', 'periods/reject', 'snapshots/get', 'drift/get', 'ledger/adjust', 'ledger/payout', 'worklogs/person',
]);

/** Resolvers that answer about one person (the subject, or the caller for `…/mine`): that person must be one Jira knows. */
const ABOUT_A_PERSON: ReadonlySet<ResolverKey> = new Set([
  'report/mine', 'report/person', 'balance/mine', 'balance/person', 'record/mine', 'record/person',
  'ledger/history', 'ledger/adjust', 'ledger/payout', 'contracts/list', 'contracts/save', 'contracts/end', 'absences/list',
  'worklogs/mine', 'worklogs/person',
]);

/**
 * The accounts a write would store data about. An account this site erased is refused (PERSON_ERASED):
 * a stale page must not give an erased person data again, nor (by registering them) give their
 * pseudonym back its name in the audit log.
 */
const WRITTEN_ABOUT: Partial<Record<ResolverKey, (p: Record<string, unknown>) => string[]>> = {
  'contracts/save': (p) => [p.personId as string],
  'contracts/end': (p) => [p.personId as string],
  'absences/save': (p) => p.people as string[],
  'absences/delete': (p) => [p.personId as string],
  'ledger/adjust': (p) => [p.accountId as string],
  'ledger/payout': (p) => [p.accountId as string],
  'teams/save': (p) => {
    const team = p.team as { leads: string[]; members: string[] } | undefined;
    return team ? [...team.leads, ...team.members] : [];
  },
  'roles/save': (p) => {
    const a = p.assignments as { hrAdmins: { accounts: string[] }; auditors: { accounts: string[] } };

    return [...a.hrAdmins.accounts, ...a.auditors.accounts];
  },
  'periods/lock': (p) => (p.people as string[] | undefined) ?? [],
  'periods/approve': (p) => [p.personId as string],
  'periods/reject': (p) => [p.personId as string],
  'periods/unlock': (p) => [p.personId as string],
};

/**
 * Runs a resolver for the caller Forge (or the local runtime) vouches for:
 * the payload is validated against its schema, the caller's roles are
 * established on the server, the access table decides, and every failure
 * comes back as a code and a message, never as a crash.
 */
export async function invokeResolver(deps: ResolverDeps, name: string, payload: unknown, callerAccountId: string | undefined): Promise<ResolverResult> {
  if (!Object.hasOwn(resolverSchemas, name)) return fail('UNKNOWN_RESOLVER', `there is no resolver called ${JSON.stringify(name)}`);
  const resolver = name as ResolverKey;
  if (!callerAccountId) return fail('UNAUTHENTICATED', 'this call has no user; resolvers answer signed-in users only');
  const parsed = resolverSchemas[resolver].safeParse(payload ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
    return fail('INVALID_INPUT', `the ${resolver} payload is not valid: ${issues.join('; ')}`, issues);
  }
  try {
    const caller = await loadCaller(deps, callerAccountId);
    const subject = subjectOf(resolver, parsed.data as Record<string, unknown>);
    const decision = authorize(caller, resolver, subject);
    if (!decision.allowed) return fail(decision.code, decision.message);
    // Only after authorization, so that a refused caller learns nothing about which accounts exist.
    // An erased account first: asking Jira about it would store its zone under its account id again.
    const written = WRITTEN_ABOUT[resolver]?.(parsed.data as Record<string, unknown>) ?? [];
    const erased = written.length > 0 ? await erasedAmong(deps.kv, written) : new Set<string>();
    if (erased.size > 0) {
      const id = [...erased][0]!;
      return fail('PERSON_ERASED', `account ${JSON.stringify(id)} was closed and its data erased from this app, which keeps nothing new about it; leave it out of what you save${erased.size > 1 ? ` (and ${erased.size - 1} more erased account${erased.size > 2 ? 's' : ''})` : ''}`);
    }
    const person = subject ?? (parsed.data as { accountId?: string; personId?: string }).accountId ?? (parsed.data as { personId?: string }).personId ?? callerAccountId;
    if (ABOUT_A_PERSON.has(resolver) && !(await knownPersonZones(deps, [person])).has(person)) {
      return fail('PERSON_NOT_FOUND', `this Jira site has no person with account id ${JSON.stringify(person)}; check the id (it is the person's Atlassian account id, not their name)`);
    }
    const data = await (handlers[resolver] as Handler<typeof resolver>)(deps, parsed.data as never, callerAccountId, caller);
    return { ok: true, data };
  } catch (e) {
    // The platform's own errors (Forge asking the user for consent) must reach it, or the prompt never shows.
    if (reachesPlatform(e)) throw e;
    if (e instanceof DomainError) return fail(e.code, e.message);
    if (e instanceof SourceRateLimitedError) return fail('RATE_LIMITED', `Jira asked us to slow down; try again in ${e.retryAfterSeconds} s`);
    deps.log?.(`resolver ${resolver} failed`, e);
    return fail('INTERNAL', 'something went wrong on our side; the error was logged. Try again, or tell your admin if it persists.');
  }
}
