import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A kind of secret, by the shape its issuer gives it. */
export interface SecretRule {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Shapes of real credentials. Each is tested with a fake built at run time (test/security/secrets.test.ts). */
export const SECRET_RULES: readonly SecretRule[] = [
  { name: 'Atlassian API token', pattern: /\bAT(?:ATT|CTT)3[A-Za-z0-9_\-=]{30,}/ },
  { name: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'AWS secret access key', pattern: /aws_?secret_?access_?key\s*[:=]\s*['"]?[A-Za-z0-9/+=]{40}/i },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'password in a URL', pattern: /\bhttps?:\/\/[^\s:/@'"`]+:[^\s:/@'"`]{8,}@/ },
  {
    name: 'token, key, secret or password assigned a literal',
    pattern: /\b(?:api[_-]?(?:token|key)|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd)['"]?\s*[:=]\s*['"][A-Za-z0-9_\-+/=.]{20,}['"]/i,
  },
];

/** A finding the scan may skip: the file, the rule, and why what it holds is no secret. */
export interface AllowedFinding {
  readonly path: string;
  readonly rule: string;
  readonly why: string;
}

/**
 * Findings that are not secrets. Keep it short and specific: a file and a rule, never a folder or
 * a pattern, so that a real secret added to the same file under another rule is still found.
 */
export const ALLOWED_FINDINGS: readonly AllowedFinding[] = [];

export interface Finding {
  readonly path: string;
  readonly line: number;
  readonly rule: string;
}

/** Every secret-like string in one file's text, by line. */
export function scanText(path: string, text: string, rules: readonly SecretRule[] = SECRET_RULES): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const rule of rules) if (rule.pattern.test(line)) findings.push({ path, line: i + 1, rule: rule.name });
  });
  return findings;
}

/** Files larger than this are data, not source: skipped (none is tracked today). */
const MAX_SCANNED_BYTES = 5 * 1024 * 1024;

/**
 * Scans every file git tracks in `root`, and every new file it would add (untracked, not ignored),
 * so that a secret is found before its commit. Binary files are skipped. Findings on the allow-list
 * are left out.
 */
export function scanRepository(root: string, allowed: readonly AllowedFinding[] = ALLOWED_FINDINGS): Finding[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const findings: Finding[] = [];
  for (const path of new Set(listed.split('\0').filter(Boolean))) {
    const file = join(root, path);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    if (size > MAX_SCANNED_BYTES) continue;
    const bytes = readFileSync(file);
    if (bytes.includes(0)) continue;
    for (const finding of scanText(path, bytes.toString('utf8'))) {
      if (!allowed.some((a) => a.path === finding.path && a.rule === finding.rule)) findings.push(finding);
    }
  }
  return findings;
}
