import { KvConflictError, type Clock, type KvOperation, type KvPage, type KvSetOptions, type KvStore, type Stored } from '../ports';
import {
  assertBatch,
  assertSetOptions,
  assertValidKey,
  decodeCursor,
  encodeCursor,
  pageSize,
  prepareTransaction,
  serialiseValue,
} from './kvRules';

interface Entry {
  readonly json: string;
  readonly expiresAt: number | null;
}

/**
 * KVS in memory, with KVS's rules: for tests and as the reference the other
 * adapters are checked against. Values are stored as JSON text, so callers
 * never share objects with the store.
 */
export class MemoryKvStore implements KvStore {
  private readonly data = new Map<string, Entry>();
  private readonly secrets = new Map<string, string>();

  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.clock.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertValidKey(key);
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async set(key: string, value: Stored, options?: KvSetOptions): Promise<void> {
    assertValidKey(key);
    assertSetOptions(options);
    const json = serialiseValue(key, value);
    if (options?.ifAbsent && this.live(key)) throw new KvConflictError(key);
    this.data.set(key, { json, expiresAt: options?.ttlSeconds ? this.clock.now() + options.ttlSeconds * 1000 : null });
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    this.data.delete(key);
  }

  async query<T = unknown>(prefix: string, options: { limit?: number; cursor?: string } = {}): Promise<KvPage<T>> {
    const size = pageSize(options.limit);
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (after === null || k > after) && this.live(k)).sort();
    const page = keys.slice(0, size);
    const results = page.map((key) => ({ key, value: JSON.parse(this.data.get(key)!.json) as T }));
    return keys.length > size ? { results, nextCursor: encodeCursor(page[page.length - 1]!) } : { results };
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    assertBatch(keys, 'batch');
    const out = new Map<string, T>();
    for (const key of keys) {
      const entry = this.live(key);
      if (entry) out.set(key, JSON.parse(entry.json) as T);
    }
    return out;
  }

  async transact(operations: readonly KvOperation[]): Promise<void> {
    const prepared = prepareTransaction(operations);
    for (const { op, json } of prepared) {
      if (op.kind === 'delete') this.data.delete(op.key);
      else this.data.set(op.key, { json: json!, expiresAt: op.ttlSeconds ? this.clock.now() + op.ttlSeconds * 1000 : null });
    }
  }

  async getSecret(key: string): Promise<string | undefined> {
    assertValidKey(key);
    return this.secrets.get(key);
  }

  async setSecret(key: string, value: string): Promise<void> {
    assertValidKey(key);
    this.secrets.set(key, value);
  }

  async deleteSecret(key: string): Promise<void> {
    assertValidKey(key);
    this.secrets.delete(key);
  }
}
