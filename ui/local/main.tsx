/**
 * The local runtime's entry (dist/ui-local, served at / by src/local/server.ts): resolvers over
 * HTTP, and the acting-as picker, since locally nothing vouches for the caller. The person acted
 * as is kept in the address (?as=<accountId>), so a link or a reload keeps it.
 */
import '@atlaskit/css-reset';
import '../src/app.css';
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { asResolverError, type Loaded } from '../src/client/ClientContext';
import { createResolverClient, ResolverError } from '../src/client/resolverClient';
import { rolesFromNames, type Identity } from '../src/shell/identity';
import { Root } from '../src/shell/Root';
import { ActingAsPicker, type LocalPerson } from './ActingAsPicker';
import { httpTransport } from './httpTransport';

async function loadPeople(): Promise<LocalPerson[]> {
  const response = await fetch('/api/people');
  if (!response.ok) throw new ResolverError('UNREACHABLE', `The local runtime answered ${response.status} for /api/people. Is it still running? Start it with npm start.`, '/api/people');
  return (await response.json()) as LocalPerson[];
}

const initialAccount = () => new URLSearchParams(window.location.search).get('as');

function LocalRoot() {
  const [people, setPeople] = useState<Loaded<LocalPerson[]>>({ state: 'loading' });
  const [accountId, setAccountId] = useState<string | null>(initialAccount);
  const [attempt, setAttempt] = useState(0);
  const account = useRef(accountId);
  account.current = accountId;
  const client = useMemo(() => createResolverClient(httpTransport(() => account.current)), []);

  useEffect(() => {
    loadPeople().then(
      (data) => setPeople({ state: 'done', data }),
      (e: unknown) => setPeople({ state: 'error', error: asResolverError(e, '/api/people') }),
    );
  }, [attempt]);

  const choose = (id: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set('as', id);
    window.history.replaceState(null, '', url);
    setAccountId(id);
  };

  let identity: Loaded<Identity> = people.state === 'done' ? { state: 'loading' } : people;
  if (people.state === 'done') {
    const person = people.data.find((p) => p.accountId === accountId) ?? people.data[0];
    if (!person) identity = { state: 'error', error: new ResolverError('PERSON_NOT_FOUND', 'The local runtime lists nobody to act as yet; wait for the demo to load and reload.', '/api/people') };
    else {
      account.current = person.accountId;
      identity = { state: 'done', data: { accountId: person.accountId, displayName: person.displayName, roles: rolesFromNames(person.roles), timeZone: person.timeZone } };
    }
  }
  const picker = people.state === 'done' && identity.state === 'done' ? <ActingAsPicker people={people.data} accountId={identity.data.accountId} onChange={choose} /> : null;
  return <Root client={client} identity={identity} headerExtra={picker} onRetry={() => setAttempt((n) => n + 1)} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LocalRoot />
  </StrictMode>,
);
