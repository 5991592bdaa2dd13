import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CountingKvStore, keyFamily, KVS_UNIT_BYTES } from '../../../src/kv/countingKvStore';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';

const fresh = () => new CountingKvStore(new MemoryKvStore({ now: () => Date.UTC(2026, 11, 2) }));

describe('CountingKvStore meters KVS as Forge bills it', () => {
  it('counts a record as the UTF-8 bytes of its key plus its value as JSON', async () => {
    const kv = fresh();
    // key "wl#1" = 4 bytes; {"n":"é"} = 10 bytes (é is 2 bytes in UTF-8).
    await kv.set('wl#1', { n: 'é' });
    expect(kv.bytesWritten).toBe(14);
    expect(await kv.get('wl#1')).toEqual({ n: 'é' });
    expect(kv.bytesRead).toBe(14);
    expect([kv.reads, kv.writes, kv.readUnits, kv.writeUnits]).toEqual([1, 1, 1, 1]);
  });

  it('counts a missing key and a delete by their key only', async () => {
    const kv = fresh();
    expect(await kv.get('day#x')).toBeUndefined();
    await kv.delete('del#12');
    expect(kv.bytesRead).toBe(5);
    expect(kv.bytesWritten).toBe(6);
  });

  it('counts a transaction as one write request of all its records, and a batch get as one read', async () => {
    const kv = fresh();
    await kv.transact([
      { kind: 'set', key: 'wl#1', value: 1 }, // 4 + 1
      { kind: 'set', key: 'day#p#20261201', value: { seconds: 3600 } }, // 14 + 16
      { kind: 'delete', key: 'iwl#9#1' }, // 7
    ]);
    expect([kv.writes, kv.bytesWritten, kv.writeUnits]).toEqual([1, 42, 1]);
    const found = await kv.getMany(['wl#1', 'wl#2']);
    expect(found.size).toBe(1);
    // wl#1 with its value (5) plus the missing wl#2's key (4).
    expect([kv.reads, kv.bytesRead]).toEqual([1, 9]);
    const families = kv.snapshot().families;
    expect(families.get('wl')).toEqual({ recordsRead: 2, bytesRead: 9, recordsWritten: 1, bytesWritten: 5 });
    expect(families.get('day')).toEqual({ recordsRead: 0, bytesRead: 0, recordsWritten: 1, bytesWritten: 30 });
    expect(families.get('iwl')?.recordsWritten).toBe(1);
  });

  it('counts every key and value a query page returns, and an empty page as one request of no bytes', async () => {
    const kv = fresh();
    await kv.set('day#p#20261201', { seconds: 1 });
    await kv.set('day#p#20261202', { seconds: 22 });
    kv.reset();
    const page = await kv.query('day#p#');
    expect(page.results).toHaveLength(2);
    expect([kv.reads, kv.bytesRead]).toEqual([1, 14 + 13 + 14 + 14]);
    await kv.query('nothing#');
    expect([kv.reads, kv.bytesRead, kv.readUnits]).toEqual([2, 55, 2]);
  });

  it('rounds a request up to whole 10 KiB units', async () => {
    const kv = fresh();
    const value = 'x'.repeat(2 * KVS_UNIT_BYTES); // JSON adds 2 quotes; key "big" 3 bytes: just over 2 units.
    await kv.set('big', value);
    expect(kv.writeUnits).toBe(3);
    await kv.set('small', 'x'.repeat(KVS_UNIT_BYTES - 'small'.length - 2));
    expect(kv.writeUnits).toBe(4);
  });

  it('families are the key up to its first #', () => {
    expect(['wl#000000000001', 'day#557058:a#20261201', 'cfg#site', 'lease#sync#claim#x#1', 'plain'].map(keyFamily)).toEqual(['wl', 'day', 'cfg', 'lease', 'plain']);
  });

  it('bytes written by families add up to the total, whatever is written', async () => {
    const key = fc.stringMatching(/^[a-z]{1,4}(#[a-z0-9]{1,6}){0,2}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, fc.jsonValue().filter((v) => v !== null)), { minLength: 1, maxLength: 20 }), async (records) => {
        const kv = fresh();
        for (const [k, v] of records) await kv.set(k, v as NonNullable<unknown>);
        const byFamily = [...kv.snapshot().families.values()].reduce((t, f) => t + f.bytesWritten, 0);
        expect(byFamily).toBe(kv.bytesWritten);
        expect(kv.bytesWritten).toBe(records.reduce((t, [k, v]) => t + Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)), 0));
      }),
    );
  });
});
