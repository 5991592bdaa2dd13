/**
 * The built Custom UI loads from its own resource alone: Forge's CSP blocks other origins, and the
 * app promises that nothing leaves the site. These tests scan every built file for the ways a page
 * pulls something remote in — a script or stylesheet tag, a CSS url() or @import, a font source, a
 * dynamic import — and check that the Forge build holds no trace of the local-only acting-as picker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUiTargets, ROOT, UI_TARGETS, uiBuildFiles } from '../../bin/build-ui.mjs';

/** A remote origin: http(s) or protocol-relative. */
const REMOTE = String.raw`(?:https?:)?\/\/[a-z0-9.-]+`;
const PATTERNS: [string, RegExp][] = [
  ['a script or stylesheet tag with a remote address', new RegExp(String.raw`<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)\s*=\s*["']?${REMOTE}`, 'i')],
  ['a CSS url() of a remote address', new RegExp(String.raw`url\(\s*["']?${REMOTE}`, 'i')],
  ['a CSS @import of a remote address', new RegExp(String.raw`@import\s+(?:url\(\s*)?["']?${REMOTE}`, 'i')],
  ['a dynamic import of a remote address', new RegExp(String.raw`import\(\s*["'\`]${REMOTE}`, 'i')],
  ['a static import of a remote address', new RegExp(String.raw`\bfrom\s*["']${REMOTE}`, 'i')],
  ['a script element given a remote src', new RegExp(String.raw`\.src\s*=\s*["'\`]${REMOTE}`, 'i')],
];

/** Every remote reference in a file's text, as "<what>: <the text around it>". */
function remoteReferences(text: string): string[] {
  const found: string[] = [];
  for (const [what, pattern] of PATTERNS) {
    const global = new RegExp(pattern.source, 'gi');
    for (const m of text.matchAll(global)) found.push(`${what}: ${text.slice(Math.max(0, m.index! - 20), m.index! + m[0].length + 20)}`);
  }
  return found;
}

const builtFiles = (target: keyof typeof UI_TARGETS) => {
  const dir = join(ROOT, UI_TARGETS[target].outDir);
  return uiBuildFiles(dir).map((f) => ({ path: f.path, text: readFileSync(join(dir, f.path), 'utf8') }));
};

beforeAll(async () => {
  await buildUiTargets({ log: () => undefined }); // only what is stale
}, 120_000);

describe('the built UI loads nothing remote', () => {
  it('finds every kind of remote reference it looks for (so a clean build means something)', () => {
    const bad = [
      '<script src="https://cdn.example.com/react.js"></script>',
      "<link rel='stylesheet' href='//fonts.example.com/a.css'>",
      '.a{background:url(https://img.example.com/x.png)}',
      '@import url("https://fonts.googleapis.com/css?family=Inter");',
      '@font-face{font-family:X;src:url(//fonts.example.com/x.woff2)}',
      'const m = await import("https://esm.example.com/mod.js")',
      'import x from "https://esm.example.com/x.js"',
      's.src = "https://evil.example.com/a.js"',
    ];
    for (const text of bad) expect(remoteReferences(text), text).not.toEqual([]);
    // What bundles legitimately hold: XML namespaces and links in messages are not loads.
    expect(remoteReferences('createElementNS("http://www.w3.org/2000/svg","svg"); see https://atlassian.design/tokens')).toEqual([]);
  });

  it.each(Object.keys(UI_TARGETS) as (keyof typeof UI_TARGETS)[])('the %s build has no remote script, style, font, url() or @import', (target) => {
    const files = builtFiles(target);
    expect(files.some((f) => f.path === 'index.html')).toBe(true);
    const problems = files.flatMap((f) => remoteReferences(f.text).map((p) => `${f.path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the Forge build holds no acting-as picker and no account header; the local build does', () => {
    const traces = (target: keyof typeof UI_TARGETS) => builtFiles(target).filter((f) => f.text.includes('x-worktime-account') || f.text.includes('Acting as (local runtime only)'));
    expect(traces('forge').map((f) => f.path)).toEqual([]);
    expect(traces('local').length).toBeGreaterThan(0);
  });
});
