// Types for build-forge.mjs, which the tests import (test/support/forgeBundle.ts).

export const ROOT: string;
export const FORGE_BUNDLE_DIR: string;

/** An entry point as @forge/bundler's getEntryPoints makes it from a manifest handler's module. */
export interface ForgeEntryPoint {
  name: string;
  /** Absolute path without extension: `<app>/src/<module>`, which webpack resolves (.ts first). */
  path: string;
}

/** The parts of Forge's webpack configuration the tests look at; the rest is passed through as is. */
export interface ForgeWebpackConfig {
  name?: string;
  target?: string;
  entry: Record<string, string>;
  output: { path: string; filename: string; libraryTarget?: string };
  module: { rules: { test?: RegExp; use?: { loader: string; options?: Record<string, unknown> }[]; resolve?: Record<string, unknown> }[] };
  [option: string]: unknown;
}

/** Forge's webpack configuration for this app, writing to `outputPath` (absolute); see build-forge.mjs. */
export function forgeWebpackConfig(outputPath: string): Promise<{ webpackConfig: ForgeWebpackConfig; entryPoints: ForgeEntryPoint[]; log: string[] }>;

export interface ForgeBundleFile {
  /** Absolute path. */
  path: string;
  bytes: number;
}

export interface ForgeBundle {
  /** Absolute path of the folder the bundle was written to. */
  outDir: string;
  /** One per handler module the manifest names: `<outDir>/<module>.cjs`. */
  entries: { name: string; file: string }[];
  /** Every file written: the entries' code and their source maps. */
  files: ForgeBundleFile[];
  /** Bytes of code (the .cjs files), source maps not counted. */
  bytes: number;
  /** webpack's name of every bundled module: `./src/index.ts`, `./node_modules/zod/...`, `external "node:crypto"`. */
  modules: string[];
  /** How long webpack took. */
  buildMs: number;
}

export function buildForgeBundle(outDir?: string): Promise<ForgeBundle>;
export function describeBundleSize(bundle: Pick<ForgeBundle, 'files'>): string;
