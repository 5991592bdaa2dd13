#!/usr/bin/env node
// `npm run build`: the folder Forge uploads (manifest.yml: app.package, bundler manual@2026).
// One CommonJS file holding the handlers and every dependency they reach, bundled by esbuild,
// because Forge's default bundler (webpack + ts-loader) cannot compile this TypeScript: see
// docs/architecture.md, "How the app is built for Forge". test/forge/bundle.test.ts builds
// through buildForgeBundle() below, so the tests check exactly what `forge deploy` uploads.
import { build } from 'esbuild';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** manifest.yml's app.package.path: handlers `index.<export>` resolve to index.cjs in it. */
export const FORGE_BUNDLE_DIR = 'dist/forge';
export const FORGE_ENTRY = 'src/index.ts';

/**
 * Bundles the Forge handlers into `outDir` (relative to the repository) and returns the bundle's
 * path, its size in bytes and esbuild's metafile (every input and what each output holds).
 * Outputs are written to a temporary name and renamed, so concurrent builds (test files run in
 * parallel) never leave or read a half-written file; files left over from an older build go.
 */
export async function buildForgeBundle(outDir = FORGE_BUNDLE_DIR) {
  const absOutDir = join(ROOT, outDir);
  const outfile = join(absOutDir, 'index.cjs');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [FORGE_ENTRY],
    outfile,
    bundle: true, // Forge uploads only this folder: no node_modules beside it
    platform: 'node',
    format: 'cjs', // Forge's runtime loads a handler file as a CommonJS module
    target: 'node20', // Forge runs nodejs22.x; the tests load the bundle on Node 20
    sourcemap: 'linked', // stack traces in Forge logs map back to src/
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    const text = result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`).join('\n');
    throw new Error(`esbuild warned while bundling the Forge app; fix these first:\n${text}`);
  }
  await mkdir(absOutDir, { recursive: true });
  const written = new Set();
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
    written.add(basename(file.path));
  }
  for (const name of await readdir(absOutDir)) {
    if (!written.has(name) && !name.includes('.tmp-')) await rm(join(absOutDir, name), { recursive: true, force: true });
  }
  const bundle = result.outputFiles.find((f) => f.path === outfile);
  return { outfile, bytes: bundle.contents.byteLength, metafile: result.metafile, outputs: result.outputFiles.map((f) => f.path) };
}

/** "index.cjs 1.23 MB": the size line the build and the tests print. */
export function describeBundleSize({ outfile, bytes }) {
  return `${basename(outfile)} ${(bytes / 1_000_000).toFixed(2)} MB (${bytes.toLocaleString('en-US')} bytes)`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const bundle = await buildForgeBundle();
    console.log(`forge bundle: ${describeBundleSize(bundle)} in ${relative(ROOT, dirname(bundle.outfile))}/`);
    console.log('deploy with: forge deploy (it uploads that folder, manifest.yml app.package.path)');
  } catch (error) {
    console.error(`npm run build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
