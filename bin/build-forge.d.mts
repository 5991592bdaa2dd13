// Types for build-forge.mjs, which the tests import (test/support/forgeBundle.ts).
import type { Metafile } from 'esbuild';

export const ROOT: string;
export const FORGE_BUNDLE_DIR: string;
export const FORGE_ENTRY: string;

export interface ForgeBundle {
  /** Absolute path of the handlers' file, `<outDir>/index.cjs`. */
  outfile: string;
  bytes: number;
  metafile: Metafile;
  /** Absolute paths of every file written (the bundle and its source map). */
  outputs: string[];
}

export function buildForgeBundle(outDir?: string): Promise<ForgeBundle>;
export function describeBundleSize(bundle: Pick<ForgeBundle, 'outfile' | 'bytes'>): string;
