import { readFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, extname, join, relative } from 'node:path';
import { validate } from '@forge/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBundleSize, type ForgeBundle, forgeBundle, ROOT } from '../support/forgeBundle';

interface Manifest {
  app: { package?: { bundler?: string; path?: string } };
  modules: { function: { key: string; handler: string }[] };
}

/** What only the local runtime may contain: its folders, its SQLite drivers, its caller header. */
const LOCAL_ONLY_SOURCES = [/^src\/local\//, /^src\/cli\//, /(^|\/)node_modules\/better-sqlite3\//, /(^|\/)node_modules\/bindings\//];
const LOCAL_ONLY_TEXT = ['better-sqlite3', 'node:sqlite', 'x-worktime-account', 'src/local/', 'src/cli/'];

/** Every trace of local-runtime code in the bundle: by esbuild's record of its inputs, and by its text. */
async function localRuntimeTraces(bundle: ForgeBundle): Promise<string[]> {
  const traces: string[] = [];
  for (const input of Object.keys(bundle.metafile.inputs)) {
    if (LOCAL_ONLY_SOURCES.some((p) => p.test(input))) traces.push(`input ${input}`);
    for (const imported of bundle.metafile.inputs[input]!.imports) {
      if (imported.path === 'node:sqlite' || imported.path === 'better-sqlite3') traces.push(`${input} imports ${imported.path}`);
    }
  }
  for (const file of bundle.outputs) {
    const text = await readFile(file, 'utf8');
    for (const needle of LOCAL_ONLY_TEXT) if (text.includes(needle)) traces.push(`${basename(file)} contains "${needle}"`);
  }
  return traces;
}

describe('the Forge bundle, built as `npm run build` builds it for forge deploy', () => {
  let bundle: ForgeBundle;
  let manifest: Manifest;
  beforeAll(async () => {
    bundle = await forgeBundle();
    manifest = (await validate(false, join(ROOT, 'manifest.yml'))).manifestObject!.typedContent as unknown as Manifest;
    console.log(`forge bundle: ${describeBundleSize(bundle)}`);
  }, 120_000); // @forge/manifest compiles its 2 MB schema first: seconds on a loaded machine

  it('is written to the folder the manifest tells Forge to upload', () => {
    expect(manifest.app.package?.bundler).toBe('manual@2026');
    expect(relative(ROOT, dirname(bundle.outfile))).toBe(manifest.app.package?.path);
  });

  it('loads in plain Node and exports every handler the manifest names as a function', () => {
    const handlers = createRequire(import.meta.url)(bundle.outfile) as Record<string, unknown>;
    expect(manifest.modules.function.length).toBeGreaterThan(0);
    for (const f of manifest.modules.function) {
      const [file, name] = f.handler.split('.') as [string, string];
      expect(file, `${f.key}: handler ${f.handler} names a file other than the bundle`).toBe(basename(bundle.outfile, extname(bundle.outfile)));
      expect(typeof handlers[name], `${f.key}: ${f.handler} is not a function exported by ${basename(bundle.outfile)}; export it from src/index.ts`).toBe('function');
    }
  });

  it('carries every dependency itself: the only imports left outside are Node built-ins', () => {
    const external = Object.values(bundle.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(external.filter((path) => !isBuiltin(path))).toEqual([]);
  });

  it('holds no local-runtime code: no src/local or src/cli, no SQLite, no local caller header', async () => {
    expect(await localRuntimeTraces(bundle)).toEqual([]);
  });

  it('is built from the domain core and the Forge side of src only', () => {
    const ownSources = Object.keys(bundle.metafile.inputs).filter((f) => !f.includes('node_modules/'));
    expect(ownSources).toContain('src/forge/index.ts');
    expect(ownSources.filter((f) => !/^(domain|src\/(app|forge|kv|sources))\//.test(f) && f !== 'src/index.ts' && f !== 'src/ports.ts')).toEqual([]);
  });
});
