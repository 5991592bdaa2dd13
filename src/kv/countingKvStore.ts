import type { KvOperation, KvPage, KvSetOptions, KvStore } from '../ports';

/**
 * Forge meters KVS twice: rate limits count requests in units of 10 KB, and
 * the bill counts gigabytes read and written. Neither counts what we can see
 * exactly, so this is the model (stated in docs/operations.md too):
 *
 * - bytes of a record = UTF-8 length of its key + UTF-8 length of its value's JSON;
 * - read bytes: every record a get, batch get or query page returns; a key that is
 *   missing counts its key only (the request names it, nothing comes back); a query
 *   counts what it returns, not its prefix;
 * - write bytes: every record a set or transaction writes; a delete counts its key;
 * - requests: a get, batch get, query page, set, delete or transaction is one request;
 * - units: a request counts ceil(bytes / 10 KiB) units, at least 1, where bytes are
 *   the request's read or write bytes as above.
 *
 * Secrets are counted the same way under the family `secret`.
 */
export interface KvMeter {
  readonly reads: number;
  readonly writes: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Per key family (the key up to its first `#`): records and bytes read and written. */
  readonly families: ReadonlyMap<string, FamilyMeter>;
}

export interface FamilyMeter {
  readonly recordsRead: number;
  readonly bytesRead: number;
  readonly recordsWritten: number;
  readonly bytesWritten: number;
}

/** One metered unit of KVS: a request of at most 10 KB (Forge: "65 KB counts as 7"). */
export const KVS_UNIT_BYTES = 10 * 1024;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The family of a key: what comes before its first `#` (`wl`, `day`, `iwl`, …), or the whole key. */
export function keyFamily(key: string): string {
  const hash = key.indexOf('#');
  return hash < 0 ? key : key.slice(0, hash);
}

/** What a record costs to move: its key and its value as JSON, in UTF-8 bytes. */
export function recordBytes(key: string, value: unknown): number {
  return utf8(key) + (value === undefined ? 0 : utf8(JSON.stringify(value)));
}

const unitsOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / KVS_UNIT_BYTES));

/** A KvStore that passes everything through and meters it as Forge would (see above). For benchmarks and budget checks. */
export class CountingKvStore implements KvStore {
  reads = 0;
  writes = 0;
  bytesRead = 0;
  bytesWritten = 0;
  readUnits = 0;
  writeUnits = 0;
  private readonly byFamily = new Map<string, { recordsRead: number; bytesRead: number; recordsWritten: number; bytesWritten: number }>();

  constructor(private readonly inner: KvStore) {}

  /** A copy of the counters so far. */
  snapshot(): KvMeter {
    return {
      reads: this.reads,
      writes: this.writes,
      bytesRead: this.bytesRead,
      bytesWritten: this.bytesWritten,
      readUnits: this.readUnits,
      writeUnits: this.writeUnits,
      families: new Map([...this.byFamily].map(([k, v]) => [k, { ...v }])),
    };
  }

  /** Sets every counter back to zero (to measure one phase of a run). */
  reset(): void {
    this.reads = this.writes = this.bytesRead = this.bytesWritten = this.readUnits = this.writeUnits = 0;
    this.byFamily.clear();
  }

  private family(name: string) {
    let f = this.byFamily.get(name);
    if (!f) this.byFamily.set(name, (f = { recordsRead: 0, bytesRead: 0, recordsWritten: 0, bytesWritten: 0 }));
    return f;
  }

  /** Meters one read request over the records it named or returned. */
  private read(records: readonly { key: string; value: unknown; family?: string }[]): void {
    let bytes = 0;
    for (const r of records) {
      const b = recordBytes(r.key, r.value);
      const f = this.family(r.family ?? keyFamily(r.key));
      f.recordsRead++;
      f.bytesRead += b;
      bytes += b;
    }
    this.reads++;
    this.bytesRead += bytes;
    this.readUnits += unitsOf(bytes);
  }

  /** Meters one write request over the records it sets (value) or deletes (value undefined). */
  private write(records: readonly { key: string; value: unknown; family?: string }[]): void {
    let bytes = 0;
    for (const r of records) {
      const b = recordBytes(r.key, r.value);
      const f = this.family(r.family ?? keyFamily(r.key));
      f.recordsWritten++;
      f.bytesWritten += b;
      bytes += b;
    }
    this.writes++;
    this.bytesWritten += bytes;
    this.writeUnits += unitsOf(bytes);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const value = await this.inner.get<T>(key);
    this.read([{ key, value }]);
    return value;
  }
  async set(key: string, value: NonNullable<unknown>, options?: KvSetOptions): Promise<void> {
    this.write([{ key, value }]);
    return this.inner.set(key, value, options);
  }
  async delete(key: string): Promise<void> {
    this.write([{ key, value: undefined }]);
    return this.inner.delete(key);
  }
  async query<T = unknown>(prefix: string, options?: { limit?: number; cursor?: string }): Promise<KvPage<T>> {
    const page = await this.inner.query<T>(prefix, options);
    // An empty page is still a request: metered against the prefix's family with no bytes.
    if (page.results.length === 0) {
      this.reads++;
      this.readUnits++;
      this.family(keyFamily(prefix));
    } else this.read(page.results);
    return page;
  }
  async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    const found = await this.inner.getMany<T>(keys);
    this.read(keys.map((key) => ({ key, value: found.get(key) })));
    return found;
  }
  async transact(operations: readonly KvOperation[]): Promise<void> {
    this.write(operations.map((op) => ({ key: op.key, value: op.kind === 'set' ? op.value : undefined })));
    return this.inner.transact(operations);
  }
  async getSecret(key: string): Promise<string | undefined> {
    const value = await this.inner.getSecret(key);
    this.read([{ key, value, family: 'secret' }]);
    return value;
  }
  async setSecret(key: string, value: string): Promise<void> {
    this.write([{ key, value, family: 'secret' }]);
    return this.inner.setSecret(key, value);
  }
  async deleteSecret(key: string): Promise<void> {
    this.write([{ key, value: undefined, family: 'secret' }]);
    return this.inner.deleteSecret(key);
  }
}
