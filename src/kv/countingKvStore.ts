import type { KvOperation, KvSetOptions, KvStore } from '../ports.ts';

/**
 * Counts storage requests the way Forge meters them: every get, batch get and
 * query page is one read request; every set, delete and transaction is one
 * write request. For benchmarks and budget checks.
 */
export class CountingKvStore implements KvStore {
  reads = 0;
  writes = 0;

  constructor(private readonly inner: KvStore) {}

  get<T = unknown>(key: string) {
    this.reads++;
    return this.inner.get<T>(key);
  }
  set(key: string, value: NonNullable<unknown>, options?: KvSetOptions) {
    this.writes++;
    return this.inner.set(key, value, options);
  }
  delete(key: string) {
    this.writes++;
    return this.inner.delete(key);
  }
  query<T = unknown>(prefix: string, options?: { limit?: number; cursor?: string }) {
    this.reads++;
    return this.inner.query<T>(prefix, options);
  }
  getMany<T = unknown>(keys: readonly string[]) {
    this.reads++;
    return this.inner.getMany<T>(keys);
  }
  transact(operations: readonly KvOperation[]) {
    this.writes++;
    return this.inner.transact(operations);
  }
  getSecret(key: string) {
    this.reads++;
    return this.inner.getSecret(key);
  }
  setSecret(key: string, value: string) {
    this.writes++;
    return this.inner.setSecret(key, value);
  }
  deleteSecret(key: string) {
    this.writes++;
    return this.inner.deleteSecret(key);
  }
}
