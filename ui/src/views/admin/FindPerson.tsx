/**
 * "Find a person in Jira", above the Admin view's tabs: people/search by the start of a name or an
 * email, and an Add button per person found, which puts them in the list every tab picks from
 * (People & contracts, Absences, Balance, Roles & teams, the team form) for this visit. Someone in
 * no team and with no role is listed nowhere else until they are found here.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { asResolverError, useClient } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';
import { TextField } from './action';
import type { Person } from './people';
import type { FoundPerson } from '../../client/adminAnswers';

type Search = { state: 'idle' } | { state: 'searching'; query: string } | { state: 'error'; query: string; error: ResolverError } | { state: 'done'; query: string; found: FoundPerson[] };

/** What people/search answers at most: a full answer may leave people out. */
const SEARCH_MAX = 20;

export function FindPerson({ people, onAdd }: { people: readonly Person[]; onAdd: (person: Person) => void }) {
  const client = useClient();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<Search>({ state: 'idle' });
  const [added, setAdded] = useState<Person | null>(null);
  const trimmed = query.trim();
  // Characters as people count them (an emoji is one), zero-width ones not at all: as the server counts them.
  const tooShort = [...trimmed.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')].length < 2;
  const listed = new Set(people.map((p) => p.accountId));

  const run = async () => {
    if (tooShort || search.state === 'searching') return;
    setAdded(null);
    setSearch({ state: 'searching', query: trimmed });
    try {
      setSearch({ state: 'done', query: trimmed, found: await client.call<FoundPerson[]>('people/search', { query: trimmed }) });
    } catch (e) {
      setSearch({ state: 'error', query: trimmed, error: asResolverError(e, 'people/search') });
    }
  };

  return (
    <section aria-labelledby="find-person-heading" className="wt-box" data-testid="find-person">
      <Stack space="space.100">
        <Heading size="small" as="h3" id="find-person-heading">
          Find a person in Jira
        </Heading>
        <Text as="p" color="color.text.subtle">
          The tabs list everyone the app keeps data about (people who log work, or have a contract, an absence, a role or a team) and you. To give anyone else a contract, an absence, a balance change, a role or a team, find them here and add them: they can then be picked in every tab, and are listed on later visits once you have given them something.
        </Text>
        <form
          role="search"
          aria-label="Find a person in Jira"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <div className="wt-form">
            <TextField
              label="Name or email"
              value={query}
              onChange={(v) => {
                setQuery(v);
                if (search.state === 'error') setSearch({ state: 'idle' }); // the failure was about the query before
              }}
              testId="find-person-query" hint="at least 2 characters, the start of a first name, last name or email" />
            <Button type="submit" appearance="primary" isDisabled={tooShort || search.state === 'searching'} testId="find-person-search">
              Search
            </Button>
          </div>
        </form>
        <div role="status" aria-live="polite" data-testid="find-person-status">
          {search.state === 'searching' ? (
            <Inline space="space.100" alignBlock="center">
              <Spinner size="small" label={`Searching Jira for ${search.query}`} />
              <Text>Searching Jira for “{search.query}”…</Text>
            </Inline>
          ) : null}
          {search.state === 'error' ? (
            <SectionMessage appearance="error" title={`Could not search Jira for “${search.query}”`} testId="find-person-error">
              <Stack space="space.050">
                <Text as="p">{search.error.message}</Text>
                <Text as="p" size="small" color="color.text.subtle">
                  Error code {search.error.code} from {search.error.resolver}. Search again; if it keeps failing, tell your Jira admin.
                </Text>
              </Stack>
            </SectionMessage>
          ) : null}
          {search.state === 'done' && search.found.length === 0 ? (
            <Text as="p" testId="find-person-empty">
              Nobody in Jira matches “{search.query}”. Check the spelling, or try the start of their last name or email. Apps and deactivated accounts are never listed.
            </Text>
          ) : null}
          {search.state === 'done' && search.found.length > 0 ? (
            <Text as="p">
              {search.found.length === SEARCH_MAX ? `The first ${SEARCH_MAX} people who match “${search.query}”; type more of the name to find others.` : `${search.found.length} ${search.found.length === 1 ? 'person matches' : 'people match'} “${search.query}”.`}
            </Text>
          ) : null}
          {added ? <Text as="p" testId="find-person-added">{added.displayName} can now be picked in every tab.</Text> : null}
        </div>
        {search.state === 'done' && search.found.length > 0 ? (
          <ul className="wt-found" aria-label={`People found for “${search.query}”`} data-testid="find-person-results">
            {search.found.map((p) => (
              <li key={p.accountId}>
                <Inline space="space.100" alignBlock="center">
                  <Text weight="medium">{p.displayName}</Text>
                  {p.hasTimeZone ? null : <Text size="small" color="color.text.subtle">(no time zone in Jira: their reports use the site’s)</Text>}
                  {listed.has(p.accountId) ? (
                    <Text size="small" color="color.text.subtle">
                      listed in the tabs
                    </Text>
                  ) : (
                    <Button
                      onClick={() => {
                        onAdd({ accountId: p.accountId, displayName: p.displayName });
                        setAdded({ accountId: p.accountId, displayName: p.displayName });
                      }}
                      aria-label={`Add ${p.displayName} to the lists`}
                      testId={`find-person-add-${p.accountId}`}
                    >
                      Add
                    </Button>
                  )}
                </Inline>
              </li>
            ))}
          </ul>
        ) : null}
      </Stack>
    </section>
  );
}
