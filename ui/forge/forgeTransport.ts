import { invoke } from '@forge/bridge';
import type { Envelope, Transport } from '../src/client/resolverClient';

/** @forge/bridge's own refusal past 500 calls in 25 s in one frame (its message; it has no code). */
const BRIDGE_RATE_LIMIT = /rate limited/i;

/**
 * Forge's transport: the bridge's invoke of the app's resolver function; Forge itself says who the
 * caller is. The bridge's own rate limit is answered as RATE_LIMITED with what to do: it is this page
 * asking too much, not a lost connection.
 */
export const forgeTransport: Transport = async (name, payload) => {
  try {
    return (await invoke<Envelope>(name, payload)) as Envelope;
  } catch (e) {
    if (e instanceof Error && BRIDGE_RATE_LIMIT.test(e.message)) {
      return { ok: false, error: { code: 'RATE_LIMITED', message: 'This page asked for more than Jira allows at once (500 calls in 25 seconds). Wait half a minute, then try again.' } };
    }
    throw e;
  }
};
