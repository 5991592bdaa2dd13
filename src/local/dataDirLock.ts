import { randomUUID } from 'node:crypto';
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config';

const LOCK_FILE = 'runtime.lock';

/** Whether a process with this id is running (EPERM: it is, but belongs to someone else). */
function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes this runtime the only one using `dataDir`, or throws ConfigError
 * naming the process that uses it. A lock left by a process that is no
 * longer running is taken over: that is what lets a restart release the
 * queue claims of the dead process at once. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  const token = `${process.pid} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, token);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === token) rmSync(file, { force: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readFileSync(file, 'utf8');
    const pid = Number(holder.split(' ')[0]);
    if (Number.isInteger(pid) && pid > 0 && processIsRunning(pid)) {
      const who = pid === process.pid ? 'another runtime in this process' : `process ${pid}`;
      throw new ConfigError(`${dataDir} is in use by ${who}; stop it first, or set WORKTIME_DATA_DIR to another directory`);
    }
    // The holder is gone: remove its lock only if nobody replaced it meanwhile, then try again.
    if (readFileSync(file, 'utf8') === holder) rmSync(file, { force: true });
  }
  throw new ConfigError(`${dataDir} is being taken by another runtime starting at the same time; start one runtime per data directory`);
}
