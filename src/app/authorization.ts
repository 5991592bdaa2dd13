import { reachesPlatform, type KvStore, type Permissions } from '../ports';

/**
 * Who may call what. Tier 1: Jira admins (everything HR admins can do, and
 * they name the others). Tier 2: app roles a Jira admin gives to people or
 * groups. Tier 3: every user, for their own data only.
 */
export type Role = 'jira-admin' | 'hr-admin' | 'auditor' | 'team-lead';
export const ROLES: readonly Role[] = ['jira-admin', 'hr-admin', 'auditor', 'team-lead'];

/**
 * The one table that says which role may call which resolver. `self` lets any
 * user call it about themself; `teamLead` lets a team lead call it about the
 * members of the teams they lead; `othersOnly` refuses it about the caller themself, whatever
 * their roles (four eyes). A test walks every cell.
 */
export const RESOLVER_ACCESS = {
  'report/mine': { roles: [], self: true, teamLead: false },
  'balance/mine': { roles: [], self: true, teamLead: false },
  'report/person': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'balance/person': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'sync/progress': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'sync/start-import': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'audit/list': { roles: ['jira-admin', 'auditor'], self: false, teamLead: false },
  'audit/verify': { roles: ['jira-admin', 'auditor'], self: false, teamLead: false },
  'audit/checkpoint': { roles: ['jira-admin', 'auditor'], self: false, teamLead: false },
  'roles/get': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'roles/save': { roles: ['jira-admin'], self: false, teamLead: false },
  // A team lead sees the teams they lead (the handler filters).
  'teams/list': { roles: ['jira-admin', 'hr-admin', 'auditor', 'team-lead'], self: false, teamLead: false },
  // Everyone: who the caller is and which roles they hold, so the interface shows the views they may use.
  'me/get': { roles: [], self: true, teamLead: false },
  'teams/save': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  // Everyone: the interface needs the site zone, policy and rounding to show any report.
  'settings/get': { roles: [], self: true, teamLead: false },
  'settings/save': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'record/mine': { roles: [], self: true, teamLead: false },
  'record/person': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'ledger/history': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'ledger/adjust': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false, othersOnly: 'adjust your own balance' },
  'ledger/payout': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false, othersOnly: 'pay out your own balance' },
  // Reading is for these three; replacing the rules is checked again in the handler (HR and Jira admins).
  'ledger/rules': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'contracts/list': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'contracts/save': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'contracts/end': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'absences/list': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'absences/save': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'absences/delete': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'holidays/countries': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'holidays/preview': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'holidays/import': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  // Everyone: the holidays behind anyone's expected time are no secret.
  'holidays/calendar': { roles: [], self: true, teamLead: false },
  'holidays/save': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'periods/status': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'periods/submit': { roles: [], self: true, teamLead: false },
  'periods/approve': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: true, othersOnly: 'approve your own period' },
  'periods/reject': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: true, othersOnly: 'reject your own period' },
  'periods/lock': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'periods/unlock': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'periods/job': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'snapshots/list': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: false, teamLead: false },
  'snapshots/get': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  'drift/get': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
  // Those who give contracts, absences and roles find the people to give them to (the Admin view).
  'people/search': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'people/names': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  'people/known': { roles: ['jira-admin', 'hr-admin'], self: false, teamLead: false },
  // The worklogs behind a day: whoever may read the person's report (issue names are then asked of Jira as the caller).
  'worklogs/mine': { roles: [], self: true, teamLead: false },
  'worklogs/person': { roles: ['jira-admin', 'hr-admin', 'auditor'], self: true, teamLead: true },
} as const satisfies Record<string, { roles: readonly Role[]; self: boolean; teamLead: boolean; othersOnly?: string }>;

export type ResolverKey = keyof typeof RESOLVER_ACCESS;

/** The resolvers that change data, so a refusal says "change", not "see". (`ledger/rules` reads without `rules`; its handler words the refusal to change them.) */
export const WRITE_RESOLVERS: ReadonlySet<ResolverKey> = new Set<ResolverKey>([
  'sync/start-import',
  'roles/save',
  'teams/save',
  'settings/save',
  'ledger/adjust',
  'ledger/payout',
  'contracts/save',
  'contracts/end',
  'absences/save',
  'absences/delete',
  'holidays/import',
  'holidays/save',
  'periods/submit',
  'periods/approve',
  'periods/reject',
  'periods/lock',
  'periods/unlock',
]);

/** A Jira lookup that roles depend on. */
export type RoleLookup = 'jira-admin' | 'groups';

/** The caller as the server established it: never from the request payload. */
export interface Caller {
  readonly accountId: string;
  readonly roles: ReadonlySet<Role>;
  /** People in the teams this caller leads. */
  readonly leads: ReadonlySet<string>;
  /** Lookups that failed, so `roles` may lack a role the caller has: a refusal then says so instead of FORBIDDEN. */
  readonly unavailable: readonly RoleLookup[];
}

export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: 'FORBIDDEN' | 'ROLES_UNAVAILABLE'; readonly message: string };

const LOOKUP_NAMES: Record<RoleLookup, string> = { 'jira-admin': 'whether you are a Jira admin', groups: 'which groups you are in' };

/**
 * Whether `caller` may call `resolver`, about `subject` when the resolver is
 * about a person. Roles only ever add access, so a caller whose roles are
 * incomplete (a Jira lookup failed) is allowed whatever the roles that were
 * established allow, their own data above all; anything else is refused with
 * ROLES_UNAVAILABLE, never with a FORBIDDEN that may be wrong.
 */
export function authorize(caller: Caller, resolver: ResolverKey, subject?: string): Decision {
  const rule = RESOLVER_ACCESS[resolver];
  // Four eyes: approving, rejecting, adjusting or paying out one's own time is refused whatever the roles.
  const ownTime = 'othersOnly' in rule && subject === caller.accountId;
  if (!ownTime) {
    if ((rule.roles as readonly Role[]).some((r) => caller.roles.has(r))) return { allowed: true };
    const about = subject ?? caller.accountId;
    if (rule.self && about === caller.accountId) return { allowed: true };
    if (rule.teamLead && caller.roles.has('team-lead') && subject !== undefined && caller.leads.has(subject)) return { allowed: true };
  }
  if (caller.unavailable.length > 0) {
    return {
      allowed: false,
      code: 'ROLES_UNAVAILABLE',
      message: `Jira did not tell us ${caller.unavailable.map((l) => LOOKUP_NAMES[l]).join(' or ')}, so we cannot check your roles for this. Try again in a few minutes; if it keeps happening, ask your Jira admin to check that Worktime may read users and groups.`,
    };
  }
  if (ownTime) return { allowed: false, code: 'FORBIDDEN', message: `you may not ${rule.othersOnly}; ask another team lead or HR admin` };
  if (WRITE_RESOLVERS.has(resolver) && subject !== undefined) {
    // About a person: a write is refused as a change ("you may not see" is for reads).
    if (rule.roles.length === 0) return { allowed: false, code: 'FORBIDDEN', message: `you may not change this for ${subject}: only they may` };
    const lead = rule.teamLead ? ', or leading a team they are in' : '';
    return { allowed: false, code: 'FORBIDDEN', message: `you may not change this for ${subject}: it needs one of these roles: ${rule.roles.join(', ')}${lead}; ask a Jira admin to give you one` };
  }
  return {
    allowed: false,
    code: 'FORBIDDEN',
    message:
      rule.roles.length === 0 || subject !== undefined
        ? `you may not see this for ${subject ?? 'that person'}; ask an HR admin for access`
        : `this needs one of these roles: ${rule.roles.join(', ')}; ask a Jira admin to give you one`,
  };
}

/** App roles as a Jira admin assigned them: to people (account ids) or to groups (group ids). */
export interface RoleAssignments {
  readonly hrAdmins: { readonly accounts: readonly string[]; readonly groups: readonly string[] };
  readonly auditors: { readonly accounts: readonly string[]; readonly groups: readonly string[] };
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly leads: readonly string[];
  readonly members: readonly string[];
}

export const roleKeys = { assignments: 'cfg#roles', teamPrefix: 'team#', team: (id: string) => `team#${id}` } as const;

/** A Jira lookup's answer, or undefined when it failed (logged); an error the platform must see goes up. */
async function lookUp<T>(what: RoleLookup, ask: () => Promise<T>, log: ((message: string, error: unknown) => void) | undefined): Promise<T | undefined> {
  try {
    return await ask();
  } catch (e) {
    if (reachesPlatform(e)) throw e;
    log?.(`roles: the ${what} lookup failed; answering without the roles it would give`, e);
    return undefined;
  }
}

/**
 * Establishes the caller's roles server-side: Jira for admin and groups,
 * storage for app roles and teams. Groups are asked only when a role is
 * assigned to a group. A failed Jira lookup is logged and listed in
 * `unavailable`, never read as "no role".
 */
export async function loadCaller(
  deps: { kv: KvStore; permissions: Permissions; log?: (message: string, error: unknown) => void },
  accountId: string,
): Promise<Caller> {
  const roles = new Set<Role>();
  const unavailable: RoleLookup[] = [];
  const [isAdmin, assignments] = await Promise.all([
    lookUp('jira-admin', () => deps.permissions.isJiraAdmin(accountId), deps.log),
    deps.kv.get<RoleAssignments>(roleKeys.assignments),
  ]);
  if (isAdmin === undefined) unavailable.push('jira-admin');
  if (isAdmin) roles.add('jira-admin');
  const byGroup = [assignments?.hrAdmins, assignments?.auditors].some((a) => (a?.groups.length ?? 0) > 0);
  const groups = byGroup ? await lookUp('groups', () => deps.permissions.groupIds(accountId), deps.log) : [];
  if (groups === undefined) unavailable.push('groups');
  const has = (a: { accounts: readonly string[]; groups: readonly string[] } | undefined) =>
    !!a && (a.accounts.includes(accountId) || a.groups.some((g) => groups?.includes(g) ?? false));
  if (has(assignments?.hrAdmins)) roles.add('hr-admin');
  if (has(assignments?.auditors)) roles.add('auditor');
  const leads = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.kv.query<Team>(roleKeys.teamPrefix, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const { value: team } of page.results) if (team.leads.includes(accountId)) for (const m of team.members) leads.add(m);
    cursor = page.nextCursor;
  } while (cursor);
  if (leads.size > 0) roles.add('team-lead');
  return { accountId, roles, leads, unavailable };
}
