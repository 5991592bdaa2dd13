/**
 * People's display names where the runtime can give them. Resolvers answer with account ids only;
 * the local runtime also lists its people with their names at GET /api/people (the acting-as
 * picker reads it). In Jira (Forge) no such list exists, so views show account ids there.
 * Asked only when the page is served from this machine, so a Forge page never requests it.
 */
import { useEffect, useState } from 'react';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLocalRuntimePage(): boolean {
  return typeof location !== 'undefined' && LOCAL_HOSTS.has(location.hostname);
}

/** Account id → display name; empty until (and unless) the local runtime answers. */
export function usePersonNames(): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!isLocalRuntimePage()) return;
    let current = true;
    fetch('/api/people')
      .then((r) => (r.ok ? (r.json() as Promise<{ accountId: string; displayName: string }[]>) : []))
      .then((people) => current && setNames(new Map(people.map((p) => [p.accountId, p.displayName]))))
      .catch(() => undefined); // names are a convenience: ids stay shown
    return () => {
      current = false;
    };
  }, []);
  return names;
}

/** "Name (account id)" when the name is known, else the account id. */
export function personLabel(accountId: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(accountId);
  return name ? `${name} (${accountId})` : accountId;
}
