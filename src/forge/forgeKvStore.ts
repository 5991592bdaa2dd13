import { kvs, WhereConditions, ForgeKvsAPIError } from '@forge/kvs';
import { KvConflictError, type KvOperation, type KvPage, type KvSetOptions, type KvStore } from '../ports';
import { assertBatch, assertSetOptions, assertValidKey, KvError, operationKeys, pageSize, prepareTransaction, serialiseValue } from '../kv/kvRules';

type Kvs = typeof kvs;

const ttl = (seconds: number | undefined) => (seconds ? { ttl: { value: seconds, unit: 'SECONDS' as const } } : {});

/** Forge's errors keep their code; ours carry the same codes, so callers branch once for every store. */
function translate(e: unknown): never {
  if (e instanceof ForgeKvsAPIError) throw new KvError(e.code, e.message);
  throw e;
}

/**
 * KvStore over Forge KVS (`@forge/kvs`, named import). The rules are checked
 * here first, so a bad key fails the same way, with the same message, in
 * Forge and locally, before any request is made.
 */
export class ForgeKvStore implements KvStore {
  constructor(private readonly client: Kvs = kvs) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertValidKey(key);
    return (await this.client.get<T>(key).catch(translate)) ?? undefined;
  }

  async set(key: string, value: NonNullable<unknown>, options?: KvSetOptions): Promise<void> {
    assertValidKey(key);
    assertSetOptions(options);
    serialiseValue(key, value);
    if (!options?.ifAbsent) {
      await this.client.set(key, value, ttl(options?.ttlSeconds)).catch(translate);
      return;
    }
    try {
      await this.client.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS', ...ttl(options.ttlSeconds) });
    } catch (e) {
      // The conflict's error code is not documented: a refused create-only write whose key exists is a conflict.
      if (e instanceof ForgeKvsAPIError && (await this.client.get(key)) !== undefined) throw new KvConflictError(key);
      translate(e);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.delete(key).catch(translate);
  }

  async query<T = unknown>(prefix: string, options: { limit?: number; cursor?: string } = {}): Promise<KvPage<T>> {
    const limit = pageSize(options.limit);
    let builder = this.client.query().where('key', WhereConditions.beginsWith(prefix)).limit(limit);
    if (options.cursor) builder = builder.cursor(options.cursor);
    const page = await builder.getMany<T>().catch(translate);
    const results = page.results.map((r) => ({ key: r.key, value: r.value }));
    return page.nextCursor ? { results, nextCursor: page.nextCursor } : { results };
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    assertBatch(keys, 'batch');
    const result = await this.client.batchGet<T>(keys.map((key) => ({ key }))).catch(translate);
    const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
    if (failed.length > 0) throw new KvError(failed[0]!.error.code, `batch read failed for ${failed.length} key(s): ${failed[0]!.error.message}`);
    return new Map(result.successfulKeys.map((s) => [s.key, s.value]));
  }

  async transact(operations: readonly KvOperation[]): Promise<void> {
    prepareTransaction(operations);
    let tx = this.client.transact();
    for (const op of operations) {
      if (op.kind === 'delete') tx = tx.delete(op.key);
      else {
        // The .d.ts, not the docs, is right: the entity is the third argument and options the fourth.
        tx = tx.set(op.key, op.value, undefined, op.ttlSeconds ? { ttl: { value: op.ttlSeconds, unit: 'SECONDS' } } : undefined);
      }
    }
    await tx.execute().catch(translate);
  }

  async getSecret(key: string): Promise<string | undefined> {
    assertValidKey(key);
    return (await this.client.getSecret<string>(key).catch(translate)) ?? undefined;
  }

  async setSecret(key: string, value: string): Promise<void> {
    assertValidKey(key);
    await this.client.setSecret(key, value).catch(translate);
  }

  async deleteSecret(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.deleteSecret(key).catch(translate);
  }
}
