import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listedFrom, listingKeys, listSnapshots, type SnapshotFilter } from '../src/app/snapshotList';
import type { SnapshotManifest } from '../src/app/snapshots';
import { keys } from '../src/app/storageKeys';
import { CountingKvStore } from '../src/kv/countingKvStore';
import { SqliteKvStore } from '../src/local/sqliteKvStore';
import type { KvOperation } from '../src/ports';

/**
 * What one page of snapshots/list costs on a site with 2,000 people × 12 locked months (24,000
 * versions, and every 20th period relocked: 25,200), the review's scale: storage requests, read
 * units (10 KB each) and KB read per call, the answer's size and the time a call takes on the local
 * SQLite store (median of 20; Forge adds a KVS round trip per request). Stored as the lock step
 * stores them (manifest, listing, period state); parts are left out, since a listing never reads
 * them. The check: following the cursor through one month's listing gives each of its versions
 * exactly once.
 */
const PEOPLE = 2000;
const MONTHS = 12;
const RUNS = 20;
const LOCKER = 'u-0123456789abcdef01234567';

export async function runSnapshotListBenchmark(log: (line: string) => void): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-snaplist-'));
  const clock = { now: () => Date.UTC(2026, 0, 15) };
  const store = new SqliteKvStore(join(dir, 'snapshots.sqlite'), clock);
  try {
    const fillStarted = performance.now();
    const versions = await fill(store);
    log(`snapshot listing: ${versions.toLocaleString('en')} versions of ${PEOPLE.toLocaleString('en')} people × ${MONTHS} months stored in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);
    const kv = new CountingKvStore(store);

    const cases: [string, SnapshotFilter][] = [
      ['all', {}],
      ['one month', { periodKey: '2025-06' }],
      ['one person', { personId: person(1234) }],
      ["one person's month", { personId: person(40), periodKey: '2025-02' }],
    ];
    log('| listing (page of 100) | requests | read units | KB read | answer KB | ms (median) |');
    log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [label, filter] of cases) {
      for (const which of ['first page', 'fifth page'] as const) {
        let cursor: string | undefined;
        if (which === 'fifth page') {
          for (let i = 0; i < 4; i++) cursor = (await listSnapshots(kv, filter, { limit: 100, ...(cursor ? { cursor } : {}) })).nextCursor;
          if (cursor === undefined) continue;
        }
        const times: number[] = [];
        let answerBytes = 0;
        for (let run = 0; run < RUNS; run++) {
          kv.reset();
          const started = performance.now();
          const page = await listSnapshots(kv, filter, { limit: 100, ...(cursor ? { cursor } : {}) });
          times.push(performance.now() - started);
          answerBytes = Buffer.byteLength(JSON.stringify(page), 'utf8');
        }
        times.sort((a, b) => a - b);
        log(`| ${label}, ${which} | ${kv.reads} | ${kv.readUnits} | ${(kv.bytesRead / 1024).toFixed(1)} | ${(answerBytes / 1024).toFixed(1)} | ${times[Math.floor(RUNS / 2)]!.toFixed(1)} |`);
      }
    }

    // The check: one month's versions, page by page, each once.
    const seen = new Set<string>();
    let listed = 0;
    let cursor: string | undefined;
    do {
      const page = await listSnapshots(kv, { periodKey: '2025-06' }, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const s of page.snapshots) seen.add(`${s.personId}|${s.version}`);
      listed += page.snapshots.length;
      cursor = page.nextCursor;
    } while (cursor);
    const expected = PEOPLE + Math.floor(PEOPLE / 20);
    const ok = listed === seen.size && seen.size === expected;
    log(`snapshot listing check: 2025-06 paged through lists ${listed} versions, ${seen.size} distinct, of ${expected} sealed: ${ok ? 'ok' : 'WRONG'}`);
    return ok;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const person = (n: number) => `557058:bench-${String(n).padStart(4, '0')}`;

/** Every person's month locked once (every 20th person relocked), as manifest + listing + period state, 5 versions a transaction. */
async function fill(store: SqliteKvStore): Promise<number> {
  await store.set(keys.person(LOCKER), { accountId: '557058:hr', updatedAt: 0 });
  let ops: KvOperation[] = [];
  let count = 0;
  const flush = async () => {
    if (ops.length > 0) await store.transact(ops);
    ops = [];
  };
  for (let m = 1; m <= MONTHS; m++) {
    const periodKey = `2025-${String(m).padStart(2, '0')}`;
    for (let p = 0; p < PEOPLE; p++) {
      const personId = person(p);
      const lastVersion = p % 20 === 0 ? 2 : 1;
      for (let version = 1; version <= lastVersion; version++) {
        const manifest: SnapshotManifest = {
          format: 1,
          personId: `u-${String(p).padStart(24, '0')}`,
          periodKey,
          version,
          hash: `${String(p).padStart(8, '0')}`.repeat(8),
          engineVersion: '1.0.0',
          partCount: 1,
          partHashes: ['0'.repeat(64)],
          bytes: 48_000,
          // A lock job locks the office in a few minutes, the day after the month ends.
          lockedAt: Date.UTC(2025, m, 1 + version * 3, 9) + p * 150,
          lockedBy: LOCKER,
          jobId: `job-${periodKey}-${version}`,
        };
        const listed = listedFrom(personId, manifest);
        ops.push({ kind: 'set', key: keys.snapshotPart(personId, periodKey, version, 0), value: manifest }, ...listingKeys(listed).map((key): KvOperation => ({ kind: 'set', key, value: listed })));
        count++;
      }
      ops.push({ kind: 'set', key: keys.periodState(personId, periodKey), value: { personId, periodKey, status: 'locked', version: lastVersion, creditedSeconds: 0, unlocks: lastVersion === 1 ? [] : [{ version: 1, at: 0, by: '557058:hr', reason: 'a correction' }] } });
      if (ops.length > 15) await flush();
    }
  }
  await flush();
  return count;
}
