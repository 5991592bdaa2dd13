import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Install scripts run only for the packages that need them (better-sqlite3 builds its SQLite
 * binding), through npm's own allow-list: package.json's allowScripts, enforced by npm 11 and made
 * strict by .npmrc. Checked on the configuration and on what npm actually installed here.
 */
const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; integrity?: string; link?: boolean; hasInstallScript?: boolean; dev?: boolean }>;
};
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** The allowScripts verdict on a package: by name, or by name@version as `npm install-scripts approve` writes it. */
const verdict = (name: string, version: string | undefined) => pkg.allowScripts?.[`${name}@${version}`] ?? pkg.allowScripts?.[name];

describe('install scripts and the lock file', () => {
  it('every locked package with an install script is approved or denied in allowScripts, and only better-sqlite3 is approved', () => {
    const withScripts = Object.entries(lock.packages).filter(([path, e]) => path !== '' && e.hasInstallScript);
    expect(withScripts.length).toBeGreaterThan(0);
    for (const [path, entry] of withScripts) expect(verdict(nameOf(path), entry.version), `${path} has an install script and no allowScripts entry; decide with npm install-scripts approve/deny`).toBeTypeOf('boolean');
    expect(withScripts.filter(([path, e]) => verdict(nameOf(path), e.version) === true).map(([path]) => nameOf(path))).toEqual(['better-sqlite3']);
  });

  it('.npmrc makes the allow-list strict and nothing switches it off', () => {
    const npmrc = readFileSync(join(root, '.npmrc'), 'utf8').split('\n').filter((l) => !/^\s*[#;]/.test(l));
    expect(npmrc).toContain('strict-allow-scripts=true');
    for (const off of ['dangerously-allow-all-scripts', 'ignore-scripts']) expect(npmrc.filter((l) => l.startsWith(off))).toEqual([]);
    // npm reads it: the setting is what npm itself reports in this project.
    expect(execFileSync('npm', ['config', 'get', 'strict-allow-scripts'], { cwd: root, encoding: 'utf8' }).trim()).toBe('true');
  });

  it('npm knows of no package here whose install script nobody reviewed (npm 11.19 or later: allowScripts)', () => {
    const version = execFileSync('npm', ['--version'], { cwd: root, encoding: 'utf8' }).trim();
    let listed: string;
    try {
      listed = execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch {
      throw new Error(`npm ${version} has no \`npm install-scripts\`, so it ignores allowScripts and runs every install script; use npm 11.19 or later`);
    }
    const pending = JSON.parse(listed) as { allowScripts: unknown[] };
    expect(pending.allowScripts).toEqual([]);
  });

  it('every locked package carries a sha512 integrity hash', () => {
    const missing = Object.entries(lock.packages)
      .filter(([path, e]) => path !== '' && !e.link && !/^sha512-[A-Za-z0-9+/]+=*$/.test(e.integrity ?? ''))
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('in the installed tree, the approved script ran and the denied ones did not', () => {
    // better-sqlite3's install script built its binding, and it loads.
    expect(existsSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3') as new (file: string) => { prepare(sql: string): { get(): unknown }; close(): void };
    const db = new Database(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
    // esbuild's postinstall replaces its JavaScript launcher with the native binary; denied, the launcher stays.
    expect(readFileSync(join(root, 'node_modules/esbuild/bin/esbuild'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    // keytar's install script would build (or download) a native module into build/.
    if (existsSync(join(root, 'node_modules/keytar'))) expect(existsSync(join(root, 'node_modules/keytar/build'))).toBe(false);
  });
});
