import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  appendAuditEntry,
  auditEntryHash,
  verifyAuditChain,
  type AuditBreakReason,
  type AuditEntry,
  type AuditInput,
  type ChainPoint,
  type VerifyAuditOptions,
} from '../../domain/auditChain';
import type { JsonObject, JsonValue } from '../../domain/canonicalJson';
import { DomainError, ErrorCode } from '../../domain/errors';
import { thrown } from '../support/thrown';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function chainOf(inputs: readonly AuditInput[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const input of inputs) out.push(appendAuditEntry(out.at(-1) ?? null, input));
  return out;
}

/** An entry with the given fields and a hash recomputed over them, as a forger able to run SHA-256 would make it. */
function forge(fields: Omit<AuditEntry, 'hash'>): AuditEntry {
  return { ...fields, hash: auditEntryHash(fields) };
}

const headOf = (chain: readonly AuditEntry[]): ChainPoint => {
  const last = chain.at(-1);
  return last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
};


function broken(result: ReturnType<typeof verifyAuditChain>) {
  if (result.ok) throw new Error(`expected a broken chain, got ok (${result.count} entries)`);
  return result;
}

const KNOWN: AuditInput[] = [
  { at: T0, actor: 'acc-1', action: 'snapshot.lock', target: 'snapshot/a1/2026-03', details: { personId: 'a1', periodKey: '2026-03' } },
  { at: T0, actor: 'acc-2', action: 'ledger.adjust', target: 'ledger/a1', details: { seconds: -3600, reason: 'Überstunden Q1' } },
  { at: T0 + 3_600_000, actor: 'acc-1', action: 'snapshot.unlock', target: 'snapshot/a1/2026-03', details: {} },
];

describe('audit chain: known answers', () => {
  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('a three-entry chain has pinned hashes (each the sha256sum of the canonical JSON of the entry without its hash)', () => {
    // printf '%s' '{"action":"snapshot.lock","actor":"acc-1","at":1767225600000,"details":{"periodKey":"2026-03","personId":"a1"},"prevHash":"000…000","seq":1,"target":"snapshot/a1/2026-03"}' | sha256sum
    const H1 = 'a725ea65fc2bda8605d55f61a46518a4b7471c760a384b8189c637f66a5c7b70';
    // printf '%s' '{"action":"ledger.adjust","actor":"acc-2","at":1767225600000,"details":{"reason":"Überstunden Q1","seconds":-3600},"prevHash":"<H1>","seq":2,"target":"ledger/a1"}' | sha256sum
    const H2 = 'ac46f8e6f218b302c2621e0de019ead026093fd4fa804f4f1b0df5dd07fb66e9';
    // printf '%s' '{"action":"snapshot.unlock","actor":"acc-1","at":1767229200000,"details":{},"prevHash":"<H2>","seq":3,"target":"snapshot/a1/2026-03"}' | sha256sum
    const H3 = '6145edd852c476e3a9a5d1438f50a3326b7ed6595d94225f66629ced7568c9d9';
    const chain = chainOf(KNOWN);
    expect(chain.map((e) => [e.seq, e.prevHash, e.hash])).toEqual([
      [1, GENESIS_HASH, H1],
      [2, H1, H2],
      [3, H2, H3],
    ]);
    expect(chain[1]).toEqual({ seq: 2, at: T0, actor: 'acc-2', action: 'ledger.adjust', target: 'ledger/a1', details: { reason: 'Überstunden Q1', seconds: -3600 }, prevHash: H1, hash: H2 });
    expect(verifyAuditChain(chain)).toEqual({ ok: true, count: 3, lastSeq: 3, lastHash: H3 });
    expect(verifyAuditChain(chain, { expectedHead: { seq: 3, hash: H3 } })).toEqual({ ok: true, count: 3, lastSeq: 3, lastHash: H3 });
  });

  it('an empty log verifies, ending at the genesis hash', () => {
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });
});

describe('audit chain: appending', () => {
  it('allows the same `at` as the entry before (order is by seq) and refuses an earlier one', () => {
    const [first] = chainOf(KNOWN);
    expect(appendAuditEntry(first!, { ...KNOWN[1]!, at: first!.at }).seq).toBe(2);
    const e = thrown(() => appendAuditEntry(first!, { ...KNOWN[1]!, at: first!.at - 1 }));
    expect(e.code).toBe(ErrorCode.invalidAuditEntry);
    expect(e.message).toContain('earlier than the entry before it');
    expect(e.details).toMatchObject({ field: 'at' });
  });

  it('refuses unusable input, naming the field', () => {
    const good = KNOWN[0]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, actor: '' }, 'actor'],
      [{ ...good, action: '   ' }, 'action'],
      [{ ...good, target: 7 }, 'target'],
      [{ ...good, at: 1.5 }, 'at'],
      [{ ...good, at: Number.NaN }, 'at'],
      [{ ...good, at: -1 }, 'at'],
      [{ ...good, at: '2026-01-01' }, 'at'],
      [{ ...good, details: null }, 'details'],
      [{ ...good, details: [1] }, 'details'],
      [{ ...good, details: { when: new Date(0) } }, 'details'],
      [{ ...good, details: { deep: { n: Number.POSITIVE_INFINITY } } }, 'details'],
    ];
    for (const [input, field] of cases) {
      const e = thrown(() => appendAuditEntry(null, input as unknown as AuditInput));
      expect(e.code, field).toBe(ErrorCode.invalidAuditEntry);
      expect(e.details.field, e.message).toBe(field);
      expect(e.message).toContain(field);
    }
  });

  it('refuses to append after an entry that fails its own hash', () => {
    const [first] = chainOf(KNOWN);
    const e = thrown(() => appendAuditEntry({ ...first!, actor: 'mallory' }, KNOWN[1]!));
    expect(e.code).toBe(ErrorCode.invalidAuditEntry);
    expect(e.message).toContain('altered');
  });

  it('keeps a canonical deep copy of details: later changes to the caller’s object do not reach the entry', () => {
    const details = { list: [1, 2], nested: { b: 2, a: 1 }, gone: undefined } as unknown as JsonObject;
    const entry = appendAuditEntry(null, { ...KNOWN[0]!, details });
    (details as unknown as { list: number[] }).list.push(3);
    expect(entry.details).toEqual({ list: [1, 2], nested: { a: 1, b: 2 } });
    expect('gone' in entry.details).toBe(false);
    expect(verifyAuditChain([entry]).ok).toBe(true);
  });
});

describe('audit chain: verify names the first broken link', () => {
  const chain = chainOf([...KNOWN, ...KNOWN.map((k) => ({ ...k, at: k.at + 7_200_000 }))]); // 6 entries

  it('an edited entry: hash-mismatch at that entry, saying what it hashes to and what is stored', () => {
    const tampered = chain.map((e, i) => (i === 2 ? { ...e, details: { ...e.details, note: 'x' } } : e));
    const r = broken(verifyAuditChain(tampered));
    expect(r).toMatchObject({ brokenAt: { index: 2, seq: 3 }, reason: 'hash-mismatch' });
    expect(r.message).toContain(chain[2]!.hash);
    expect(r.message).toContain(auditEntryHash(tampered[2]!));
  });

  it('an entry replaced with a recomputed hash: prev-hash-mismatch at the entry after it', () => {
    const forged = forge({ ...chain[2]!, actor: 'mallory' });
    const r = broken(verifyAuditChain(chain.map((e, i) => (i === 2 ? forged : e))));
    expect(r).toMatchObject({ brokenAt: { index: 3, seq: 4 }, reason: 'prev-hash-mismatch' });
    expect(r.message).toContain(forged.hash);
    expect(r.message).toContain(chain[2]!.hash);
  });

  it('a deleted entry: seq-gap where it was, naming the missing seq', () => {
    const r = broken(verifyAuditChain(chain.filter((_, i) => i !== 3)));
    expect(r).toMatchObject({ brokenAt: { index: 3, seq: 5 }, reason: 'seq-gap' });
    expect(r.message).toContain('entry seq 4 is missing');
  });

  it('a replayed entry: seq-not-increasing', () => {
    const r = broken(verifyAuditChain([...chain.slice(0, 4), chain[1]!, ...chain.slice(4)]));
    expect(r).toMatchObject({ brokenAt: { index: 4, seq: 2 }, reason: 'seq-not-increasing' });
  });

  it('a forged entry dated before the one it follows: time-went-backwards', () => {
    const prev = chain[2]!;
    const forged = forge({ seq: 4, at: prev.at - 1, actor: 'x', action: 'y', target: 'z', details: {}, prevHash: prev.hash });
    const r = broken(verifyAuditChain([...chain.slice(0, 3), forged]));
    expect(r).toMatchObject({ brokenAt: { index: 3, seq: 4 }, reason: 'time-went-backwards' });
    expect(r.message).toContain(new Date(prev.at).toISOString());
  });

  it('malformed entries are reported, never thrown', () => {
    const e = chain[1]!;
    const cases: [unknown, number | null][] = [
      [null, null],
      ['entry', null],
      [{ ...e, seq: '2' }, null],
      [{ ...e, hash: e.hash.toUpperCase() }, 2],
      [{ ...e, details: [] }, 2],
      [{ ...e, details: { n: Number.NaN } }, 2],
      [{ ...e, extra: 1 }, 2],
      [(({ actor: _, ...rest }) => rest)(e), 2],
    ];
    for (const [bad, seq] of cases) {
      const r = broken(verifyAuditChain([chain[0]!, bad as AuditEntry, ...chain.slice(2)]));
      expect(r.reason, JSON.stringify(bad)).toBe('malformed-entry');
      expect(r.brokenAt).toEqual({ index: 1, seq });
    }
  });

  it('a slice verifies from the entry before it as anchor, and fails against a wrong anchor', () => {
    const slice = chain.slice(3);
    const anchor = { seq: chain[2]!.seq, hash: chain[2]!.hash };
    expect(verifyAuditChain(slice, { anchor })).toEqual({ ok: true, count: 3, lastSeq: 6, lastHash: chain[5]!.hash });
    expect(broken(verifyAuditChain(slice))).toMatchObject({ brokenAt: { index: 0, seq: 4 }, reason: 'seq-gap' });
    const wrong = broken(verifyAuditChain(slice, { anchor: { seq: 3, hash: chain[1]!.hash } }));
    expect(wrong).toMatchObject({ brokenAt: { index: 0, seq: 4 }, reason: 'prev-hash-mismatch' });
    expect(wrong.message).toContain('the anchor entry seq 3');
  });

  it('firstIndex: a page of a longer run reports its indexes over the whole run, in brokenAt and in the message', () => {
    const tampered = chain.map((e, i) => (i === 2 ? { ...e, actor: 'mallory' } : e));
    const r = broken(verifyAuditChain(tampered, { firstIndex: 100 }));
    expect(r).toMatchObject({ brokenAt: { index: 102, seq: 3 }, reason: 'hash-mismatch' });
    expect(r.message).toContain('(list index 102)');
    const plain = broken(verifyAuditChain(tampered));
    expect(r.message).toBe(plain.message.replace('(list index 2)', '(list index 102)'));
    const rewritten = broken(verifyAuditChain(chain, { firstIndex: 7, expectedHead: { seq: 5, hash: chain[3]!.hash } }));
    expect(rewritten).toMatchObject({ brokenAt: { index: 11, seq: 5 }, reason: 'head-mismatch' });
    expect(rewritten.message).toContain('(list index 11)');
    const cut = broken(verifyAuditChain(chain.slice(0, 4), { firstIndex: 7, expectedHead: { seq: 5, hash: chain[4]!.hash } }));
    expect(cut.brokenAt).toEqual({ index: 11, seq: 5 });
    expect(verifyAuditChain(chain, { firstIndex: 7 })).toEqual(verifyAuditChain(chain));
  });

  it('refuses unusable options', () => {
    for (const firstIndex of [-1, 1.5, Number.NaN]) expect(thrown(() => verifyAuditChain(chain, { firstIndex })).message).toContain('firstIndex');
    expect(thrown(() => verifyAuditChain(chain, { anchor: { seq: -1, hash: GENESIS_HASH } })).code).toBe(ErrorCode.invalidInput);
    expect(thrown(() => verifyAuditChain(chain, { expectedHead: { seq: 6, hash: 'abc' } })).code).toBe(ErrorCode.invalidInput);
    expect(thrown(() => verifyAuditChain(chain, { anchor: { seq: 3, hash: chain[2]!.hash }, expectedHead: { seq: 2, hash: chain[1]!.hash } })).code).toBe(
      ErrorCode.invalidInput,
    );
    expect(thrown(() => verifyAuditChain('nope' as unknown as AuditEntry[])).code).toBe(ErrorCode.invalidInput);
  });
});

describe('audit chain: what needs a head anchor (documented limits)', () => {
  const chain = chainOf(KNOWN);
  const head = headOf(chain);

  it('LIMIT: cutting off the last entry leaves a valid chain; only expectedHead catches it', () => {
    const cut = chain.slice(0, 2);
    expect(verifyAuditChain(cut).ok).toBe(true);
    const r = broken(verifyAuditChain(cut, { expectedHead: head }));
    expect(r).toMatchObject({ brokenAt: { index: 2, seq: 3 }, reason: 'head-mismatch' });
    expect(r.message).toContain('the last entry (seq 3) is missing');
    expect(broken(verifyAuditChain([], { expectedHead: head }))).toMatchObject({ brokenAt: { index: 0, seq: 1 }, reason: 'head-mismatch' });
  });

  it('LIMIT: a full rewrite with every hash recomputed is a valid chain; only expectedHead catches it', () => {
    const rewritten = chainOf(KNOWN.map((k, i) => (i === 0 ? { ...k, actor: 'mallory' } : k)));
    expect(verifyAuditChain(rewritten).ok).toBe(true);
    expect(broken(verifyAuditChain(rewritten, { expectedHead: head }))).toMatchObject({ brokenAt: { index: 2, seq: 3 }, reason: 'head-mismatch' });
  });

  it('entries after the recorded head are reported (appended without updating the head, or a stale head)', () => {
    const longer = [...chain, appendAuditEntry(chain[2]!, { ...KNOWN[2]!, at: KNOWN[2]!.at + 1 })];
    expect(broken(verifyAuditChain(longer, { expectedHead: head }))).toMatchObject({ brokenAt: { index: 3, seq: 4 }, reason: 'head-mismatch' });
  });
});

// ---------------------------------------------------------------------------
// Properties

const detailsArb: fc.Arbitrary<JsonObject> = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, {
  maxKeys: 4,
});
const nameArb = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0);

/** Honest chains: times never go back (steps of 0 are common), any JSON details. */
const chainArb = (minLength: number, maxLength = 10): fc.Arbitrary<AuditEntry[]> =>
  fc
    .array(
      fc.record({
        step: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 86_400_000 })),
        actor: fc.constantFrom('acc-1', 'acc-2', 'acc-3'),
        action: fc.constantFrom('snapshot.lock', 'snapshot.unlock', 'ledger.adjust', 'policy.change'),
        target: nameArb,
        details: detailsArb,
      }),
      { minLength, maxLength },
    )
    .map((rows) => {
      let at = T0;
      return chainOf(
        rows.map(({ step, ...rest }) => {
          at += step;
          return { at, ...rest };
        }),
      );
    });

type Path = (string | number)[];

/** Paths to every primitive and every empty container inside a JSON value. */
function leafPaths(value: JsonValue, path: Path = []): Path[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v: JsonValue, i: number) => leafPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function setAt(value: JsonValue, path: Path, leaf: JsonValue): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((v: JsonValue, i: number) => (i === head ? setAt(v, rest, leaf) : v));
  return Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, k === head ? setAt(v, rest, leaf) : v]));
}

/** A different, still well-formed value for one field (the knobs r1, r2 choose how). */
function editField(e: AuditEntry, field: keyof AuditEntry, r1: number, r2: number): AuditEntry {
  const flipHex = (h: string) => {
    const p = r1 % 64;
    const digit = '0123456789abcdef'[(parseInt(h[p]!, 16) + 1 + (r2 % 15)) % 16]!;
    return h.slice(0, p) + digit + h.slice(p + 1);
  };
  switch (field) {
    case 'seq':
      return { ...e, seq: e.seq > 1 && r1 % 2 === 0 ? 1 + (r2 % (e.seq - 1)) : e.seq + 1 + (r2 % 5) };
    case 'at':
      return { ...e, at: e.at > 0 && r1 % 2 === 0 ? e.at - 1 - (r2 % Math.min(e.at, 1000)) : e.at + 1 + (r2 % 1000) };
    case 'actor':
    case 'action':
    case 'target': {
      // Shorten, or lengthen. A shortening that would leave no name (" \\" → " ") becomes another
      // letter instead (never the value itself), so the entry stays well formed and only its hash is wrong.
      if (r1 % 2 === 0) return { ...e, [field]: `${e[field]}x` };
      const shorter = e[field].slice(0, -1);
      return { ...e, [field]: shorter.trim() !== '' ? shorter : e[field] === 'y' ? 'z' : 'y' };
    }
    case 'details': {
      const keys = Object.keys(e.details);
      if (keys.length > 0 && r1 % 3 === 0) {
        const drop = keys[r2 % keys.length]!;
        return { ...e, details: Object.fromEntries(Object.entries(e.details).filter(([k]) => k !== drop)) };
      }
      const paths = leafPaths(e.details);
      const path = paths[r2 % paths.length]!;
      if (path.length === 0) return { ...e, details: { added: r1 } }; // {} → add a key
      const candidates: JsonValue[] = [null, true, 'forged', r1 + 0.5, [], {}];
      const old = JSON.stringify(path.reduce<JsonValue>((v, p) => (v as Record<string | number, JsonValue>)[p]!, e.details));
      const leaf = candidates.find((c, i) => i >= r1 % candidates.length && JSON.stringify(c) !== old) ?? candidates.find((c) => JSON.stringify(c) !== old)!;
      return { ...e, details: setAt(e.details, path, leaf) as JsonObject };
    }
    case 'prevHash':
      return { ...e, prevHash: flipHex(e.prevHash) };
    case 'hash':
      return { ...e, hash: flipHex(e.hash) };
  }
}

interface Mutation {
  readonly label: string;
  readonly entries: AuditEntry[];
  /** Whether the mutation is at the end, where only a head anchor can see it. */
  readonly needsHead: boolean;
  readonly expected: { readonly index: number; readonly reason: AuditBreakReason };
}

const FIELDS = ['seq', 'at', 'actor', 'action', 'target', 'details', 'prevHash', 'hash'] as const;
const FORGEABLE = ['actor', 'action', 'target', 'details', 'prevHash'] as const;

/** Every kind of single mutation, with where verify must say the chain first breaks. */
const mutationArb = (chain: AuditEntry[]): fc.Arbitrary<Mutation> => {
  const n = chain.length;
  const k = fc.integer({ min: 0, max: n - 1 });
  const knobs = fc.tuple(fc.nat(), fc.nat());
  const arbs: fc.Arbitrary<Mutation>[] = [
    // Edit one field of entry k, hash left as it was.
    fc.tuple(k, fc.constantFrom(...FIELDS), knobs).map(([i, field, [r1, r2]]) => ({
      label: `edit ${field} of #${i}`,
      entries: chain.map((e, j) => (j === i ? editField(e, field, r1, r2) : e)),
      needsHead: false,
      expected: { index: i, reason: 'hash-mismatch' },
    })),
    // Edit one field of entry k and recompute its hash.
    fc.tuple(k, fc.constantFrom(...FORGEABLE), knobs).map(([i, field, [r1, r2]]) => {
      const { hash: _, ...fields } = editField(chain[i]!, field, r1, r2);
      const expected: Mutation['expected'] =
        field === 'prevHash' ? { index: i, reason: 'prev-hash-mismatch' } : i < n - 1 ? { index: i + 1, reason: 'prev-hash-mismatch' } : { index: i, reason: 'head-mismatch' };
      return { label: `forge ${field} of #${i}`, entries: chain.map((e, j) => (j === i ? forge(fields) : e)), needsHead: expected.reason === 'head-mismatch', expected };
    }),
    // Delete entry k.
    k.map((i) => ({
      label: `delete #${i}`,
      entries: chain.filter((_, j) => j !== i),
      needsHead: i === n - 1,
      expected: i < n - 1 ? { index: i, reason: 'seq-gap' as const } : { index: n - 1, reason: 'head-mismatch' as const },
    })),
    // Insert a forged entry that fits its slot exactly (seq, prevHash, time, recomputed hash).
    fc.tuple(fc.integer({ min: 0, max: n }), nameArb, detailsArb).map(([i, actor, details]) => {
      const prev = chain[i - 1];
      const forged = forge({ seq: i + 1, at: prev?.at ?? T0, actor, action: 'forged', target: 't', details, prevHash: prev?.hash ?? GENESIS_HASH });
      return {
        label: `insert forged at #${i}`,
        entries: [...chain.slice(0, i), forged, ...chain.slice(i)],
        needsHead: i === n,
        expected: i < n ? { index: i + 1, reason: 'seq-not-increasing' as const } : { index: n, reason: 'head-mismatch' as const },
      };
    }),
    // Replay a copy of entry j at position i.
    fc.tuple(k, fc.integer({ min: 0, max: n })).map(([j, i]) => ({
      label: `replay #${j} at #${i}`,
      entries: [...chain.slice(0, i), chain[j]!, ...chain.slice(i)],
      needsHead: false,
      expected: j === i ? { index: i + 1, reason: 'seq-not-increasing' as const } : j < i ? { index: i, reason: 'seq-not-increasing' as const } : { index: i, reason: 'seq-gap' as const },
    })),
  ];
  if (n >= 2) {
    const pair = fc.tuple(k, k).filter(([a, b]) => a !== b);
    arbs.push(
      // Swap two entries.
      pair.map(([a, b]) => {
        const entries = [...chain];
        [entries[a], entries[b]] = [chain[b]!, chain[a]!];
        return { label: `swap #${a} and #${b}`, entries, needsHead: false, expected: { index: Math.min(a, b), reason: 'seq-gap' as const } };
      }),
      // Re-date entry k (k ≥ 1) before the entry it follows and recompute its hash.
      fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.integer({ min: 1, max: 86_400_000 })).map(([i, back]) => ({
        label: `backdate #${i}`,
        entries: chain.map((e, j) => (j === i ? forge({ ...e, at: chain[i - 1]!.at - back }) : e)),
        needsHead: false,
        expected: { index: i, reason: 'time-went-backwards' as const },
      })),
      // Move one entry elsewhere.
      pair.map(([from, to]) => {
        const entries = chain.filter((_, j) => j !== from);
        entries.splice(to, 0, chain[from]!);
        return { label: `move #${from} to #${to}`, entries, needsHead: false, expected: { index: Math.min(from, to), reason: 'seq-gap' as const } };
      }),
    );
  }
  return fc.oneof(...arbs);
};

describe('audit chain: laws', () => {
  it('every honestly built chain verifies, ending at its last entry, with or without its head', () => {
    fc.assert(
      fc.property(chainArb(0), (chain) => {
        const head = headOf(chain);
        const expected = { ok: true, count: chain.length, lastSeq: head.seq, lastHash: head.hash };
        expect(verifyAuditChain(chain)).toEqual(expected);
        expect(verifyAuditChain(chain, { expectedHead: head })).toEqual(expected);
        expect(verifyAuditChain(JSON.parse(JSON.stringify(chain)) as AuditEntry[])).toEqual(expected); // survives storage
      }),
      { numRuns: 200 },
    );
  });

  it('every slice of an honest chain verifies with the entry before it as anchor', () => {
    fc.assert(
      fc.property(
        chainArb(1).chain((chain) => fc.tuple(fc.constant(chain), fc.integer({ min: 0, max: chain.length }), fc.integer({ min: 0, max: chain.length }))),
        ([chain, a, b]) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const anchor = from === 0 ? undefined : { seq: chain[from - 1]!.seq, hash: chain[from - 1]!.hash };
          const r = verifyAuditChain(chain.slice(from, to), anchor ? { anchor } : {});
          expect(r.ok).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every single mutation (edit any field, forge, backdate, delete, insert, replay, swap, move) is caught at exactly the first broken entry, and everything before it verifies', () => {
    fc.assert(
      fc.property(
        chainArb(1).chain((chain) => fc.tuple(fc.constant(chain), mutationArb(chain), fc.boolean())),
        ([chain, m, withHead]) => {
          const options: VerifyAuditOptions = m.needsHead || withHead ? { expectedHead: headOf(chain) } : {};
          const r = verifyAuditChain(m.entries, options);
          expect(r.ok, m.label).toBe(false);
          if (r.ok) return;
          expect({ index: r.brokenAt.index, reason: r.reason }, `${m.label}: ${r.message}`).toEqual(m.expected);
          if (r.brokenAt.seq !== null) expect(r.message).toContain(`seq ${r.brokenAt.seq}`);
          expect(verifyAuditChain(m.entries.slice(0, r.brokenAt.index)).ok, m.label).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('verify never throws on garbage: any non-entry is a malformed-entry at its index', () => {
    fc.assert(
      fc.property(chainArb(0, 4), fc.anything(), fc.nat(), (chain, junk, at) => {
        const i = at % (chain.length + 1);
        const r = verifyAuditChain([...chain.slice(0, i), junk as AuditEntry, ...chain.slice(i)]);
        expect(r).toMatchObject({ ok: false, reason: 'malformed-entry', brokenAt: { index: i } });
      }),
      { numRuns: 300 },
    );
  });
});
