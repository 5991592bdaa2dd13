/**
 * Text people type that others read later (team names, holiday names, reasons, notes): what it
 * must be so that what a reader sees is what was stored.
 *   - No bidirectional control characters (U+202A–U+202E, U+2066–U+2069): an override can make a
 *     ledger reason or a name read differently on screen than it is stored, which hides what it says.
 *   - Visible: text that is only spaces and invisible characters (zero-width spaces, joiners, BOM,
 *     soft hyphen) shows as blank, so it counts as empty.
 *   - Lengths count characters (code points), so an emoji is one, as a person counts it.
 * Surrounding whitespace is trimmed, as before.
 */
import { z } from 'zod';

/**
 * Embeddings, overrides and isolates: they can reverse or move whole runs of text. The direction marks
 * (LRM, RLM, ALM) stay allowed: they only place neutral characters such as punctuation, and keyboards
 * for right-to-left languages type them.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * Whitespace and characters that draw nothing: zero-width spaces and joiners, word joiner and
 * invisible operators, BOM, soft hyphen, combining grapheme joiner, Hangul fillers, Braille blank,
 * Mongolian vowel separator, variation selectors and tag characters.
 */
const INVISIBLE = /[\s\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u034F\u115F\u1160\u3164\uFFA0\u2800\u180E\uFE00-\uFE0F\u{E0000}-\u{E007F}]/gu;

/** How many characters a person would count in `text` (code points, not UTF-16 units). */
export const characterCount = (text: string): number => [...text].length;

/** Characters that show: `text` without whitespace and invisible format characters. */
export const visibleCount = (text: string): number => characterCount(text.replace(INVISIBLE, ''));

/** `text` quoted for a message, with characters that draw nothing or steer direction written as \\uXXXX, so the reader sees what was sent. */
export const quoted = (text: string): string =>
  JSON.stringify(text).replace(/[\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);

/** Why `text` (already trimmed) is not acceptable plain text of `min`–`max` characters, or null. */
export function plainTextProblem(text: string, min: number, max: number): string | null {
  if (BIDI_CONTROL.test(text)) return 'must not contain bidirectional control characters (such as U+202E), which make text read differently than it is stored; type it plainly';
  if (min > 0 && visibleCount(text) < min) return min === 1 ? 'must have visible text (spaces and invisible characters alone show as blank)' : `must say why, in at least ${min} visible characters`;
  if (characterCount(text) > max) return `has at most ${max} characters (it has ${characterCount(text)})`;
  return null;
}

/** A zod schema for plain text of `min`–`max` characters (see the module comment), trimmed. */
export function plainText(min: number, max: number) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const problem = plainTextProblem(text, min, max);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
