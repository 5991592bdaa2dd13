import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ResolverError, type ResolverClient } from './resolverClient';

const ClientContext = createContext<ResolverClient | null>(null);

/** Gives every view below it the resolver client of this build (Forge's or the local runtime's). */
export function ClientProvider({ client, children }: { client: ResolverClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): ResolverClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientProvider>: the entry (ui/forge/main.tsx or ui/local/main.tsx) must wrap the app in one');
  return client;
}

/** What a resolver call looks like from a view: loading, failed, or its answer. */
export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ResolverError } | { state: 'done'; data: T };

/** Any thrown value as a ResolverError, so views have one kind of error to show. */
export function asResolverError(e: unknown, resolver: string): ResolverError {
  return e instanceof ResolverError ? e : new ResolverError('INTERNAL', e instanceof Error ? e.message : String(e), resolver);
}

/**
 * Calls a resolver when the view mounts and whenever `key` changes (a string naming everything
 * the payload depends on); `null` as the name skips the call. An answer that arrives after the
 * key changed is dropped, so a slow old period never overwrites the new one. The answer is one
 * object until the state changes (not a new one each render), so a view may depend on it in an
 * effect or a memo without running that on every render.
 */
export function useResolver<T>(name: string | null, payload: Record<string, unknown>, key: string): Loaded<T> & { reload: () => void } {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const payloadRef = useRef(payload);
  payloadRef.current = payload;
  useEffect(() => {
    if (name === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    client.call<T>(name, payloadRef.current).then(
      (data) => current && setLoaded({ state: 'done', data }),
      (e: unknown) => current && setLoaded({ state: 'error', error: asResolverError(e, name) }),
    );
    return () => {
      current = false;
    };
  }, [client, name, key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return useMemo(() => ({ ...loaded, reload }), [loaded, reload]);
}
