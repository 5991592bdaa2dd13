#!/usr/bin/env node
// `npm run build`: the handlers bundled exactly as `forge deploy` bundles them, written to dist/forge/
// to inspect. The manifest has no app.package, so Forge uses its default Node bundler (webpack +
// ts-loader with this tsconfig.json). This runs that bundler's own code from @forge/bundler, offline:
// its ConfigBundler picks the bundler from manifest.yml, its NodeBundler makes the webpack config,
// its getEntryPoints turns the manifest's handlers into entry points, and its webpack compiles.
// test/forge/bundle.test.ts builds through buildForgeBundle() below. Why the default bundler:
// docs/architecture.md, "How the app is built for Forge".
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where `npm run build` and the tests put the bundle (not uploaded: forge deploy bundles itself). */
export const FORGE_BUNDLE_DIR = 'dist/forge';

const require = createRequire(import.meta.url);

/**
 * @forge/bundler and, from its own dependency tree, @forge/cli-shared. Forge's webpack config
 * builder refuses to run without a main module (`require.main`): the CLI is a CommonJS program and
 * has one, an ES module entry (this file, vitest's workers) has none. So this file stands in as the
 * main module while Forge's modules load (each takes `require.main` when it loads), and only then.
 */
let forge;
function loadForge() {
  if (forge) return forge;
  const bundlerMain = require.resolve('@forge/bundler');
  const fromBundler = createRequire(bundlerMain);
  const hadMain = process.mainModule !== undefined;
  if (!hadMain) process.mainModule = new Module(fileURLToPath(import.meta.url));
  try {
    forge = { bundler: fromBundler('@forge/bundler'), cliShared: fromBundler('@forge/cli-shared') };
    return forge;
  } finally {
    if (!hadMain) delete process.mainModule;
  }
}

/** manifest.yml as the CLI reads it (cli-shared's ConfigFile: same parser, same handler rules). */
function manifestReader(cliShared) {
  const files = {
    readFile: (file) => readFileSync(join(ROOT, file), 'utf8'),
  };
  const noWrites = new Proxy({}, { get: () => () => { throw new Error('building the Forge bundle never writes the manifest'); } });
  return new cliShared.ConfigFile(files, noWrites);
}

/**
 * The runtime wrapper Forge adds beside the bundle is downloaded by forge deploy; only
 * NodeBundler.getOutput() asks for it, and the build below never calls that.
 */
const neverAskedWrapperProvider = {
  getNodeRuntimeWrapper: () => Promise.reject(new Error('the Forge runtime wrapper is added by forge deploy, not by this build')),
  getNodeRuntimeLoader: () => Promise.reject(new Error('the Forge runtime loader is added by forge deploy, not by this build')),
};

function collectingLogger(messages) {
  const keep = (message) => messages.push(String(message instanceof Error ? message.message : message));
  return { traceEnabled: false, debugEnabled: false, trace() {}, debug() {}, info() {}, warn: keep, error: keep };
}

/**
 * The webpack configuration `forge deploy` would use for this app, from Forge's own code, and the
 * entry points it was made for, writing to `outputPath` instead of the fresh temporary folder
 * Forge's config creates for it (forge deploy zips the bundle from there; this removes it).
 * Forge resolves the handlers' folder (src/) and webpack's context against the working directory,
 * as the CLI runs in the app's folder; so must this.
 */
export async function forgeWebpackConfig(outputPath) {
  if (resolve(process.cwd()) !== ROOT) {
    throw new Error(`build the Forge bundle from the app's folder, as forge deploy does: cd ${ROOT} (the working directory is ${process.cwd()})`);
  }
  const { bundler, cliShared } = loadForge();
  const log = [];
  const config = manifestReader(cliShared);
  const nodeBundler = await bundler.getNodeBundler(collectingLogger(log), neverAskedWrapperProvider, config).getBundler();
  if (typeof nodeBundler.getConfigs !== 'function') {
    throw new Error(`manifest.yml selects Forge's ${nodeBundler.constructor.name}, which uploads a folder as it is; this app deploys with the default bundler: remove app.package`);
  }
  const entryPoints = bundler.getEntryPoints(await config.getAppHandlers());
  const args = { appDirectory: ROOT, entryPoints }; // what forge deploy passes: no watch mode, no i18n (no translations)
  const configs = await nodeBundler.getConfigs(args);
  for (const c of configs) await removeForgeTemporaryFolder(c.output.path);
  if (configs.length !== 1) throw new Error(`Forge's Node bundler made ${configs.length} webpack configurations; this build runs exactly one`);
  const webpackConfig = configs[0];
  webpackConfig.output.path = outputPath;
  return { webpackConfig, entryPoints, log };
}

/** Removes a folder only if it is one of Forge's temporary output folders (cli-shared's tmpDir: <tmp>/forge-…). */
async function removeForgeTemporaryFolder(folder) {
  if (folder && resolve(folder).startsWith(resolve(tmpdir()) + sep) && basename(folder).startsWith('forge-')) {
    await rm(folder, { recursive: true, force: true });
  }
}

function runWebpack(compiler) {
  return new Promise((resolvePromise, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => (error ? reject(error) : resolvePromise(stats)));
    });
  });
}

/** Every module webpack put in the bundle, by name (`./src/index.ts`, `external "node:crypto"`), unnesting concatenated modules. */
function moduleNames(modules = []) {
  return modules.flatMap((m) => (m.modules ? moduleNames(m.modules) : m.name ? [m.name] : []));
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/**
 * Builds the Forge handlers into `outDir` (relative to the repository) the way forge deploy does,
 * and returns where they went, every file's size and webpack's list of bundled modules. Any webpack
 * error (a TypeScript error included: ts-loader type-checks) or warning fails the build.
 * Webpack writes to a staging folder beside `outDir`; its files are then renamed into `outDir`, so
 * concurrent builds (test files run in parallel) never read a half-written file; files left over
 * from an older build go.
 */
export async function buildForgeBundle(outDir = FORGE_BUNDLE_DIR) {
  const absOutDir = join(ROOT, outDir);
  const staging = join(dirname(absOutDir), `.${basename(absOutDir)}-staging-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const { webpackConfig, entryPoints, log } = await forgeWebpackConfig(staging);
  const { bundler } = loadForge();
  try {
    const started = performance.now();
    const stats = await runWebpack(bundler.getCompiler(webpackConfig));
    // Every module: those concatenated into another are "orphans", listed only when asked for.
    const info = stats.toJson({ all: false, errors: true, warnings: true, modules: true, nestedModules: true, orphanModules: true, modulesSpace: Infinity, nestedModulesSpace: Infinity });
    const where = (p) => (p.moduleName ? `${p.moduleName}: ` : '');
    const problems = [...(info.errors ?? []).map((e) => `error: ${where(e)}${e.message}`), ...(info.warnings ?? []).map((w) => `warning: ${where(w)}${w.message}`), ...log];
    if (problems.length > 0) throw new Error(`webpack (Forge's default bundler) reported ${problems.length} problem(s); fix these first:\n${problems.join('\n')}`);
    const buildMs = performance.now() - started;

    await mkdir(absOutDir, { recursive: true });
    const files = [];
    for (const name of await filesUnder(staging)) {
      await mkdir(dirname(join(absOutDir, name)), { recursive: true });
      await rename(join(staging, name), join(absOutDir, name));
      files.push({ path: join(absOutDir, name), bytes: (await stat(join(absOutDir, name))).size });
    }
    const written = new Set(files.map((f) => relative(absOutDir, f.path)));
    for (const name of await filesUnder(absOutDir)) if (!written.has(name)) await rm(join(absOutDir, name), { force: true });

    const entries = entryPoints.map((e) => ({ name: e.name, file: join(absOutDir, `${e.name}.cjs`) }));
    const code = files.filter((f) => f.path.endsWith('.cjs'));
    return { outDir: absOutDir, entries, files, bytes: code.reduce((sum, f) => sum + f.bytes, 0), modules: [...new Set(moduleNames(info.modules))], buildMs };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** "index.cjs 1.23 MB (1,234,567 bytes)": the size line the build and the tests print. */
export function describeBundleSize({ files }) {
  return files
    .map((f) => `${basename(f.path)} ${(f.bytes / 1_000_000).toFixed(2)} MB (${f.bytes.toLocaleString('en-US')} bytes)`)
    .join(', ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    if (resolve(process.cwd()) !== ROOT) process.chdir(ROOT); // as `npm run build` and forge deploy run: in the app's folder
    const bundle = await buildForgeBundle();
    console.log(`forge bundle (webpack ${(bundle.buildMs / 1000).toFixed(1)} s): ${describeBundleSize(bundle)} in ${relative(ROOT, bundle.outDir)}/`);
    console.log('deploy with: forge deploy (it builds this same bundle itself; this copy is to inspect)');
  } catch (error) {
    console.error(`npm run build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
