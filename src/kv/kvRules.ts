import type { KvOperation, KvSetOptions, Stored } from '../ports';

/**
 * Forge KVS's rules, enforced by every adapter so that code which works
 * locally works in Forge: the same keys, sizes, page and batch limits.
 */
export const KV_LIMITS = {
  maxKeyLength: 500,
  maxValueBytes: 240 * 1024,
  maxPageSize: 100,
  defaultPageSize: 10,
  maxBatch: 25,
  /** A transaction's payload: 4 MB documented, but a platform bug (FRGE-1916) refuses more than 1 MB today. */
  maxTransactionBytes: 1_000_000,
  maxTtlSeconds: 365 * 86_400,
  maxDepth: 31,
} as const;

const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s#-]+$/;

/** An error with KVS's code, so callers can branch the same way on every adapter. */
export class KvError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KvError';
  }
}

export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new KvError('KEY_TOO_SHORT', 'a key must have at least one character');
  if (key.length > KV_LIMITS.maxKeyLength) throw new KvError('KEY_TOO_LONG', `key of ${key.length} characters is over the ${KV_LIMITS.maxKeyLength} limit`);
  if (!KEY_PATTERN.test(key)) {
    throw new KvError('INVALID_KEY', `key ${JSON.stringify(key)} may only use letters, digits, whitespace and : . _ - # (no / + @ = |)`);
  }
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const v of Object.values(value)) max = Math.max(max, depthOf(v));
  return max + 1;
}

/** The value's JSON text, after checking it is storable: not null, ≤ 240 KiB, depth ≤ 31. */
export function serialiseValue(key: string, value: Stored): string {
  if (value === null || value === undefined) throw new KvError('INVALID_VALUE', `the value for ${JSON.stringify(key)} must not be null or undefined`);
  const json = JSON.stringify(value);
  if (json === undefined) throw new KvError('INVALID_VALUE', `the value for ${JSON.stringify(key)} is not JSON`);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > KV_LIMITS.maxValueBytes) throw new KvError('MAX_SIZE', `the value for ${JSON.stringify(key)} is ${bytes} bytes, over the ${KV_LIMITS.maxValueBytes} limit; chunk it`);
  if (depthOf(value) > KV_LIMITS.maxDepth) throw new KvError('MAX_DEPTH', `the value for ${JSON.stringify(key)} nests deeper than ${KV_LIMITS.maxDepth}`);
  return json;
}

export function assertSetOptions(options: KvSetOptions | undefined): void {
  const ttl = options?.ttlSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > KV_LIMITS.maxTtlSeconds)) {
    throw new KvError('INVALID_TTL', `ttlSeconds must be a whole number from 1 to ${KV_LIMITS.maxTtlSeconds}; got ${ttl}`);
  }
}

export function pageSize(limit: number | undefined): number {
  const size = limit ?? KV_LIMITS.defaultPageSize;
  if (!Number.isInteger(size) || size < 1 || size > KV_LIMITS.maxPageSize) {
    throw new KvError('LIST_QUERY_LIMIT_EXCEEDED', `a query page holds 1 to ${KV_LIMITS.maxPageSize} results; got ${size}`);
  }
  return size;
}

/** Checks a batch or transaction: 1–25 operations on distinct, valid keys. */
export function assertBatch(keys: readonly string[], what: string): void {
  if (keys.length === 0) throw new KvError('EMPTY_BATCH', `a ${what} needs at least one key`);
  if (keys.length > KV_LIMITS.maxBatch) throw new KvError('TOO_MANY_OPERATIONS', `a ${what} holds at most ${KV_LIMITS.maxBatch} keys; got ${keys.length}`);
  const seen = new Set<string>();
  for (const key of keys) {
    assertValidKey(key);
    if (seen.has(key)) throw new KvError('DUPLICATE_KEY', `key ${JSON.stringify(key)} appears twice in one ${what}`);
    seen.add(key);
  }
}

export function operationKeys(operations: readonly KvOperation[]): string[] {
  return operations.map((op) => op.key);
}

/** Cursors are opaque to callers; ours carry the last key returned. */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0) throw new KvError('INVALID_CURSOR', 'the cursor is not one this store returned');
  return key;
}

/** Checks a whole transaction before anything is written (all or nothing), returning each set's JSON text. */
export function prepareTransaction(operations: readonly KvOperation[]): { readonly op: KvOperation; readonly json: string | null }[] {
  assertBatch(operationKeys(operations), 'transaction');
  const prepared = operations.map((op) => {
    if (op.kind === 'delete') return { op, json: null };
    assertSetOptions(op.ttlSeconds === undefined ? undefined : { ttlSeconds: op.ttlSeconds });
    return { op, json: serialiseValue(op.key, op.value) };
  });
  const bytes = prepared.reduce((n, p) => n + Buffer.byteLength(p.op.key, 'utf8') + (p.json === null ? 0 : Buffer.byteLength(p.json, 'utf8')), 0);
  if (bytes > KV_LIMITS.maxTransactionBytes) {
    throw new KvError('MAX_SIZE', `a transaction of ${bytes} bytes is over the ${KV_LIMITS.maxTransactionBytes} the platform accepts today; split it`);
  }
  return prepared;
}
