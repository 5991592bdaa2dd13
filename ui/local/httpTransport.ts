import type { Envelope, Transport } from '../src/client/resolverClient';

/** The header the local runtime reads to choose the acting account (src/local/server.ts); never sent in Forge. */
export const ACCOUNT_HEADER = 'x-worktime-account';

/**
 * The local runtime's transport: `POST /api/invoke/<name>` with the acting account in a header.
 * The runtime answers every resolver error with the same envelope and an HTTP status, so the
 * envelope is read whatever the status; only an answer that is not JSON is a failure of the call.
 */
export function httpTransport(actingAccount: () => string | null): Transport {
  return async (name, payload) => {
    const account = actingAccount();
    const response = await fetch(`/api/invoke/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(account ? { [ACCOUNT_HEADER]: account } : {}) },
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as Envelope;
    } catch {
      throw new Error(`HTTP ${response.status} from the local runtime, not JSON`);
    }
  };
}
