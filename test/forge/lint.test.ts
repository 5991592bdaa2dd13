import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/forgeBundle';
import { lintForgeApp } from '../support/forgeLint';

// `forge lint`'s client-side linters, offline (test/support/forgeLint.ts). Skipped: the
// PermissionLinter, which downloads Jira's OpenAPI file, and the server-side checks, which need a login.
describe('forge lint (client side, offline)', () => {
  const scratch: string[] = [];
  afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

  /**
   * A copy of the app's manifest in a folder of its own, beside the real UI resource and either the
   * real src/ (where the handlers are) or a src/ holding only `sources`.
   */
  async function appWithManifest(manifestText: string, sources?: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'worktime-lint-'));
    scratch.push(dir);
    await writeFile(join(dir, 'manifest.yml'), manifestText);
    await symlink(join(ROOT, 'static'), join(dir, 'static'));
    if (!sources) await symlink(join(ROOT, 'src'), join(dir, 'src'));
    for (const [file, text] of Object.entries(sources ?? {})) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    return dir;
  }

  it('passes on this app: no error, warning or approval, and every linter ran', async () => {
    const report = await lintForgeApp(ROOT);
    expect(report.linters).toEqual(expect.arrayContaining(['FullManifestLinter', 'PermissionsManifestLinter', 'HandlerLinter']));
    expect(report.linters).not.toContain('PermissionLinter');
    expect(report.sources).toEqual(expect.arrayContaining(['src/index.ts', 'src/forge/index.ts', 'src/forge/forgeKvStore.ts']));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.approvals).toEqual([]);
    expect(report.log, 'a linter failed to run').toEqual([]);
  }, 300_000); // each manifest linter compiles Forge's 2 MB manifest schema: about 20 s on 2 cores

  it('fails when the worklog and issue triggers lose read:jira-work, naming the scope and the events', async () => {
    const manifest = await readFile(join(ROOT, 'manifest.yml'), 'utf8');
    const withoutScope = manifest.replace(/^ *- read:jira-work\b.*\n/m, '');
    expect(withoutScope, 'manifest.yml no longer lists read:jira-work as a line of its own').not.toBe(manifest);
    expect(withoutScope).toContain('avi:jira:created:worklog');

    const control = await lintForgeApp(await appWithManifest(manifest));
    expect(control.errors).toEqual([]);

    // @forge/manifest's full validation accepts this manifest; the lint's PermissionsManifestLinter
    // (the product-trigger scopes validator) is what refuses it.
    const report = await lintForgeApp(await appWithManifest(withoutScope));
    expect(new Set(report.errors.map((e) => `${e.file} ${e.reference}`))).toEqual(new Set(['manifest.yml permission-scope-required']));
    const messages = report.errors.map((e) => e.message);
    for (const event of ['avi:jira:created:worklog', 'avi:jira:updated:worklog', 'avi:jira:deleted:worklog', 'avi:jira:deleted:issue']) {
      expect(messages.some((m) => m.includes('read:jira-work') && m.includes(event)), `no error names read:jira-work for ${event}:\n${messages.join('\n')}`).toBe(true);
    }
  }, 300_000);

  it("reads the handlers in src/, where Forge's default bundler takes them from: a handler src/index.ts does not export is reported", async () => {
    const manifest = await readFile(join(ROOT, 'manifest.yml'), 'utf8');
    const renamed = manifest.replace('handler: index.reconcile', 'handler: index.reconcileEverything');
    expect(renamed, 'manifest.yml no longer names index.reconcile').not.toBe(manifest);
    const report = await lintForgeApp(await appWithManifest(renamed));
    // @forge/lint classes this as a warning; test/forge/bundle.test.ts fails on it.
    expect(report.warnings.map((w) => `${w.file} ${w.message}`)).toEqual([expect.stringMatching(/^src\/index\.ts .*reconcileEverything/)]);
  }, 300_000);

  it('reads the sources too: a deprecated Forge API in src/ is reported', async () => {
    const manifest = await readFile(join(ROOT, 'manifest.yml'), 'utf8');
    const report = await lintForgeApp(
      await appWithManifest(manifest, { 'src/legacy.ts': "import { storage } from '@forge/api';\nexport const read = () => storage.get('k');\n" }),
    );
    expect(report.sources).toEqual(['src/legacy.ts']);
    expect(report.warnings.map((w) => `${w.file} ${w.reference}`)).toEqual(['src/legacy.ts deprecated-api-storage']);
  }, 300_000);
});
