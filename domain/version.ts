/**
 * The version of the rules this engine applies. A snapshot records it, so a
 * recomputation under a later engine can tell a change of rules apart from tampering.
 */
export const ENGINE_VERSION = '1.0.0';
