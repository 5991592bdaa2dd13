import { workedOn } from '../../support/workedOn';
import { describe, expect, it } from 'vitest';
import { applyWorklogChanges, readWorklogRecords } from '../../../src/app/applyWorklogChanges';
import { ingestDeletions } from '../../../src/app/ingestWorklogs';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvOperation, QueuedEvent } from '../../../src/ports';

/**
 * The exact interleaving the tombstone handshake exists for: a deletion runs
 * entirely between an update's read and its write. The deletion finds no
 * record yet (so routes nothing); the update must then see the tombstone.
 */
class InterleavingKv extends MemoryKvStore {
  between: (() => Promise<void>) | null = null;
  override async transact(operations: readonly KvOperation[]): Promise<void> {
    const run = this.between;
    this.between = null;
    if (run) await run();
    return super.transact(operations);
  }
}

const worklog = { id: '77', source: 'jira', authorId: 'acc-a', issueId: '1', started: Date.UTC(2026, 10, 2, 8), seconds: 3600, updated: 1000 };

describe('a deletion racing an update', () => {
  it('that runs wholly between the update’s read and its write still removes the worklog', async () => {
    const kv = new InterleavingKv();
    const routed: QueuedEvent[] = [];
    kv.between = async () => {
      await ingestDeletions({ kv, applyQueue: { push: async (es) => void routed.push(...es) } }, [{ id: '77', at: 2000 }]);
    };
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog }]);
    expect(routed).toEqual([]); // the deletion saw no record: only the update's own check can remove it
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    expect((await readWorklogRecords(kv, ['77'])).get('77')).toMatchObject({ deleted: true });
  });

  it('of the worklog’s issue, likewise', async () => {
    const kv = new InterleavingKv();
    kv.between = async () => {
      await kv.set(keys.issueTombstone('1'), { at: 2000 });
    };
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog }]);
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
  });
});
