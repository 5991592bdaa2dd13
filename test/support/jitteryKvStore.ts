import type { KvOperation, KvSetOptions, KvStore } from '../../src/ports';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delays every call (before and after it reaches the store) by 0–2 ms at random, so concurrent appenders interleave at every step. */
export class JitteryKvStore implements KvStore {
  constructor(
    private readonly inner: KvStore,
    private readonly random: () => number,
  ) {}
  private async slow<T>(op: () => Promise<T>): Promise<T> {
    await pause(Math.floor(this.random() * 3));
    const result = await op();
    await pause(Math.floor(this.random() * 3));
    return result;
  }
  get<T = unknown>(key: string) {
    return this.slow(() => this.inner.get<T>(key));
  }
  set(key: string, value: NonNullable<unknown>, options?: KvSetOptions) {
    return this.slow(() => this.inner.set(key, value, options));
  }
  delete(key: string) {
    return this.slow(() => this.inner.delete(key));
  }
  query<T = unknown>(prefix: string, options?: { limit?: number; cursor?: string }) {
    return this.slow(() => this.inner.query<T>(prefix, options));
  }
  getMany<T = unknown>(ks: readonly string[]) {
    return this.slow(() => this.inner.getMany<T>(ks));
  }
  transact(operations: readonly KvOperation[]) {
    return this.slow(() => this.inner.transact(operations));
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
