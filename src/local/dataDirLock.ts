import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config';

/**
 * An empty SQLite database used only for its lock. SQLite takes the lock from
 * the operating system (fcntl on Linux and macOS, LockFileEx on Windows), and
 * the operating system drops it when the process ends, however it ends: a
 * crashed runtime never leaves the directory locked, and a reused process id
 * cannot make a dead runtime look alive.
 */
const LOCK_DATABASE = 'runtime-lock.sqlite';
/** Who holds the lock, for the message a refused start prints; never used to decide anything. */
const HOLDER_FILE = 'runtime-lock.holder';

/** Whoever the holder file names, as a refused start's message says it. */
function describeHolder(dataDir: string): string {
  let pid = NaN;
  try {
    pid = Number(readFileSync(join(dataDir, HOLDER_FILE), 'utf8').trim());
  } catch {
    // The holder has not written its file yet (it just took the lock), or someone removed it.
  }
  if (pid === process.pid) return 'another runtime in this process';
  return Number.isInteger(pid) && pid > 0 ? `process ${pid}` : 'another runtime';
}

/**
 * Makes this runtime the only one using `dataDir`, or throws ConfigError
 * naming the process that uses it. The lock of a runtime that is no longer
 * running is free at once: that is what lets a restart release the queue
 * claims of the dead process. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_DATABASE);
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = MEMORY');
    // In exclusive locking mode SQLite keeps the lock of its first write until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY') throw new ConfigError(`${dataDir} is in use by ${describeHolder(dataDir)}; stop it first, or set WORKTIME_DATA_DIR to another directory`);
    if (code === 'SQLITE_NOTADB') throw new ConfigError(`${file} is not the runtime's lock (it is not a SQLite database); remove it and start again`);
    throw e;
  }
  const holder = join(dataDir, HOLDER_FILE);
  writeFileSync(holder, `${process.pid}\n`);
  return () => {
    // The holder file goes first, while the lock still keeps any other runtime from writing its own.
    rmSync(holder, { force: true });
    db.close();
  };
}
