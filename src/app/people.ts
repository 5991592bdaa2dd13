import { DomainError } from '../../domain/errors';
import type { DirectoryUser, KvStore, PeopleDirectory } from '../ports';
import { erasedAmong } from './privacy';
import type { PersonRecord } from './pseudonyms';
import { keys } from './storageKeys';

/**
 * Finding people to pick in the Admin view (docs/resolvers.md, people/search and people/names).
 *
 *   searchPeople(deps, query)      → PersonFound[]   up to 20 people whose name (or email) begins with query
 *   namePeople(deps, accountIds)   → PersonFound[]   names of the people among these ids
 *   knownPeople(kv, cursor)        → KnownPage       a page of everyone the app keeps data about
 *
 * Only people come back: active accounts of type "atlassian", never apps (their bot accounts),
 * service desk customers or deactivated accounts, and never an account this site erased (so
 * finding someone cannot give an erased person's data a name again; src/app/privacy.ts). Nothing is
 * stored: a name is shown, not kept.
 */

/** A person an admin may pick, as Jira names them; without a time zone in Jira, reports use the site's zone. */
export interface PersonFound {
  readonly accountId: string;
  readonly displayName: string;
  readonly hasTimeZone: boolean;
}

/** The most people one search answers. */
export const PEOPLE_SEARCH_MAX = 20;
/** The most account ids one people/names call takes. */
export const PEOPLE_NAMES_MAX = 100;
/** Accounts asked of Jira a page: a little over what is answered, since apps and deactivated accounts are left out. */
export const SEARCH_PAGE_SIZE = 25;
/** Pages asked at most (100 accounts): each costs Jira points, and a query that matches more should be longer. */
export const SEARCH_MAX_PAGES = 4;

export interface PeopleDeps {
  readonly kv: KvStore;
  readonly people?: PeopleDirectory;
}

const isPerson = (u: DirectoryUser) => u.accountType === 'atlassian' && u.active;
const found = (u: DirectoryUser): PersonFound => ({ accountId: u.accountId, displayName: u.displayName, hasTimeZone: u.timeZone !== null });

function directoryOf(deps: PeopleDeps): PeopleDirectory {
  if (!deps.people) throw new DomainError('PEOPLE_DIRECTORY_UNAVAILABLE', 'this runtime cannot look people up in Jira; pick from the people already listed, or run the app in Jira');
  return deps.people;
}

/** People, not erased here, in the order given, each once. */
async function peopleAmong(kv: KvStore, users: readonly DirectoryUser[]): Promise<DirectoryUser[]> {
  const unique = [...new Map(users.filter(isPerson).map((u) => [u.accountId, u])).values()];
  const erased = await erasedAmong(kv, unique.map((u) => u.accountId));
  return unique.filter((u) => !erased.has(u.accountId));
}

/**
 * Up to 20 people whose name or email begins with `query` (already checked: 2–100 characters), in
 * Jira's order. Jira's pages hold apps and deactivated accounts too, so it reads a few pages of 25
 * until it has 20 people or Jira has no more.
 */
export async function searchPeople(deps: PeopleDeps, query: string): Promise<PersonFound[]> {
  const directory = directoryOf(deps);
  const out = new Map<string, DirectoryUser>();
  for (let page = 0; page < SEARCH_MAX_PAGES && out.size < PEOPLE_SEARCH_MAX; page++) {
    const users = await directory.searchUsers(query, { startAt: page * SEARCH_PAGE_SIZE, maxResults: SEARCH_PAGE_SIZE });
    for (const u of await peopleAmong(deps.kv, users)) if (!out.has(u.accountId)) out.set(u.accountId, u);
    if (users.length < SEARCH_PAGE_SIZE) break;
  }
  return [...out.values()].slice(0, PEOPLE_SEARCH_MAX).map(found);
}

/** The people among these account ids (at most 100), in the order asked; anyone else (unknown, an app, deactivated, erased) is left out. */
export async function namePeople(deps: PeopleDeps, accountIds: readonly string[]): Promise<PersonFound[]> {
  const users = await directoryOf(deps).usersByIds([...new Set(accountIds)]);
  const byId = new Map((await peopleAmong(deps.kv, users)).map((u) => [u.accountId, u]));
  return [...new Set(accountIds)].flatMap((id) => (byId.has(id) ? [found(byId.get(id)!)] : []));
}

/** A page of the people registry: account ids, and the cursor of the next page when there is one. */
export interface KnownPage {
  readonly accountIds: string[];
  readonly nextCursor?: string;
}

/** People a page of people/known lists: the most a storage query answers. */
export const KNOWN_PAGE_SIZE = 100;

/**
 * Everyone the app keeps data about (their worklogs, a contract, an absence, a balance, an audit
 * entry: the people registry, src/app/pseudonyms.ts), a page at a time, so the Admin view can list
 * people who are in no team and hold no role. An erased person's registry record is gone, so they
 * are not listed. The cursor is storage's own, passed back as it came.
 */
export async function knownPeople(kv: KvStore, cursor?: string): Promise<KnownPage> {
  const page = await kv.query<PersonRecord>(keys.personPrefix, { limit: KNOWN_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  return { accountIds: page.results.map((r) => r.value.accountId), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

