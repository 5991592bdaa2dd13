/**
 * The UI declares the answers it reads by hand (ui/src/client/answers.ts, ui/src/views/audit/auditAnswers.ts
 * and types inside the views) so its bundle never pulls server code in. This file holds them to what the
 * server answers, at compile time: for every resolver the UI calls, the server's answer (as it reaches the
 * UI: JSON, so no readonly, Dates as strings) must be assignable to the type the UI reads it as. A field the
 * UI reads that the server renames, removes or retypes fails `npm run typecheck` here, on the line of that
 * resolver. Everything from src/ and ui/ comes in with `import type`: nothing of either runs in this test.
 *
 * The UI's answer types live in React-free modules (ui/src/client/answers.ts and adminAnswers.ts,
 * ui/src/views/audit/auditAnswers.ts, ui/src/views/admin/recuperationRules.ts), so they are imported here
 * (the root project has no `jsx` and no DOM): one declaration each, no copies.
 *
 * What the compiler cannot see, the tests below check by reading the sources:
 * - Every `useResolver<T>('name')`, `client.call<T>('name')` and `action.run<T>('name')` in ui/ must have an
 *   assertion below for that name whose UI type is written as T is at the call site; calls that give no T
 *   only test the answer for truth, so their assertion is `object`.
 * - The handlers in src/app/resolvers.ts are typed `Promise<unknown>`, so which function answers a
 *   resolver (`Served` below) is checked by reading the handler's source.
 * - `me/get` is answered by an object literal inside its handler: the server has no type for it, so its
 *   assertion compares the UI with a type put together here from the pieces the handler uses.
 *
 * What neither can see: a field the UI declares optional passes when the server drops it (only a retyped
 * one fails); which fields holidays/calendar and holidays/countries fill for which payload (the server
 * types them as one interface with optional fields; `Given` below takes the UI's word for it); and
 * whether the answers hold at run time (that is the other tests' work).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { deleteAbsence, listAbsences, saveAbsences } from '../../src/app/absences';
import type { getRoles, getSettings, listTeams, saveRoles, saveSettings, saveTeam } from '../../src/app/administration';
import type { auditCheckpoint, listAudit, verifyAudit } from '../../src/app/auditLog';
import type { Caller, ResolverKey, Role as ServerRole } from '../../src/app/authorization';
import type { endContract, listContracts, saveContract } from '../../src/app/contracts';
import type { readSyncProgress, startImport } from '../../src/app/importProgress';
import type { adjustLedger, ledgerBalance, ledgerHistory, payOut, recuperationRules, saveRecuperationRules } from '../../src/app/ledgerStore';
import type { loadDayWorklogs } from '../../src/app/dayWorklogs';
import type { loadReport } from '../../src/app/loadReport';
import type { readLockJob, startLockJob } from '../../src/app/lockJobs';
import type { approvePeriod, periodDrift, periodStatus, rejectPeriod, submitPeriod, unlockPersonPeriod } from '../../src/app/periodLock';
import type { knownPeople, namePeople, searchPeople } from '../../src/app/people';
import type { knownPersonZones } from '../../src/app/personZones';
import type { listSnapshots, readSnapshot } from '../../src/app/snapshots';
import type { loadWorkingTimeRecord } from '../../src/app/workingTimeRecords';
import type { getHolidayCalendar, holidayCountries, importHolidays, previewHolidayImport, saveHolidays } from '../../src/holidays/holidayCalendars';
import type { Balance, DayWorklogs, LedgerHistory, PeriodReport, PeriodStatus, Settings, WorkingTimeRecord } from '../../ui/src/client/answers';
import type { Absence, Contract, Drift, Egress, FoundPerson, Holiday, Job, PeriodState, Preview, Roles, SiteSettings, SnapshotVersions, SyncProgress, Team } from '../../ui/src/client/adminAnswers';
import type { CalendarInfo } from '../../ui/src/views/admin/calendarIds';
import type { RecuperationRules } from '../../ui/src/views/admin/recuperationRules';
import type { Checkpoint, AuditPage, SnapshotAnswer, SnapshotListPage, VerifyResult } from '../../ui/src/views/audit/auditAnswers';
import type { Role } from '../../ui/src/shell/identity';

// ---------------------------------------------------------------------------------------------------
// The server side.

/**
 * The function whose answer each resolver the UI calls returns (the handler in src/app/resolvers.ts calls
 * it and answers what it resolves to; a test below reads the handlers to keep this true).
 */
interface Served {
  'settings/get': typeof getSettings;
  'settings/save': typeof saveSettings;
  'balance/mine': typeof ledgerBalance;
  'ledger/history': typeof ledgerHistory;
  /** Reads with recuperationRules, or saves with saveRecuperationRules when the payload has rules: both answer RecuperationRules (asserted below). */
  'ledger/rules': typeof recuperationRules;
  'ledger/adjust': typeof adjustLedger;
  'ledger/payout': typeof payOut;
  'report/mine': typeof loadReport;
  'report/person': typeof loadReport;
  'record/mine': typeof loadWorkingTimeRecord;
  'record/person': typeof loadWorkingTimeRecord;
  'worklogs/mine': typeof loadDayWorklogs;
  'worklogs/person': typeof loadDayWorklogs;
  'periods/status': typeof periodStatus;
  'periods/submit': typeof submitPeriod;
  'periods/approve': typeof approvePeriod;
  'periods/reject': typeof rejectPeriod;
  'periods/unlock': typeof unlockPersonPeriod;
  'periods/lock': typeof startLockJob;
  'periods/job': typeof readLockJob;
  'drift/get': typeof periodDrift;
  'snapshots/list': typeof listSnapshots;
  'snapshots/get': typeof readSnapshot;
  'audit/list': typeof listAudit;
  'audit/verify': typeof verifyAudit;
  'audit/checkpoint': typeof auditCheckpoint;
  'roles/get': typeof getRoles;
  'roles/save': typeof saveRoles;
  /** The handler answers listTeams, or the part of it the caller leads (same type). */
  'teams/list': typeof listTeams;
  'teams/save': typeof saveTeam;
  'contracts/list': typeof listContracts;
  'contracts/save': typeof saveContract;
  'contracts/end': typeof endContract;
  'absences/list': typeof listAbsences;
  'absences/save': typeof saveAbsences;
  'absences/delete': typeof deleteAbsence;
  'holidays/calendar': typeof getHolidayCalendar;
  'holidays/countries': typeof holidayCountries;
  'holidays/preview': typeof previewHolidayImport;
  'holidays/import': typeof importHolidays;
  'holidays/save': typeof saveHolidays;
  'sync/progress': typeof readSyncProgress;
  'sync/start-import': typeof startImport;
  'people/search': typeof searchPeople;
  'people/names': typeof namePeople;
  'people/known': typeof knownPeople;
}

/**
 * `me/get` is an object literal in its handler (src/app/resolvers.ts), and the handler's type says only
 * `Promise<unknown>`: this is that literal's type, from the types of what it is made of.
 */
type MeAnswer = {
  accountId: Caller['accountId'];
  roles: (Caller['roles'] extends ReadonlySet<infer R> ? R : never)[];
  timeZone: NonNullable<ReturnType<Awaited<ReturnType<typeof knownPersonZones>>['get']>> | null;
};

/** A value as JSON carries it to the UI: nothing is readonly there, a Date arrives as its toJSON, a Map or Set as {}. */
type Wire<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends { toJSON(): infer J }
    ? Wire<J>
    : T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
      ? Record<string, never>
      : T extends (...args: never[]) => unknown
        ? undefined
        : T extends readonly (infer E)[]
          ? Wire<E>[]
          : { -readonly [K in keyof T]: Wire<T[K]> };

type Raw<K extends keyof Served> = Awaited<ReturnType<Served[K]>>;
/** What the UI receives for resolver K. */
type Server<K extends keyof Served | 'me/get'> = Wire<K extends keyof Served ? Raw<K> : MeAnswer>;

/**
 * Compiles only when the server's answer can be used as the UI reads it. The name is the resolver's, and a
 * test below checks that it is one the UI calls with that type.
 */
function answers<S extends U, U>(resolver: ResolverKey, ..._never: [S] extends [never] ? [error: 'the server answer is never here: every type is assignable from it'] : []): string {
  return resolver;
}

/**
 * Answers whose fields depend on the payload are one type on the server with those fields optional
 * (holidays/calendar, holidays/countries): this is that type when the payload asks for fields K, K present.
 */
type Given<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

/** A resolver whose server answer is any or unknown would pass every assertion: there is none (the error names it). */
type LooseAnswers = { [K in keyof Served]: unknown extends Raw<K> ? K : never }[keyof Served];
const noLooseAnswers: [LooseAnswers] extends [never] ? true : LooseAnswers = true;
/** Every name in Served is a resolver the server has. */
const allServed: [Exclude<keyof Served, ResolverKey>] extends [never] ? true : Exclude<keyof Served, ResolverKey> = true;

// ---------------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------------
// The assertions: one `answers<Server<'name'>, what the UI reads>('name')` for each way the UI reads a resolver.

describe('every resolver answer is what the UI reads', () => {
  it('no answer the UI reads is any or unknown on the server, and every one is a resolver', () => {
    expect([noLooseAnswers, allServed]).toEqual([true, true]);
  });

  it('settings/get', () => {
    answers<Server<'settings/get'>, Settings>('settings/get');
    answers<Server<'settings/get'>, SiteSettings>('settings/get');
  });
  it('settings/save (the UI only tests the answer for truth)', () => {
    answers<Server<'settings/save'>, object>('settings/save');
  });

  it('me/get (ui/forge/main.tsx; the server answer is a literal put together here, see MeAnswer)', () => {
    answers<Server<'me/get'>, { accountId: string; roles: Role[]; timeZone: string | null }>('me/get');
  });

  it('report/mine and report/person', () => {
    answers<Server<'report/mine'>, PeriodReport>('report/mine');
    answers<Server<'report/person'>, PeriodReport>('report/person');
  });
  it('record/mine and record/person', () => {
    answers<Server<'record/mine'>, WorkingTimeRecord>('record/mine');
    answers<Server<'record/person'>, WorkingTimeRecord>('record/person');
  });
  it('worklogs/mine and worklogs/person (ui/src/views/myPeriod/DayGrid.tsx)', () => {
    answers<Server<'worklogs/mine'>, DayWorklogs>('worklogs/mine');
    answers<Server<'worklogs/person'>, DayWorklogs>('worklogs/person');
  });

  it('balance/mine', () => {
    answers<Server<'balance/mine'>, Balance>('balance/mine');
  });
  it('ledger/history', () => {
    answers<Server<'ledger/history'>, LedgerHistory>('ledger/history');
  });
  it('ledger/rules (read and save answer alike)', () => {
    answers<Server<'ledger/rules'>, RecuperationRules>('ledger/rules');
    answers<Wire<Awaited<ReturnType<typeof saveRecuperationRules>>>, RecuperationRules>('ledger/rules');
    answers<Server<'ledger/rules'>, RecuperationRules>('ledger/rules');
    answers<Wire<Awaited<ReturnType<typeof saveRecuperationRules>>>, RecuperationRules>('ledger/rules');
    answers<Server<'ledger/rules'>, object>('ledger/rules');
  });
  it('ledger/adjust and ledger/payout', () => {
    answers<Server<'ledger/adjust'>, { balanceSeconds: number }>('ledger/adjust');
    answers<Server<'ledger/payout'>, { balanceSeconds: number }>('ledger/payout');
  });

  it('periods/status', () => {
    answers<Server<'periods/status'>, PeriodStatus>('periods/status');
    answers<Server<'periods/status'>, PeriodState>('periods/status');
  });
  it('periods/submit, periods/approve and periods/reject', () => {
    answers<Server<'periods/submit'>, PeriodStatus>('periods/submit');
    answers<Server<'periods/approve'>, PeriodStatus>('periods/approve');
    answers<Server<'periods/reject'>, PeriodStatus>('periods/reject');
  });
  it('periods/unlock (the UI only tests the answer for truth)', () => {
    answers<Server<'periods/unlock'>, object>('periods/unlock');
  });
  it('periods/lock', () => {
    answers<Server<'periods/lock'>, { jobId: string; total: number }>('periods/lock');
  });
  it('periods/job', () => {
    answers<Server<'periods/job'>, Job>('periods/job');
  });
  it('drift/get', () => {
    answers<Server<'drift/get'>, Drift>('drift/get');
  });

  it('snapshots/list', () => {
    answers<Server<'snapshots/list'>, SnapshotVersions>('snapshots/list');
    answers<Server<'snapshots/list'>, SnapshotListPage>('snapshots/list');
  });
  it('snapshots/get', () => {
    answers<Server<'snapshots/get'>, SnapshotAnswer>('snapshots/get');
  });

  it('audit/list', () => {
    answers<Server<'audit/list'>, AuditPage>('audit/list');
  });
  it('audit/verify', () => {
    answers<Server<'audit/verify'>, VerifyResult | (VerifyResult & { continueFrom: number })>('audit/verify');
  });
  it('audit/checkpoint', () => {
    answers<Server<'audit/checkpoint'>, Checkpoint>('audit/checkpoint');
  });

  it('roles/get and roles/save (the UI only tests the save for truth)', () => {
    answers<Server<'roles/get'>, Roles>('roles/get');
    answers<Server<'roles/save'>, object>('roles/save');
  });
  it('teams/list and teams/save (the UI only tests the save for truth)', () => {
    answers<Server<'teams/list'>, Team[]>('teams/list');
    answers<Server<'teams/save'>, object>('teams/save');
  });

  it('contracts/list, contracts/save and contracts/end (the UI only tests the end for truth)', () => {
    answers<Server<'contracts/list'>, Contract[]>('contracts/list');
    answers<Server<'contracts/save'>, { changed: boolean }>('contracts/save');
    answers<Server<'contracts/end'>, object>('contracts/end');
  });

  it('absences/list, absences/save and absences/delete (the UI only tests the delete for truth)', () => {
    answers<Server<'absences/list'>, Absence[]>('absences/list');
    answers<Server<'absences/save'>, { created: string[]; updated: string[]; unchanged: string[] }>('absences/save');
    answers<Server<'absences/delete'>, object>('absences/delete');
  });

  it('holidays/calendar (its answer depends on the payload: the list without calendarId, one calendar with it)', () => {
    type List = Given<Server<'holidays/calendar'>, 'calendars'>;
    type One = Given<Server<'holidays/calendar'>, 'calendar' | 'years'>;
    answers<List, { calendars: { id: string }[] }>('holidays/calendar');
    answers<List, { calendars: CalendarInfo[] }>('holidays/calendar');
    answers<One, { calendar: CalendarInfo; years: { year: number; holidays: Holiday[] }[] }>('holidays/calendar');
  });
  it('holidays/countries (its answer depends on the payload: countries without country, regions with it)', () => {
    type Countries = Given<Server<'holidays/countries'>, 'countries'>;
    type Regions = Given<Server<'holidays/countries'>, 'regions'>;
    answers<Countries, { provider: string; providerName: string; egress: Egress | null; countries: { code: string; name: string }[] }>('holidays/countries');
    answers<Regions, { regions: { code: string; name: string }[] }>('holidays/countries');
  });
  it('holidays/preview, holidays/import and holidays/save (the UI only tests the save for truth)', () => {
    answers<Server<'holidays/preview'>, Preview>('holidays/preview');
    answers<Server<'holidays/import'>, Preview>('holidays/import');
    answers<Server<'holidays/save'>, object>('holidays/save');
  });

  it('people/search and people/names (ui/src/views/admin/FindPerson.tsx and people.ts)', () => {
    answers<Server<'people/search'>, FoundPerson[]>('people/search');
    answers<Server<'people/names'>, FoundPerson[]>('people/names');
    answers<Server<'people/known'>, { accountIds: string[]; nextCursor?: string }>('people/known');
  });

  it('sync/progress and sync/start-import', () => {
    answers<Server<'sync/progress'>, SyncProgress>('sync/progress');
    answers<Server<'sync/start-import'>, { runId: string }>('sync/start-import');
  });
});

// ---------------------------------------------------------------------------------------------------
// What the compiler cannot see, read from the sources.

const ROOT = join(import.meta.dirname, '../..');
const THIS_FILE = join(import.meta.dirname, 'answerTypes.test.ts');

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
/** A declaration or type as text, without comments, `export` or layout, so that only what it says is compared. */
const canonical = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')
    .replace(/^\s*export\s+/, '')
    .replace(/\s+/g, '');

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The resolver names an expression can be ('a', or c ? 'a' : 'b', or c ? 'a' : null). */
function namesIn(node: ts.Expression): string[] {
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...namesIn(node.whenTrue), ...namesIn(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return namesIn(node.expression);
  return [];
}

interface UiCall {
  readonly where: string;
  readonly resolver: string;
  /** The type argument as written, canonical; '' when the call gives none. */
  readonly type: string;
}

/** Every resolver call in ui/: useResolver(…), <client>.call(…), <action>.run(…) with a resolver name for first argument. */
function uiCalls(): UiCall[] {
  const calls: UiCall[] = [];
  for (const file of [...sourceFiles(join(ROOT, 'ui/src')), ...sourceFiles(join(ROOT, 'ui/forge')), ...sourceFiles(join(ROOT, 'ui/local'))]) {
    const sf = parse(file);
    walk(sf, (n) => {
      if (!ts.isCallExpression(n) || n.arguments.length === 0) return;
      const callee = n.expression;
      const fn = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (fn !== 'useResolver' && fn !== 'call' && fn !== 'run') return;
      const names = namesIn(n.arguments[0]!).filter((s) => /^[a-z]+\/[a-z-]+$/.test(s));
      const where = `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const type = n.typeArguments?.[0] ? canonical(n.typeArguments[0].getText(sf)) : '';
      for (const resolver of names) calls.push({ where, resolver, type });
    });
  }
  return calls;
}

const self = parse(THIS_FILE);

/** The assertions above: resolver name, the first type argument as written, and the UI type (canonical). */
const asserted: { resolver: string; server: string; ui: string }[] = [];
walk(self, (n) => {
  if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'answers' && n.typeArguments?.length === 2) {
    const [server, ui] = n.typeArguments;
    asserted.push({ resolver: (n.arguments[0] as ts.StringLiteral).text, server: server!.getText(self), ui: canonical(ui!.getText(self)) });
  }
});

describe('the assertions above are the UI as it is', () => {
  const calls = uiCalls();

  it('finds the UI calls (a sanity check of the reading)', () => {
    expect(calls.length).toBeGreaterThan(40);
    expect(calls.map((c) => c.resolver)).toContain('report/mine');
  });

  it('every resolver call in ui/ has an assertion for that resolver with the type it is read as', () => {
    const missing = calls
      .filter((c) => !asserted.some((a) => a.resolver === c.resolver && a.ui === (c.type || 'object')))
      .map((c) => `${c.where}: ${c.resolver} read as ${c.type || '(no type: tested for truth, assert `object`)'}`);
    expect(missing, 'add (or correct) an answers<Server<…>, …>(…) assertion in test/ui/answerTypes.test.ts').toEqual([]);
  });

  it('every assertion asks the server about the resolver it names, and is about a call the UI makes', () => {
    const wrong = asserted.filter((a) => a.server.startsWith('Server<') && a.server !== `Server<'${a.resolver}'>`).map((a) => `${a.resolver}: ${a.server}`);
    expect(wrong).toEqual([]);
    const unused = asserted.filter((a) => !calls.some((c) => c.resolver === a.resolver && (c.type || 'object') === a.ui) && a.server.startsWith('Server<')).map((a) => `${a.resolver}: ${a.ui}`);
    expect(unused, 'the UI no longer reads these resolvers this way: drop or correct the assertion').toEqual([]);
  });

  it('each resolver in Served is answered by that function (src/app/resolvers.ts)', () => {
    const served = self.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Served')!;
    const resolvers = parse(join(ROOT, 'src/app/resolvers.ts'));
    const handlers = new Map<string, string>();
    walk(resolvers, (n) => {
      if (ts.isVariableDeclaration(n) && n.name.getText(resolvers) === 'handlers' && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
        for (const p of n.initializer.properties) if (ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name)) handlers.set(p.name.text, p.initializer.getText(resolvers));
      }
    });
    expect(handlers.size).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const m of served.members) {
      if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeQueryNode(m.type)) continue;
      const resolver = (m.name as ts.StringLiteral).text;
      const fn = m.type.exprName.getText(self);
      const handler = handlers.get(resolver);
      if (!handler?.includes(`${fn}(`)) wrong.push(`${resolver}: its handler does not call ${fn} (${handler ?? 'no handler'})`);
    }
    expect(wrong).toEqual([]);
    // me/get has no function to name: its handler is the literal MeAnswer describes.
    expect(handlers.get('me/get')).toMatch(/accountId: caller,[\s\S]*roles: \[\.\.\.roles\.roles\]\.sort\(\),[\s\S]*timeZone: \(await knownPersonZones\(deps, \[caller\]\)\)\.get\(caller\) \?\? null/);
  });
});
