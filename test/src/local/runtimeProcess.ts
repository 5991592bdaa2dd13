import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');

/** A runtime started as `npm start` starts it, in a child process. */
export interface RuntimeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** Spawns `bin/start.mjs` with a clean environment (no JIRA_ or WORKTIME_ variables of the caller's) plus `env`. */
export function spawnRuntime(env: Record<string, string>): RuntimeProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JIRA_') && !k.startsWith('WORKTIME_')));
  const child = spawn(process.execPath, ['bin/start.mjs'], { cwd: root, env: { ...clean, PORT: '0', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves with the runtime's address once it has printed its whole banner; rejects if it exits first. */
export function runningUrl(runtime: RuntimeProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime printed no banner in ${timeoutMs} ms: ${runtime.stderr()}`)), timeoutMs);
    const check = () => {
      const m = /running at (http:\/\/localhost:\d+)/.exec(runtime.stdout());
      if (m && runtime.stdout().includes('Press Ctrl+C')) {
        clearTimeout(timer);
        runtime.child.stdout.off('data', check);
        resolve(m[1]!);
      }
    };
    runtime.child.stdout.on('data', check);
    void runtime.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the runtime exited (${code}) before it started: ${runtime.stderr()}`));
    });
    check();
  });
}

/** Kills the runtime with SIGKILL (as a crash would) and waits until it is gone. */
export async function killHard(runtime: RuntimeProcess): Promise<void> {
  if (runtime.child.exitCode === null && runtime.child.signalCode === null) runtime.child.kill('SIGKILL');
  await runtime.exited;
}
