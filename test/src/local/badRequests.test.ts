import { request } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { MAX_BODY_BYTES } from '../../../src/local/requestBody';
import { createLocalServer } from '../../../src/local/server';
import type { KvStore } from '../../../src/ports';
import { SimulatedQueues } from '../../support/simulatedQueue';

/** Every key the resolvers touch, so that a test can say a bad caller never reached storage. */
const touchedKeys: string[] = [];
function recording(kv: KvStore): KvStore {
  return new Proxy(kv, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (typeof args[0] === 'string') touchedKeys.push(args[0]);
        if (Array.isArray(args[0])) for (const k of args[0]) touchedKeys.push(typeof k === 'string' ? k : JSON.stringify(k));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const kv = recording(new MemoryKvStore());
const server = createLocalServer({
  // Jira knows every account this test calls as (a person it did not know would answer PERSON_NOT_FOUND).
  deps: { kv, directory: { timeZones: async (ids) => new Map(ids.map((id) => [id, 'UTC'])) }, permissions: { isJiraAdmin: async () => false, groupIds: async () => [] }, syncQueue: new SimulatedQueues().queue('sync'), periodsQueue: new SimulatedQueues().queue('periods'), clock: { now: () => Date.now() } },
  mode: 'test',
  people: async () => [],
  status: () => ({}),
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes raw bytes on a socket and collects everything the server answers until it closes or goes quiet. */
function raw(chunks: (string | Buffer | { waitForContinue: true })[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let quiet: NodeJS.Timeout | undefined;
    const finish = () => {
      socket.destroy();
      resolve(answer);
    };
    const settle = () => {
      clearTimeout(quiet);
      // A complete JSON answer ends in '}'; wait a moment in case more follows, then stop.
      if (/\r\n\r\n[\s\S]*\}$/.test(answer)) quiet = setTimeout(finish, 100);
    };
    let continued: (() => void) | null = null;
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (continued && answer.includes('100 Continue')) continued();
      settle();
    });
    socket.on('end', finish);
    socket.on('error', (e) => (answer ? resolve(`${answer}\n[${(e as NodeJS.ErrnoException).code}]`) : reject(e)));
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (typeof c === 'object' && 'waitForContinue' in c) {
          await new Promise<void>((r) => (continued = r));
          continued = null;
        } else if (!socket.destroyed) await new Promise<void>((r) => socket.write(c, () => r()));
      }
    });
  });
}

const big = Buffer.alloc(MAX_BODY_BYTES + 10_000, 'a');
const head = (extra: string) => `POST /api/invoke/report/mine HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nx-worktime-account: 557058:demo-01\r\n${extra}\r\n`;
const statusLine = (answer: string) => answer.split('\r\n')[0];
const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.lastIndexOf('\r\n\r\n') + 4)) as { ok: boolean; error: { code: string; message: string } };

describe('a body over the limit', () => {
  it('gets a 413 with a JSON error, not a reset connection, when sent with Content-Length', async () => {
    const answer = await raw([head(`Content-Length: ${big.length}\r\n`), big]);
    expect(statusLine(answer)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer).not.toContain('ECONNRESET');
    expect(bodyOf(answer).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`over ${MAX_BODY_BYTES} bytes`) });
  });

  it('gets a 413 when sent chunked, without a declared length', async () => {
    const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const answer = await raw([head('Transfer-Encoding: chunked\r\n'), chunk(big.subarray(0, 300_000)), chunk(big.subarray(300_000)), '0\r\n\r\n']);
    expect(statusLine(answer)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(answer).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gets a 413 instead of 100 Continue when it asks first and declares its length', async () => {
    const answer = await raw([head(`Content-Length: ${big.length}\r\nExpect: 100-continue\r\n`)]);
    expect(answer).not.toContain('100 Continue');
    expect(statusLine(answer)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(answer).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gets a 413 after 100 Continue when it asks first but sends chunked', async () => {
    const chunk = Buffer.concat([Buffer.from(`${big.length.toString(16)}\r\n`), big, Buffer.from('\r\n0\r\n\r\n')]);
    const answer = await raw([head('Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n'), { waitForContinue: true }, chunk]);
    expect(answer.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Payload Too Large')).toBe(true);
    expect(bodyOf(answer).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gets a 413 through Node’s own client, which sends the body after 100 Continue', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/invoke/report/mine', headers: { 'x-worktime-account': '557058:demo-01', Expect: '100-continue', 'Content-Length': big.length } });
      req.on('continue', () => req.end(big));
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('leaves the connection usable for the next request once the body was read', async () => {
    const small = '{"period":{"periodKey":"2026-11"}}';
    const answer = await raw([head(`Content-Length: ${big.length}\r\n`), big, head(`Content-Length: ${small.length}\r\n`), small]);
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['413', '200']);
  });
});

describe('the caller header', () => {
  const call = async (account: string | undefined) => {
    touchedKeys.length = 0;
    const res = await fetch(`http://127.0.0.1:${port}/api/invoke/balance/mine`, { method: 'POST', headers: account === undefined ? {} : { 'x-worktime-account': account }, body: '{}' });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
  };

  it.each([
    ['a key separator', '557058:demo#01'],
    ['a path climb', '../../etc'],
    ['5,000 characters', 'a'.repeat(5000)],
    ['129 characters', 'a'.repeat(129)],
    ['a space', '557058 demo'],
    ['two headers folded into one', '557058:demo-01, 557058:demo-02'],
    ['a slash', '557058/demo'],
    ['non-ASCII', 'jos\u00e9'],
  ])('with %s is refused with 400 and never reaches storage', async (_what, account) => {
    const answer = await call(account);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('x-worktime-account header must be one Jira account id') });
    expect(touchedKeys).toEqual([]);
  });

  it('missing or empty gets 401', async () => {
    for (const account of [undefined, '']) {
      const answer = await call(account);
      expect(answer.status).toBe(401);
      expect(answer.body.error!.code).toBe('UNAUTHENTICATED');
      expect(touchedKeys).toEqual([]);
    }
  });

  it.each([
    ['a current account id', '557058:f1d9e6a2-3c4b-4d5e-8f70-1a2b3c4d5e6f'],
    ['a legacy 24-hex account id', '5b10ac8d82e05b22cc7d4ef5'],
    ['a customer account id', 'qm:a1b2c3d4-e5f6-4789-abcd-ef0123456789:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
    ['128 characters', 'a'.repeat(128)],
  ])('%s is accepted', async (_what, account) => {
    const answer = await call(account);
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
  });
});

describe('the Host header (DNS rebinding)', () => {
  /** One request with exactly these header lines (no Host unless given), answered as status and JSON body. */
  const ask = async (requestLine: string, headers: string[], body = '') => {
    const lines = [requestLine, ...headers, ...(body ? [`Content-Length: ${body.length}`, 'Content-Type: application/json'] : []), 'Connection: close'];
    const answer = await raw([`${lines.join('\r\n')}\r\n\r\n${body}`]);
    const text = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    return { status: Number(statusLine(answer)!.split(' ')[1]), text };
  };
  const report = (host: string | null) =>
    ask('POST /api/invoke/report/person HTTP/1.1', [...(host === null ? [] : [`Host: ${host}`]), 'x-worktime-account: 557058:demo-01'], '{"accountId":"557058:demo-01","period":{"periodKey":"2026-11"}}');

  it.each([
    ['another site’s name, on the server’s port', () => `attacker.example:${port}`],
    ['another site’s name, without a port', () => 'attacker.example'],
    ['a loopback name on another port', () => `localhost:${port + 1}`],
    ['a name that only starts like localhost', () => `localhost.attacker.example:${port}`],
    ['another loopback address', () => `127.0.0.2:${port}`],
    ['an empty Host', () => ''],
  ])('%s is refused with 421 and a JSON error that says why, before any data is read', async (_what, host) => {
    touchedKeys.length = 0;
    const answer = await report(host());
    expect(answer.status).toBe(421);
    const error = (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('MISDIRECTED_REQUEST');
    expect(error.message).toBe(
      `the Host header must be localhost, 127.0.0.1 or [::1], with this server's port (${port}) or none; got ${JSON.stringify(host())}. The local runtime answers only requests addressed to this computer, so that a web page elsewhere cannot reach it through DNS rebinding: open http://localhost:${port}/`,
    );
    expect(touchedKeys).toEqual([]);
  });

  it('a request with no Host header at all (HTTP/1.0, or HTTP/1.1) is refused the same way', async () => {
    for (const requestLine of ['GET /api/status HTTP/1.0', 'GET /api/status HTTP/1.1']) {
      const answer = await ask(requestLine, []);
      expect(answer.status, requestLine).toBe(421);
      expect(JSON.parse(answer.text), requestLine).toMatchObject({ ok: false, error: { code: 'MISDIRECTED_REQUEST', message: expect.stringContaining('got no Host header.') } });
    }
  });

  it('the index page, the people list and the status are refused to another host too', async () => {
    for (const path of ['/', '/api/people', '/api/status']) {
      const answer = await ask(`GET ${path} HTTP/1.1`, [`Host: attacker.example:${port}`]);
      expect(answer.status, path).toBe(421);
      expect(answer.text, path).toContain('"code":"MISDIRECTED_REQUEST"');
    }
  });

  it('a body sent after `Expect: 100-continue` to another host gets the 421 instead of 100 Continue', async () => {
    const answer = await raw([`POST /api/invoke/report/mine HTTP/1.1\r\nHost: attacker.example\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n`]);
    expect(answer).not.toContain('100 Continue');
    expect(statusLine(answer)).toBe('HTTP/1.1 421 Misdirected Request');
  }, 5_000);

  it.each([
    ['localhost with the port', () => `localhost:${port}`],
    ['localhost without a port', () => 'localhost'],
    ['127.0.0.1 with the port', () => `127.0.0.1:${port}`],
    ['127.0.0.1 without a port', () => '127.0.0.1'],
    ['[::1] with the port', () => `[::1]:${port}`],
    ['[::1] without a port', () => '[::1]'],
    ['LOCALHOST in capitals (host names ignore case)', () => `LOCALHOST:${port}`],
  ])('%s is served', async (_what, host) => {
    const answer = await report(host());
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ ok: true });
  });
});

describe('what the server echoes', () => {
  it.each([
    ['POST', '//api/invoke/report/mine'],
    ['GET', '/api//people'],
    ['GET', '/nothing/here'],
  ])('%s %s: the 404 names the path as it was asked', async (method, path) => {
    const answer = await raw([`${method} ${path}?x=1 HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]);
    expect(statusLine(answer)).toBe('HTTP/1.1 404 Not Found');
    expect(bodyOf(answer).error).toEqual({ code: 'NOT_FOUND', message: `nothing at ${method} ${path}` });
  });

  it('the page at / (the UI, or how to build it) echoes nothing from the address it was asked with', async () => {
    const html = await (await fetch(`http://127.0.0.1:${port}/?as=%3Cscript%3Ealert(1)%3C%2Fscript%3E`)).text();
    expect(html).toContain('<!doctype html>');
    expect(html).not.toContain('alert(1)');
  });
});
