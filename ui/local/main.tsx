/**
 * The local runtime's entry (dist/ui-local, served at / by src/local/server.ts): resolvers over
 * HTTP, and the acting-as picker, since locally nothing vouches for the caller. The person acted
 * as is kept in the address (?as=<accountId>), so a link or a reload keeps it.
 */
import '@atlaskit/css-reset';
import '../src/app.css';
import { Box, Stack } from '@atlaskit/primitives';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { asResolverError, type Loaded } from '../src/client/ClientContext';
import { createResolverClient, ResolverError } from '../src/client/resolverClient';
import { rolesFromNames, type Identity } from '../src/shell/identity';
import { Root } from '../src/shell/Root';
import { browserZone } from '../src/format/dates';
import { startColorMode } from '../src/theme/theme';
import { myPeriodCalls, myPeriodReportCalls, type Call } from '../src/views/myPeriod/firstCalls';
import { ActingAsPicker, type LocalPerson } from './ActingAsPicker';
import { httpTransport } from './httpTransport';

async function loadPeople(): Promise<LocalPerson[]> {
  const response = await fetch('/api/people');
  if (!response.ok) throw new ResolverError('UNREACHABLE', `The local runtime answered ${response.status} for /api/people. Is it still running? Start it with npm start.`, '/api/people');
  return (await response.json()) as LocalPerson[];
}

const initialAccount = () => new URLSearchParams(window.location.search).get('as');

/** Who the app acts as: the ?as= of the address, else (once the people are known) the first person. */
let actingAs: string | null = initialAccount();
const client = createResolverClient(httpTransport(() => actingAs));

// Started as the script runs, not after React's first render: the people list, the theme's token
// CSS and My period's reads load while React mounts, in parallel.
startColorMode();
const prefetch = (calls: readonly Call[]) => calls.forEach(([name, payload]) => client.prefetch(name, payload));
// The month's report is asked for in this browser's zone at once; should the person's zone (known
// with the people list) give another month, that one is asked for then.
const guessed = actingAs ? myPeriodReportCalls(browserZone()) : [];
if (actingAs) prefetch([...myPeriodCalls(actingAs), ...guessed]);
let firstPeople: Promise<LocalPerson[]> | null = loadPeople().then((people) => {
  const person = actingAs ? people.find((p) => p.accountId === actingAs) : people[0];
  if (person) {
    if (!actingAs) prefetch(myPeriodCalls(person.accountId));
    actingAs = person.accountId;
    const calls = myPeriodReportCalls(person.timeZone);
    if (JSON.stringify(calls) !== JSON.stringify(guessed)) prefetch(calls);
  }
  return people;
});

function LocalRoot() {
  const [people, setPeople] = useState<Loaded<LocalPerson[]>>({ state: 'loading' });
  const [accountId, setAccountId] = useState<string | null>(initialAccount);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const request = firstPeople ?? loadPeople();
    firstPeople = null; // a retry asks again
    request.then(
      (data) => setPeople({ state: 'done', data }),
      (e: unknown) => setPeople({ state: 'error', error: asResolverError(e, '/api/people') }),
    );
  }, [attempt]);

  const choose = (id: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set('as', id);
    window.history.replaceState(null, '', url);
    client.clearPrefetched(); // they were the previous person's
    setAccountId(id);
  };

  let identity: Loaded<Identity> = people.state === 'done' ? { state: 'loading' } : people;
  if (people.state === 'done') {
    // An ?as= nobody has is said, never replaced by someone else: acting as the wrong person (an HR admin, say) unnoticed would be worse.
    const person = accountId === null ? people.data[0] : people.data.find((p) => p.accountId === accountId);
    if (!person) {
      identity = {
        state: 'error',
        error:
          accountId === null
            ? new ResolverError('PERSON_NOT_FOUND', 'The local runtime lists nobody to act as yet; wait for the demo to load and reload.', '/api/people')
            : new ResolverError('PERSON_NOT_FOUND', `Nobody in the local runtime has the account id "${accountId}" (the address's ?as=). Choose the person to act as above.`, '/api/people'),
      };
    } else {
      actingAs = person.accountId;
      identity = { state: 'done', data: { accountId: person.accountId, displayName: person.displayName, roles: rolesFromNames(person.roles), timeZone: person.timeZone } };
    }
  }
  const picker = people.state === 'done' && people.data.length > 0 ? <ActingAsPicker people={people.data} accountId={identity.state === 'done' ? identity.data.accountId : null} onChange={choose} /> : null;
  if (identity.state === 'error' && picker) {
    // Without a person there is no app header to hold the picker: it stands above the error.
    return (
      <Box padding="space.300" as="main">
        <Stack space="space.200">
          {picker}
          <Root client={client} identity={identity} />
        </Stack>
      </Box>
    );
  }
  return <Root client={client} identity={identity} headerExtra={picker} onRetry={() => setAttempt((n) => n + 1)} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LocalRoot />
  </StrictMode>,
);
