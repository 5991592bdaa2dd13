import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for benchmarks: a fresh temp directory, a
 * free loopback port, the unix socket inside the temp directory, fsync off.
 * Debian's server binaries live under /usr/lib/postgresql/<major>/bin and are
 * not on PATH; initdb refuses to run as root, so as root every server-side
 * command runs as the `postgres` user. Nothing outside the temp directory is
 * touched, and the directory is gone after stop() — or after an error, exit,
 * SIGINT or SIGTERM.
 */
export interface ThrowawayPostgres {
  /** e.g. "PostgreSQL 15.14 (Debian 15.14-0+deb12u1) …" */
  readonly version: string;
  /** Runs SQL through psql; stdout with no headers, no alignment, tab-separated. `input` feeds COPY … FROM STDIN. */
  psql(sql: string, input?: string): string;
  /** Stops the server (immediate mode: nothing here is worth a checkpoint) and deletes the directory. Idempotent. */
  stop(): void;
}

export type PostgresStart = { readonly ok: true; readonly pg: ThrowawayPostgres } | { readonly ok: false; readonly reason: string };

const DEBIAN_ROOT = '/usr/lib/postgresql';
const NEEDED = ['initdb', 'pg_ctl', 'postgres', 'psql'];

// Settings for a disposable, benchmark-only server: durability off (the data
// dies with the run), memory enough to keep the table and the hash aggregate
// in RAM, so the timed query measures computing, not spilling to disk.
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '256MB',
  work_mem: '256MB',
  max_wal_size: '4GB',
};

/** The newest Debian server install that has every binary we need, or null. */
function findBinDir(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const majors = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = join(DEBIAN_ROOT, major, 'bin');
    if (NEEDED.every((name) => existsSync(join(dir, name)))) return dir;
  }
  return null;
}

/** A port nothing listens on right now: the kernel picks one for a socket bound to port 0. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

function idOf(user: string): { uid: number; gid: number } | null {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

type Runner = (cmd: string, args: string[], input?: string) => string;

/** Runs a command (as `postgres` when we are root) and returns stdout; throws with stderr on failure. */
function runnerFor(asPostgres: boolean, cwd: string): Runner {
  return (cmd, args, input) => {
    const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const result = spawnSync(file, argv, { encoding: 'utf8', input, cwd, maxBuffer: 1 << 30 });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`${cmd.split('/').pop()} exited ${result.status}: ${(result.stderr || result.stdout).trim()}`);
    return result.stdout;
  };
}

/** Stops the server and deletes the directory the first time it is called; later calls do nothing. */
function cleanupFor(run: Runner, bin: string, dir: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    try {
      run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running (never started, or already gone): only the directory is left.
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Makes sure the cluster dies with the process, however the process ends. */
function cleanupOnExit(cleanup: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', cleanup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', cleanup);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Starts a cluster, or says why it cannot (no server installed, no postgres user, initdb failed…). */
export async function startThrowawayPostgres(): Promise<PostgresStart> {
  const bin = findBinDir();
  if (!bin) return { ok: false, reason: `no PostgreSQL server binaries (${NEEDED.join(', ')}) under ${DEBIAN_ROOT}/<major>/bin; apt-get install postgresql` };
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? idOf('postgres') : null;
  if (asRoot && !owner) return { ok: false, reason: 'running as root (initdb refuses root) and there is no postgres user to run the server as' };

  const dir = mkdtempSync(join(tmpdir(), 'worktime-bench-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = runnerFor(asRoot, dir);
  const cleanup = cleanupFor(run, bin, dir);
  const forget = cleanupOnExit(cleanup);
  const stop = () => {
    cleanup();
    forget();
  };
  try {
    const port = await freePort();
    const data = join(dir, 'data');
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const settings = Object.entries({ ...SERVER_SETTINGS, port: String(port), unix_socket_directories: `'${dir}'` })
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
    run(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    const psql = (sql: string, input?: string) =>
      run(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], input);
    const version = psql('SELECT version()').trim();
    return { ok: true, pg: { version, psql, stop } };
  } catch (e) {
    stop();
    return { ok: false, reason: `could not start a throwaway cluster: ${(e as Error).message.split('\n')[0]}` };
  }
}
