import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installNeed } from '../../../bin/ensure-deps.mjs';

const root = join(import.meta.dirname, '../../..');

type Entry = { version: string; integrity?: string; optional?: boolean };
const pkg = (version: string, extra: Partial<Entry> = {}): Entry => ({ version, integrity: `sha512-${version}`, ...extra });

/** A project directory with this lock file and, unless null, this record of what npm installed. */
function project(locked: Record<string, Entry> | null, installed: Record<string, Entry> | null | 'no node_modules' | 'not by npm'): string {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-deps-'));
  if (locked) writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'p' }, ...locked } }));
  if (installed === 'no node_modules') return dir;
  mkdirSync(join(dir, 'node_modules'));
  if (installed !== 'not by npm' && installed !== null) writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: installed }));
  return dir;
}

const zod = { 'node_modules/zod': pkg('4.1.12') };

describe('whether npm start / npm test install the dependencies first', () => {
  it.each([
    ['node_modules is missing', project(zod, 'no node_modules'), true, 'node_modules is missing'],
    ['node_modules was not made by npm', project(zod, 'not by npm'), true, 'node_modules was not installed by npm from package-lock.json'],
    ['everything locked is installed', project(zod, zod), false, 'node_modules matches package-lock.json'],
    ['a locked package is not installed', project({ ...zod, 'node_modules/luxon': pkg('3.7.2') }, zod), true, 'package-lock.json locks node_modules/luxon@3.7.2, which is not installed'],
    ['another version is installed', project(zod, { 'node_modules/zod': pkg('4.0.0') }), true, 'package-lock.json locks node_modules/zod@4.1.12, but 4.0.0 is installed'],
    ['the same version from another tarball', project(zod, { 'node_modules/zod': { version: '4.1.12', integrity: 'sha512-other' } }), true, 'package-lock.json locks node_modules/zod@4.1.12, but 4.1.12 is installed'],
    ['a package the lock dropped is still installed', project(zod, { ...zod, 'node_modules/left-pad': pkg('1.3.0') }), true, 'node_modules/left-pad is installed but package-lock.json no longer locks it'],
    ['an optional package for another platform is not installed', project({ ...zod, 'node_modules/@esbuild/aix-ppc64': pkg('0.28.2', { optional: true }) }, zod), false, 'node_modules matches package-lock.json'],
    ['there is no lock file', project(null, 'no node_modules'), false, 'there is no package-lock.json to install from'],
  ])('%s', (_what, dir, install, reason) => {
    expect(installNeed(dir)).toEqual({ install, reason });
  });

  it('holds this checkout’s own install, made by npm ci, for current', () => {
    expect(installNeed(root)).toEqual({ install: false, reason: 'node_modules matches package-lock.json' });
  });

  it('runs npm ci, saying why in one line, when node_modules is missing', () => {
    // A copy of the script in a project without node_modules, with a stand-in npm that records how it was called.
    const dir = project(zod, 'no node_modules');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(root, 'bin/ensure-deps.mjs'), join(dir, 'bin/ensure-deps.mjs'));
    writeFileSync(join(dir, 'fake-npm.js'), "require('fs').writeFileSync('npm-called', process.argv.slice(2).join(' ') + ' in ' + process.cwd());\n");
    const run = spawnSync(process.execPath, ['bin/ensure-deps.mjs'], { cwd: dir, env: { ...process.env, npm_execpath: join(dir, 'fake-npm.js') }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('worktime: node_modules is missing; installing the locked dependencies with npm ci (a minute or two, once)\n');
    expect(readFileSync(join(dir, 'npm-called'), 'utf8')).toBe(`ci in ${dir}`);
  });

  it('stops with npm’s exit status and one line of advice when npm ci fails', () => {
    const dir = project(zod, 'no node_modules');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(root, 'bin/ensure-deps.mjs'), join(dir, 'bin/ensure-deps.mjs'));
    writeFileSync(join(dir, 'fake-npm.js'), 'process.exit(7);\n');
    const run = spawnSync(process.execPath, ['bin/ensure-deps.mjs'], { cwd: dir, env: { ...process.env, npm_execpath: join(dir, 'fake-npm.js') }, encoding: 'utf8' });
    expect(run.status).toBe(7);
    expect(run.stderr).toBe('worktime: npm ci failed (exit status 7); see its output above. Node 20 or 22, python3, make and g++ are needed (better-sqlite3 builds from source).\n');
  });

  it('says nothing and installs nothing when node_modules is current', () => {
    const dir = project(zod, zod);
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(root, 'bin/ensure-deps.mjs'), join(dir, 'bin/ensure-deps.mjs'));
    writeFileSync(join(dir, 'fake-npm.js'), "require('fs').writeFileSync('npm-called', 'yes');\n");
    const run = spawnSync(process.execPath, ['bin/ensure-deps.mjs'], { cwd: dir, env: { ...process.env, npm_execpath: join(dir, 'fake-npm.js') }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'npm-called'))).toBe(false);
  });
});
