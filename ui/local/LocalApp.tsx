/**
 * The local runtime's app (loaded by ./main once the first calls are on their way): the people
 * list, the acting-as picker above the shell, and the shell itself.
 */
import '@atlaskit/css-reset';
import '../src/app.css';
import { Box, Stack } from '@atlaskit/primitives';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { asResolverError, type Loaded } from '../src/client/ClientContext';
import { ResolverError } from '../src/client/resolverClient';
import { rolesFromNames, type Identity } from '../src/shell/identity';
import { Root } from '../src/shell/Root';
import { ThemeSwitch } from '../src/theme/ThemeSwitch';
import { ActingAsPicker, type LocalPerson } from './ActingAsPicker';
import { acting, client, firstPeople, initialAccount, loadPeople } from './main';

function LocalRoot() {
  const [people, setPeople] = useState<Loaded<LocalPerson[]>>({ state: 'loading' });
  const [accountId, setAccountId] = useState<string | null>(initialAccount);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const request = firstPeople.request ?? loadPeople();
    firstPeople.request = null; // a retry asks again
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
      acting.accountId = person.accountId;
      identity = { state: 'done', data: { accountId: person.accountId, displayName: person.displayName, roles: rolesFromNames(person.roles), timeZone: person.timeZone } };
    }
  }
  const picker = people.state === 'done' && people.data.length > 0 ? <ActingAsPicker people={people.data} accountId={identity.state === 'done' ? identity.data.accountId : null} onChange={choose} /> : null;
  const header = (
    <>
      {picker}
      <ThemeSwitch />
    </>
  );
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
  return <Root client={client} identity={identity} headerExtra={header} onRetry={() => setAttempt((n) => n + 1)} />;
}

export function mountLocalApp(container: HTMLElement): void {
  createRoot(container).render(
    <StrictMode>
      <LocalRoot />
    </StrictMode>,
  );
}
