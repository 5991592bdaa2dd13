/**
 * The local runtime serves the built UI at / under a strict Content-Security-Policy, serves only
 * the build's own asset files, and says how to build the UI when it is missing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKvStore } from '../../src/kv/memoryKvStore';
import { createLocalServer, UI_CSP } from '../../src/local/server';
import { SimulatedQueues } from '../support/simulatedQueue';

const uiDir = mkdtempSync(join(tmpdir(), 'worktime-ui-serve-'));
mkdirSync(join(uiDir, 'assets'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><script type="module" src="./assets/app-1a2b.js"></script>');
writeFileSync(join(uiDir, 'assets', 'app-1a2b.js'), 'console.log(1)');
// The compressed copies bin/build-ui.mjs writes beside a local build's files.
const APP_JS = 'console.log("the app"); '.repeat(200);
writeFileSync(join(uiDir, 'assets', 'big-9z8y.js'), APP_JS);
writeFileSync(join(uiDir, 'assets', 'big-9z8y.js.br'), brotliCompressSync(APP_JS));
writeFileSync(join(uiDir, 'assets', 'big-9z8y.js.gz'), gzipSync(APP_JS));
writeFileSync(join(uiDir, 'assets', 'notes.txt'), 'not a UI file type');
writeFileSync(join(uiDir, 'secret.js'), 'outside assets/');

const serve = (dir: string) =>
  createLocalServer({
    mode: 'test',
    uiDir: dir,
    deps: { kv: new MemoryKvStore(), directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'UTC'])) }, permissions: { isJiraAdmin: async () => false, groupIds: async () => [] }, syncQueue: new SimulatedQueues().queue('sync'), periodsQueue: new SimulatedQueues().queue('periods'), clock: { now: () => Date.now() } },
    people: async () => [{ accountId: '557058:x', displayName: 'X', timeZone: null }],
    status: () => ({}),
  }).listen(0, '127.0.0.1');

const built = serve(uiDir);
const missing = serve(join(uiDir, 'no-such-build'));
const base = (s: typeof built) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

beforeAll(() => Promise.all([built, missing].map((s) => new Promise((r) => (s.listening ? r(null) : s.once('listening', r))))));
afterAll(() => Promise.all([built, missing].map((s) => new Promise((r) => s.close(r)))));

describe('the UI at /', () => {
  it('is the built index.html, with a CSP that allows this origin only and no inline script', async () => {
    const res = await fetch(`${base(built)}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('./assets/app-1a2b.js');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(UI_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });

  it('serves the build’s assets with their type, and nothing outside assets/ or of another type', async () => {
    const js = await fetch(`${base(built)}/assets/app-1a2b.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/assets/notes.txt', '/secret.js', '/assets/../secret.js', '/assets/%2e%2e/secret.js', '/assets/..%2fsecret.js', '/assets/.hidden.js']) {
      const res = await fetch(`${base(built)}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('outside assets/');
    }
  });

  it('sends an asset brotli- or gzip-compressed as the browser accepts (from the build\'s .br/.gz copies), cached for a year', async () => {
    for (const [accept, encoding] of [['gzip, deflate, br, zstd', 'br'], ['gzip, deflate', 'gzip'], ['br;q=0, gzip', 'gzip'], ['identity', null]] as const) {
      const res = await fetch(`${base(built)}/assets/big-9z8y.js`, { headers: { 'accept-encoding': accept } });
      expect(res.status, accept).toBe(200);
      expect(res.headers.get('content-encoding'), accept).toBe(encoding);
      expect(res.headers.get('vary'), accept).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control'), accept).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type'), accept).toBe('text/javascript; charset=utf-8');
      expect(await res.text(), accept).toBe(APP_JS); // fetch decodes what the header names
    }
    const plain = await fetch(`${base(built)}/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(plain.headers.get('content-encoding')).toBeNull(); // no compressed copy: the file as it is
    expect(await plain.text()).toBe('console.log(1)');
    expect((await fetch(`${base(built)}/assets/big-9z8y.js.br`)).status).toBe(404); // the copies are not files of their own
  });

  it('says how to build the UI when it is not built, and the JSON API still answers', async () => {
    const res = await fetch(`${base(missing)}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    const people = await fetch(`${base(missing)}/api/people`);
    expect(await people.json()).toEqual([{ accountId: '557058:x', displayName: 'X', timeZone: null, roles: ['employee'] }]);
  });
});
