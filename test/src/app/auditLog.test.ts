import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, appendAuditEntry, auditEntryHash, type AuditEntry, type AuditInput } from '../../../domain/auditChain';
import { DomainError, ErrorCode } from '../../../domain/errors';
import { appendAudit, auditCheckpoint, listAudit, verifyAudit, type AppendAuditInput, type AuditFilters } from '../../../src/app/auditLog';
import { pseudonymsFor, registerPeople } from '../../../src/app/pseudonyms';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { SqliteKvStore } from '../../../src/local/sqliteKvStore';
import type { KvSetOptions, KvStore } from '../../../src/ports';
import { JitteryKvStore } from '../../support/jitteryKvStore';
import { FaultyKvStore, SimulatedCrash } from '../../support/faultyKvStore';
import { rejectedWith } from '../../support/thrown';
import { seededRandom } from '../../../src/local/seededRandom';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'worktime-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const sqlitePath = () => join(dir, `audit-${++files}.sqlite`);


const input = (n: number, over: Partial<AppendAuditInput> = {}): AppendAuditInput => ({
  at: T0 + n * 1000,
  actor: `acc-${n % 3}`,
  action: n % 2 === 0 ? 'snapshot.lock' : 'ledger.adjust',
  target: `snapshot/p${n % 4}/2026-03`,
  details: { n },
  ...over,
});

/** Every audit entry in the store, by key order (the whole log, for assertions). */
async function allEntries(kv: KvStore): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.query<AuditEntry>('audit#', { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.results.map((r) => r.value));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Everything in the store, to show that a refused call changed nothing. */
async function everything(kv: KvStore): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  let cursor: string | undefined;
  do {
    const page = await kv.query<unknown>('', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.results) out.set(r.key, r.value);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** A log of n entries written straight into the store (faster than appending one by one). */
async function seed(kv: KvStore, inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
  const chain: AuditEntry[] = [];
  for (const i of inputs) chain.push(appendAuditEntry(chain.at(-1) ?? null, i));
  for (let i = 0; i < chain.length; i += 25) {
    await kv.transact(chain.slice(i, i + 25).map((e) => ({ kind: 'set', key: keys.auditEntry(e.seq), value: e })));
  }
  if (chain.length > 0) await kv.set(keys.auditHeadHint, { seq: chain.length });
  return chain;
}

const inputs = (n: number) => Array.from({ length: n }, (_, i) => input(i + 1));


/** The log is 1..n with no gap, every entry linked to the one before, and verifyAudit agrees. */
async function expectSoundChain(kv: KvStore, n: number): Promise<AuditEntry[]> {
  const chain = await allEntries(kv);
  expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  chain.forEach((e, i) => expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : chain[i - 1]!.hash));
  expect(await verifyAudit(kv)).toEqual({ ok: true, count: n, lastSeq: n, lastHash: chain.at(-1)?.hash ?? GENESIS_HASH });
  return chain;
}

describe('appendAudit', () => {
  it('appends entries 1, 2, 3 under audit#<12 digits>, each linked to the one before, and the checkpoint is the last', async () => {
    const kv = new MemoryKvStore();
    const a = await appendAudit(kv, input(1));
    const b = await appendAudit(kv, input(2));
    const c = await appendAudit(kv, input(3));
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(await kv.get(keys.auditEntry(2))).toEqual(b);
    expect(keys.auditEntry(2)).toBe('audit#000000000002');
    expect(b.prevHash).toBe(a.hash);
    expect(await auditCheckpoint(kv)).toEqual({ seq: 3, hash: c.hash });
    await expectSoundChain(kv, 3);
  });

  it('an empty log has the genesis checkpoint and verifies with no entries', async () => {
    const kv = new MemoryKvStore();
    expect(await auditCheckpoint(kv)).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(await verifyAudit(kv)).toEqual({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
    expect(await listAudit(kv)).toEqual({ entries: [], people: {} });
    // A log emptied after a checkpoint was recorded.
    expect(await verifyAudit(kv, { checkpoint: { seq: 3, hash: 'a'.repeat(64) } })).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: 1, index: 0 } });
  });

  it('raises an `at` earlier than the last entry to the last entry’s (a writer that lost the race with an older clock reading)', async () => {
    const kv = new MemoryKvStore();
    await appendAudit(kv, input(1, { at: T0 + 5000 }));
    const late = await appendAudit(kv, input(2, { at: T0 + 4000 }));
    expect(late.at).toBe(T0 + 5000);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const kv = new MemoryKvStore();
    await appendAudit(kv, input(1));
    const before = await everything(kv);
    const cases: [unknown, string][] = [
      [input(2, { actor: '' }), 'actor'],
      [input(2, { at: -1 }), 'at'],
      [input(2, { at: Number.NaN }), 'at'],
      [input(2, { details: { idempotencyKey: 'x' } }), 'reserved'],
      [input(2, { idempotencyKey: '' }), 'idempotencyKey'],
      [input(2, { idempotencyKey: 'k'.repeat(501) }), 'idempotencyKey'],
      [input(2, { details: { before: 'x'.repeat(250 * 1024) } }), 'bytes'],
      [null, 'needs'],
    ];
    for (const [bad, words] of cases) {
      const e = await rejectedWith(appendAudit(kv, bad as AppendAuditInput));
      expect(e.code).toBe(ErrorCode.invalidAuditEntry);
      expect(e.message).toContain(words);
    }
    expect(await everything(kv)).toEqual(before);
  });

  it('refuses to append after a last entry that was altered (never writes onto a damaged log)', async () => {
    const kv = new MemoryKvStore();
    await appendAudit(kv, input(1));
    const last = await appendAudit(kv, input(2));
    await kv.set(keys.auditEntry(2), { ...last, actor: 'mallory' });
    const before = await everything(kv);
    expect((await rejectedWith(appendAudit(kv, input(3)))).code).toBe(ErrorCode.invalidAuditEntry);
    expect((await rejectedWith(auditCheckpoint(kv))).message).toContain('seq 2');
    expect(await everything(kv)).toEqual(before);
  });

  it('finds the true head when the hint lags behind or points past the end', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(60));
    await kv.set(keys.auditHeadHint, { seq: 3 });
    expect((await appendAudit(kv, input(61))).seq).toBe(61);
    await kv.set(keys.auditHeadHint, { seq: 500 });
    expect((await appendAudit(kv, input(62))).seq).toBe(62);
    await kv.set(keys.auditHeadHint, 'garbage');
    expect((await appendAudit(kv, input(63))).seq).toBe(63);
    await kv.delete(keys.auditHeadHint);
    expect((await appendAudit(kv, input(64))).seq).toBe(64);
    await expectSoundChain(kv, 64);
  });
});

describe('appendAudit: idempotency keys', () => {
  it('the same key appends once: a retry returns the entry appended the first time, even after later entries', async () => {
    const kv = new MemoryKvStore();
    const first = await appendAudit(kv, input(1, { idempotencyKey: 'event-1' }));
    expect(first.details).toEqual({ n: 1, idempotencyKey: 'event-1' });
    expect(await appendAudit(kv, input(1, { idempotencyKey: 'event-1', at: T0 + 99_000 }))).toEqual(first);
    await appendAudit(kv, input(2, { idempotencyKey: 'event-2' }));
    await appendAudit(kv, input(3));
    expect(await appendAudit(kv, input(1, { idempotencyKey: 'event-1' }))).toEqual(first);
    expect((await appendAudit(kv, input(2, { idempotencyKey: 'event-2' }))).seq).toBe(2);
    await expectSoundChain(kv, 3);
  });

  it('a key reused for another action, actor or target is refused and nothing is written', async () => {
    const kv = new MemoryKvStore();
    await appendAudit(kv, input(1, { idempotencyKey: 'k' }));
    const before = await everything(kv);
    const e = await rejectedWith(appendAudit(kv, input(1, { idempotencyKey: 'k', action: 'policy.change' })));
    expect(e.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(e.message).toContain('seq 1');
    expect(await everything(kv)).toEqual(before);
  });

  it('a crash after the entry landed but before its marker: the retry still finds it, however many entries came after', async () => {
    const inner = new MemoryKvStore();
    let crashOnMarker = true;
    // Lets the entry land, then "crashes" on the first marker write (the consumer dies before it).
    const kv = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'set') {
          return async (key: string, value: NonNullable<unknown>, options?: KvSetOptions) => {
            if (crashOnMarker && key.startsWith('auditkey#')) {
              crashOnMarker = false;
              throw new SimulatedCrash(`before set ${key}`);
            }
            return inner.set(key, value, options);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    // The best-effort marker write after the entry is swallowed, so the append reports success; the marker is still missing.
    const first = await appendAudit(kv, input(1, { idempotencyKey: 'event-1' }));
    expect((await inner.query('auditkey#')).results).toEqual([]);
    // The next appender writes its predecessor's marker before taking seq 2.
    for (let n = 2; n <= 40; n++) await appendAudit(inner, input(n));
    expect((await inner.query('auditkey#')).results.map((r) => r.value)).toEqual([{ seq: 1 }]);
    expect(await appendAudit(inner, input(1, { idempotencyKey: 'event-1' }))).toEqual(first);
    await expectSoundChain(inner, 40);
  });

  it('a crash after the entry write reached storage but before the caller heard back: the retry returns that entry', async () => {
    const inner = new MemoryKvStore();
    // Each write asks twice: "fail before?" (0.99: no), then "fail after?" (0: yes), so every write lands and then throws.
    let calls = 0;
    const faulty = new FaultyKvStore(inner, () => (calls++ % 2 === 0 ? 0.99 : 0));
    await appendAudit(inner, input(1));
    // acc-2 was named before (its pseudonym registered), so the entry is the append's first write.
    await registerPeople(inner, await pseudonymsFor(inner), ['acc-2'], T0);
    faulty.failureChance = 1;
    await expect(appendAudit(faulty, input(2, { idempotencyKey: 'e2' }))).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await allEntries(inner)).length).toBe(2);
    faulty.failureChance = 0;
    const retried = await appendAudit(faulty, input(2, { idempotencyKey: 'e2' }));
    expect(retried.seq).toBe(2);
    await expectSoundChain(inner, 2);
  });
});

/** Runs `n` appenders at once, each through a jittery view of one of `stores`, and checks the log holds each exactly once. */
async function concurrentAppends(stores: readonly KvStore[], n: number, seedValue: number, withKeys: boolean) {
  const random = seededRandom(seedValue);
  const views = stores.map((s) => new JitteryKvStore(s, random));
  const appended = await Promise.all(
    Array.from({ length: n }, (_, i) => appendAudit(views[i % views.length]!, input(i + 1, withKeys ? { idempotencyKey: `event-${i + 1}` } : {}))),
  );
  const chain = await expectSoundChain(stores[0]!, n);
  // Every input exactly once, and each caller got back the entry that holds its input.
  expect(chain.map((e) => e.details.n).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  appended.forEach((e, i) => {
    expect(chain[e.seq - 1]).toEqual(e);
    expect(e.details.n).toBe(i + 1);
  });
  return chain;
}

describe('appendAudit under concurrent writers', () => {
  it('50 appenders interleaved on one MemoryKvStore: 1..50, no gap, no fork, each input once', async () => {
    for (const s of [1, 2, 3]) await concurrentAppends([new MemoryKvStore()], 50, s, s === 2);
  });

  it('50 appenders on two SqliteKvStore instances on the same file (two processes): 1..50, no gap, no fork, each input once', async () => {
    const path = sqlitePath();
    const a = new SqliteKvStore(path);
    const b = new SqliteKvStore(path);
    try {
      await concurrentAppends([a, b], 50, 7, false);
      // …and onto the existing log, with idempotency keys, from both "processes" again.
      const random = seededRandom(8);
      const more = await Promise.all(
        Array.from({ length: 30 }, (_, i) => appendAudit(new JitteryKvStore(i % 2 ? a : b, random), input(51 + i, { idempotencyKey: `late-${i}` }))),
      );
      expect(more.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => 51 + i));
      await expectSoundChain(b, 80);
    } finally {
      a.close();
      b.close();
    }
  });

  it('property: each event delivered twice, concurrently, with writes failing before or after they land, and retried until done: each event is in the log exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 2, max: 25 }), fc.boolean(), async (seedValue, events, sqlite) => {
        const store = sqlite ? new SqliteKvStore(':memory:') : new MemoryKvStore();
        // The site's pseudonym key is made once, before any of this (test/src/app/pseudonyms.test.ts races its making).
        await pseudonymsFor(store);
        const random = seededRandom(seedValue);
        const faulty = new FaultyKvStore(new JitteryKvStore(store, random), random);
        faulty.failureChance = 0.3;
        const deliver = async (n: number): Promise<AuditEntry> => {
          for (let attempt = 0; ; attempt++) {
            try {
              return await appendAudit(faulty, input(n, { idempotencyKey: `event-${n}` }));
            } catch (e) {
              if (!(e instanceof SimulatedCrash) || attempt > 200) throw e;
            }
          }
        };
        const results = await Promise.all(Array.from({ length: events * 2 }, (_, i) => deliver((i % events) + 1)));
        const chain = await expectSoundChain(store, events);
        expect(chain.map((e) => e.details.idempotencyKey).sort()).toEqual(Array.from({ length: events }, (_, i) => `event-${i + 1}`).sort());
        // Both deliveries of an event got the same entry.
        for (let n = 0; n < events; n++) expect(results[n]).toEqual(results[n + events]);
        if (store instanceof SqliteKvStore) store.close();
      }),
      { numRuns: 25 },
    );
  });
});

describe('verifyAudit over a long log', () => {
  it('checks a bounded window a call and says where to go on; following continueFrom checks it all, and finds a break or a cut past the first window', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(250));
    const checkpoint = { seq: 240, hash: chain[239]!.hash };
    const walk = async (options: { checkpoint?: { seq: number; hash: string } } = {}) => {
      const answers = [];
      let fromSeq = 1;
      for (;;) {
        const answer = await verifyAudit(kv, { ...options, fromSeq, maxEntries: 100 });
        answers.push(answer);
        if (!answer.ok || !('continueFrom' in answer)) return answers;
        fromSeq = answer.continueFrom;
      }
    };
    const whole = await walk({ checkpoint });
    expect(whole.map((a) => (a.ok ? a.lastSeq : -1))).toEqual([100, 200, 250]);
    expect(whole.at(-1)).toEqual({ ok: true, count: 51, lastSeq: 250, lastHash: chain[249]!.hash });
    expect(whole[0]).toMatchObject({ complete: false, continueFrom: 101 });
    // A change at seq 180 is found by the second call.
    await kv.set(keys.auditEntry(180), { ...chain[179]!, actor: 'mallory' });
    expect((await walk()).at(-1)).toMatchObject({ ok: false, brokenAt: { seq: 180 } });
    await kv.set(keys.auditEntry(180), chain[179]!);
    // Entries cut off past the checkpoint's window are still found, by the call that reaches it.
    for (let seq = 231; seq <= 250; seq++) await kv.delete(keys.auditEntry(seq));
    await kv.delete(keys.auditHeadHint);
    expect((await walk({ checkpoint })).at(-1)).toMatchObject({ ok: false });
  });
});

describe('verifyAudit and auditCheckpoint', () => {
  it('property: altering any field of any stored entry (here among 250, three pages) is reported at that entry’s seq', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(250));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 250 }), fc.constantFrom('actor', 'action', 'target', 'at', 'details'), async (seq, field) => {
        const original = chain[seq - 1]!;
        const altered = { ...original, [field]: field === 'at' ? original.at + 1 : field === 'details' ? { n: -1 } : 'mallory' };
        await kv.set(keys.auditEntry(seq), altered);
        try {
          const result = await verifyAudit(kv);
          expect(result).toMatchObject({ ok: false, reason: 'hash-mismatch', brokenAt: { seq, index: seq - 1 } });
          expect(!result.ok && result.message).toContain(`Entry seq ${seq} (list index ${seq - 1})`);
        } finally {
          await kv.set(keys.auditEntry(seq), original);
        }
      }),
      { numRuns: 30 },
    );
    expect((await verifyAudit(kv)).ok).toBe(true);
  });

  it('an entry replaced by a forgery with a recomputed hash is named at the entry after it; a deleted entry at the gap', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(130));
    const { hash: _drop, ...fields } = chain[119]!;
    const forged = { ...fields, actor: 'mallory' };
    await kv.set(keys.auditEntry(120), { ...forged, hash: auditEntryHash(forged) });
    expect(await verifyAudit(kv)).toMatchObject({ ok: false, reason: 'prev-hash-mismatch', brokenAt: { seq: 121 } });
    await kv.set(keys.auditEntry(120), chain[119]!);
    await kv.delete(keys.auditEntry(57));
    const gap = await verifyAudit(kv);
    expect(gap).toMatchObject({ ok: false, reason: 'seq-gap', brokenAt: { seq: 58 } });
    expect(!gap.ok && gap.message).toContain('seq 57 is missing');
  });

  it('an entry copied over the next key is named by the key it sits under', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(8));
    await kv.set(keys.auditEntry(6), chain[4]!);
    expect(await verifyAudit(kv)).toMatchObject({ ok: false, reason: 'seq-not-increasing', brokenAt: { seq: 6, index: 5 } });
  });

  it('time order is checked across page boundaries: an entry dated before the last entry of the page before is named', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(150));
    // A forger re-dates seq 100 (first of the second page) before seq 99 and recomputes every later hash: only the time order betrays it.
    const rewritten: AuditEntry[] = chain.slice(0, 99);
    for (const e of chain.slice(99)) {
      const fields = { ...e, at: e.seq === 100 ? chain[98]!.at - 1 : e.at, prevHash: rewritten.at(-1)!.hash };
      rewritten.push({ ...fields, hash: auditEntryHash(fields) });
    }
    for (const e of rewritten.slice(99)) await kv.set(keys.auditEntry(e.seq), e);
    expect(await verifyAudit(kv)).toMatchObject({ ok: false, reason: 'time-went-backwards', brokenAt: { seq: 100, index: 99 } });
  });

  it('checks a range with the link into it: fromSeq/toSeq see breaks inside, not outside', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(260));
    expect(await verifyAudit(kv, { fromSeq: 101, toSeq: 210 })).toEqual({ ok: true, count: 111, lastSeq: 210, lastHash: chain[209]!.hash });
    await kv.set(keys.auditEntry(230), { ...chain[229]!, actor: 'mallory' });
    expect((await verifyAudit(kv, { fromSeq: 101, toSeq: 210 })).ok).toBe(true);
    expect(await verifyAudit(kv, { fromSeq: 200 })).toMatchObject({ ok: false, brokenAt: { seq: 230 } });
    // The entry just before the range is checked too (its hash and its link into the range).
    await kv.set(keys.auditEntry(100), { ...chain[99]!, actor: 'mallory' });
    expect(await verifyAudit(kv, { fromSeq: 101, toSeq: 210 })).toMatchObject({ ok: false, reason: 'hash-mismatch', brokenAt: { seq: 100, index: 0 } });
    expect((await verifyAudit(kv, { fromSeq: 102, toSeq: 210 })).ok).toBe(true);
    expect(await verifyAudit(kv, { toSeq: 5000 })).toMatchObject({ ok: false, brokenAt: { seq: 100 } });
  });

  it('a recorded checkpoint catches entries cut off the end, and a rewrite; a log that grew past it still verifies', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(140));
    const checkpoint = await auditCheckpoint(kv);
    expect(checkpoint.seq).toBe(140);
    for (let n = 141; n <= 160; n++) await appendAudit(kv, input(n));
    expect(await verifyAudit(kv, { checkpoint })).toMatchObject({ ok: true, count: 160, lastSeq: 160 });
    expect((await verifyAudit(kv, { checkpoint: { seq: 0, hash: GENESIS_HASH } })).ok).toBe(true);
    expect((await verifyAudit(kv, { fromSeq: 141, checkpoint })).ok).toBe(true);

    // Cut the last 25 entries: what is left is a valid chain, but it no longer reaches the checkpoint.
    for (let seq = 136; seq <= 160; seq++) await kv.delete(keys.auditEntry(seq));
    expect((await verifyAudit(kv)).ok).toBe(true);
    const cut = await verifyAudit(kv, { checkpoint });
    expect(cut).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: 136 } });
    expect(!cut.ok && cut.message).toContain('cut off');
    // Also when checking only what came after the checkpoint: the cut is reported, not taken for a bad fromSeq.
    expect(await verifyAudit(kv, { fromSeq: 141, checkpoint })).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: 136 } });
    expect(await verifyAudit(kv, { fromSeq: 130, checkpoint })).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: 136 } });

    // Appending again refills seq 136…: the log has been rewritten under the checkpoint, and verification says so at seq 140.
    for (let n = 136; n <= 150; n++) expect((await appendAudit(kv, input(n + 100))).seq).toBe(n);
    expect(await verifyAudit(kv, { checkpoint })).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: 140 } });
  });

  it('a checkpoint exactly at a page boundary, and one at the first entry of a range', async () => {
    const kv = new MemoryKvStore();
    const chain = await seed(kv, inputs(250));
    for (const seq of [99, 100, 199, 200, 250]) {
      expect((await verifyAudit(kv, { checkpoint: { seq, hash: chain[seq - 1]!.hash } })).ok).toBe(true);
      expect(await verifyAudit(kv, { checkpoint: { seq, hash: chain[seq - 2]!.hash } })).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq } });
    }
    expect((await verifyAudit(kv, { fromSeq: 101, checkpoint: { seq: 100, hash: chain[99]!.hash } })).ok).toBe(true);
  });

  it('refuses unusable options with INVALID_INPUT', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(10));
    const bad: [unknown, string][] = [
      [{ fromSeq: 0 }, 'fromSeq'],
      [{ fromSeq: 1.5 }, 'fromSeq'],
      [{ toSeq: '3' }, 'toSeq'],
      [{ fromSeq: 5, toSeq: 4 }, 'before fromSeq'],
      [{ fromSeq: 11 }, 'after the last entry'],
      [{ checkpoint: { seq: 3, hash: 'abc' } }, 'checkpoint'],
      [{ checkpoint: { seq: 0, hash: 'a'.repeat(64) } }, 'seq 0'],
      [{ fromSeq: 6, checkpoint: { seq: 3, hash: 'a'.repeat(64) } }, 'within'],
      [{ toSeq: 2, checkpoint: { seq: 3, hash: 'a'.repeat(64) } }, 'within'],
      ['all', 'object'],
    ];
    for (const [options, words] of bad) {
      const e = await rejectedWith(verifyAudit(kv, options as never));
      expect(e.code).toBe(ErrorCode.invalidInput);
      expect(e.message).toContain(words);
    }
  });

  it('an entry altered inside the SQLite file is named by verifyAudit', async () => {
    const store = new SqliteKvStore(sqlitePath());
    try {
      for (let n = 1; n <= 12; n++) await appendAudit(store, input(n));
      store.database.prepare(`UPDATE kv SET value = json_set(value, '$.details.n', 99) WHERE key = ?`).run(keys.auditEntry(7));
      expect(await verifyAudit(store)).toMatchObject({ ok: false, reason: 'hash-mismatch', brokenAt: { seq: 7 } });
    } finally {
      store.close();
    }
  });
});

describe('listAudit', () => {
  const actors = ['acc-0', 'acc-1', 'acc-2'];
  const actions = ['snapshot.lock', 'ledger.adjust', 'policy.change'];
  const targets = ['t/a', 't/b'];

  it('property: pages, followed to the end, give every matching entry exactly once, newest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 }), actor: fc.constantFrom(...actors), action: fc.constantFrom(...actions), target: fc.constantFrom(...targets) }), {
          maxLength: 230,
        }),
        fc.record(
          {
            from: fc.integer({ min: 0, max: 300 }),
            to: fc.integer({ min: 0, max: 700 }),
            actor: fc.constantFrom(...actors),
            action: fc.constantFrom(...actions),
            target: fc.constantFrom(...targets),
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 1, max: 100 }),
        async (rows, rawFilters, limit) => {
          const kv = new MemoryKvStore();
          let at = T0;
          const chain = await seed(
            kv,
            rows.map((r) => ({ at: (at += r.gap), actor: r.actor, action: r.action, target: r.target, details: {} })),
          );
          const filters: AuditFilters = {
            ...rawFilters,
            ...(rawFilters.from !== undefined ? { from: T0 + rawFilters.from } : {}),
            ...(rawFilters.to !== undefined ? { to: T0 + Math.max(rawFilters.to, rawFilters.from ?? 0) } : {}),
          };
          const expected = chain
            .filter(
              (e) =>
                (filters.from === undefined || e.at >= filters.from) &&
                (filters.to === undefined || e.at <= filters.to) &&
                (filters.actor === undefined || e.actor === filters.actor) &&
                (filters.action === undefined || e.action === filters.action) &&
                (filters.target === undefined || e.target === filters.target),
            )
            .reverse();
          const seen: AuditEntry[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await listAudit(kv, filters, { limit, ...(cursor ? { cursor } : {}) });
            expect(page.entries.length).toBeLessThanOrEqual(limit);
            seen.push(...page.entries);
            cursor = page.nextCursor;
            expect(++pages).toBeLessThan(300);
          } while (cursor);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('entries appended while paging do not shift or repeat the pages still to come', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(30));
    const first = await listAudit(kv, {}, { limit: 10 });
    expect(first.entries.map((e) => e.seq)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(first.nextCursor).toBe('21');
    for (let n = 31; n <= 35; n++) await appendAudit(kv, input(n));
    const second = await listAudit(kv, {}, { limit: 10, cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.seq)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
    const last = await listAudit(kv, {}, { limit: 100, cursor: '11' });
    expect(last.entries.map((e) => e.seq)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(last.nextCursor).toBeUndefined();
  });

  it('a filter that matches nothing in a long log returns short pages with a cursor, so one call does bounded work', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(2_500));
    let reads = 0;
    const counting = new Proxy(kv, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (...args: unknown[]) => (reads++, (v as (...a: unknown[]) => unknown).apply(target, args)) : v;
      },
    });
    const page = await listAudit(counting, { actor: 'nobody' }, { limit: 100 });
    expect(page.entries).toEqual([]);
    expect(page.nextCursor).toBe('500');
    // 25 block reads and the head, plus two to read the pseudonym key and whether the actor filter names a known person.
    expect(reads).toBeLessThan(32);
    expect(await listAudit(kv, { actor: 'nobody' }, { cursor: page.nextCursor! })).toEqual({ entries: [], people: {} });
  });

  it('refuses bad filters, limits and cursors with INVALID_INPUT', async () => {
    const kv = new MemoryKvStore();
    await seed(kv, inputs(3));
    const bad: [unknown, unknown, string][] = [
      [{ from: -1 }, {}, 'from'],
      [{ to: 'today' }, {}, 'to'],
      [{ from: 5, to: 4 }, {}, 'swap'],
      [{ actor: '' }, {}, 'actor'],
      [{ action: 7 }, {}, 'action'],
      [{}, { limit: 0 }, 'limit'],
      [{}, { limit: 101 }, 'limit'],
      [{}, { cursor: 'abc' }, 'cursor'],
      [{}, { cursor: '0' }, 'cursor'],
      [{}, { cursor: '-3' }, 'cursor'],
      [{}, { cursor: '1'.repeat(13) }, 'cursor'],
      [null, {}, 'filters'],
    ];
    for (const [filters, page, words] of bad) {
      const e = await rejectedWith(listAudit(kv, filters as AuditFilters, page as never));
      expect(e.code).toBe(ErrorCode.invalidInput);
      expect(e.message).toContain(words);
    }
  });
});
