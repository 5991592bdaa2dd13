/**
 * The people an admin picks from, the same list in every panel. The resolvers have no "list
 * everyone" call: the people come from the teams (members and leads, teams/list), the role
 * assignments (roles/get), the admin themself, and whoever the admin found in Jira this session
 * (people/search, the "Find a person in Jira" box above the panels). Names come from people/names
 * (Jira's names; someone Jira no longer names, such as a deactivated account, shows as their
 * account id) and, in the local runtime only, from GET /api/people, which lists the demo people.
 */
import { useEffect, useMemo, useState } from 'react';
import { mapBounded } from '../../client/boundedMap';
import { asResolverError, useClient, type Loaded } from '../../client/ClientContext';
import type { ResolverClient } from '../../client/resolverClient';
import { isLocalRuntimePage } from '../../format/personNames';
import type { FoundPerson, Team, Roles } from '../../client/adminAnswers';

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
}

/** people/names takes at most 100 ids a call; a few calls at a time. */
const NAMES_PER_CALL = 100;
const NAME_CALLS_AT_ONCE = 4;

/** The demo people with their names, where the local runtime serves them (a Forge page never asks: there is no such address). */
async function localPeople(): Promise<Person[]> {
  if (!isLocalRuntimePage()) return [];
  try {
    const res = await fetch('/api/people');
    if (!res.ok) return [];
    const list = (await res.json()) as { accountId: string; displayName: string }[];
    return list.map((p) => ({ accountId: p.accountId, displayName: p.displayName }));
  } catch {
    return [];
  }
}

/** Pages of people/known read at most: 2,000 people; beyond, "Find a person in Jira" reaches the rest. */
const KNOWN_PAGES_MAX = 20;

/**
 * Everyone the app keeps data about (people/known), so someone given a contract but in no team or
 * role is still listed after a reload. Read page by page; a failure leaves the list to the teams and roles.
 */
async function knownPeople(client: ResolverClient): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < KNOWN_PAGES_MAX; page++) {
      const answer = await client.call<{ accountIds: string[]; nextCursor?: string }>('people/known', cursor ? { cursor } : {});
      ids.push(...answer.accountIds);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
  } catch {
    /* the teams and roles still give a list */
  }
  return ids;
}

const byName = (a: Person, b: Person) => a.displayName.localeCompare(b.displayName);

/**
 * Everyone known, sorted by name, with the teams; reloads when `version` changes (after a team is
 * saved). `found` (people found in Jira this session) joins the list without a reload.
 */
export function usePeople(self: Person, version = 0, found: readonly Person[] = []): Loaded<{ people: Person[]; teams: Team[] }> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<{ people: Person[]; teams: Team[] }>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    const load = async () => {
      const [teams, roles, named, known] = await Promise.all([
        client.call<Team[]>('teams/list', {}),
        // Without the roles, the teams still give a list to pick from.
        client.call<Roles>('roles/get', {}).catch(() => null),
        localPeople(),
        knownPeople(client),
      ]);
      const byId = new Map<string, Person>(named.map((p) => [p.accountId, p]));
      byId.set(self.accountId, byId.get(self.accountId) ?? self);
      const ids = [...teams.flatMap((t) => [...t.leads, ...t.members]), ...(roles ? [...roles.hrAdmins.accounts, ...roles.auditors.accounts] : []), ...known];
      const unnamed = [...new Set(ids)].filter((id) => !byId.has(id));
      const chunks = Array.from({ length: Math.ceil(unnamed.length / NAMES_PER_CALL) }, (_, i) => unnamed.slice(i * NAMES_PER_CALL, (i + 1) * NAMES_PER_CALL));
      // A name that does not come (Jira busy, a deactivated account) leaves the account id to show.
      const answers = await mapBounded(chunks, NAME_CALLS_AT_ONCE, (accountIds) => client.call<FoundPerson[]>('people/names', { accountIds }));
      for (const answer of answers) if (answer.ok) for (const p of answer.value) byId.set(p.accountId, { accountId: p.accountId, displayName: p.displayName });
      for (const id of unnamed) if (!byId.has(id)) byId.set(id, { accountId: id, displayName: id });
      return { people: [...byId.values()], teams };
    };
    load().then(
      (data) => current && setLoaded({ state: 'done', data }),
      (e: unknown) => current && setLoaded({ state: 'error', error: asResolverError(e, 'teams/list') }),
    );
    return () => {
      current = false;
    };
  }, [client, self.accountId, self.displayName, version]);
  return useMemo(() => {
    if (loaded.state !== 'done') return loaded;
    const byId = new Map(loaded.data.people.map((p) => [p.accountId, p]));
    for (const p of found) if (!byId.has(p.accountId)) byId.set(p.accountId, p);
    return { state: 'done', data: { people: [...byId.values()].sort(byName), teams: loaded.data.teams } };
  }, [loaded, found]);
}

/** A name for an account id: the person's display name when known. */
export function nameOf(people: readonly Person[], accountId: string): string {
  return people.find((p) => p.accountId === accountId)?.displayName ?? accountId;
}
