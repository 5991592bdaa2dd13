/**
 * The people an admin picks from. The resolvers have no "list everyone" call: the people come
 * from the teams (members and leads, teams/list) and the role assignments (roles/get), and, in the
 * local runtime only, from GET /api/people, which also gives display names. In Forge, where that
 * address does not exist, people without a name show as their account id.
 */
import { useEffect, useState } from 'react';
import { asResolverError, useClient, type Loaded } from '../../client/ClientContext';

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly leads: readonly string[];
  readonly members: readonly string[];
}

/** Only the local runtime serves /api/people, and only there is the app not in Jira's iframe. */
const isLocalRuntime = () => typeof window !== 'undefined' && window.self === window.top;

async function localPeople(): Promise<Person[]> {
  if (!isLocalRuntime()) return [];
  try {
    const res = await fetch('/api/people');
    if (!res.ok) return [];
    const list = (await res.json()) as { accountId: string; displayName: string }[];
    return list.map((p) => ({ accountId: p.accountId, displayName: p.displayName }));
  } catch {
    return [];
  }
}

/** Everyone known, sorted by name, with the teams; reloads when `version` changes (after a team is saved). */
export function usePeople(self: Person, version = 0): Loaded<{ people: Person[]; teams: Team[] }> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<{ people: Person[]; teams: Team[] }>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    Promise.all([client.call<Team[]>('teams/list', {}), localPeople()]).then(
      ([teams, named]) => {
        if (!current) return;
        const byId = new Map<string, Person>(named.map((p) => [p.accountId, p]));
        if (!byId.has(self.accountId)) byId.set(self.accountId, self);
        for (const id of teams.flatMap((t) => [...t.leads, ...t.members])) if (!byId.has(id)) byId.set(id, { accountId: id, displayName: id });
        setLoaded({ state: 'done', data: { people: [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)), teams } });
      },
      (e: unknown) => current && setLoaded({ state: 'error', error: asResolverError(e, 'teams/list') }),
    );
    return () => {
      current = false;
    };
  }, [client, self.accountId, self.displayName, version]);
  return loaded;
}

/** A name for an account id: the person's display name when known. */
export function nameOf(people: readonly Person[], accountId: string): string {
  return people.find((p) => p.accountId === accountId)?.displayName ?? accountId;
}
