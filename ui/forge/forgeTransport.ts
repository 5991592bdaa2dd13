import { invoke } from '@forge/bridge';
import type { Envelope, Transport } from '../src/client/resolverClient';

/** Forge's transport: the bridge's invoke of the app's resolver function; Forge itself says who the caller is. */
export const forgeTransport: Transport = async (name, payload) => (await invoke<Envelope>(name, payload)) as Envelope;
