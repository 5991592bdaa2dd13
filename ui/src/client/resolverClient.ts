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
}

/** Whether a value is a resolver envelope, so a proxy's HTML error page is not mistaken for an answer. */
function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

export function createResolverClient(transport: Transport): ResolverClient {
  return {
    async call<T>(name: string, payload: Record<string, unknown> = {}): Promise<T> {
      let envelope: unknown;
      try {
        envelope = await transport(name, payload);
      } catch (e) {
        throw new ResolverError(UNREACHABLE, `The app could not reach its back end (${e instanceof Error ? e.message : String(e)}). Check your connection and try again.`, name);
      }
      if (!isEnvelope(envelope)) throw new ResolverError(UNREACHABLE, `The back end gave an answer that is not the app's (resolver ${name}). Reload the page; if it persists, tell your Jira admin.`, name);
      if (!envelope.ok) throw new ResolverError(envelope.error.code, envelope.error.message, name, envelope.error.issues ?? []);
      return envelope.data as T;
    },
  };
}
