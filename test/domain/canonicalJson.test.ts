import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonObject, type JsonValue } from '../../domain/canonicalJson';
import { DomainError, ErrorCode } from '../../domain/errors';
import { hashCanonical, sha256Hex } from '../../domain/hash';
import { thrown } from '../support/thrown';

/** Any JSON value, with ASCII-only or full-Unicode (well-formed) strings. */
const jsonArb: fc.Arbitrary<JsonValue> = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' })) as fc.Arbitrary<JsonValue>;

/** A deterministic pseudo-random source for shuffling, seeded by fast-check. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s;
  };
}

/** Rebuilds every object with its keys inserted in a shuffled order, at every depth. */
function shuffleKeys(value: JsonValue, next: () => number): JsonValue {
  if (Array.isArray(value)) return value.map((v: JsonValue) => shuffleKeys(v, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, next)]));
}

/** The same value with -0 as 0: what JSON.parse gives back. */
function normalised(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((v: JsonValue) => normalised(v));
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalised(v)]));
}

/** Compares strings one UTF-16 code unit at a time, as RFC 8785 §3.2.3 words it. */
function byCodeUnits(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * An independent model of the canonical form: JSON.stringify for leaves, keys
 * ordered by an explicit code-unit comparison. (Not JSON.stringify of a
 * re-sorted object: JavaScript enumerates integer-like keys such as "1" first.)
 */
function model(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => model(v)).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const obj = value as JsonObject; // Array.isArray does not narrow readonly arrays away
  const keys = Object.keys(obj).sort(byCodeUnits);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${model(obj[k]!)}`).join(',')}}`;
}

type Path = (string | number)[];

/** Paths to every primitive and every empty array or object. */
function leafPaths(value: JsonValue, path: Path = []): Path[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v: JsonValue, i: number) => leafPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}

function getAt(value: JsonValue, path: Path): JsonValue {
  let v: JsonValue = value;
  for (const p of path) v = (v as Record<string | number, JsonValue>)[p]!;
  return v;
}

function setAt(value: JsonValue, path: Path, leaf: JsonValue): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((v: JsonValue, i: number) => (i === head ? setAt(v, rest, leaf) : v));
  const obj = value as Record<string, JsonValue>;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === head ? setAt(v, rest, leaf) : v]));
}


describe('canonical JSON: known answers', () => {
  it('sorts keys at every depth, drops whitespace, writes -0 as 0 and 1e21 as 1e+21; its SHA-256 is pinned (checked with sha256sum)', () => {
    const value = { c: { z: -0, y: 1e21 }, b: 1, a: [true, null, 'x'] };
    const text = '{"a":[true,null,"x"],"b":1,"c":{"y":1e+21,"z":0}}';
    expect(canonicalJson(value)).toBe(text);
    // printf '%s' '{"a":[true,null,"x"],"b":1,"c":{"y":1e+21,"z":0}}' | sha256sum
    expect(sha256Hex(text)).toBe('8ed9413c073102a1417fa77f2b3d9535a0c98d60fa13580f0417c13cbd1f227e');
    expect(hashCanonical(value)).toBe('8ed9413c073102a1417fa77f2b3d9535a0c98d60fa13580f0417c13cbd1f227e');
  });

  it('SHA-256 matches the standard test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // printf '%s' '{}' | sha256sum
    expect(hashCanonical({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    // UTF-8, not UTF-16: printf '%s' 'é' | sha256sum
    expect(sha256Hex('é')).toBe(sha256Hex('\u00e9'));
    expect(sha256Hex('é')).not.toBe(sha256Hex('e\u0301')); // no Unicode normalisation: different code points, different hash
  });

  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as JsonValue;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in RFC 8785 §3.2.3 (an astral emoji before U+FB33)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the order off the text: JSON.parse would enumerate the integer-like key "1" first.
    const keys = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]!}"`) as string);
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('writes numbers in the ECMAScript / JCS shortest form', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1e20, '100000000000000000000'],
      [1e21, '1e+21'],
      [1e-6, '0.000001'],
      [1e-7, '1e-7'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [-9007199254740993, '-9007199254740992'],
    ];
    for (const [n, text] of cases) expect(canonicalJson(n), String(n)).toBe(text);
  });

  it('escapes only ", \\ and control characters, with lowercase hex; other text is written as itself', () => {
    expect(canonicalJson('a"b\\c\b\f\n\r\t\u0000\u001f\u007f/é😀')).toBe('"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f\u007f/é😀"');
  });

  it('leaves out object properties whose value is undefined, as JSON.stringify does', () => {
    const withUndefined = { a: 1, b: undefined, c: { d: undefined } } as unknown as JsonValue;
    expect(canonicalJson(withUndefined)).toBe('{"a":1,"c":{}}');
    expect(hashCanonical(withUndefined)).toBe(hashCanonical({ a: 1, c: {} }));
  });

  it('accepts null-prototype objects and a value shared by two properties (not a cycle)', () => {
    const bare = Object.assign(Object.create(null) as Record<string, JsonValue>, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
    const shared = [1, 2];
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":[1,2],"y":[1,2]}');
  });

  it('refuses everything that is not plain JSON, naming where it is', () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const cases: [unknown, string][] = [
      [undefined, '$'],
      [[1, undefined], '$[1]'],
      [{ a: { b: [0, Number.NaN] } }, '$.a.b[1]'],
      [{ f: () => 1 }, '$.f'],
      [Number.POSITIVE_INFINITY, '$'],
      [{ n: Number.NEGATIVE_INFINITY }, '$.n'],
      [{ big: 10n }, '$.big'],
      [{ s: Symbol('x') }, '$.s'],
      [{ when: new Date(0) }, '$.when'],
      [new Map([['a', 1]]), '$'],
      [{ p: new Point() }, '$.p'],
      [{ boxed: Object(1) as unknown }, '$.boxed'],
      [[1, , 3], '$'],
      [{ 'odd key': { [Symbol('k')]: 1 } }, '$["odd key"]'],
      [cyclic, '$.self.back'],
      [{ text: 'broken \ud800 pair' }, '$.text'],
      [{ ['\udc00']: 1 }, '$["\\udc00"]'],
    ];
    for (const [value, path] of cases) {
      const e = thrown(() => canonicalJson(value as JsonValue));
      expect(e.code, path).toBe(ErrorCode.invalidSnapshot);
      expect(e.details.path, e.message).toBe(path);
      expect(e.message).toContain(path);
    }
  });

  it('sha256Hex refuses text with a lone surrogate (UTF-8 cannot carry it)', () => {
    expect(thrown(() => sha256Hex('a\ud800')).code).toBe(ErrorCode.invalidInput);
  });
});

describe('canonical JSON: laws', () => {
  it('the canonical form does not depend on key order: shuffling keys at every depth gives the same text', () => {
    fc.assert(
      fc.property(jsonArb, fc.integer(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, lcg(seed)))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('JSON.parse of the canonical form is deep-equal to the value (-0 read as 0), and canonicalising again changes nothing', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const text = canonicalJson(value);
        const back = JSON.parse(text) as JsonValue;
        expect(back).toEqual(normalised(value));
        expect(canonicalJson(back)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('the canonical form equals an independent model: keys sorted by code units at every depth, no whitespace, JSON.stringify leaves', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        expect(canonicalJson(value)).toBe(model(value));
      }),
      { numRuns: 500 },
    );
  });

  it('changing any one leaf to a different JSON value changes the hash', () => {
    const leafArb = fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(jsonArb, fc.nat(), leafArb, (value, pick, leaf) => {
        const paths = leafPaths(value);
        const path = paths[pick % paths.length]!;
        const old = getAt(value, path);
        fc.pre(canonicalJson(old) !== canonicalJson(leaf));
        expect(hashCanonical(setAt(value, path, leaf))).not.toBe(hashCanonical(value));
      }),
      { numRuns: 500 },
    );
  });

  it('a string is accepted exactly when it is well-formed UTF-16, and then round-trips', () => {
    const wellFormed = (s: string) => !/\p{Cs}/u.test(s);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (s) => {
        if (wellFormed(s)) expect(JSON.parse(canonicalJson({ [s]: s })) as unknown).toEqual({ [s]: s });
        else expect(thrown(() => canonicalJson({ k: s })).code).toBe(ErrorCode.invalidSnapshot);
      }),
      { numRuns: 200 },
    );
  });
});
