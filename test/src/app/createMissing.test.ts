import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMissing } from '../../../src/app/createMissing';
import { ingestIssueDeletion } from '../../../src/app/ingestWorklogs';
import { keys } from '../../../src/app/storageKeys';
import { CountingKvStore } from '../../../src/kv/countingKvStore';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvOperation } from '../../../src/ports';

describe('creating markers that are written once', () => {
  it('creates every missing key, changes none that exists, and costs at most one read and one write per 25 keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 120 }), fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 60 }), async (wanted, existing) => {
        const kv = new CountingKvStore(new MemoryKvStore());
        for (const id of existing) await kv.set(keys.tombstone(id), { at: 1 });
        kv.reset();
        await createMissing(kv, wanted.map((id) => ({ key: keys.tombstone(id), value: { at: 2 } })));
        const m = kv.snapshot();
        const groups = Math.ceil(wanted.length / 25);
        expect(m.reads).toBeLessThanOrEqual(groups);
        expect(m.writes).toBeLessThanOrEqual(groups);
        for (const id of wanted) expect(await kv.get(keys.tombstone(id))).toEqual({ at: existing.includes(id) ? 1 : 2 });
      }),
      { numRuns: 60 },
    );
  });

  it('a lone key is written create-only: a marker another writer made first is kept', async () => {
    const kv = new MemoryKvStore();
    await kv.set(keys.tombstone(7), { at: 1 });
    await createMissing(kv, [{ key: keys.tombstone(7), value: { at: 2 } }]);
    expect(await kv.get(keys.tombstone(7))).toEqual({ at: 1 });
  });

  it('a key another writer creates between the read and the transaction still exists after it (with one of the two instants)', async () => {
    class Racing extends MemoryKvStore {
      override async transact(operations: readonly KvOperation[]): Promise<void> {
        await this.set(keys.tombstone(1), { at: 1 }, { ifAbsent: true }); // the other deletion of worklog 1, just before our write
        return super.transact(operations);
      }
    }
    const kv = new Racing();
    await createMissing(kv, [1, 2].map((id) => ({ key: keys.tombstone(id), value: { at: 2 } })));
    expect(await kv.get(keys.tombstone(1))).toEqual({ at: 2 });
    expect(await kv.get(keys.tombstone(2))).toEqual({ at: 2 });
  });

  it('a deleted issue’s 300 worklogs get their tombstones in 12 reads and 12 transactions, not 300 writes', async () => {
    const mem = new MemoryKvStore();
    for (let w = 1; w <= 300; w++) await mem.set(keys.issueWorklog(9, w), 1);
    await mem.set(keys.tombstone(5), { at: 1 }); // worklog 5 was deleted on its own before
    const kv = new CountingKvStore(mem);
    await ingestIssueDeletion({ kv, applyQueue: { push: async () => undefined } }, '9', 2);
    for (let w = 1; w <= 300; w++) expect(await mem.get(keys.tombstone(w))).toEqual({ at: w === 5 ? 1 : 2 });
    const m = kv.snapshot();
    expect(m.writes).toBe(1 + 12); // the issue's tombstone, then 12 transactions
    expect(m.reads).toBe(3 + 12 + 12); // 3 index pages, 12 tombstone reads, 12 record reads
  });
});
