/**
 * The Forge build's entry (static/app/build, the manifest's Custom UI resource): resolvers through
 * @forge/bridge invoke; Forge says who the caller is. No acting-as picker exists in this build.
 */
import '@atlaskit/css-reset';
import '../src/app.css';
import { view } from '@forge/bridge';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { asResolverError, type Loaded } from '../src/client/ClientContext';
import { createResolverClient, ResolverError } from '../src/client/resolverClient';
import type { Identity, Role } from '../src/shell/identity';
import { Root } from '../src/shell/Root';
import { forgeTransport } from './forgeTransport';

const client = createResolverClient(forgeTransport);

/**
 * Who the caller is, for choosing which views to show (the resolvers decide what they may read).
 * `me/get` answers the caller's roles; until the back end has it, Forge's view context gives the
 * account and the person sees My period only.
 */
async function loadIdentity(): Promise<Identity> {
  const context = (await view.getContext()) as { accountId?: string; timezone?: string };
  try {
    const me = await client.call<{ accountId: string; displayName: string; roles: Role[]; timeZone: string | null }>('me/get');
    return { ...me, roles: new Set(me.roles) };
  } catch (e) {
    if (!(e instanceof ResolverError && e.code === 'UNKNOWN_RESOLVER')) throw e;
    if (!context.accountId) throw new ResolverError('UNAUTHENTICATED', 'Jira did not say who you are.', 'view.getContext');
    return { accountId: context.accountId, displayName: 'You', roles: new Set(), timeZone: context.timezone ?? null };
  }
}

function ForgeRoot() {
  const [identity, setIdentity] = useState<Loaded<Identity>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    loadIdentity().then(
      (data) => setIdentity({ state: 'done', data }),
      (e: unknown) => setIdentity({ state: 'error', error: asResolverError(e, 'me/get') }),
    );
  }, [attempt]);
  return <Root client={client} identity={identity} onRetry={() => setAttempt((n) => n + 1)} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ForgeRoot />
  </StrictMode>,
);
