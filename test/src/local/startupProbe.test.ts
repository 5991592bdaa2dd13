import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeJira } from '../../support/fakeJira';

const root = join(import.meta.dirname, '../../..');
const jira = new FakeJira();
let baseUrl = '';

beforeAll(async () => {
  baseUrl = await jira.listen();
  jira.credentials = { email: 'bot@example.com', apiToken: 'right-token' };
});
afterAll(() => jira.close());

/** Runs `npm start`'s entry (bin/start.mjs) against a Jira site until it exits, or until it prints its banner and is stopped. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const began = Date.now();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JIRA_') && !k.startsWith('WORKTIME_')));
  const child = spawn(process.execPath, ['bin/start.mjs'], { cwd: root, env: { ...clean, PORT: '0', WORKTIME_DATA_DIR: mkdtempSync(join(tmpdir(), 'worktime-probe-')), ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.includes('Press Ctrl+C to stop.')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - began })));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('start-up against a Jira site', () => {
  it('wrong credentials: one line and exit status 1', async () => {
    const run = await start({ JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'wrong-token' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([`worktime: Jira at ${baseUrl} refused the credentials (HTTP 401); check JIRA_EMAIL and JIRA_API_TOKEN (an API token of that account, not its password)`]);
  });

  it('a host nobody listens on: one line and exit status 1, at once', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await start({ JIRA_BASE_URL: url, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'right-token' });
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([`worktime: cannot reach Jira at ${url} (ECONNREFUSED); check JIRA_BASE_URL and that this machine can reach the site`]);
    expect(run.ms).toBeLessThan(15_000);
  });

  it('a host that drops every connection: one line and exit status 1', async () => {
    jira.dropConnections = true;
    try {
      const run = await start({ JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'right-token' });
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^worktime: cannot reach Jira at ${baseUrl} \\(.+\\); check JIRA_BASE_URL`))]);
    } finally {
      jira.dropConnections = false;
    }
  });

  it('a web server that is not Jira: one line and exit status 1', async () => {
    const other = createHttpServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Welcome</title>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const run = await start({ JIRA_BASE_URL: url, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'right-token' });
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toEqual([`worktime: ${url} did not answer GET /rest/api/3/myself as Jira Cloud does; check JIRA_BASE_URL (your site's address, such as https://your-site.atlassian.net)`]);
    } finally {
      other.close();
    }
  });

  it('the right credentials: starts and says whose they are', async () => {
    const calls = jira.calls.get('myself') ?? 0;
    const run = await start({ JIRA_BASE_URL: baseUrl, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'right-token' });
    expect(run.stdout).toContain(`Reading Jira at ${baseUrl} as Fake bot.`);
    expect(jira.calls.get('myself')).toBe(calls + 1);
  });
});
