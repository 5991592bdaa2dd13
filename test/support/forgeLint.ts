import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { validate } from '@forge/manifest';

/**
 * `forge lint`'s client-side half, run offline by calling @forge/lint directly: the linters its own
 * getClientSideLintersOnly() builds, minus the PermissionLinter (it downloads Jira's OpenAPI file to
 * map REST calls to scopes, so it needs the network). The server-side half needs a login.
 *
 * The linters see the manifest and every source file under src/, parsed by @forge/lint's own parser
 * with its own options (inside a TypeScript program made from the app's tsconfig.json when there is
 * one, as in the CLI). One difference from the CLI's lint(): the CLI parses a .ts file only when a
 * pattern of tsconfig.json's `include` names that very file (cli-shared's
 * listTSConfigIncludeExclude globs each pattern and compares paths). This project's `include` names
 * folders ("src"), so the CLI's lint parses none of its .ts sources and checks the manifest only.
 * Here every file under src/ is parsed, so the source linters (handlers exported, deprecated APIs,
 * ...) have something to check.
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

function loadForgeLint(): { lint: ForgeLintPackage; flags: unknown } {
  if (loaded) return loaded;
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
    const inputs = await Promise.all(sources.map((file) => lint.parseSourceFile(file, lint.tsParser)));
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
