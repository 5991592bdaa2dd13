import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KvConflictError, type KvStore, type Stored } from '../../../src/ports';

/** A store under test, and a way to move its clock (for TTLs). */
export interface KvFixture {
  readonly store: KvStore;
  advance(ms: number): void;
}

async function allPages(store: KvStore, prefix: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(prefix, { limit, ...(cursor ? { cursor } : {}) });
    keys.push(...page.results.map((r) => r.key));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** The behaviour every KvStore adapter must share with Forge KVS. */
export function describeKvStoreConformance(name: string, make: () => Promise<KvFixture> | KvFixture): void {
  describe(`KvStore conformance: ${name}`, () => {
    it('a missing key reads as undefined, a stored one as an equal copy', async () => {
      const { store } = await make();
      expect(await store.get('nothing#here')).toBeUndefined();
      const value = { a: [1, 'two', { three: true }], b: 'ü 😀' };
      await store.set('wl#000000010001', value);
      const read = await store.get<typeof value>('wl#000000010001');
      expect(read).toEqual(value);
      expect(read).not.toBe(value);
    });

    it.each([
      ['', 'KEY_TOO_SHORT'],
      ['   ', 'INVALID_KEY'],
      ['a/b', 'INVALID_KEY'],
      ['a+b', 'INVALID_KEY'],
      ['user@site', 'INVALID_KEY'],
      ['x'.repeat(501), 'KEY_TOO_LONG'],
    ])('refuses the key %j with %s', async (key, code) => {
      const { store } = await make();
      await expect(store.set(key, 1)).rejects.toMatchObject({ code });
    });

    it('accepts the KVS key alphabet and 500-character keys', async () => {
      const { store } = await make();
      for (const key of ['day#557058:abc-DEF_1.2#20261123', 'a b', 'x'.repeat(500)]) {
        await store.set(key, 1);
        expect(await store.get(key)).toBe(1);
      }
    });

    it('stores values up to 240 KiB and refuses larger ones, and null', async () => {
      const { store } = await make();
      const fits = 'x'.repeat(240 * 1024 - 2); // the JSON quotes make it exactly 240 KiB
      await store.set('big', fits);
      expect((await store.get<string>('big'))!.length).toBe(fits.length);
      await expect(store.set('big', `${fits}x`)).rejects.toMatchObject({ code: 'MAX_SIZE' });
      expect((await store.get<string>('big'))!.length).toBe(fits.length); // unchanged by the refused write
      await expect(store.set('n', null as unknown as Stored)).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    });

    it('a create-only write refuses an existing key and leaves it unchanged', async () => {
      const { store } = await make();
      await store.set('audit#000001', { n: 1 }, { ifAbsent: true });
      await expect(store.set('audit#000001', { n: 2 }, { ifAbsent: true })).rejects.toBeInstanceOf(KvConflictError);
      expect(await store.get('audit#000001')).toEqual({ n: 1 });
    });

    it('a value with a TTL disappears after it, and a create-only write may then succeed', async () => {
      const fixture = await make();
      await fixture.store.set('lease#reconcile', 'a', { ttlSeconds: 60, ifAbsent: true });
      fixture.advance(59_000);
      await expect(fixture.store.set('lease#reconcile', 'b', { ttlSeconds: 60, ifAbsent: true })).rejects.toBeInstanceOf(KvConflictError);
      fixture.advance(2_000);
      expect(await fixture.store.get('lease#reconcile')).toBeUndefined();
      await fixture.store.set('lease#reconcile', 'b', { ttlSeconds: 60, ifAbsent: true });
      expect(await fixture.store.get('lease#reconcile')).toBe('b');
    });

    it('queries return a prefix in ascending key order, in pages of 10 by default and at most 100', async () => {
      const { store } = await make();
      for (let i = 0; i < 23; i++) await store.set(`day#p1#202611${String(30 - i).padStart(2, '0')}`, i);
      await store.set('day#p10#20261101', 'other person');
      await store.set('dax', 'not a match');
      const first = await store.query('day#p1#');
      expect(first.results).toHaveLength(10);
      expect(first.results[0]!.key).toBe('day#p1#20261108');
      expect(first.nextCursor).toBeDefined();
      const keys = await allPages(store, 'day#p1#', 7);
      expect(keys).toHaveLength(23);
      expect(keys).toEqual([...keys].sort());
      await expect(store.query('day#', { limit: 101 })).rejects.toMatchObject({ code: 'LIST_QUERY_LIMIT_EXCEEDED' });
      const last = await store.query('day#p1#', { limit: 100 });
      expect(last.nextCursor).toBeUndefined();
    });

    it('getMany reads up to 25 distinct keys and leaves missing ones out', async () => {
      const { store } = await make();
      await store.set('k1', 1);
      await store.set('k3', 3);
      expect(await store.getMany(['k1', 'k2', 'k3'])).toEqual(new Map([['k1', 1], ['k3', 3]]));
      await expect(store.getMany(Array.from({ length: 26 }, (_, i) => `k${i}`))).rejects.toMatchObject({ code: 'TOO_MANY_OPERATIONS' });
      await expect(store.getMany(['k1', 'k1'])).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    });

    it('a transaction applies all of its operations or none', async () => {
      const { store } = await make();
      await store.set('a', 1);
      await store.transact([
        { kind: 'set', key: 'b', value: 2 },
        { kind: 'delete', key: 'a' },
      ]);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toBe(2);
      await expect(
        store.transact([
          { kind: 'set', key: 'c', value: 3 },
          { kind: 'set', key: 'd', value: 'x'.repeat(250 * 1024) },
        ]),
      ).rejects.toMatchObject({ code: 'MAX_SIZE' });
      expect(await store.get('c')).toBeUndefined();
      // Values each under the value limit, together over the 1 MB a transaction may carry today.
      await expect(store.transact(Array.from({ length: 5 }, (_, i) => ({ kind: 'set' as const, key: `big${i}`, value: 'x'.repeat(230 * 1024) })))).rejects.toMatchObject({ code: 'MAX_SIZE' });
      expect(await store.get('big0')).toBeUndefined();
      await expect(store.transact(Array.from({ length: 26 }, (_, i) => ({ kind: 'delete' as const, key: `k${i}` })))).rejects.toMatchObject({ code: 'TOO_MANY_OPERATIONS' });
      await expect(store.transact([{ kind: 'delete', key: 'b' }, { kind: 'set', key: 'b', value: 1 }])).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
      expect(await store.get('b')).toBe(2);
    });

    it('secrets live apart from data and never show in queries', async () => {
      const { store } = await make();
      await store.setSecret('secret#jira-token', 's3cr3t');
      expect(await store.getSecret('secret#jira-token')).toBe('s3cr3t');
      expect(await store.get('secret#jira-token')).toBeUndefined();
      expect((await store.query('secret#')).results).toEqual([]);
      await store.deleteSecret('secret#jira-token');
      expect(await store.getSecret('secret#jira-token')).toBeUndefined();
    });

    it('behaves like a sorted map under any sequence of writes and deletes (model-based)', async () => {
      const keyArb = fc.constantFrom('a#1', 'a#2', 'a#10', 'a#b', 'b#1', 'ab', 'a');
      const opArb = fc.oneof(
        fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
        fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.constantFrom('a', 'a#', 'b', ''), fc.integer({ min: 1, max: 4 }), async (ops, prefix, limit) => {
          const { store } = await make();
          const model = new Map<string, number>();
          for (const op of ops) {
            if (op.kind === 'set') {
              await store.set(op.key, op.value);
              model.set(op.key, op.value);
            } else {
              await store.delete(op.key);
              model.delete(op.key);
            }
          }
          const expected = [...model.keys()].filter((k) => k.startsWith(prefix)).sort();
          expect(await allPages(store, prefix, limit)).toEqual(expected);
          for (const [k, v] of model) expect(await store.get(k)).toBe(v);
        }),
        { numRuns: 100 },
      );
    });
  });
}
