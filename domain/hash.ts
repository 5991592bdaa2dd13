import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonicalJson';
import { DomainError, ErrorCode } from './errors';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Returns the SHA-256 of `text` encoded as UTF-8, as 64 lowercase hex digits
 * (what `printf '%s' text | sha256sum` prints). Throws INVALID_INPUT for text
 * with a lone UTF-16 surrogate, which UTF-8 cannot encode (Node would silently
 * replace it with U+FFFD, so two different texts would hash alike).
 */
export function sha256Hex(text: string): string {
  if (typeof text !== 'string') {
    throw new DomainError(ErrorCode.invalidInput, `sha256Hex hashes text; got ${typeof text}. Serialise the value first (e.g. with canonicalJson)`, {});
  }
  if (LONE_SURROGATE.test(text)) {
    throw new DomainError(ErrorCode.invalidInput, 'sha256Hex: the text has a lone UTF-16 surrogate, which has no UTF-8 form; repair the text before hashing', {});
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Returns the SHA-256 (hex) of the canonical JSON of `value`: equal JSON values hash alike whatever their key order. */
export function hashCanonical(value: JsonValue): string {
  return sha256Hex(canonicalJson(value));
}
