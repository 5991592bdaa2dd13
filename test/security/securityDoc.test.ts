import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@forge/manifest';
import { describe, expect, it } from 'vitest';
import { contentRelaxations, outsideHosts, securityDocProblems, section as sectionOf, tableRows } from './manifestEgress';

/** docs/security.md is the review document: these checks fail when it stops describing the app. */
const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/security.md'), 'utf8');

const section = (title: string) => sectionOf(doc, title);
const firstCode = (cell: string) => /`([^`]+)`/.exec(cell)?.[1];

interface Manifest {
  permissions: { scopes: string[] } & Record<string, unknown>;
}

async function manifest(): Promise<Manifest> {
  const result = await validate(false, join(root, 'manifest.yml'));
  return result.manifestObject!.typedContent as unknown as Manifest;
}

describe('docs/security.md against manifest.yml', () => {
  it('asks for no scope this page does not list, and lists none it does not ask for', async () => {
    const documented = tableRows(section('Scopes')).map((row) => firstCode(row[0]!));
    const asked = (await manifest()).permissions.scopes;
    expect(asked.filter((s) => !documented.includes(s)), 'scopes in manifest.yml that docs/security.md does not list').toEqual([]);
    expect(documented.filter((s) => !asked.includes(s!)), 'scopes docs/security.md lists that manifest.yml does not ask for').toEqual([]);
  });

  it('declares no egress host and no content-policy relaxation this page does not list (with its EU data residency flag), and the page lists none it does not declare', async () => {
    expect(securityDocProblems(await manifest(), doc)).toEqual([]);
  });
});

describe('the egress check on a manifest (every way Forge lets an app reach an outside host)', async () => {
  const real = await manifest();
  /** The real manifest with `change` applied to a copy. */
  const mutated = (change: (m: Manifest & Record<string, unknown>) => void) => {
    const copy = structuredClone(real) as Manifest & Record<string, unknown>;
    change(copy);
    return copy;
  };
  const external = (m: Manifest) => (m.permissions.external ??= {}) as Record<string, Record<string, unknown> | unknown[]>;

  it('reads this manifest: one backend host, and styles: unsafe-inline', () => {
    expect(outsideHosts(real)).toEqual([{ declaredAs: 'external.fetch.backend', address: 'https://date.nager.at', inScopeEUD: false }]);
    expect(contentRelaxations(real)).toEqual(['content.styles: unsafe-inline']);
  });

  it('fails on a remote, with its baseUrl (one or one per region), its storage residency and an admin-configurable pattern', () => {
    const evil = mutated((m) => {
      m.remotes = [
        { key: 'evil', baseUrl: 'https://evil.example.com', operations: ['fetch', 'storage'], storage: { inScopeEUD: true } },
        { key: 'regional', baseUrl: { default: 'https://a.example.com', EU: 'https://eu.example.com' } },
        { key: 'byadmin', configurable: { name: 'n', description: 'd', supportedPatterns: ['*.example.net'] } },
      ];
    });
    expect(securityDocProblems(evil, doc)).toEqual([
      'manifest.yml declares https://evil.example.com under remotes.evil, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)',
      'manifest.yml declares https://a.example.com under remotes.regional, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)',
      'manifest.yml declares https://eu.example.com under remotes.regional, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)',
      'manifest.yml declares *.example.net under remotes.byadmin.configurable, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)',
    ]);
    expect(outsideHosts(evil)[1]).toEqual({ declaredAs: 'remotes.evil', address: 'https://evil.example.com', inScopeEUD: true });
  });

  it.each(['images', 'media', 'scripts', 'styles', 'fonts', 'frames', 'navigation'])('fails on a host under external.%s, as a string or as an egress permission', (kind) => {
    const m = mutated((copy) => {
      external(copy)[kind] = ['https://cdn.example.com', { address: 'https://other.example.com', inScopeEUD: true }];
    });
    expect(securityDocProblems(m, doc).map((p) => p.split(',')[0])).toEqual([
      `manifest.yml declares https://cdn.example.com under external.${kind}`,
      `manifest.yml declares https://other.example.com under external.${kind}`,
    ]);
  });

  it('fails on fetch.client, a second backend host, a remote referenced from fetch, admin-configurable egress, and a kind Forge adds later', () => {
    const m = mutated((copy) => {
      const ext = external(copy);
      ext.fetch = { backend: [...((ext.fetch as { backend: unknown[] }).backend ?? []), 'https://second.example.com', { remote: 'api' }], client: ['https://browser.example.com'] };
      ext.configurable = { enabled: true };
      ext.websockets = ['wss://later.example.com'];
      copy.remotes = [{ key: 'api', baseUrl: 'https://api.example.com' }];
    });
    expect(securityDocProblems(m, doc).map((p) => /declares (.+?), which/.exec(p)?.[1] ?? p)).toEqual([
      'https://second.example.com under external.fetch.backend',
      'https://api.example.com under external.fetch.backend',
      'https://browser.example.com under external.fetch.client',
      '(any host an admin configures) under external.configurable',
      'wss://later.example.com under external.websockets',
      'https://api.example.com under remotes.api',
    ]);
  });

  it('fails when the documented host is declared elsewhere (a browser-side kind), or its residency flag changes', () => {
    const moved = mutated((copy) => {
      external(copy).fetch = { client: [{ address: 'https://date.nager.at', inScopeEUD: false }] };
    });
    expect(securityDocProblems(moved, doc)).toEqual([
      'manifest.yml declares https://date.nager.at under external.fetch.client, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)',
      'docs/security.md lists egress to https://date.nager.at under external.fetch.backend, which manifest.yml does not declare',
    ]);
    const flagged = mutated((copy) => {
      external(copy).fetch = { backend: [{ address: 'https://date.nager.at', inScopeEUD: true }] };
    });
    expect(securityDocProblems(flagged, doc)).toEqual(['https://date.nager.at (external.fetch.backend): manifest.yml says inScopeEUD: true, docs/security.md says false']);
  });

  it('fails on a content-policy relaxation or sandbox permission the page does not give a reason for, and on one it lists that is gone', () => {
    const relaxed = mutated((copy) => {
      copy.permissions.content = { styles: ['unsafe-inline'], scripts: ['unsafe-inline'] };
      copy.permissions.sandbox = ['allow-storage-access-by-user-activation'];
    });
    expect(securityDocProblems(relaxed, doc)).toEqual([
      'manifest.yml relaxes the Custom UI\'s content security policy with content.scripts: unsafe-inline, which docs/security.md does not list under "Content security policy" with the reason',
      'manifest.yml relaxes the Custom UI\'s content security policy with sandbox: allow-storage-access-by-user-activation, which docs/security.md does not list under "Content security policy" with the reason',
    ]);
    const strict = mutated((copy) => {
      delete copy.permissions.content;
    });
    expect(securityDocProblems(strict, doc)).toEqual(['docs/security.md lists the relaxation content.styles: unsafe-inline, which manifest.yml does not make']);
  });

  it('passes no declaration at all when the page lists none', () => {
    const bare = mutated((copy) => {
      delete copy.permissions.external;
      delete copy.permissions.content;
    });
    const emptyDoc = '# S\n\n## Egress\n\n| Host | Declared as |\n|---|---|\n\n## Content security policy\n\n| Relaxation | Why |\n|---|---|\n';
    expect(securityDocProblems(bare, emptyDoc)).toEqual([]);
    expect(securityDocProblems(real, emptyDoc)).toHaveLength(2);
  });
});

describe('the threat model in docs/security.md', () => {
  const rows = tableRows(section('Threat model'));

  it('has a row for each kind of threat the review asks about', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows) expect(row, `a threat-model row needs threat, where, mitigation and test: ${row.join(' | ')}`).toHaveLength(4);
  });

  it('names, for every threat, test files that exist and tests that are in them', () => {
    for (const [threat, , , tests] of rows) {
      const named = [...tests!.matchAll(/`([^`]+\.test\.ts)`((?::\s*|,\s*)"[^"]+")*/g)];
      expect(named.length, `"${threat}" names no test file`).toBeGreaterThan(0);
      for (const [reference, file] of named) {
        expect(existsSync(join(root, file!)), `"${threat}": ${file} does not exist`).toBe(true);
        const source = readFileSync(join(root, file!), 'utf8');
        const titles = [...reference.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
        expect(titles.length, `"${threat}": name the test in ${file}`).toBeGreaterThan(0);
        for (const title of titles) expect(source.includes(title), `"${threat}": ${file} has no test named "${title}"`).toBe(true);
      }
    }
  });
});
