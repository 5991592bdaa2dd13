import Database from 'better-sqlite3';
import { KvConflictError, type Clock, type KvOperation, type KvPage, type KvSetOptions, type KvStore } from '../ports';
import {
  assertBatch,
  assertSetOptions,
  assertValidKey,
  decodeCursor,
  encodeCursor,
  pageSize,
  prepareTransaction,
  serialiseValue,
} from '../kv/kvRules';

/**
 * KVS on a SQLite file, for the local runtime: the same key rules, sizes,
 * page and batch limits as Forge (src/kv/kvRules.ts), and the same
 * conformance suite. Ascending key order is SQLite's BINARY collation, which
 * matches JavaScript's string order for the ASCII keys KVS allows.
 */
export class SqliteKvStore implements KvStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(
    db: Database.Database | string,
    private readonly clock: Clock = { now: () => Date.now() },
  ) {
    this.db = typeof db === 'string' ? new Database(db) : db;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kv_secret (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.stmt = {
      get: this.db.prepare<[string, number], { value: string }>('SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)'),
      upsert: this.db.prepare('INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at'),
      insertIfAbsent: this.db.prepare(
        'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?',
      ),
      delete: this.db.prepare('DELETE FROM kv WHERE key = ?'),
      page: this.db.prepare<[string, string, string, number, number], { key: string; value: string }>(
        'SELECT key, value FROM kv WHERE key >= ? AND key < ? AND key > ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key LIMIT ?',
      ),
      getSecret: this.db.prepare<[string], { value: string }>('SELECT value FROM kv_secret WHERE key = ?'),
      setSecret: this.db.prepare('INSERT INTO kv_secret (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      deleteSecret: this.db.prepare('DELETE FROM kv_secret WHERE key = ?'),
    };
  }

  /** The underlying database, shared with the durable queue so both live in one file. */
  get database(): Database.Database {
    return this.db;
  }

  private expiry(ttlSeconds: number | undefined): number | null {
    return ttlSeconds ? this.clock.now() + ttlSeconds * 1000 : null;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertValidKey(key);
    const row = this.stmt.get.get(key, this.clock.now());
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: NonNullable<unknown>, options?: KvSetOptions): Promise<void> {
    assertValidKey(key);
    assertSetOptions(options);
    const json = serialiseValue(key, value);
    if (options?.ifAbsent) {
      const result = this.stmt.insertIfAbsent.run(key, json, this.expiry(options.ttlSeconds), this.clock.now());
      if (result.changes === 0) throw new KvConflictError(key);
      return;
    }
    this.stmt.upsert.run(key, json, this.expiry(options?.ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    this.stmt.delete.run(key);
  }

  async query<T = unknown>(prefix: string, options: { limit?: number; cursor?: string } = {}): Promise<KvPage<T>> {
    const size = pageSize(options.limit);
    const after = options.cursor === undefined ? '' : decodeCursor(options.cursor);
    // Keys are ASCII, so every key with the prefix sorts before prefix + U+FFFF.
    const rows = this.stmt.page.all(prefix, `${prefix}\uffff`, after, this.clock.now(), size + 1);
    const page = rows.slice(0, size);
    const results = page.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
    return rows.length > size ? { results, nextCursor: encodeCursor(page[page.length - 1]!.key) } : { results };
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    assertBatch(keys, 'batch');
    const out = new Map<string, T>();
    const now = this.clock.now();
    for (const key of keys) {
      const row = this.stmt.get.get(key, now);
      if (row) out.set(key, JSON.parse(row.value) as T);
    }
    return out;
  }

  async transact(operations: readonly KvOperation[]): Promise<void> {
    const prepared = prepareTransaction(operations);
    this.db.transaction(() => {
      for (const { op, json } of prepared) {
        if (op.kind === 'delete') this.stmt.delete.run(op.key);
        else this.stmt.upsert.run(op.key, json, this.expiry(op.ttlSeconds));
      }
    })();
  }

  async getSecret(key: string): Promise<string | undefined> {
    assertValidKey(key);
    return this.stmt.getSecret.get(key)?.value;
  }

  async setSecret(key: string, value: string): Promise<void> {
    assertValidKey(key);
    this.stmt.setSecret.run(key, value);
  }

  async deleteSecret(key: string): Promise<void> {
    assertValidKey(key);
    this.stmt.deleteSecret.run(key);
  }

  close(): void {
    this.db.close();
  }
}
