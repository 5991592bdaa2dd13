import { buildForgeBundle, type ForgeBundle } from '../../bin/build-forge.mjs';

export { describeBundleSize, FORGE_BUNDLE_DIR, forgeWebpackConfig, ROOT, type ForgeBundle } from '../../bin/build-forge.mjs';

let built: Promise<ForgeBundle> | undefined;

/**
 * The Forge bundle exactly as `npm run build` writes it (same function, same folder), built once
 * per test process: webpack with ts-loader takes seconds.
 */
export function forgeBundle(): Promise<ForgeBundle> {
  built ??= buildForgeBundle();
  return built;
}
