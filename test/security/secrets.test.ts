import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED_FINDINGS, SECRET_RULES, scanRepository, scanText } from './secretScan';

const root = join(import.meta.dirname, '../..');

/**
 * Fake secrets of each shape, put together at run time so that this file holds none (the scan reads
 * it too). `r(n)` is n characters that look random.
 */
const r = (n: number, alphabet = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz') => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('');
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const fakes: Record<string, string> = {
  'Atlassian API token': `JIRA_API_TOKEN=${'ATA'}TT3x${r(40)}=1A2B3C4D`,
  'private key': `${'-----BEGIN'} RSA ${'PRIVATE'} KEY-----\n${r(64)}`,
  'AWS access key id': `const id = '${'AK'}IA${r(16, upper)}';`,
  'AWS secret access key': `aws_secret_${'access'}_key = ${r(40)}`,
  'GitHub token': `token: ${'gh'}p_${r(36)}`,
  'npm token': `//registry/:_authToken=${'np'}m_${r(36)}`,
  'Slack token': `${'xo'}xb-${r(12)}-${r(12)}`,
  'Google API key': `key=${'AI'}za${r(35)}`,
  'JSON web token': `Authorization: Bearer ${'ey'}J${r(20)}.${'ey'}J${r(20)}.${r(20)}`,
  'password in a URL': `JIRA_BASE_URL=https://${'admin'}:${r(12)}@example.atlassian.net`,
  'token, key, secret or password assigned a literal': `const config = { ${'api'}Token: '${r(24)}' };`,
};

describe('the secret scan', () => {
  it('has a fake for every rule, and finds each fake with its own rule', () => {
    expect(Object.keys(fakes).sort()).toEqual(SECRET_RULES.map((rule) => rule.name).sort());
    for (const [rule, text] of Object.entries(fakes)) {
      expect(scanText('fake.txt', `line one\n${text}\n`).map((f) => f.rule), rule).toContain(rule);
      expect(scanText('fake.txt', `line one\n${text}\n`)[0]?.line, rule).toBe(2);
    }
  });

  it('leaves alone what only looks near a secret: short test tokens, placeholders, integrity hashes, account ids', () => {
    const harmless = [
      "readConfig({ JIRA_API_TOKEN: 't' })",
      "apiToken: 'secret-token'",
      'JIRA_API_TOKEN=<your API token>',
      '"integrity": "sha512-DvliHUgr9AYPslpFWBB4LufS8yzvJisqfpP+CCAwo76xBWNlXWFd3PRFA/DaZeGz+Vb4vmBYP7qFMqM1oijIrQ=="',
      "accountId: '557058:f2c3a9b8-1d2e-4f5a-9b8c-7d6e5f4a3b2c'",
      'https://your-site.atlassian.net/rest/api/3/worklog/list',
      'git@github.com:owner/repo.git',
    ];
    for (const line of harmless) expect(scanText('x.ts', line), line).toEqual([]);
  });

  it('scans the files git tracks and the new files it would add, and skips ignored ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'worktime-secrets-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(join(dir, '.gitignore'), 'ignored.env\n');
    writeFileSync(join(dir, 'committed.ts'), `${fakes['GitHub token']}\n`);
    git('add', 'committed.ts', '.gitignore');
    writeFileSync(join(dir, 'new.env'), `line\n${fakes['Atlassian API token']}\n`);
    writeFileSync(join(dir, 'ignored.env'), `${fakes['npm token']}\n`);
    writeFileSync(join(dir, 'binary.bin'), Buffer.concat([Buffer.from(fakes['private key']!), Buffer.from([0, 1, 2])]));
    expect(scanRepository(dir, []).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'committed.ts', line: 1, rule: 'GitHub token' },
      { path: 'new.env', line: 2, rule: 'Atlassian API token' },
    ]);
    // The allow-list skips one rule in one file, nothing more.
    expect(scanRepository(dir, [{ path: 'new.env', rule: 'Atlassian API token', why: 'test' }]).map((f) => f.path)).toEqual(['committed.ts']);
    expect(scanRepository(dir, [{ path: 'new.env', rule: 'GitHub token', why: 'test' }]).map((f) => f.path).sort()).toEqual(['committed.ts', 'new.env']);
  });

  it('finds no secret-like string in this repository', () => {
    expect(scanRepository(root)).toEqual([]);
  });

  it('each allowed finding says why it is no secret, and still occurs (a stale entry would hide a future one)', () => {
    const unfiltered = scanRepository(root, []);
    for (const allowed of ALLOWED_FINDINGS) {
      expect(allowed.why.length, `${allowed.path}: say why`).toBeGreaterThan(10);
      expect(unfiltered.some((f) => f.path === allowed.path && f.rule === allowed.rule), `${allowed.path} no longer has a ${allowed.rule}; remove it from ALLOWED_FINDINGS`).toBe(true);
    }
  });
});
