import { describe, expect, it } from 'vitest';
import { handleSyncEvent } from '../../../src/app/handleSyncEvent';
import { readSyncProgress, startImport, type SyncProgress } from '../../../src/app/importProgress';
import { keys } from '../../../src/app/storageKeys';
import type { KvOperation } from '../../../src/ports';
import { syncHarness } from '../../support/syncHarness';

const setup = syncHarness;

describe('starting an import', () => {
  it('a start that fails before its cursors are reset stays queued, and its retry imports everything', async () => {
    const s = setup(2500);
    // Reconciles have run before: the cursors stand after most worklogs.
    await s.kv.set(keys.updatedCursor, Date.UTC(2026, 0, 2, 17));
    await s.kv.set(keys.deletedCursor, Date.UTC(2026, 0, 2, 17));
    await startImport({ kv: s.kv, syncQueue: s.syncQueue, clock: s.clock });
    const start = s.sync.shift()!;
    // One transient KVS failure on the first transaction (the reset + record write).
    const orig = s.kv.transact.bind(s.kv);
    let failed = false;
    s.kv.transact = async (ops: readonly KvOperation[]) => {
      if (!failed) {
        failed = true;
        throw new Error('KVS 500');
      }
      return orig(ops);
    };
    await expect(handleSyncEvent(s.deps, start, 600_000)).rejects.toThrow('KVS 500');
    expect((await s.kv.get<SyncProgress>(keys.syncProgress))?.status).toBe('queued');
    // Forge retries the same start event.
    s.clock.advance(30_000);
    await handleSyncEvent(s.deps, start, 600_000);
    const p = await readSyncProgress(s.kv);
    expect(p).toMatchObject({ state: 'listed' });
    expect(s.listedIds().size).toBe(2500);
  });

});
