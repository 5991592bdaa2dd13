import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodFromKey } from '../../../domain/period';
import { createSnapshot, type Snapshot } from '../../../domain/snapshot';
import { invokeResolver, type ResolverDeps } from '../../../src/app/resolvers';
import { listSnapshots, type SnapshotFilter, type SnapshotListing, type SnapshotPage } from '../../../src/app/snapshotList';
import { writeSnapshot } from '../../../src/app/snapshots';
import { keys } from '../../../src/app/storageKeys';
import { CountingKvStore } from '../../../src/kv/countingKvStore';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvStore } from '../../../src/ports';
import { rejectedWith } from '../../support/thrown';

/**
 * snapshots/list a page at a time: every sealed version listed once across pages, newest lock first,
 * whatever the filter and page size; bad limits and cursors refused before anything is read; and a
 * page costs a handful of storage requests however many snapshots the site holds.
 */

const AUDITOR = 'acc-auditor';
const HR = 'acc-hr';
/** The HR admin as snapshots name lockers: a pseudonym the registry maps back to the account. */
const HR_PSEUDONYM = 'u-0123456789abcdef01234567';
const PERIODS = ['2026-09', '2026-10', '2026-11', '2026-W47'] as const;
/** acc-a and acc-ab: a filter on one must not list the other's. */
const PEOPLE = ['acc-a', 'acc-ab', 'acc-b', '557058:c', 'acc-d'] as const;
const DEC_2 = Date.UTC(2026, 11, 2);

const made = new Map<string, Snapshot>();
/** A small real snapshot of the person's period (no worklogs), made once. */
function snapshotOf(personId: string, periodKey: string): Snapshot {
  const key = `${personId}|${periodKey}`;
  let s = made.get(key);
  if (!s) {
    s = createSnapshot({
      person: { id: personId, timeZone: 'UTC' },
      siteTimeZone: 'UTC',
      period: periodFromKey(periodKey),
      worklogs: [],
      contracts: [],
      holidayCalendars: [],
      absences: [],
      openingBalanceSeconds: 0,
      dayPolicy: 'start-day',
    });
    made.set(key, s);
  }
  return s;
}

interface Sealed {
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  readonly lockedAt: number;
}

/** Seals each version as the lock step does (writeSnapshot), registers the locker, and records the last version of each period as locked. */
async function seal(kv: KvStore, versions: readonly Sealed[]): Promise<void> {
  await kv.set(keys.person(HR_PSEUDONYM), { accountId: HR, updatedAt: DEC_2 });
  const last = new Map<string, Sealed>();
  for (const v of versions) {
    await writeSnapshot(kv, v.personId, v.periodKey, v.version, snapshotOf(v.personId, v.periodKey), { lockedAt: v.lockedAt, lockedBy: HR_PSEUDONYM, jobId: `job-${v.version}` });
    const k = `${v.personId}|${v.periodKey}`;
    if ((last.get(k)?.version ?? 0) < v.version) last.set(k, v);
  }
  for (const v of last.values()) {
    const unlocks = Array.from({ length: v.version - 1 }, (_, i) => ({ version: i + 1, at: v.lockedAt, by: HR, reason: `correction ${i + 1}` }));
    await kv.set(keys.periodState(v.personId, v.periodKey), { personId: v.personId, periodKey: v.periodKey, status: 'locked', version: v.version, creditedSeconds: 0, unlocks });
  }
}

/** Every page of a listing, following nextCursor. */
async function allPages(kv: KvStore, filter: SnapshotFilter, limit: number): Promise<SnapshotPage[]> {
  const pages: SnapshotPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSnapshots(kv, filter, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1000) throw new Error('paging does not end');
  } while (cursor);
  return pages;
}

const id = (s: Pick<SnapshotListing, 'personId' | 'periodKey' | 'version'>) => `${s.personId}|${s.periodKey}|${s.version}`;

async function dump(kv: KvStore): Promise<string> {
  const out: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.query('', { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor);
  return JSON.stringify(out);
}

/** Versions 1…n of each person's period, n from `counts`, locked at times from `times` (repeats on purpose: a lock job locks many at one instant). */
const sites = fc
  .record({
    people: fc.subarray([...PEOPLE], { minLength: 1 }),
    periods: fc.subarray([...PERIODS], { minLength: 1 }),
    counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 20, maxLength: 20 }),
    times: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 60, maxLength: 60 }),
  })
  .map(({ people, periods, counts, times }) => {
    const out: Sealed[] = [];
    let t = 0;
    people.forEach((personId, i) =>
      periods.forEach((periodKey, j) => {
        for (let version = 1; version <= counts[(i * PERIODS.length + j) % counts.length]!; version++) out.push({ personId, periodKey, version, lockedAt: DEC_2 + times[t++ % times.length]! * 60_000 });
      }),
    );
    return out;
  });

const filters = fc.oneof(
  fc.constant<SnapshotFilter>({}),
  fc.constantFrom(...PEOPLE).map((personId): SnapshotFilter => ({ personId })),
  fc.constantFrom(...PERIODS).map((periodKey): SnapshotFilter => ({ periodKey })),
  fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom(...PERIODS)).map(([personId, periodKey]): SnapshotFilter => ({ personId, periodKey })),
);

describe('snapshots/list, page by page', () => {
  it('lists every sealed version that matches the filter exactly once across pages, newest lock first, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(sites, filters, fc.integer({ min: 1, max: 7 }), async (sealed, filter, limit) => {
        const kv = new MemoryKvStore();
        await seal(kv, sealed);
        const pages = await allPages(kv, filter, limit);
        const listed = pages.flatMap((p) => p.snapshots);
        const expected = sealed.filter((s) => (filter.personId === undefined || s.personId === filter.personId) && (filter.periodKey === undefined || s.periodKey === filter.periodKey));
        expect(listed.map(id).sort()).toEqual(expected.map(id).sort());
        expect(new Set(listed.map(id)).size).toBe(listed.length);
        for (const p of pages) expect(p.snapshots.length).toBeLessThanOrEqual(limit);
        for (const p of pages.slice(0, -1)) expect(p.snapshots.length).toBe(limit);
        if (filter.personId !== undefined && filter.periodKey !== undefined) {
          expect(listed.map((s) => s.version)).toEqual(expected.map((s) => s.version).sort((a, b) => b - a));
        } else {
          for (let i = 1; i < listed.length; i++) expect(listed[i]!.lockedAt).toBeLessThanOrEqual(listed[i - 1]!.lockedAt);
        }
        // Each says which version the period is locked at now, its unlocks, and who locked it (the account, not the pseudonym).
        for (const s of listed) {
          const latest = Math.max(...sealed.filter((x) => x.personId === s.personId && x.periodKey === s.periodKey).map((x) => x.version));
          expect(s.current).toBe(s.version === latest);
          expect(s.unlocks.map((u) => u.reason)).toEqual(s.version === latest ? [] : [`correction ${s.version}`]);
          expect(s.lockedBy).toBe(HR);
          expect(s.jobId).toBe(`job-${s.version}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a person filter lists that person only, not another whose id begins the same', async () => {
    const kv = new MemoryKvStore();
    await seal(kv, [
      { personId: 'acc-a', periodKey: '2026-11', version: 1, lockedAt: DEC_2 },
      { personId: 'acc-ab', periodKey: '2026-11', version: 1, lockedAt: DEC_2 },
    ]);
    expect((await listSnapshots(kv, { personId: 'acc-a' })).snapshots.map(id)).toEqual(['acc-a|2026-11|1']);
    expect((await listSnapshots(kv, { personId: 'acc-a', periodKey: '2026-11' })).snapshots.map(id)).toEqual(['acc-a|2026-11|1']);
    expect((await listSnapshots(kv, { periodKey: '2026-1' })).snapshots).toEqual([]);
  });

  it('a page lists new locks first: a relock comes before the version it replaced, and a later month before an earlier one', async () => {
    const kv = new MemoryKvStore();
    await seal(kv, [
      { personId: 'acc-a', periodKey: '2026-10', version: 1, lockedAt: DEC_2 - 30 * 86_400_000 },
      { personId: 'acc-a', periodKey: '2026-11', version: 1, lockedAt: DEC_2 },
      { personId: 'acc-a', periodKey: '2026-11', version: 2, lockedAt: DEC_2 + 3_600_000 },
    ]);
    const page = await listSnapshots(kv, {}, { limit: 2 });
    expect(page.snapshots.map(id)).toEqual(['acc-a|2026-11|2', 'acc-a|2026-11|1']);
    expect((await listSnapshots(kv, {}, { limit: 2, cursor: page.nextCursor! })).snapshots.map(id)).toEqual(['acc-a|2026-10|1']);
  });
});

describe('the default page', () => {
  it('holds 50 versions; its cursor, sent without a limit too, gives the rest', async () => {
    const kv = new MemoryKvStore();
    const sealed = Array.from({ length: 60 }, (_, i): Sealed => ({ personId: `acc-${String(i).padStart(2, '0')}`, periodKey: '2026-11', version: 1, lockedAt: DEC_2 + i }));
    await seal(kv, sealed);
    const first = await listSnapshots(kv);
    expect(first.snapshots).toHaveLength(50);
    expect(first.snapshots[0]!.personId).toBe('acc-59');
    const rest = await listSnapshots(kv, {}, { cursor: first.nextCursor! });
    expect(rest.snapshots.map((s) => s.personId)).toEqual(sealed.slice(0, 10).map((s) => s.personId).reverse());
    expect(rest.nextCursor).toBeUndefined();
  });
});

describe('bad limits and cursors', () => {
  async function site() {
    const inner = new MemoryKvStore();
    await seal(inner, [...PEOPLE.map((personId) => ({ personId, periodKey: '2026-11', version: 1, lockedAt: DEC_2 })), { personId: 'acc-a', periodKey: '2026-11', version: 2, lockedAt: DEC_2 + 1 }]);
    const kv = new CountingKvStore(inner);
    const periodPage = await listSnapshots(kv, { periodKey: '2026-11' }, { limit: 2 });
    const versionsPage = await listSnapshots(kv, { personId: 'acc-a', periodKey: '2026-11' }, { limit: 1 });
    expect(periodPage.nextCursor).toBeDefined();
    return { kv, inner, cursor: periodPage.nextCursor!, versionsCursor: versionsPage.nextCursor };
  }

  it.each([
    ['a limit of 0', {}, { limit: 0 }, /limit must be a whole number from 1 to 100; got 0/],
    ['a limit over 100', {}, { limit: 101 }, /limit must be a whole number from 1 to 100; got 101/],
    ['a fractional limit', {}, { limit: 2.5 }, /limit must be a whole number/],
    ['a limit written as text', {}, { limit: '5' as unknown as number }, /limit must be a whole number/],
    ['a cursor that is not base64url', {}, { cursor: 'not a cursor!' }, /is not one this resolver gave; pass the nextCursor of the previous page/],
    ['a cursor of JSON that is no position', {}, { cursor: Buffer.from('{"x":1}').toString('base64url') }, /is not one this resolver gave/],
    ['a cursor that is no JSON', {}, { cursor: 'AAAA' }, /is not one this resolver gave/],
    ['a person filter that could be part of a key', { personId: 'acc#a' }, {}, /personId must be a person's account id/],
  ])('%s is refused with INVALID_INPUT, reading and changing nothing', async (_what, filter, page, message) => {
    const { kv, inner } = await site();
    const before = await dump(inner);
    kv.reset();
    const e = await rejectedWith(listSnapshots(kv, filter as SnapshotFilter, page));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
    expect(kv.reads).toBe(0);
    expect(await dump(inner)).toBe(before);
  });

  it('a cursor is for the filter and limit it was given with: another is refused, saying what to send', async () => {
    const { kv, cursor, versionsCursor } = await site();
    kv.reset();
    const otherFilter = await rejectedWith(listSnapshots(kv, {}, { limit: 2, cursor }));
    expect(otherFilter).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('continues the listing of period 2026-11, not of every snapshot: send the same personId and periodKey as the first page') });
    const otherLimit = await rejectedWith(listSnapshots(kv, { periodKey: '2026-11' }, { limit: 3, cursor }));
    expect(otherLimit).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('this cursor continues pages of 2; send limit 2 with it') });
    // A person's period pages by version: its cursor does not continue a period's listing, nor the reverse.
    expect(await rejectedWith(listSnapshots(kv, { periodKey: '2026-11' }, { limit: 1, cursor: versionsCursor! }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('continues the listing of person acc-a and period 2026-11, not of period 2026-11') });
    expect(await rejectedWith(listSnapshots(kv, { personId: 'acc-a', periodKey: '2026-11' }, { limit: 2, cursor }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(kv.reads).toBe(0);
  });

  it('through the resolver: a bad cursor or limit is INVALID_INPUT with the reason, and pages follow', async () => {
    const { inner } = await site();
    await inner.set('cfg#roles', { hrAdmins: { accounts: [], groups: [] }, auditors: { accounts: [AUDITOR], groups: [] } });
    const deps: ResolverDeps = {
      kv: inner,
      directory: { timeZones: async (ids) => new Map(ids.map((i) => [i, 'UTC'])) },
      permissions: { isJiraAdmin: async () => false, groupIds: async () => [] },
      syncQueue: { push: async () => {} },
      periodsQueue: { push: async () => {} },
      clock: { now: () => DEC_2 },
    };
    const call = (payload: unknown) => invokeResolver(deps, 'snapshots/list', payload, AUDITOR);
    expect(await call({ limit: 101 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('limit') } });
    expect(await call({ cursor: 'not a cursor!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('nextCursor of the previous page') } });
    expect(await call({ cursor: 'AAAA' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('is not one this resolver gave') } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = (await call({ limit: 2, ...(cursor ? { cursor } : {}) })) as { ok: true; data: SnapshotPage };
      expect(r.ok).toBe(true);
      seen.push(...r.data.snapshots.map(id));
      cursor = r.data.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...PEOPLE.map((p) => `${p}|2026-11|1`), 'acc-a|2026-11|2'].sort());
  });
});

describe('what a page costs', () => {
  /** 60 people × 12 months, locked once each, and every tenth period relocked: 792 versions. */
  async function bigSite() {
    const inner = new MemoryKvStore();
    const sealed: Sealed[] = [];
    for (let p = 0; p < 60; p++) {
      for (let m = 1; m <= 12; m++) {
        const periodKey = `2025-${String(m).padStart(2, '0')}`;
        const personId = `557058:person-${String(p).padStart(3, '0')}`;
        sealed.push({ personId, periodKey, version: 1, lockedAt: Date.UTC(2025, m, 2) });
        if ((p * 12 + m) % 10 === 0) sealed.push({ personId, periodKey, version: 2, lockedAt: Date.UTC(2025, m, 9) });
      }
    }
    await seal(inner, sealed);
    return { kv: new CountingKvStore(inner), sealed };
  }

  it('is at most 9 storage requests for 100 versions (10 for a person\'s period), the same on the first page and a later one, and under 100 KB', async () => {
    const { kv, sealed } = await bigSite();
    expect(sealed.length).toBeGreaterThan(700);
    const cases: [SnapshotFilter, number][] = [
      [{}, 9],
      [{ periodKey: '2025-06' }, 9],
      [{ personId: '557058:person-007' }, 9],
      [{ personId: '557058:person-009', periodKey: '2025-03' }, 10],
    ];
    for (const [filter, bound] of cases) {
      kv.reset();
      const first = await listSnapshots(kv, filter, { limit: 100 });
      expect(first.snapshots.length).toBeGreaterThan(0);
      expect(kv.reads, JSON.stringify(filter)).toBeLessThanOrEqual(bound);
      expect(kv.bytesRead).toBeLessThan(100_000);
      if (first.nextCursor) {
        kv.reset();
        await listSnapshots(kv, filter, { limit: 100, cursor: first.nextCursor });
        expect(kv.reads, `${JSON.stringify(filter)}, second page`).toBeLessThanOrEqual(bound);
      }
    }
    // Never a scan: the unfiltered first page reads no snapshot part and no more period states than it lists.
    kv.reset();
    const page = await listSnapshots(kv, {}, { limit: 100 });
    expect(page.snapshots).toHaveLength(100);
    const families = kv.snapshot().families;
    expect(families.get('snap')).toBeUndefined();
    expect(families.get('pstate')!.recordsRead).toBeLessThanOrEqual(100);
    expect(families.get('snapidx')!.recordsRead).toBe(100);
  });
});
