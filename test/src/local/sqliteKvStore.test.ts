import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteKvStore } from '../../../src/local/sqliteKvStore';
import { describeKvStoreConformance } from '../kv/kvConformance';

describeKvStoreConformance('SqliteKvStore', () => {
  let now = Date.UTC(2026, 10, 23);
  const store = new SqliteKvStore(':memory:', { now: () => now });
  return { store, advance: (ms) => (now += ms) };
});

describe('SqliteKvStore on disk', () => {
  it('keeps data across a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'worktime-kv-')), 'data.sqlite');
    const first = new SqliteKvStore(file);
    await first.set('day#a1#20261123', { seconds: 3600 });
    await first.setSecret('secret#token', 'x');
    first.close();
    const second = new SqliteKvStore(file);
    expect(await second.get('day#a1#20261123')).toEqual({ seconds: 3600 });
    expect(await second.getSecret('secret#token')).toBe('x');
    second.close();
  });
});
