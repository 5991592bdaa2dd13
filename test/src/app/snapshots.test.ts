import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthPeriod } from '../../../domain/period';
import type { PeriodReportInput } from '../../../domain/periodReport';
import { createSnapshot } from '../../../domain/snapshot';
import type { Worklog } from '../../../domain/worklog';
import { KV_LIMITS } from '../../../src/kv/kvRules';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvStore } from '../../../src/ports';
import { SNAPSHOT_PART_BYTES, driftOf, latestSnapshotVersion, listSnapshots, readSnapshot, splitIntoParts, writeSnapshot } from '../../../src/app/snapshots';
import { keys } from '../../../src/app/storageKeys';
import { rejectedWith } from '../../support/thrown';

const PERSON = 'acc-a';
const NOV = '2026-11';
const meta = { lockedAt: Date.UTC(2026, 11, 2), lockedBy: 'hr-1', jobId: 'job-1' };

/** `count` worklogs of 15 minutes spread over November 2026 (UTC), ids 1…count. */
function worklogs(count: number, secondsOf: (i: number) => number = () => 900): Worklog[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i + 1),
    authorId: PERSON,
    started: Date.UTC(2026, 10, 1 + (i % 30), 6 + (i % 12)),
    seconds: secondsOf(i),
    updated: Date.UTC(2026, 10, 1) + i,
  }));
}

function input(list: readonly Worklog[]): PeriodReportInput {
  return {
    person: { id: PERSON, timeZone: 'UTC' },
    siteTimeZone: 'UTC',
    period: monthPeriod(2026, 11),
    worklogs: list,
    contracts: [],
    holidayCalendars: [],
    absences: [],
    openingBalanceSeconds: 0,
    dayPolicy: 'start-day',
  };
}

async function dump(kv: KvStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let cursor: string | undefined;
  do {
    const page = await kv.query('', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) out[r.key] = r.value;
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}


describe('a snapshot in storage', () => {
  // 6000 worklogs make a canonical text of about 0.6 MB: several parts.
  const big = createSnapshot(input(worklogs(6000)));

  it('larger than one stored value round-trips in parts under the value limit and verifies', async () => {
    const kv = new MemoryKvStore();
    const { manifest, written } = await writeSnapshot(kv, PERSON, NOV, 1, big, meta);
    expect(written).toBe(true);
    expect(manifest.bytes).toBeGreaterThan(KV_LIMITS.maxValueBytes);
    expect(manifest.partCount).toBeGreaterThanOrEqual(3);
    const stored = Object.entries(await dump(kv));
    for (const [key, value] of stored.filter(([k]) => !k.startsWith('snapidx#'))) {
      expect(key).toMatch(/^snap#acc-a#2026-11#0001#\d{3}$/);
      expect(Buffer.byteLength(JSON.stringify(value), 'utf8')).toBeLessThanOrEqual(SNAPSHOT_PART_BYTES);
    }
    // Listed for snapshots/list under three keys, each a small record.
    const listing = stored.filter(([k]) => k.startsWith('snapidx#'));
    expect(listing.map(([k]) => k.split('#')[1])).toEqual(['all', 'period', 'person']);
    for (const [, value] of listing) expect(Buffer.byteLength(JSON.stringify(value), 'utf8')).toBeLessThan(1000);
    const read = await readSnapshot(kv, PERSON, NOV);
    expect(read.snapshot).toEqual(big);
    expect(read.verification).toEqual({ ok: true, hash: big.hash });
    expect(read.manifest).toMatchObject({ version: 1, hash: big.hash, lockedBy: 'hr-1', jobId: 'job-1' });
  });

  it('a writer that stopped between sealing a version and listing it: the retry lists it', async () => {
    const kv = new MemoryKvStore();
    await writeSnapshot(kv, PERSON, NOV, 1, big, meta);
    const listing = Object.keys(await dump(kv)).filter((k) => k.startsWith('snapidx#'));
    for (const key of listing) await kv.delete(key);
    expect((await listSnapshots(kv, { personId: PERSON })).snapshots).toEqual([]);
    expect((await writeSnapshot(kv, PERSON, NOV, 1, big, meta)).written).toBe(false);
    expect(Object.keys(await dump(kv)).filter((k) => k.startsWith('snapidx#'))).toEqual(listing);
    expect((await listSnapshots(kv, { periodKey: NOV })).snapshots.map((s) => [s.personId, s.version, s.hash])).toEqual([[PERSON, 1, big.hash]]);
  });

  it('is written once: the same snapshot again writes nothing, another under the same version is refused and changes nothing', async () => {
    const kv = new MemoryKvStore();
    await writeSnapshot(kv, PERSON, NOV, 1, big, meta);
    const before = await dump(kv);
    expect((await writeSnapshot(kv, PERSON, NOV, 1, big, meta)).written).toBe(false);
    const other = createSnapshot(input(worklogs(10)));
    const e = await rejectedWith(writeSnapshot(kv, PERSON, NOV, 1, other, meta));
    expect(e.code).toBe('SNAPSHOT_VERSION_TAKEN');
    expect(e.message).toContain(`already sealed with hash ${big.hash}`);
    expect(await dump(kv)).toEqual(before);
  });

  it('names a part that was altered, one that is missing, and a manifest that no longer matches its parts', async () => {
    const kv = new MemoryKvStore();
    await writeSnapshot(kv, PERSON, NOV, 1, big, meta);
    const part2 = keys.snapshotPart(PERSON, NOV, 1, 2);
    const original = (await kv.get<string>(part2))!;
    // One digit changed in the middle of part 2.
    const at = original.search(/[0-9]/);
    await kv.set(part2, original.slice(0, at) + (original[at] === '1' ? '2' : '1') + original.slice(at + 1));
    let e = await rejectedWith(readSnapshot(kv, PERSON, NOV, 1));
    expect(e.code).toBe('SNAPSHOT_ALTERED');
    expect(e.message).toContain(part2);

    await kv.delete(part2);
    e = await rejectedWith(readSnapshot(kv, PERSON, NOV, 1));
    expect(e.code).toBe('SNAPSHOT_PART_MISSING');
    expect(e.message).toContain(part2);

    // Parts intact, manifest claims another hash.
    await kv.set(part2, original);
    const manifestKey = keys.snapshotPart(PERSON, NOV, 1, 0);
    const manifest = (await kv.get<Record<string, unknown>>(manifestKey))!;
    await kv.set(manifestKey, { ...manifest, hash: '0'.repeat(64) });
    e = await rejectedWith(readSnapshot(kv, PERSON, NOV, 1));
    expect(e.code).toBe('SNAPSHOT_ALTERED');
    expect(e.message).toContain(manifestKey);
  });

  it('detects a snapshot whose parts and manifest were both rewritten with edited figures', async () => {
    const kv = new MemoryKvStore();
    const small = createSnapshot(input(worklogs(3)));
    const forged = { ...small, report: { ...small.report, totals: { ...small.report.totals, workedSeconds: 1 } } };
    // Written as if genuine: the parts and part hashes agree, but the content does not match its sealed hash.
    await writeSnapshot(kv, PERSON, NOV, 1, forged, meta);
    const e = await rejectedWith(readSnapshot(kv, PERSON, NOV, 1));
    expect(e.code).toBe('SNAPSHOT_ALTERED');
  });

  it('reads the latest version by default and says when there is none', async () => {
    const kv = new MemoryKvStore();
    expect((await rejectedWith(readSnapshot(kv, PERSON, NOV))).code).toBe('SNAPSHOT_NOT_FOUND');
    expect(await latestSnapshotVersion(kv, PERSON, NOV)).toBe(0);
    const v1 = createSnapshot(input(worklogs(3)));
    const v2 = createSnapshot(input(worklogs(4)));
    await writeSnapshot(kv, PERSON, NOV, 1, v1, meta);
    await writeSnapshot(kv, PERSON, NOV, 2, v2, meta);
    expect(await latestSnapshotVersion(kv, PERSON, NOV)).toBe(2);
    expect((await readSnapshot(kv, PERSON, NOV)).snapshot.hash).toBe(v2.hash);
    expect((await readSnapshot(kv, PERSON, NOV, 1)).snapshot.hash).toBe(v1.hash);
    expect((await rejectedWith(readSnapshot(kv, PERSON, NOV, 3))).code).toBe('SNAPSHOT_NOT_FOUND');
  });

  it('refuses to overwrite parts an unsealed attempt left with other content, unless the writer owns the version', async () => {
    const kv = new MemoryKvStore();
    await kv.set(keys.snapshotPart(PERSON, NOV, 1, 1), 'left by a crashed attempt');
    const small = createSnapshot(input(worklogs(3)));
    const before = await dump(kv);
    const e = await rejectedWith(writeSnapshot(kv, PERSON, NOV, 1, small, meta));
    expect(e.code).toBe('SNAPSHOT_PART_CONFLICT');
    expect(await dump(kv)).toEqual(before);
    await writeSnapshot(kv, PERSON, NOV, 1, small, meta, { replaceUnsealed: true });
    expect((await readSnapshot(kv, PERSON, NOV, 1)).snapshot).toEqual(small);
  });
});

describe('splitting text into parts', () => {
  it('joins back to the text, and every part fits its budget as a stored JSON string, whatever the characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 8, max: 64 }), (text, budget) => {
        const parts = splitIntoParts(text, budget);
        expect(parts.join('')).toBe(text);
        for (const p of parts) expect(Buffer.byteLength(JSON.stringify(p), 'utf8')).toBeLessThanOrEqual(budget);
        // Never splits a surrogate pair: no boundary falls between a high and a low surrogate.
        let offset = 0;
        for (const p of parts.slice(0, -1)) {
          offset += p.length;
          expect(/[\ud800-\udbff]/.test(text[offset - 1] ?? '') && /[\udc00-\udfff]/.test(text[offset] ?? '')).toBe(false);
        }
      }),
    );
  });
});

describe('drift of a snapshot', () => {
  it('lists added, changed and deleted worklogs and the net change, ignoring other people', () => {
    const snapshot = createSnapshot(input(worklogs(3)));
    const now = worklogs(3);
    const current: Worklog[] = [{ ...now[0]!, seconds: 1800, updated: now[0]!.updated! + 1 }, now[1]!, { id: '9', authorId: PERSON, started: Date.UTC(2026, 10, 20, 8), seconds: 600, updated: 5 }, { id: '10', authorId: 'acc-b', started: Date.UTC(2026, 10, 20, 8), seconds: 600 }];
    const drift = driftOf(snapshot, current, snapshot.personId);
    expect(drift.added.map((w) => w.id)).toEqual(['9']);
    expect(drift.deleted.map((w) => w.id)).toEqual(['3']);
    expect(drift.changed.map((c) => [c.id, c.secondsDelta])).toEqual([['1', 900]]);
    expect(drift.unchanged).toBe(1);
    expect(drift.netSecondsDelta).toBe(900 + 600 - 900);
  });
});
