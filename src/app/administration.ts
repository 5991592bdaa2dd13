import { z } from 'zod';
import { plainText } from './plainText';
import type { JsonObject } from '../../domain/canonicalJson';
import { DAY_POLICIES } from '../../domain/dayAssignment';
import { DomainError } from '../../domain/errors';
import { HOLIDAY_TYPES } from '../../domain/holidays';
import { ROUNDING_POLICIES } from '../../domain/rounding';
import { isKnownZone } from '../../domain/zoneOffsets';
import type { Clock, KvStore } from '../ports';
import { appendAudit } from './auditLog';
import { roleKeys, type RoleAssignments, type Team } from './authorization';
import { queryAll } from './queryAll';
import { withMutex } from './mutex';
import { loadSettings, withDefaults, type SiteSettings } from './settings';
import { keys } from './storageKeys';

/**
 * Administration: who holds which app role, the teams and their leads, and the site's settings.
 * Every write is validated first (nothing is written when anything is wrong) and appends an audit
 * entry with who, when, what, and the value before and after.
 *
 * Each save holds a mutex (src/app/mutex.ts: `roles`, `team#<id>`, `settings`) from its first read to
 * its last write, so two admins saving at once are made one after the other, the second on top of the
 * first, and each audit entry's "before" is what was stored. Each appends its audit entry BEFORE it
 * writes: a failed append writes nothing (a retry audits and writes), and a crash in between leaves an
 * entry for a change that did not happen (storage shows it did not), never a change without its entry.
 *
 *   getRoles(kv) / saveRoles(deps, actor, assignments)      roles/get, roles/save
 *   listTeams(kv) / saveTeam(deps, actor, team | removal)   teams/list, teams/save
 *   getSettings(kv) / saveSettings(deps, actor, changes)    settings/get, settings/save
 */

/** The mutexes role and team saves hold; an erasure (src/app/privacy.ts) takes them too. */
export const ROLES_MUTEX = 'roles';
export const teamMutex = (id: string) => `team#${id}`;

export interface AdminDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How long a save waits for another admin's save of the same value: a few storage round trips. */
const ADMIN_WAIT_MS = 8_000;

const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });
/** Jira group ids are UUIDs; names change, ids do not. */
const groupId = z.string().regex(/^[0-9a-fA-F-]{8,64}$/, { message: 'must be a Jira group id (a UUID such as 5b10ac8d-82e1-4bd3-a1f0-34b6dd6e4a5c), not a group name' });
const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max, { message: `holds at most ${max} entries` })
    .refine((xs) => new Set(xs).size === xs.length, { message: 'lists an entry twice' });
const holders = z.strictObject({ accounts: uniqueList(accountId, 500), groups: uniqueList(groupId, 50) });

export const roleAssignmentsSchema = z.strictObject({ hrAdmins: holders, auditors: holders });

export const teamSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'must be 1–40 lower-case letters, digits and dashes, such as "brussels-office"' }),
  name: plainText(1, 100),
  leads: uniqueList(accountId, 20).min(1, { message: 'needs at least one lead' }),
  members: uniqueList(accountId, 1000),
});

// `basedOn`: the team as the caller read it (null: they are creating it), so a change someone made since is not overwritten unseen.
export const teamSaveSchema = z.strictObject({ team: teamSchema.optional(), remove: teamSchema.shape.id.optional(), basedOn: teamSchema.nullable().optional() }).refine((c) => (c.team === undefined) !== (c.remove === undefined), {
  message: 'send {"team": {"id", "name", "leads", "members"}} to create or change a team, or {"remove": "<team id>"} to remove one',
});

export const settingsChangesSchema = z
  .strictObject({
    siteTimeZone: z.string().refine(isKnownZone, { message: 'must be an IANA time zone such as "Europe/Brussels"' }),
    dayPolicy: z.enum(DAY_POLICIES as [string, ...string[]]),
    countedHolidayTypes: uniqueList(z.enum(HOLIDAY_TYPES as [string, ...string[]]), HOLIDAY_TYPES.length).refine((ts) => !ts.includes('observance'), {
      message: 'may not count observances (they are days such as Mother’s Day, never days off)',
    }),
    weekStart: z.number().int().min(1).max(7),
    holidayProvider: z.enum(['offline', 'nager-date']),
    approvalWorkflow: z.boolean(),
    rounding: z.enum(ROUNDING_POLICIES as [string, ...string[]]),
  })
  .partial()
  .refine((c) => Object.keys(c).length > 0, { message: 'changes nothing; send at least one setting' });

const EMPTY_ROLES: RoleAssignments = { hrAdmins: { accounts: [], groups: [] }, auditors: { accounts: [], groups: [] } };

export async function getRoles(kv: KvStore): Promise<RoleAssignments> {
  return (await kv.get<RoleAssignments>(roleKeys.assignments)) ?? EMPTY_ROLES;
}

/**
 * Refuses a save based on a copy that is no longer what is stored (CHANGED_SINCE_READ), naming what
 * differs: the caller would otherwise overwrite someone else's change without ever seeing it.
 */
function assertUnchanged<T extends object>(stored: T | null, basedOn: T | null | undefined, what: string, fields: readonly [keyof T, string][]): void {
  if (basedOn === undefined || same(stored, basedOn)) return;
  const how =
    stored === null ? 'has been removed since you opened it'
    : basedOn === null ? 'already exists: someone created it meanwhile'
    : `was changed since you opened it (${fields.filter(([k]) => !same(stored[k], basedOn[k])).map(([, label]) => label).join(', ') || 'its content'})`;
  throw new DomainError('CHANGED_SINCE_READ', `${what} ${how}. Reload, then make your change again; nothing was saved.`, { what });
}

export async function saveRoles(deps: AdminDeps, actor: string, assignments: z.infer<typeof roleAssignmentsSchema>, basedOn?: RoleAssignments): Promise<RoleAssignments> {
  return withMutex(deps, ROLES_MUTEX, { what: 'saving the role assignments', waitMs: ADMIN_WAIT_MS }, async () => {
    const before = await getRoles(deps.kv);
    if (basedOn !== undefined && !same(before, basedOn)) {
      const changed = [['hrAdmins', 'HR admins'], ['auditors', 'auditors']].filter(([k]) => !same(before[k as keyof RoleAssignments], basedOn[k as keyof RoleAssignments])).map(([, l]) => l);
      throw new DomainError('CHANGED_SINCE_READ', `the role assignments were changed since you opened them (${changed.join(', ')}): reload them and make your change again; nothing was saved`, { what: 'roles' });
    }
    if (same(before, assignments)) return before; // nothing to write, nothing to audit
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action: 'roles.save', target: roleKeys.assignments, details: { before: json(before), after: json(assignments) }, people: roleHolders(before, assignments) });
    await deps.kv.set(roleKeys.assignments, assignments);
    return assignments;
  });
}

/** The accounts named in role assignments, for the audit log to name by pseudonym. */
const roleHolders = (...all: RoleAssignments[]) => all.flatMap((r) => [...r.hrAdmins.accounts, ...r.auditors.accounts]);
const teamPeople = (...teams: (Team | null)[]) => teams.flatMap((t) => (t === null ? [] : [...t.leads, ...t.members]));

export async function listTeams(kv: KvStore): Promise<Team[]> {
  return (await queryAll<Team>(kv, roleKeys.teamPrefix)).map((r) => r.value).sort((a, b) => a.name.localeCompare(b.name));
}

export async function saveTeam(deps: AdminDeps, actor: string, change: z.infer<typeof teamSaveSchema>): Promise<Team | { removed: string }> {
  const id = change.team?.id ?? change.remove!;
  return withMutex(deps, teamMutex(id), { what: `saving team ${id}`, waitMs: ADMIN_WAIT_MS }, async () => {
    const before = (await deps.kv.get<Team>(roleKeys.team(id))) ?? null;
    assertUnchanged(before, change.basedOn, `Team ${before?.name ?? change.basedOn?.name ?? change.team?.name ?? id}`, [['name', 'name'], ['leads', 'leads'], ['members', 'members']]);
    const at = deps.clock.now();
    if (!change.team) {
      if (!before) throw new DomainError('NOT_FOUND', `there is no team ${JSON.stringify(id)}; teams/list shows the teams there are`);
      await appendAudit(deps.kv, { at, actor, action: 'team.remove', target: roleKeys.team(id), details: { before: json(before) }, people: teamPeople(before) });
      await deps.kv.delete(roleKeys.team(id));
      return { removed: id };
    }
    if (before && same(before, change.team)) return before;
    await appendAudit(deps.kv, { at, actor, action: 'team.save', target: roleKeys.team(id), details: teamChange(before, change.team), people: teamPeople(before, change.team) });
    await deps.kv.set(roleKeys.team(id), change.team);
    return change.team;
  });
}

/**
 * A team change as its audit entry records it: the name before and after, and the leads and members
 * added and removed, not both whole lists. Replaying the entries in order gives the team. Every account
 * id in it is stored as its 26-character pseudonym, so even the largest team the schema allows replaced
 * by another entirely (2 × 1,020 ids) takes about 60 KB, well inside one stored value (240 KiB).
 */
function teamChange(before: Team | null, after: Team): JsonObject {
  const diff = (was: readonly string[], is: readonly string[]) => {
    const [wasSet, isSet] = [new Set(was), new Set(is)];
    return { added: is.filter((x) => !wasSet.has(x)), removed: was.filter((x) => !isSet.has(x)) };
  };
  return json({ name: { before: before?.name ?? null, after: after.name }, leads: diff(before?.leads ?? [], after.leads), members: diff(before?.members ?? [], after.members) });
}

export const getSettings = (kv: KvStore): Promise<SiteSettings> => loadSettings(kv);

export async function saveSettings(deps: AdminDeps, actor: string, changes: z.infer<typeof settingsChangesSchema>): Promise<SiteSettings> {
  return withMutex(deps, 'settings', { what: 'saving the settings', waitMs: ADMIN_WAIT_MS }, async () => {
    const stored = (await deps.kv.get<Partial<SiteSettings>>(keys.settings)) ?? {};
    const before = withDefaults(stored);
    const after: SiteSettings = { ...before, ...(changes as Partial<SiteSettings>) };
    const changed = Object.keys(changes).filter((k) => !same(before[k as keyof SiteSettings], after[k as keyof SiteSettings]));
    if (changed.length === 0) return before;
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      action: 'settings.save',
      target: keys.settings,
      details: { changed, before: json(pick(before, changed)), after: json(pick(after, changed)) },
    });
    await deps.kv.set(keys.settings, { ...stored, ...changes });
    return after;
  });
}

/** Equal as stored (JSON): a save that would store the same value writes and audits nothing. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const pick = (o: object, fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, (o as Record<string, unknown>)[f]]));
const json = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;
