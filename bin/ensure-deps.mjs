#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs the locked dependencies
// (`npm ci`) when node_modules is missing or does not hold what
// package-lock.json locks, so that on a fresh clone either command works as
// the very first one. Plain Node, no dependencies: it runs before there are any.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether `root` needs `npm ci`, and why. npm records what it installed in
 * node_modules/.package-lock.json; the install is current when that record
 * holds every package the lock file locks (same version and integrity),
 * optional packages for other platforms aside, and nothing else. Contents,
 * not modification times: a clone or a checkout touches package-lock.json
 * without changing what it locks.
 */
export function installNeed(root) {
  const lockFile = join(root, 'package-lock.json');
  if (!existsSync(lockFile)) return { install: false, reason: 'there is no package-lock.json to install from' };
  if (!existsSync(join(root, 'node_modules'))) return { install: true, reason: 'node_modules is missing' };
  const installedFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedFile)) return { install: true, reason: 'node_modules was not installed by npm from package-lock.json' };
  const locked = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
  let installed;
  try {
    installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  } catch {
    return { install: true, reason: 'node_modules/.package-lock.json is unreadable' };
  }
  const same = (a, b) => a.version === b.version && (a.integrity ?? a.resolved) === (b.integrity ?? b.resolved);
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '') continue; // the project itself
    const got = installed[path];
    if (!got) {
      if (entry.optional) continue; // a package for another platform, or one whose install may fail
      return { install: true, reason: `package-lock.json locks ${path}@${entry.version}, which is not installed` };
    }
    if (!same(entry, got)) return { install: true, reason: `package-lock.json locks ${path}@${entry.version}, but ${got.version} is installed` };
  }
  for (const path of Object.keys(installed)) {
    if (!Object.hasOwn(locked, path)) return { install: true, reason: `${path} is installed but package-lock.json no longer locks it` };
  }
  return { install: false, reason: 'node_modules matches package-lock.json' };
}

/** Installs with the npm that runs this script (npm start / npm test), or the npm on the PATH. */
function npmCi(root) {
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, 'ci']] : ['npm', ['ci']];
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const need = installNeed(root);
  if (need.install) {
    console.log(`worktime: ${need.reason}; installing the locked dependencies with npm ci (a minute or two, once)`);
    const status = npmCi(root);
    if (status !== 0) {
      console.error(`worktime: npm ci failed (exit status ${status}); see its output above. Node 20 or 22, python3, make and g++ are needed (better-sqlite3 builds from source).`);
      process.exit(status);
    }
  }
}
