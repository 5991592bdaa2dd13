import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED_LICENCES, dependencyDocProblems, licenceAllowed, licenceProblems, productionPackages } from './licences';

const root = join(import.meta.dirname, '../..');

/** A project with this lock file; each installed package gets a package.json with its licence (and files). */
function tree(packages: Record<string, { license?: unknown; dev?: boolean; installed?: boolean; files?: Record<string, string> }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-licences-'));
  const lock: Record<string, object> = { '': { name: 'p', version: '1.0.0' } };
  for (const [path, p] of Object.entries(packages)) {
    lock[path] = { version: '1.0.0', integrity: 'sha512-x', ...(p.dev ? { dev: true } : {}), ...(p.license === undefined ? {} : { license: p.license }) };
    if (p.installed === false) continue;
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'package.json'), JSON.stringify({ name: path.replace(/^.*node_modules\//, ''), version: '1.0.0', ...(p.license === undefined ? {} : { license: p.license }) }));
    for (const [file, text] of Object.entries(p.files ?? {})) writeFileSync(join(dir, path, file), text);
  }
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: lock }));
  return dir;
}

describe('the licence check on production dependencies', () => {
  it('reads SPDX expressions: OR needs one allowed licence, AND needs all, WITH and + count as the licence', () => {
    const table: [string, boolean][] = [
      ['MIT', true],
      ['GPL-3.0-only', false],
      ['(MIT OR GPL-3.0-only)', true],
      ['(ISC AND CC-BY-3.0)', true],
      ['(MIT AND GPL-3.0-only)', false],
      ['(BSD-2-Clause OR MIT OR Apache-2.0)', true],
      ['Apache-2.0 WITH LLVM-exception', true],
      ['Apache-2.0+', true],
      ['MIT OR', false],
      ['(MIT', false],
      ['', false],
      ['UNLICENSED', false],
      ['SEE LICENSE IN LICENSE.txt', false],
    ];
    for (const [expression, ok] of table) expect(licenceAllowed(expression), expression).toBe(ok);
  });

  it('fails on a production package outside the allowed set, and names it; development packages do not count', () => {
    const dir = tree({
      'node_modules/fine': { license: 'MIT' },
      'node_modules/copyleft': { license: 'GPL-3.0-only' },
      'node_modules/a/node_modules/nested-copyleft': { license: 'AGPL-3.0-or-later' },
      'node_modules/dev-copyleft': { license: 'GPL-3.0-only', dev: true },
      'node_modules/unlicensed': {},
      'node_modules/old-style': { license: { type: 'MIT' } },
    });
    expect(licenceProblems(dir)).toEqual([
      'copyleft@1.0.0 (node_modules/copyleft) is licensed "GPL-3.0-only", which is not in the allowed set; replace it, or add the licence to ALLOWED_LICENCES and to docs/dependencies.md with the reason it is acceptable',
      'nested-copyleft@1.0.0 (node_modules/a/node_modules/nested-copyleft) is licensed "AGPL-3.0-or-later", which is not in the allowed set; replace it, or add the licence to ALLOWED_LICENCES and to docs/dependencies.md with the reason it is acceptable',
      'unlicensed@1.0.0 (node_modules/unlicensed) is licensed "(no licence declared)", which is not in the allowed set; replace it, or add the licence to ALLOWED_LICENCES and to docs/dependencies.md with the reason it is acceptable',
    ]);
  });

  it('reads "SEE LICENSE IN" files: Atlassian Developer Terms pass, any other text fails; a package not installed here is read from the lock file', () => {
    const dir = tree({
      'node_modules/@forge/x': { license: 'SEE LICENSE IN LICENSE.txt', files: { 'LICENSE.txt': 'Permission is hereby granted to use this software in accordance with the terms and conditions outlined in the Atlassian Developer Terms' } },
      'node_modules/proprietary': { license: 'SEE LICENSE IN LICENSE', files: { LICENSE: 'All rights reserved. No use without a signed agreement.' } },
      'node_modules/@esbuild/other-platform': { license: 'MIT', installed: false },
      'node_modules/other-platform-gpl': { license: 'GPL-2.0-only', installed: false },
    });
    expect(productionPackages(dir).map((p) => [p.name, p.licence])).toEqual([
      ['@forge/x', 'LicenseRef-Atlassian-Developer-Terms'],
      ['proprietary', 'SEE LICENSE IN LICENSE'],
      ['@esbuild/other-platform', 'MIT'],
      ['other-platform-gpl', 'GPL-2.0-only'],
    ]);
    expect(licenceProblems(dir).map((p) => p.split(' ')[0])).toEqual(['proprietary@1.0.0', 'other-platform-gpl@1.0.0']);
  });

  it('allows the data licences (CC-BY-3.0, CC-BY-SA-3.0) for date-holidays only', () => {
    const dir = tree({
      'node_modules/date-holidays': { license: '(ISC AND CC-BY-3.0)' },
      'node_modules/a/node_modules/date-holidays': { license: 'CC-BY-SA-3.0' },
      'node_modules/some-code': { license: 'CC-BY-SA-3.0' },
      'node_modules/mixed': { license: '(MIT AND CC-BY-3.0)' },
      'node_modules/either': { license: '(MIT OR CC-BY-3.0)' },
    });
    expect(licenceProblems(dir).map((p) => p.split(' ')[0])).toEqual(['some-code@1.0.0', 'mixed@1.0.0']);
  });

  it("this project's production dependencies all carry an allowed licence", () => {
    const packages = productionPackages(root);
    expect(packages.length).toBeGreaterThan(10);
    expect(licenceProblems(root)).toEqual([]);
  });

  it('docs/dependencies.md explains every licence in the allowed set', () => {
    const doc = readFileSync(join(root, 'docs/dependencies.md'), 'utf8');
    for (const licence of ALLOWED_LICENCES) expect(doc, `docs/dependencies.md does not mention ${licence}`).toContain(`\`${licence}\``);
  });

  it('docs/dependencies.md lists exactly the runtime dependencies of package.json, each with its installed licence', () => {
    expect(dependencyDocProblems(root)).toEqual([]);
  });

  it('the dependency table check fails on a dependency missing from the table, one the table lists that is gone, and a wrong licence', () => {
    const dir = tree({ 'node_modules/kept': { license: 'MIT' }, 'node_modules/added': { license: 'Apache-2.0' }, 'node_modules/@forge/y': { license: 'SEE LICENSE IN LICENSE.txt', files: { 'LICENSE.txt': 'the Atlassian Developer Terms' } }, 'node_modules/relicensed': { license: 'ISC' } });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', dependencies: { kept: '1', added: '1', '@forge/y': '1', relicensed: '1' }, devDependencies: { vitest: '1' } }));
    mkdirSync(join(dir, 'docs'));
    const table = (rows: string) => `# D\n\n## Runtime dependencies\n\n| Package | Why | Licence |\n|---|---|---|\n${rows}\n\nWith their own dependencies, more.\n\n## Next\n\n| \`vitest\` | not here | MIT |\n`;
    writeFileSync(join(dir, 'docs/dependencies.md'), table('| `kept` | a reason | MIT |\n| `@forge/y` | a reason | Atlassian Developer Terms |\n| `relicensed` | a reason | MIT |\n| `removed` | a reason | MIT |'));
    expect(dependencyDocProblems(dir)).toEqual([
      'package.json depends on added, which docs/dependencies.md does not list under "Runtime dependencies"; add a row: why the app needs it, its licence (Apache-2.0)',
      'docs/dependencies.md lists removed under "Runtime dependencies", which package.json does not depend on; remove the row',
      'docs/dependencies.md gives relicensed\'s licence without "ISC", the licence its installed package.json declares',
    ]);
  });
});
