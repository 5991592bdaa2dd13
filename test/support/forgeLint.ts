import { readdir } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { validate } from '@forge/manifest';

/**
 * `forge lint`'s client-side half, run offline by calling @forge/lint directly: the linters its own
 * getClientSideLintersOnly() builds, minus the PermissionLinter (it downloads Jira's OpenAPI file to
 * map REST calls to scopes, so it needs the network). The server-side half needs a login.
 *
 * The linters see the manifest and every source file under src/, parsed by @forge/lint's own
 * parser. Two differences from the CLI's lint():
 * - The CLI parses a .ts file only when tsconfig.json's `include` matches it file by file. This
 *   project's `include` names folders ("src"), so the CLI would parse no source at all; here every
 *   file under src/ is parsed, so the source linters have something to check.
 * - Files are parsed on their own, not inside a TypeScript 5 program built from tsconfig.json.
 *   The linters read syntax only. `npm run typecheck` checks types with the project's compiler.
 */

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  reference: string;
}

export interface ForgeLintReport {
  linters: string[];
  /** Source files the linters were given, relative to the app. */
  sources: string[];
  errors: LintFinding[];
  warnings: LintFinding[];
  approvals: LintFinding[];
  /** What the linters logged; a linter that throws is reported here and skipped, not raised. */
  log: string[];
}

interface LintRule {
  message: string;
  line: number;
  column: number;
  reference: string;
}
interface LintResult {
  file: string;
  errors: LintRule[];
  warnings: LintRule[];
  approvals: LintRule[];
}
interface Linter {
  bootstrap(): Promise<void>;
  batchExecute(inputs: unknown[]): Promise<LintResult[]>;
}
type Parser = (code: string, filepath: string, options?: Record<string, unknown>) => Promise<unknown>;
interface ForgeLintPackage {
  getClientSideLintersOnly(manifest: unknown, environment: string, logger: Logger, flags: unknown): Promise<Linter[]>;
  parseSourceFile(filepath: string, parser: Parser): Promise<unknown>;
  tsParser: Parser;
  PermissionLinter: abstract new (...args: never[]) => Linter;
}
interface Logger {
  info(message: string): void;
}
type FeatureFlagsClass = abstract new () => { checkGate(): Promise<null>; getDynamicConfig(): Promise<null> };

const require = createRequire(import.meta.url);
let loaded: { lint: ForgeLintPackage; flags: unknown } | undefined;

/**
 * @forge/lint parses sources with @typescript-eslint, which needs TypeScript's JavaScript API. This
 * project's TypeScript (7, native) has none, and npm hoists it next to @typescript-eslint;
 * a Forge CLI installed on its own has @forge/lint's pinned TypeScript 5 there instead. Send
 * @typescript-eslint's `require('typescript')` to that copy, as in the CLI's tree.
 */
function loadForgeLint(): { lint: ForgeLintPackage; flags: unknown } {
  if (loaded) return loaded;
  const lintTypescript = require.resolve('typescript', { paths: [dirname(require.resolve('@forge/lint/package.json'))] });
  const resolver = Module as unknown as { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (request, parent, ...rest) {
    if (request === 'typescript' && parent?.filename?.includes(`${sep}@typescript-eslint${sep}`)) return lintTypescript;
    return resolve.call(this, request, parent, ...rest);
  };
  const lint = require('@forge/lint') as ForgeLintPackage;
  const { StatsigReader } = require('@forge/cli-shared') as { StatsigReader: FeatureFlagsClass };
  // The CLI's feature flags come from an online service; offline the CLI falls back to no value,
  // which is what this answers (e.g. no runtime is listed as deprecated).
  class OfflineFeatureFlags extends StatsigReader {
    override async checkGate(): Promise<null> {
      return null;
    }
    override async getDynamicConfig(): Promise<null> {
      return null;
    }
  }
  loaded = { lint, flags: new OfflineFeatureFlags() };
  return loaded;
}

async function sourcesUnder(appDir: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(appDir, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name))
    .map((e) => relative(appDir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * Lints the app in `appDir`: its manifest.yml, and the sources under its src/. The manifest linters
 * read manifest.yml from the working directory, as in the CLI, so this changes into `appDir` for
 * the run and back.
 */
export async function lintForgeApp(appDir: string): Promise<ForgeLintReport> {
  const { lint, flags } = loadForgeLint();
  const manifest = (await validate(false, join(appDir, 'manifest.yml'))).manifestObject?.typedContent;
  if (!manifest) throw new Error(`${appDir}/manifest.yml is not a readable Forge manifest`);
  const log: string[] = [];
  const logger: Logger = { info: (message) => log.push(message) };
  const linters = (await lint.getClientSideLintersOnly(manifest, 'development', logger, flags)).filter((l) => !((l as object) instanceof lint.PermissionLinter));
  const previous = process.cwd();
  process.chdir(appDir);
  try {
    const sources = await sourcesUnder(appDir, 'src');
    const inputs = await Promise.all(sources.map((file) => lint.parseSourceFile(file, (code, path) => lint.tsParser(code, path, { project: undefined }))));
    await Promise.all(linters.map((linter) => linter.bootstrap()));
    const results = (await Promise.all(linters.map((linter) => linter.batchExecute(inputs)))).flat();
    const findings = (kind: 'errors' | 'warnings' | 'approvals') =>
      results.flatMap((r) => r[kind].map((f) => ({ file: r.file, line: f.line, column: f.column, message: f.message, reference: f.reference })));
    return {
      linters: linters.map((l) => l.constructor.name),
      sources,
      errors: findings('errors'),
      warnings: findings('warnings'),
      approvals: findings('approvals'),
      log,
    };
  } finally {
    process.chdir(previous);
  }
}
