/**
 * A resolver call that changes something, as a form or a button runs it: its busy state, the
 * error to show where the control is (cleared when the draft changes), and what the call answered.
 */
import { useCallback, useRef, useState } from 'react';
import { asResolverError, useClient } from './ClientContext';
import type { ResolverError } from './resolverClient';

export interface Action {
  readonly busy: boolean;
  readonly error: ResolverError | null;
  run<T>(name: string, payload: Record<string, unknown>): Promise<T | undefined>;
  clear(): void;
}

/**
 * Runs one call at a time; resolves with the answer, or undefined after showing the error. A call
 * asked for while one runs is dropped: the in-flight flag is a ref, set synchronously, because two
 * clicks in the same task both see `busy` false (React has not re-rendered between them) and would
 * send a write twice.
 */
export function useAction(): Action {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | null>(null);
  const inFlight = useRef(false);
  const run = useCallback(
    async <T,>(name: string, payload: Record<string, unknown>): Promise<T | undefined> => {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      setBusy(true);
      setError(null);
      try {
        return await client.call<T>(name, payload);
      } catch (e) {
        setError(asResolverError(e, name));
        return undefined;
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [client],
  );
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}
