import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src/local/dataDirLock';
import { killHard, runningUrl, spawnRuntime, type RuntimeProcess } from './runtimeProcess';

const dataDir = mkdtempSync(join(tmpdir(), 'worktime-stop-'));
const runtimes: RuntimeProcess[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const r of runtimes) await killHard(r);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Ctrl+C', () => {
  it('stops the runtime within a few seconds while a client is part-way through sending a body, and frees the data directory', async () => {
    const runtime = spawnRuntime({ WORKTIME_DATA_DIR: dataDir });
    runtimes.push(runtime);
    const port = Number(new URL(await runningUrl(runtime)).port);

    // A client that announces 100 bytes and sends 10, then stalls.
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`POST /api/invoke/report/mine HTTP/1.1\r\nHost: localhost:${port}\r\nx-worktime-account: 557058:demo-01\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"period":`);
    await new Promise((r) => setTimeout(r, 300));

    const began = Date.now();
    runtime.child.kill('SIGINT');
    const code = await Promise.race([runtime.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 8_000))]);
    const ms = Date.now() - began;
    console.log(`SIGINT with a half-sent request: exited after ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(runtime.stderr()).toBe('');
    await closed;
    // The lock went with the process: another runtime may take the directory at once.
    lockDataDir(dataDir)();
  }, 20_000);
});
