import { DomainError, ErrorCode } from './errors';

/**
 * Canonical JSON, after RFC 8785 (the JSON Canonicalization Scheme, JCS).
 *
 * The same value always gives the same text, whatever order its object keys
 * were built in, so the text can be hashed and the hash compared:
 *
 * - object keys are sorted by UTF-16 code units (JavaScript's default string
 *   order, which is what JCS prescribes), at every depth;
 * - no whitespace; arrays keep their order;
 * - numbers are written as ECMAScript writes them (`JSON.stringify`), which is
 *   JCS's number form for finite numbers: `4.50` → `4.5`, `1e30` → `1e+30`,
 *   `2e-3` → `0.002`; `-0` is written `0`;
 * - strings are escaped as JCS says: `"` `\` and control characters below
 *   U+0020 only (`\b \t \n \f \r`, others as lowercase `\u00xx`); everything
 *   else, including non-ASCII, is written as itself.
 *
 * Only plain JSON is accepted. These throw `INVALID_SNAPSHOT` naming where in
 * the value the problem is: `undefined` as the whole value or inside an array,
 * functions, symbols, bigints, `NaN` and `±Infinity`, sparse arrays or arrays
 * with extra properties, objects that are not plain (`Date`, `Map`, class
 * instances, boxed primitives), symbol keys, cycles, and strings or keys with a
 * lone UTF-16 surrogate (not representable in UTF-8; JCS requires I-JSON).
 *
 * One leniency, the same as `JSON.stringify`: an object property whose value
 * is `undefined` is left out, so `{ a: 1, b: undefined }` and `{ a: 1 }` have
 * the same canonical form. This matches what storage keeps after a JSON round
 * trip, so a value hashes the same before and after it is stored.
 */

/** A JSON value: what survives `JSON.parse(JSON.stringify(x))` unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** A lone (unpaired) surrogate; in `u` mode a valid pair is one code point and does not match. */
const LONE_SURROGATE = /\p{Cs}/u;

function pathOf(path: readonly (string | number)[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object' && value !== null) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name.length > 0 ? `a ${name}` : 'an object that is not plain';
  }
  return typeof value;
}

function reject(path: readonly (string | number)[], found: string, why: string): never {
  const at = pathOf(path);
  throw new DomainError(ErrorCode.invalidSnapshot, `canonical JSON: the value at ${at} is ${found}; ${why}`, { path: at, found });
}

function writeString(s: string, path: readonly (string | number)[], what: 'string' | 'key'): string {
  if (LONE_SURROGATE.test(s)) {
    reject(path, `a ${what} with a lone UTF-16 surrogate`, 'such text cannot be written as UTF-8; repair or drop the broken character before hashing');
  }
  // JSON.stringify escapes exactly what JCS escapes (", \, U+0000–U+001F, lowercase hex) once lone surrogates are excluded.
  return JSON.stringify(s);
}

function write(value: unknown, path: (string | number)[], open: Set<object>, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(writeString(value, path, 'string'));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) reject(path, describeValue(value), 'JSON has only finite numbers; store it as null or a string instead');
      // Number → string is ECMAScript's Number::toString, the number form JCS prescribes; -0 becomes "0".
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      reject(path, describeValue(value), 'only null, booleans, finite numbers, strings, arrays and plain objects are JSON');
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (open.has(value)) reject(path, 'a reference back to one of its own containers (a cycle)', 'JSON is a tree; break the cycle before hashing');
  open.add(value);
  if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    if (Object.keys(items).length !== items.length) {
      reject(path, 'an array with holes or extra properties', 'JSON arrays are dense lists; fill the holes (e.g. with null) and drop extra properties');
    }
    out.push('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(',');
      path.push(i);
      write(items[i], path, open, out);
      path.pop();
    }
    out.push(']');
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      reject(path, describeValue(value), 'only plain objects are JSON; convert it first (a date to epoch ms or an ISO string, a Map to an object)');
    }
    if (Object.getOwnPropertySymbols(value).length > 0) reject(path, 'an object with symbol keys', 'JSON keys are strings; drop the symbol keys');
    const record = value as Readonly<Record<string, unknown>>;
    // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) continue; // as JSON.stringify: an undefined property is absent
      path.push(key);
      if (!first) out.push(',');
      first = false;
      out.push(writeString(key, path, 'key'), ':');
      write(v, path, open, out);
      path.pop();
    }
    out.push('}');
  }
  open.delete(value);
}

/**
 * Returns the canonical JSON text of `value` (RFC 8785 form): equal JSON values
 * give identical text whatever their key order; throws INVALID_SNAPSHOT with
 * the path of anything that is not plain JSON.
 */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  write(value, [], new Set(), out);
  return out.join('');
}
