import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The licences a production dependency may carry (SPDX ids). docs/dependencies.md says why each is
 * here; adding one is a decision to write down there, not a way to make the test pass.
 */
export const ALLOWED_LICENCES: ReadonlySet<string> = new Set([
  'MIT',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
  'PSF-2.0',
  // Data, not code: date-holidays' holiday tables (attribution inside the data files).
  'CC-BY-3.0',
  'CC-BY-SA-3.0',
  // Atlassian's @forge packages: "SEE LICENSE IN LICENSE.txt", the Atlassian Developer Terms.
  'LicenseRef-Atlassian-Developer-Terms',
]);

/**
 * Licences allowed for the named packages only. date-holidays' holiday tables are data under
 * Creative Commons licences; code under them anywhere else is not accepted.
 */
export const PACKAGE_ONLY_LICENCES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['CC-BY-3.0', new Set(['date-holidays'])],
  ['CC-BY-SA-3.0', new Set(['date-holidays'])],
]);

/** The allowed set for package `name`: ALLOWED_LICENCES less the licences kept for other packages. */
export function allowedFor(name: string, allowed: ReadonlySet<string> = ALLOWED_LICENCES): ReadonlySet<string> {
  return new Set([...allowed].filter((licence) => PACKAGE_ONLY_LICENCES.get(licence)?.has(name) ?? true));
}

/** One package the lock file installs for production. */
export interface ProductionPackage {
  readonly path: string;
  readonly name: string;
  readonly version: string;
  /** The licence as an SPDX expression, or what the package says when it is none. */
  readonly licence: string;
}

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly license?: unknown;
}

/** A package.json `license` (or the old `licenses` array) as one expression. */
function declared(field: unknown, old: unknown): string | undefined {
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && typeof (field as { type?: unknown }).type === 'string') return (field as { type: string }).type;
  if (Array.isArray(old)) {
    const types = old.map((l) => (l && typeof l === 'object' ? (l as { type?: unknown }).type : l)).filter((t): t is string => typeof t === 'string');
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

/** "SEE LICENSE IN <file>" made an SPDX id when the file is a licence we know by its words. */
function seeLicenceFile(dir: string, licence: string): string {
  const file = /^SEE LICEN[CS]E IN (.+)$/i.exec(licence)?.[1]?.trim();
  if (!file || !existsSync(join(dir, file))) return licence;
  const text = readFileSync(join(dir, file), 'utf8');
  if (/Atlassian Developer Terms/i.test(text)) return 'LicenseRef-Atlassian-Developer-Terms';
  return licence;
}

/**
 * Every package `root`'s package-lock.json installs outside development (entries without
 * `dev: true`), with its licence as the installed package.json says (the lock file's copy for an
 * optional package for another platform, which is not installed here).
 */
export function productionPackages(root: string): ProductionPackage[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockEntry> };
  const out: ProductionPackage[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.dev === true || entry.link === true) continue;
    const dir = join(root, path);
    const installed = existsSync(join(dir, 'package.json')) ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: unknown; licenses?: unknown; name?: string }) : undefined;
    const raw = installed ? declared(installed.license, installed.licenses) : declared(entry.license, undefined);
    const name = entry.name ?? installed?.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.push({ path, name, version: entry.version ?? '?', licence: raw === undefined ? '(no licence declared)' : installed ? seeLicenceFile(dir, raw) : raw });
  }
  return out;
}

/**
 * Whether an SPDX expression is acceptable: `A OR B` when either is, `A AND B` when both are,
 * `A WITH exception` as A, `A+` as A. Anything that does not parse is not acceptable.
 */
export function licenceAllowed(expression: string, allowed: ReadonlySet<string> = ALLOWED_LICENCES): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const fail = (): never => {
    throw new Error('unparseable');
  };
  const primary = (): boolean => {
    const token = tokens[at++] ?? fail();
    if (token === '(') {
      const value = or();
      if (tokens[at++] !== ')') fail();
      return value;
    }
    if (/^(AND|OR|WITH|\))$/i.test(token)) fail();
    if (/^WITH$/i.test(tokens[at] ?? '')) at += 2;
    return allowed.has(token.replace(/\+$/, ''));
  };
  const and = (): boolean => {
    let value = primary();
    while (/^AND$/i.test(tokens[at] ?? '')) {
      at++;
      value = primary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (/^OR$/i.test(tokens[at] ?? '')) {
      at++;
      value = and() || value;
    }
    return value;
  };
  try {
    const value = or();
    return at === tokens.length && value;
  } catch {
    return false;
  }
}

/** One line per production package whose licence is outside the allowed set. */
export function licenceProblems(root: string, allowed: ReadonlySet<string> = ALLOWED_LICENCES): string[] {
  return productionPackages(root)
    .filter((p) => !licenceAllowed(p.licence, allowedFor(p.name, allowed)))
    .map((p) => `${p.name}@${p.version} (${p.path}) is licensed ${JSON.stringify(p.licence)}, which is not in the allowed set; replace it, or add the licence to ALLOWED_LICENCES and to docs/dependencies.md with the reason it is acceptable`);
}

/** How docs/dependencies.md names a resolved licence. */
const licenceAsWritten = (licence: string) => (licence === 'LicenseRef-Atlassian-Developer-Terms' ? 'Atlassian Developer Terms' : licence);

/**
 * Where the "Runtime dependencies" table of `root`'s docs/dependencies.md and its package.json
 * `dependencies` differ (either way), and rows whose licence cell lacks the licence the installed
 * package declares.
 */
export function dependencyDocProblems(root: string): string[] {
  const declared = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
  const doc = readFileSync(join(root, 'docs/dependencies.md'), 'utf8');
  const section = /^## Runtime dependencies\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1];
  if (section === undefined) return ['docs/dependencies.md has no "## Runtime dependencies" section'];
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.startsWith('|') ? line.replace(/^\||\|$/g, '').split(' | ').map((c) => c.trim()) : [];
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells.at(-1) ?? '');
  }
  const installed = new Map(productionPackages(root).filter((p) => p.path === `node_modules/${p.name}`).map((p) => [p.name, p.licence]));
  const problems: string[] = [];
  for (const name of declared) if (!rows.has(name)) problems.push(`package.json depends on ${name}, which docs/dependencies.md does not list under "Runtime dependencies"; add a row: why the app needs it, its licence (${licenceAsWritten(installed.get(name) ?? 'see its package.json')})`);
  for (const name of rows.keys()) if (!declared.includes(name)) problems.push(`docs/dependencies.md lists ${name} under "Runtime dependencies", which package.json does not depend on; remove the row`);
  for (const [name, cell] of rows) {
    const licence = installed.get(name);
    if (licence !== undefined && declared.includes(name) && !cell.includes(licenceAsWritten(licence))) problems.push(`docs/dependencies.md gives ${name}'s licence without "${licenceAsWritten(licence)}", the licence its installed package.json declares`);
  }
  return problems;
}
