import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@forge/manifest';
import { describe, expect, it } from 'vitest';

/** docs/security.md is the review document: these checks fail when it stops describing the app. */
const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/security.md'), 'utf8');

/** The text of the `## title` section. */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/security.md has no "## ${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The cells of each body row of the first table in `text`. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) => l.replace(/^\||\|$/g, '').split(' | ').map((c) => c.trim()));
}

const firstCode = (cell: string) => /`([^`]+)`/.exec(cell)?.[1];

interface Manifest {
  permissions: { scopes: string[]; external?: { fetch?: { backend?: (string | { address: string; inScopeEUD?: boolean })[]; client?: unknown[] } } & Record<string, unknown> };
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

  it('declares no egress host this page does not list (with its EU data residency flag), and the page lists none it does not declare', async () => {
    const rows = tableRows(section('Egress'));
    const documented = new Map(rows.map((row) => [firstCode(row[0]!)!, /inScopeEUD: (true|false)/.exec(row[0]!)?.[1]]));
    const external = (await manifest()).permissions.external ?? {};
    // Every kind of egress Forge knows (fetch backend and client, images, scripts, styles, frames, media, fonts): all must be listed.
    const declared: { address: string; inScopeEUD?: boolean }[] = [];
    const collect = (value: unknown) => {
      if (typeof value === 'string') declared.push({ address: value });
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        if ('address' in value) declared.push(value as { address: string; inScopeEUD?: boolean });
        else Object.values(value).forEach(collect);
      }
    };
    collect(external);
    for (const host of declared) {
      expect(documented.has(host.address), `manifest.yml declares egress to ${host.address}, which docs/security.md does not list under Egress`).toBe(true);
      if (host.inScopeEUD !== undefined) expect(documented.get(host.address), `${host.address}: inScopeEUD in docs/security.md`).toBe(String(host.inScopeEUD));
    }
    for (const address of documented.keys()) expect(declared.map((d) => d.address), `docs/security.md lists ${address}, which manifest.yml does not declare`).toContain(address);
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
