import { readFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { basename, join } from 'node:path';
import { validate } from '@forge/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBundleSize, type ForgeBundle, forgeBundle, forgeWebpackConfig, ROOT } from '../support/forgeBundle';

interface Manifest {
  app: { package?: unknown };
  modules: { function: { key: string; handler: string }[] };
}

/** What only the local runtime may contain: its folders, its SQLite drivers, its caller header. */
const LOCAL_ONLY_MODULES = [/^\.\/src\/local\//, /^\.\/src\/cli\//, /(^|\/)node_modules\/better-sqlite3\//, /(^|\/)node_modules\/bindings\//, /^external "(node:sqlite|better-sqlite3)"$/];
// webpack keeps comments (a bundled file may say "local in src/local/"), but marks each module it
// bundles with its path: `;// ./src/local/…` before its code, and `webpack://…/./src/local/…` in the map.
const LOCAL_ONLY_TEXT = ['better-sqlite3', 'node:sqlite', 'x-worktime-account', './src/local/', './src/cli/'];

/** Every trace of local-runtime code in the bundle: by webpack's list of the modules it bundled, and by the files' text. */
async function localRuntimeTraces(bundle: ForgeBundle): Promise<string[]> {
  const traces = bundle.modules.filter((m) => LOCAL_ONLY_MODULES.some((p) => p.test(m))).map((m) => `module ${m}`);
  for (const file of bundle.files) {
    const text = await readFile(file.path, 'utf8');
    for (const needle of LOCAL_ONLY_TEXT) if (text.includes(needle)) traces.push(`${basename(file.path)} contains "${needle}"`);
  }
  return traces;
}

describe('the Forge bundle, built by Forge\'s default Node bundler as forge deploy builds it', () => {
  let bundle: ForgeBundle;
  let manifest: Manifest;
  beforeAll(async () => {
    bundle = await forgeBundle();
    manifest = (await validate(false, join(ROOT, 'manifest.yml'))).manifestObject!.typedContent as unknown as Manifest;
    console.log(`forge bundle (webpack ${(bundle.buildMs / 1000).toFixed(1)} s): ${describeBundleSize(bundle)}`);
  }, 120_000); // webpack with ts-loader, and @forge/manifest's 2 MB schema: seconds each on a loaded machine

  it("is made with @forge/bundler's own webpack configuration for the Node runtime, with this tsconfig.json", async () => {
    expect(manifest.app.package, 'app.package would switch forge deploy to another bundler').toBeUndefined();
    const { webpackConfig, entryPoints } = await forgeWebpackConfig(join(ROOT, 'dist', 'never-written'));
    expect(entryPoints).toEqual([{ name: 'index', path: join(ROOT, 'src', 'index') }]);
    expect(webpackConfig).toMatchObject({ name: 'node-runtime', target: 'node18', entry: { index: join(ROOT, 'src', 'index') }, output: { filename: '[name].cjs' } });
    const tsLoader = webpackConfig.module.rules.flatMap((r) => r.use ?? []).find((u) => u.loader === 'ts-loader');
    expect(tsLoader?.options).toMatchObject({ configFile: join(ROOT, 'tsconfig.json') });
    expect(webpackConfig.module.rules).toContainEqual({ test: /\.m?js$/, resolve: { fullySpecified: false } });
  }, 120_000);

  it('loads in plain Node and exports every handler the manifest names as a function', () => {
    expect(manifest.modules.function.length).toBeGreaterThan(0);
    const require = createRequire(import.meta.url);
    for (const f of manifest.modules.function) {
      const [module, name] = f.handler.split('.') as [string, string];
      const entry = bundle.entries.find((e) => e.name === module);
      expect(entry, `${f.key}: handler ${f.handler} names a module the bundle has no file for`).toBeDefined();
      const handlers = require(entry!.file) as Record<string, unknown>;
      expect(typeof handlers[name], `${f.key}: ${f.handler} is not a function exported by ${basename(entry!.file)}; export it from src/${module}.ts`).toBe('function');
    }
  });

  it('carries every dependency itself: the only modules left outside are Node built-ins', () => {
    const external = bundle.modules.map((m) => /^external "(.+)"$/.exec(m)?.[1]).filter((name) => name !== undefined);
    expect(external.length, 'webpack lists no external module at all: the module list is not what this test expects').toBeGreaterThan(0);
    expect(external.filter((name) => !isBuiltin(name))).toEqual([]);
  });

  it('holds no local-runtime code: no src/local or src/cli, no SQLite, no local caller header', async () => {
    expect(await localRuntimeTraces(bundle)).toEqual([]);
  });

  it('is built from the domain core and the Forge side of src only', () => {
    const ownSources = bundle.modules.filter((m) => m.startsWith('./') && !m.startsWith('./node_modules/'));
    expect(ownSources).toContain('./src/forge/index.ts');
    expect(ownSources.filter((m) => !/^\.\/(domain|src\/(app|forge|kv|sources|holidays))\//.test(m) && m !== './src/index.ts' && m !== './src/ports.ts')).toEqual([]);
  });
});
