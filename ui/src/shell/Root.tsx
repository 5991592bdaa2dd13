import { ClientProvider, type Loaded } from '../client/ClientContext';
import type { ResolverClient } from '../client/resolverClient';
import { ErrorState, LoadingState } from '../states/States';
import { App } from './App';
import type { Identity } from './identity';
import type { ReactNode } from 'react';
import type { HeldCalls } from '../client/heldCalls';
import { HeldCallsBanner } from '../states/HeldCallsBanner';

/** Both entries render this: the client of their build, who is using the app (once known), and any header extra. */
export function Root({ client, identity, headerExtra, onRetry, held }: { client: ResolverClient; identity: Loaded<Identity>; headerExtra?: ReactNode; onRetry?: () => void; held?: HeldCalls }) {
  return (
    <ClientProvider client={client}>
      {held ? <HeldCallsBanner held={held} /> : null}
      {identity.state === 'loading' ? <LoadingState what="Worktime" /> : null}
      {identity.state === 'error' ? <ErrorState what="who you are" error={identity.error} {...(onRetry ? { onRetry } : {})} /> : null}
      {/* A new person is a new app: every view reloads for them. */}
      {identity.state === 'done' ? <App key={identity.data.accountId} identity={identity.data} headerExtra={headerExtra} /> : null}
    </ClientProvider>
  );
}
