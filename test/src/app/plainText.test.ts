import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterCount, plainText, plainTextProblem, quoted, visibleCount } from '../../../src/app/plainText';

describe('plain text people type and others read', () => {
  it.each([
    ['Brussels office', 1, 100, null],
    ['\u200B\u200B\u200B', 1, 100, 'must have visible text (spaces and invisible characters alone show as blank)'],
    ['\uFEFF \u2060', 1, 100, 'must have visible text (spaces and invisible characters alone show as blank)'],
    ['ok\u200B', 3, 500, 'must say why, in at least 3 visible characters'],
    ['refund \u202Eevil', 3, 500, 'must not contain bidirectional control characters (such as U+202E), which make text read differently than it is stored; type it plainly'],
    ['\u2066isolated\u2069', 1, 100, 'must not contain bidirectional control characters (such as U+202E), which make text read differently than it is stored; type it plainly'],
    ['😀'.repeat(100), 1, 100, null],
    ['😀'.repeat(101), 1, 100, 'has at most 100 characters (it has 101)'],
    ['', 0, 500, null],
    ['שלום עולם', 1, 100, null], // right-to-left text itself is fine: only the control characters are refused
    ['\u3164\u3164', 1, 100, 'must have visible text (spaces and invisible characters alone show as blank)'], // Hangul fillers
    ['\u2800\u2800\u2800', 3, 500, 'must say why, in at least 3 visible characters'], // Braille blanks
    ['\u115F\u1160\u180E\uFFA0\u{E0041}\u{E007F}', 1, 100, 'must have visible text (spaces and invisible characters alone show as blank)'],
    ['שלום\u200F!', 1, 100, null], // a right-to-left mark only places punctuation: typed by RTL keyboards, allowed
  ] as const)('%j (%i–%i characters) → %j', (text, min, max, expected) => {
    expect(plainTextProblem(text, min, max)).toBe(expected);
  });

  it('quotes text for a message with its invisible characters spelled out', () => {
    expect(quoted('a\u200Bb\u202E')).toBe('"a\\u200Bb\\u202E"');
    expect(quoted('Anna')).toBe('"Anna"');
  });

  it('counts characters as people do: an emoji is one, not two', () => {
    expect(characterCount('😀a')).toBe(2);
    expect(visibleCount('a\u200Bb c')).toBe(3);
  });

  it('trims, and accepts exactly what plainTextProblem accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.integer({ min: 0, max: 5 }), (text, min) => {
        const parsed = plainText(min, 20).safeParse(text);
        expect(parsed.success).toBe(plainTextProblem(text.trim(), min, 20) === null);
        if (parsed.success) expect(parsed.data).toBe(text.trim());
      }),
    );
  });
});
