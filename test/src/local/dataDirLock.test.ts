import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src/local/dataDirLock';
import { killHard, runningUrl, spawnRuntime, type RuntimeProcess } from './runtimeProcess';

const started: RuntimeProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const r of started) await killHard(r);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'worktime-lock-'));
  dirs.push(dir);
  return dir;
}
function spawnDemo(dataDir: string): RuntimeProcess {
  const runtime = spawnRuntime({ WORKTIME_DATA_DIR: dataDir });
  started.push(runtime);
  return runtime;
}

describe('the data-directory lock, in one process', () => {
  it('refuses a second holder, and is free again once released', () => {
    const dir = newDataDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(`${dir} is in use by another runtime in this process; stop it first, or set WORKTIME_DATA_DIR to another directory`);
    release();
    lockDataDir(dir)();
  });
});

describe('the data-directory lock, between runtimes', () => {
  it('refuses a second live runtime with one line, and the first one’s data is left as it was', async () => {
    const dir = newDataDir();
    const first = spawnDemo(dir);
    const url = await runningUrl(first);
    const db = join(dir, 'demo.sqlite');
    const before = statSync(db).ino;

    const second = spawnDemo(dir);
    expect(await second.exited).toBe(1);
    expect(second.stdout()).toBe('');
    expect(second.stderr()).toBe(`worktime: ${dir} is in use by process ${first.child.pid}; stop it first, or set WORKTIME_DATA_DIR to another directory\n`);
    // The refused start removed nothing: same database file, and the first runtime still answers from it.
    expect(statSync(db).ino).toBe(before);
    const people = (await (await fetch(`${url}/api/people`)).json()) as unknown[];
    expect(people.length).toBeGreaterThan(0);
    await killHard(first);
  });

  it('takes over the lock of a runtime that died, even when its process id now belongs to a live process', async () => {
    const dir = newDataDir();
    const dead = spawnDemo(dir);
    await runningUrl(dead);
    await killHard(dead);
    // Process ids are reused (in a container the next runtime often gets the dead one's): wherever
    // the dead runtime wrote its id in a text file, put the id of a process that is running now.
    const deadPid = String(dead.child.pid);
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      const text = readFileSync(file, 'latin1');
      if (/\.sqlite(-wal|-shm|-journal)?$/.test(name) || text.startsWith('SQLite format 3')) continue;
      if (text.includes(deadPid)) writeFileSync(file, text.replaceAll(deadPid, String(process.pid)), 'latin1');
    }

    const next = spawnDemo(dir);
    await runningUrl(next);
    expect(next.stderr()).toBe('');
    await killHard(next);
  });

  it('is not stopped by a lock file that names a live process which is no runtime (`1 deadbeef` in runtime.lock)', async () => {
    const dir = newDataDir();
    writeFileSync(join(dir, 'runtime.lock'), '1 deadbeef');
    const runtime = spawnDemo(dir);
    await runningUrl(runtime);
    await killHard(runtime);
    expect(existsSync(join(dir, 'demo.sqlite'))).toBe(true);
  });
});
