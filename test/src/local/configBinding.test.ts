import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { ConfigError, EXPOSE_CONSENT, readListenAddress } from '../../../src/local/config';
import { startLocal } from '../../../src/local/main';
import { createLocalServer } from '../../../src/local/server';
import { SimulatedQueues } from '../../support/simulatedQueue';

/** The local runtime has no sign-in, so where it listens decides who can act as anyone. */
describe('where the local runtime listens (WORKTIME_HOST)', () => {
  it('listens on 127.0.0.1 when nothing is set, and on any loopback address without further ado', () => {
    expect(readListenAddress({})).toEqual({ host: '127.0.0.1', exposed: false });
    expect(readListenAddress({ WORKTIME_HOST: '' })).toEqual({ host: '127.0.0.1', exposed: false });
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(readListenAddress({ WORKTIME_HOST: host })).toEqual({ host, exposed: false });
  });

  it.each(['192.168.1.20', '10.0.0.5', 'fd00::20'])('refuses to listen on %s without WORKTIME_EXPOSE_TO_NETWORK, and says what it would expose', (host) => {
    for (const consent of [undefined, '', 'yes', 'true', `${EXPOSE_CONSENT} `]) {
      const read = () => readListenAddress({ WORKTIME_HOST: host, ...(consent === undefined ? {} : { WORKTIME_EXPOSE_TO_NETWORK: consent }) });
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(`WORKTIME_HOST=${host} would let other computers reach the local runtime, which has no sign-in`);
      expect(read).toThrow('could call every resolver as any account (the x-worktime-account header chooses who is calling)');
      expect(read).toThrow('the demo data, or what was read from your Jira site');
      expect(read).toThrow(`also set WORKTIME_EXPOSE_TO_NETWORK=${EXPOSE_CONSENT}; otherwise unset WORKTIME_HOST to stay on 127.0.0.1`);
    }
  });

  it('listens on another address when WORKTIME_EXPOSE_TO_NETWORK says so in its exact words', () => {
    expect(readListenAddress({ WORKTIME_HOST: '192.168.1.20', WORKTIME_EXPOSE_TO_NETWORK: EXPOSE_CONSENT })).toEqual({ host: '192.168.1.20', exposed: true });
  });

  it('refuses every-address wildcards even with the consent, and names that are no IP address', () => {
    for (const host of ['0.0.0.0', '::']) {
      expect(() => readListenAddress({ WORKTIME_HOST: host, WORKTIME_EXPOSE_TO_NETWORK: EXPOSE_CONSENT })).toThrow(`WORKTIME_HOST=${host} would listen on every network this computer is on; give the one address people will use`);
    }
    for (const host of ['my-laptop.local', 'example.com', '127.0.0.1:8080']) {
      expect(() => readListenAddress({ WORKTIME_HOST: host, WORKTIME_EXPOSE_TO_NETWORK: EXPOSE_CONSENT })).toThrow(`WORKTIME_HOST must be an IP address of this computer (such as 127.0.0.1, the default); got ${JSON.stringify(host)}`);
    }
  });

  it('npm start refuses before it touches the data directory or opens a port', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'worktime-bind-')), 'data');
    await expect(startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir, WORKTIME_HOST: '192.168.1.20' })).rejects.toThrow(ConfigError);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('the running runtime on another loopback address', () => {
  let running: Awaited<ReturnType<typeof startLocal>> | undefined;
  afterAll(() => running?.stop());

  it('binds to the address it was given, not to every interface, and answers requests that name it', async () => {
    running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: mkdtempSync(join(tmpdir(), 'worktime-bind-')), WORKTIME_HOST: '127.0.0.2', WORKTIME_DEMO_TRICKLE_MS: '60000' });
    const url = new URL(running.url);
    expect(url.hostname).toBe('127.0.0.2');
    const status = await fetch(`${running.url}/api/status`);
    expect(status.status).toBe(200);
    // Not on 127.0.0.1: the socket is bound to the one address.
    await expect(fetch(`http://127.0.0.1:${url.port}/api/status`)).rejects.toThrow();
  }, 60_000);
});

describe('the Host header when the runtime listens on another address', () => {
  const server = createLocalServer({
    deps: { kv: new MemoryKvStore(), directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'UTC'])) }, permissions: { isJiraAdmin: async () => false, groupIds: async () => [] }, syncQueue: new SimulatedQueues().queue('sync'), periodsQueue: new SimulatedQueues().queue('periods'), clock: { now: () => Date.now() } },
    mode: 'test',
    people: async () => [],
    status: () => ({}),
    exposedAddress: '192.168.1.20',
  });
  let port = 0;
  const listening = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())).then(() => {
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** GET /api/status with this Host header: the status and the error code, if any. */
  async function statusWithHost(host: string): Promise<{ status: number; code?: string; message?: string }> {
    await listening;
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/status', headers: { Host: host.replace('PORT', String(port)) } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          const body = JSON.parse(text) as { error?: { code: string; message: string } };
          resolve({ status: res.statusCode!, code: body.error?.code, message: body.error?.message });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each(['192.168.1.20', '192.168.1.20:PORT', 'localhost:PORT', '127.0.0.1'])('accepts Host %s', async (host) => {
    expect((await statusWithHost(host)).status).toBe(200);
  });

  it.each(['192.168.1.21', '192.168.1.20:1', 'attacker.example', 'attacker.example:PORT'])('refuses Host %s, naming the addresses it answers to', async (host) => {
    const answer = await statusWithHost(host);
    expect(answer.status).toBe(421);
    expect(answer.code).toBe('MISDIRECTED_REQUEST');
    expect(answer.message).toContain(`the Host header must be localhost, 127.0.0.1, [::1] or 192.168.1.20, with this server's port (${port}) or none`);
    expect(answer.message).toContain(`open http://192.168.1.20:${port}/`);
  });
});
