import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { validate } from '@forge/manifest';
import { describe, expect, it } from 'vitest';

interface Manifest {
  permissions: { scopes: string[]; external?: unknown };
  modules: { function: { key: string; handler: string; timeoutSeconds?: number }[] } & Record<string, { key: string; function?: string; resolver?: { function: string } }[]>;
  app: { runtime: { name: string }; package?: unknown };
  resources: { key: string; path: string }[];
}

async function load(): Promise<Manifest> {
  const result = await validate(false, 'manifest.yml');
  return result.manifestObject!.typedContent as unknown as Manifest;
}

/**
 * What stops a Custom UI folder from loading in Forge's iframe: no index.html, or a script,
 * stylesheet or image it names that is remote (Forge's CSP blocks other hosts unless declared),
 * absolute (the folder is served under a path of Forge's choosing), outside the folder, or missing.
 */
async function customUiProblems(folder: string): Promise<string[]> {
  const index = join(folder, 'index.html');
  if (!existsSync(index)) return [`${index} does not exist`];
  const html = await readFile(index, 'utf8');
  const problems: string[] = [];
  const tag = /<(script|link|img)\b[^>]*?\s(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  for (const match of html.matchAll(tag)) {
    const reference = match[3] ?? match[4] ?? match[5] ?? '';
    const path = reference.split(/[?#]/)[0]!;
    if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(reference)) problems.push(`${reference} is remote`);
    else if (reference.startsWith('/')) problems.push(`${reference} is absolute; Forge serves the folder under its own path, so refer to files relatively`);
    else if (!resolve(folder, path).startsWith(resolve(folder) + sep)) problems.push(`${reference} is outside ${folder}`);
    else if (!existsSync(resolve(folder, path))) problems.push(`${reference} does not exist in ${folder}`);
  }
  return problems;
}

describe('manifest.yml', () => {
  // Full validation also checks that each handler's module is a file in src/ (src/index.ts), the
  // folder Forge's default bundler takes handlers from; test/forge/bundle.test.ts checks the exports.
  it('passes @forge/manifest full validation offline, with no errors', async () => {
    const result = await validate(false, 'manifest.yml');
    const errors = (result.errors ?? []).filter((e) => e.level === 'error');
    expect(errors.map((e) => `${e.message} (line ${e.line})`)).toEqual([]);
  });

  it('asks for the three scopes and nothing broader', async () => {
    expect((await load()).permissions.scopes.sort()).toEqual(['read:jira-user', 'read:jira-work', 'storage:app']);
  });

  it('declares one egress host, Nager.Date for the optional holiday provider, outside EU data residency scope (only a country code and a year leave)', async () => {
    expect((await load()).permissions.external).toEqual({ fetch: { backend: [{ address: 'https://date.nager.at', inScopeEUD: false }] } });
  });

  it("has no app.package: forge deploy bundles src/ with Forge's default Node bundler (manual packaging is Early Access, not for production)", async () => {
    expect((await load()).app.package).toBeUndefined();
  });

  it('runs on nodejs22.x', async () => {
    expect((await load()).app.runtime.name).toBe('nodejs22.x');
  });

  it('every module points at a declared function, and consumers may run 900 s', async () => {
    const manifest = await load();
    const keys = new Set(manifest.modules.function.map((f) => f.key));
    for (const [kind, modules] of Object.entries(manifest.modules)) {
      if (kind === 'function') continue;
      for (const m of modules as { key: string; function?: string; resolver?: { function: string } }[]) expect(keys.has(m.function ?? m.resolver!.function), `${kind} ${m.key}`).toBe(true);
    }
    for (const f of manifest.modules.function.filter((f) => /ingest|apply|sync/.test(f.key))) expect(f.timeoutSeconds).toBe(900);
  });

  it('has a consumer for exactly the queues the app pushes to', async () => {
    const manifest = await load();
    const { QUEUE_KEYS } = await import('../../src/forge/index');
    const consumed = (manifest.modules.consumer as unknown as { queue: string }[]).map((c) => c.queue).sort();
    expect(consumed).toEqual(Object.values(QUEUE_KEYS).sort());
  });

  it('names Custom UI folders that hold an index.html and every local file it refers to', async () => {
    const resources = (await load()).resources;
    expect(resources.map((r) => r.key)).toContain('main');
    for (const r of resources) expect(await customUiProblems(r.path), `resource ${r.key}`).toEqual([]);
  });

  it('would refuse a UI build that refers to remote, absolute, escaping or missing files', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'worktime-ui-'));
    try {
      await mkdir(join(folder, 'assets'));
      await writeFile(join(folder, 'assets', 'app.js'), '');
      await writeFile(
        join(folder, 'index.html'),
        [
          '<script type="module" src="./assets/app.js?v=1"></script>',
          '<script src="https://cdn.example.com/react.js"></script>',
          "<link rel='stylesheet' href='//fonts.example.com/a.css'>",
          '<script src="/assets/app.js"></script>',
          '<img src="../secret.png">',
          '<link rel="stylesheet" href="assets/missing.css">',
        ].join('\n'),
      );
      expect(await customUiProblems(folder)).toEqual([
        'https://cdn.example.com/react.js is remote',
        '//fonts.example.com/a.css is remote',
        '/assets/app.js is absolute; Forge serves the folder under its own path, so refer to files relatively',
        `../secret.png is outside ${folder}`,
        `assets/missing.css does not exist in ${folder}`,
      ]);
      await rm(join(folder, 'index.html'));
      expect(await customUiProblems(folder)).toEqual([`${join(folder, 'index.html')} does not exist`]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
