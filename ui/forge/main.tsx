/**
 * The Forge build's entry (static/app/build, the manifest's Custom UI resource): resolvers through
 * @forge/bridge invoke; Forge says who the caller is. No acting-as picker exists in this build.
 */
import '@atlaskit/css-reset';
import '../src/app.css';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { asResolverError, type Loaded } from '../src/client/ClientContext';
import { createHeldCalls } from '../src/client/heldCalls';
import { BRIDGE_PACE, pacedTransport } from '../src/client/pacedTransport';
import { createResolverClient } from '../src/client/resolverClient';
import type { Identity, Role } from '../src/shell/identity';
import { Root } from '../src/shell/Root';
import { forgeTransport } from './forgeTransport';
import { followJiraTheme } from './jiraTheme';

// Paced: a big team's per-person calls wait their turn rather than meet the bridge's 500-per-25-s refusal.
const held = createHeldCalls();
const client = createResolverClient(pacedTransport(forgeTransport, BRIDGE_PACE, undefined, undefined, (n) => held.set(n)));
followJiraTheme(); // the theme's token CSS loads while React mounts

/**
 * Who the caller is, for choosing which views to show (the resolvers decide what they may read):
 * `me/get` answers the account, the roles the server establishes and the zone Jira gives. Jira shows
 * the person's own name and avatar around the app, so the app calls them "You".
 */
async function loadIdentity(): Promise<Identity> {
  const me = await client.call<{ accountId: string; roles: Role[]; timeZone: string | null }>('me/get');
  return { accountId: me.accountId, displayName: 'You', roles: new Set(me.roles), timeZone: me.timeZone };
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
  return <Root client={client} identity={identity} onRetry={() => setAttempt((n) => n + 1)} held={held} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ForgeRoot />
  </StrictMode>,
);
