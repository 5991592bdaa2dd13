import type { KvOperation, KvSetOptions, KvStore } from '../../src/ports';

/** A crash of the consumer, simulated at a storage call. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
  }
}

/**
 * Wraps a KvStore and fails writes at random: before the write (nothing
 * stored) or after it (stored, but the caller never hears back, as with a
 * timeout or a crash right after the call).
 */
export class FaultyKvStore implements KvStore {
  failureChance = 0;
  failures = 0;

  constructor(
    private readonly inner: KvStore,
    private readonly random: () => number,
  ) {}

  private async write<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.random() < this.failureChance / 2) {
      this.failures++;
      throw new SimulatedCrash(`before ${what}`);
    }
    const result = await op();
    if (this.random() < this.failureChance / 2) {
      this.failures++;
      throw new SimulatedCrash(`after ${what}`);
    }
    return result;
  }

  get<T = unknown>(key: string) {
    return this.inner.get<T>(key);
  }
  set(key: string, value: NonNullable<unknown>, options?: KvSetOptions) {
    return this.write(`set ${key}`, () => this.inner.set(key, value, options));
  }
  delete(key: string) {
    return this.write(`delete ${key}`, () => this.inner.delete(key));
  }
  query<T = unknown>(prefix: string, options?: { limit?: number; cursor?: string }) {
    return this.inner.query<T>(prefix, options);
  }
  getMany<T = unknown>(keys: readonly string[]) {
    return this.inner.getMany<T>(keys);
  }
  transact(operations: readonly KvOperation[]) {
    return this.write('transaction', () => this.inner.transact(operations));
  }
  getSecret(key: string) {
    return this.inner.getSecret(key);
  }
  setSecret(key: string, value: string) {
    return this.inner.setSecret(key, value);
  }
  deleteSecret(key: string) {
    return this.inner.deleteSecret(key);
  }
}
