/**
 * The one way the UI talks to the back end: a resolver name and a payload in, the resolver's
 * `data` out, or a ResolverError carrying the resolver's own error code and message.
 * Every resolver answers with one envelope (docs/resolvers.md, "Every answer"); a transport only
 * carries a call and returns that envelope. Forge's transport is `@forge/bridge` invoke
 * (ui/forge/forgeTransport.ts); the local runtime's is HTTP (ui/local/httpTransport.ts).
 */

/** The envelope every resolver answers with. */
export type Envelope<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; issues?: string[] } };

/** Carries one call to a resolver and brings back its envelope; throws only when the call could not be made at all. */
export type Transport = (name: string, payload: Record<string, unknown>) => Promise<Envelope>;

/** A resolver refused or failed: `code` is the resolver's error code (docs/resolvers.md, "Error codes"), `message` says what to do. */
export class ResolverError extends Error {
  override readonly name = 'ResolverError';
  constructor(
    readonly code: string,
    message: string,
    readonly resolver: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The code a ResolverError gets when the call never reached a resolver (network down, runtime stopped). */
export const UNREACHABLE = 'UNREACHABLE';

export interface ResolverClient {
  call<T>(name: string, payload?: Record<string, unknown>): Promise<T>;
  /**
   * Starts a read now whose answer a view will ask for soon (the first view's calls, while React
   * is still mounting): the next `call` with the same name and payload within PREFETCH_TTL_MS gets
   * it instead of calling again. Only for reads: a write must never be answered from earlier.
   */
  prefetch(name: string, payload?: Record<string, unknown>): void;
  /** Drops every prefetched answer not yet taken (the caller changed: they were someone else's). */
  clearPrefetched(): void;
}

/** How long a prefetched answer waits for its call: long enough for the first render, short enough never to show old data. */
export const PREFETCH_TTL_MS = 10_000;

/** Whether a value is a resolver envelope, so a proxy's HTML error page is not mistaken for an answer. */
function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

export function createResolverClient(transport: Transport, now: () => number = () => Date.now()): ResolverClient {
  const prefetched = new Map<string, { answer: Promise<unknown>; at: number }>();
  const keyOf = (name: string, payload: Record<string, unknown>) => `${name}\u0000${JSON.stringify(payload)}`;
  const send = async <T,>(name: string, payload: Record<string, unknown>): Promise<T> => {
    let envelope: unknown;
    try {
      envelope = await transport(name, payload);
    } catch (e) {
      throw new ResolverError(UNREACHABLE, `The app could not reach its back end (${e instanceof Error ? e.message : String(e)}). Check your connection and try again.`, name);
    }
    if (!isEnvelope(envelope)) throw new ResolverError(UNREACHABLE, `The back end gave an answer that is not the app's (resolver ${name}). Reload the page; if it persists, tell your Jira admin.`, name);
    if (!envelope.ok) throw new ResolverError(envelope.error.code, envelope.error.message, name, envelope.error.issues ?? []);
    return envelope.data as T;
  };
  return {
    call<T>(name: string, payload: Record<string, unknown> = {}): Promise<T> {
      const key = keyOf(name, payload);
      const early = prefetched.get(key);
      prefetched.delete(key); // taken once: a reload asks again
      if (early && now() - early.at <= PREFETCH_TTL_MS) return early.answer as Promise<T>;
      return send<T>(name, payload);
    },
    prefetch(name: string, payload: Record<string, unknown> = {}): void {
      const answer = send(name, payload);
      answer.catch(() => undefined); // seen by the view that takes it, or by nobody
      prefetched.set(keyOf(name, payload), { answer, at: now() });
    },
    clearPrefetched(): void {
      prefetched.clear();
    },
  };
}
