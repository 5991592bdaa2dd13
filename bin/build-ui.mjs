#!/usr/bin/env node
// `npm run build` (with the Forge bundle) and `npm start` (only when stale): builds the React UI
// in ui/ with Vite, twice, from two entries that share ui/src/:
//   forge  ui/forge/main.tsx → static/app/build  the manifest's Custom UI resource; @forge/bridge
//   local  ui/local/main.tsx → dist/ui-local     served at / by the local runtime; HTTP and the
//                                                acting-as picker, which the Forge build never contains
// Each output holds .worktime-build.json with a hash of what it was built from (ui/, the lock file,
// this script): a build is stale when that hash differs, so a checkout or a clone never forces a
// rebuild by touching files, and an edit always does.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const UI_TARGETS = {
  forge: { entryDir: 'ui/forge', outDir: 'static/app/build' },
  local: { entryDir: 'ui/local', outDir: 'dist/ui-local', precompress: true },
};
/** The compressed copies written beside a local build's files (served by src/local/server.ts), never counted as files of the build. */
const COMPRESSED = /\.(br|gz)$/;
const STAMP = '.worktime-build.json';

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A hash of everything a UI build is made from: the sources, the locked dependencies, this script. */
export function uiSourceHash(root = ROOT) {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(root, 'ui')), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Why a target needs building, or null when its output was built from the sources as they are. */
export function uiStaleReason(target, root = ROOT) {
  const stamp = join(root, UI_TARGETS[target].outDir, STAMP);
  if (!existsSync(stamp)) return `${UI_TARGETS[target].outDir} has not been built`;
  try {
    if (JSON.parse(readFileSync(stamp, 'utf8')).sourceHash === uiSourceHash(root)) return null;
  } catch {
    return `${stamp} is unreadable`;
  }
  return 'ui/ or the dependencies changed since the last build';
}

/** Every file of a build with its size and gzipped size. */
export function uiBuildFiles(outDir) {
  return filesUnder(outDir)
    .filter((f) => !f.endsWith(STAMP) && !COMPRESSED.test(f))
    .map((f) => {
      const bytes = readFileSync(f);
      return { path: relative(outDir, f), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    });
}

/** Builds one target with Vite; returns where it went, how long it took and its files' sizes. */
export async function buildUi(target, root = ROOT) {
  const { build } = await import('vite');
  const { entryDir, outDir } = UI_TARGETS[target];
  const sourceHash = uiSourceHash(root);
  const started = performance.now();
  const firstLoad = new Set();
  await build({
    configFile: false,
    root: join(root, entryDir),
    base: './', // Forge serves the resource under a path of its own: every reference stays relative
    publicDir: false,
    logLevel: 'warn',
    mode: 'production',
    // React's production build whatever NODE_ENV the caller runs under (vitest sets "test", which
    // would otherwise give Vite's client React's development build: twice the size, and slow).
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    // Atlaskit publishes an ES2019 build beside its ES5 one: smaller and faster.
    resolve: {
      mainFields: ['module:es2019', 'browser', 'module', 'jsnext:main', 'jsnext'],
      // Atlaskit's feature-gate client (Statsig, ~120 kB) is never initialised here, so it answers
      // every gate "off": a stand-in that says so keeps it out of the first view (see the file).
      alias: [{ find: /^@atlaskit\/feature-gate-js-client(\/feature-gates)?$/, replacement: join(root, 'ui/build/featureGatesOff.ts') }],
    },
    plugins: [recordFirstLoad(firstLoad)],
    oxc: { jsx: { runtime: 'automatic', development: false } }, // the production JSX runtime, as with `define` below
    build: {
      outDir: join(root, outDir),
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0, // no data: URLs; every asset is a file of the resource
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4000,
    },
  });
  const files = uiBuildFiles(join(root, outDir));
  if (UI_TARGETS[target].precompress) precompress(join(root, outDir), files);
  const buildMs = performance.now() - started;
  writeFileSync(join(root, outDir, STAMP), JSON.stringify({ target, sourceHash, builtAt: new Date().toISOString() }, null, 2) + '\n');
  return { target, outDir, buildMs, files, firstLoad: [...firstLoad] };
}

/**
 * Records into `into` the files the first view needs: the entry, what it imports, and what the
 * local entry loads with import() as soon as it runs (ui/local/main.tsx starts the first calls,
 * then loads the app, ui/local/LocalApp.tsx), with their CSS. Not the views' lazy chunks nor
 * Atlaskit's theme chunks, which load on demand.
 */
function recordFirstLoad(into) {
  return {
    name: 'worktime-record-first-load',
    generateBundle(_options, bundle) {
      const add = (file) => {
        const chunk = bundle[file];
        if (!chunk || chunk.type !== 'chunk' || into.has(file)) return;
        into.add(file);
        chunk.viteMetadata?.importedCss?.forEach((f) => into.add(f));
        chunk.imports.forEach(add);
        chunk.dynamicImports.filter((f) => bundle[f]?.facadeModuleId?.includes('/ui/local/')).forEach(add);
      };
      Object.values(bundle).filter((c) => c.type === 'chunk' && c.isEntry).forEach((c) => add(c.fileName));
    },
  };
}

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each JS, CSS and HTML file, so the local server
 * sends them compressed without compressing on every request. (Forge's CDN compresses the Forge build itself.)
 */
function precompress(outDir, files) {
  for (const f of files.filter((f) => /\.(js|css|html|svg|json)$/.test(f.path))) {
    const bytes = readFileSync(join(outDir, f.path));
    writeFileSync(join(outDir, `${f.path}.br`), brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    writeFileSync(join(outDir, `${f.path}.gz`), gzipSync(bytes, { level: 9 }));
  }
}

/** The files index.html loads before anything else (its scripts, module preloads and styles): what the first view waits for. */
export function firstLoadFiles(outDir, files) {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const named = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]));
  return files.filter((f) => f.path === 'index.html' || named.has(f.path));
}

/** "static/app/build: 1.23 MB, 345 kB gzipped, 12 files (largest assets/index-abc.js 900 kB)": the line the build prints. */
export function describeUiBuild({ outDir, files, buildMs, firstLoad }) {
  const code = files.filter((f) => /\.(js|css|html)$/.test(f.path));
  const sum = (k) => code.reduce((s, f) => s + f[k], 0);
  const kb = (n) => `${(n / 1000).toFixed(0)} kB`;
  const largest = [...code].sort((a, b) => b.bytes - a.bytes)[0];
  const loadedFirst = firstLoadFiles(join(ROOT, outDir), files).map((f) => f.path).concat(firstLoad ?? []);
  const first = files.filter((f) => loadedFirst.includes(f.path));
  const firstSum = (k) => first.reduce((s, f) => s + f[k], 0);
  return `${outDir}: ${kb(sum('bytes'))} of JS, CSS and HTML (${kb(sum('gzipBytes'))} gzipped) in ${files.length} files, built in ${(buildMs / 1000).toFixed(1)} s; the first view loads ${kb(firstSum('bytes'))} (${kb(firstSum('gzipBytes'))} gzipped) in ${first.length} files; largest ${largest?.path} ${kb(largest?.bytes ?? 0)}`;
}

/** Builds the targets that are stale (or all of them with `force`), printing one line each. */
export async function buildUiTargets({ force = false, targets = Object.keys(UI_TARGETS), log = console.log } = {}) {
  const built = [];
  for (const target of targets) {
    const reason = force ? 'asked to build' : uiStaleReason(target);
    if (reason === null) continue;
    const result = await buildUi(target);
    log(`ui (${target}): ${describeUiBuild(result)}`);
    built.push(result);
  }
  return built;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const onlyStale = args.includes('--if-stale');
  try {
    const built = await buildUiTargets({ force: !onlyStale });
    if (onlyStale && built.length === 0) console.log('ui: up to date');
  } catch (error) {
    console.error(`building the UI failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
