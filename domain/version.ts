/**
 * The version of the rules this engine applies. A snapshot records it, so a
 * recomputation under a later engine can tell "different rules" from "tampered".
 */
export const ENGINE_VERSION = '1.0.0';
