#!/usr/bin/env node
// `npm run audit`: `npm audit --omit=dev --json`, failing on a high or critical advisory in a
// production dependency unless docs/dependencies.md lists it under "Audit exceptions" with why it
// does not apply. When npm's advisory service cannot be reached (a network error, or the HTTP 405 a
// registry mirror without it answers, as on this project's build machines), it says so and exits 0;
// any other error answer (a 5xx, a 401, …) exits 2, since nothing was checked.
// Plain Node, no dependencies. The decision is in `auditVerdict`, tested in test/security/audit.test.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The severities that fail the audit. */
export const BLOCKING_SEVERITIES = ['high', 'critical'];

/** The HTTP status recorded on this project's build machines: a mirror that refuses the bulk advisory POST. */
const REFUSED_STATUS = 405;

/** Error codes of a request that never got an answer. */
const NETWORK_CODES = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|EPROTO|ERR_SOCKET_TIMEOUT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\b/;

/** An advisory's id: its GHSA id when its URL has one, else npm's numeric source id. */
function advisoryId(via) {
  return /GHSA(?:-[a-z0-9]{4}){3}/i.exec(via.url ?? '')?.[0] ?? String(via.source);
}

/** Text without addresses: what npm said, minus the service's URL. */
const withoutUrls = (text) => String(text ?? '').replace(/https?:\/\/\S+/g, 'the advisory service').trim();

/**
 * The exceptions docs/dependencies.md documents: the rows of the table under "## Audit exceptions"
 * whose first cell is an advisory id, as id → why it does not apply. A row without a reason is an error.
 */
export function readExceptions(markdown) {
  const section = /^## Audit exceptions\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1];
  if (section === undefined) throw new Error('docs/dependencies.md has no "## Audit exceptions" section; add one (an empty table is fine)');
  const exceptions = new Map();
  for (const line of section.split('\n')) {
    const cells = line.trim().startsWith('|') ? line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim().replace(/^`|`$/g, '')) : [];
    const id = cells[0] ?? '';
    if (!/^(GHSA(-[a-z0-9]{4}){3}|\d+)$/i.test(id)) continue; // the header, the separator, prose
    const why = cells.at(-1) ?? '';
    if (cells.length < 3 || why === '') throw new Error(`docs/dependencies.md lists audit exception ${id} without saying why it does not apply; add the reason in the last column`);
    exceptions.set(id.toUpperCase(), why);
  }
  return exceptions;
}

/**
 * What npm audit's output means. `stdout` is `npm audit --json`'s output, `stderr` its messages.
 * outcome: 'pass' (no blocking advisory, or only documented ones), 'fail' (a blocking advisory not
 * documented), 'unreachable' (no answer at the network level, or the recorded HTTP 405 refusal),
 * 'error' (any other error answer: a 5xx, a 401, a bare message; fail, since nothing was checked),
 * 'unreadable' (output that is none of these: fail). `lines` says it for a person.
 */
export function auditVerdict(stdout, stderr, exceptions) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = undefined;
  }
  if (report && typeof report.vulnerabilities === 'object' && report.vulnerabilities !== null) {
    const advisories = new Map();
    for (const vulnerability of Object.values(report.vulnerabilities)) {
      for (const via of vulnerability.via ?? []) {
        if (typeof via !== 'object' || !BLOCKING_SEVERITIES.includes(via.severity)) continue;
        const id = advisoryId(via).toUpperCase();
        const seen = advisories.get(id) ?? { id, via, packages: new Set(), fix: vulnerability.fixAvailable };
        seen.packages.add(via.name ?? vulnerability.name);
        advisories.set(id, seen);
      }
    }
    const blocking = [...advisories.values()].filter((a) => !exceptions.has(a.id));
    const excepted = [...advisories.values()].filter((a) => exceptions.has(a.id));
    const stale = [...exceptions.keys()].filter((id) => !advisories.has(id));
    const counts = report.metadata?.vulnerabilities ?? {};
    const lines = [`npm audit (production dependencies): ${['critical', 'high', 'moderate', 'low'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ')}.`];
    for (const a of blocking) {
      const fix = a.fix === false ? 'no fix available: document it under "Audit exceptions" in docs/dependencies.md if it does not apply' : 'a fix is available: update the dependency (npm audit fix --omit=dev)';
      lines.push(`  ${a.via.severity} ${a.id} in ${[...a.packages].join(', ')} (${a.via.range ?? 'any version'}): ${a.via.title ?? 'no title'}; ${fix}. ${a.via.url ?? ''}`.trimEnd());
    }
    for (const a of excepted) lines.push(`  ${a.via.severity} ${a.id} in ${[...a.packages].join(', ')}: documented exception (${exceptions.get(a.id)})`);
    for (const id of stale) lines.push(`  note: the documented exception ${id} no longer matches any advisory; remove it from docs/dependencies.md`);
    if (blocking.length > 0) lines.push(`${blocking.length} high or critical advisor${blocking.length === 1 ? 'y' : 'ies'} in production dependencies: fix ${blocking.length === 1 ? 'it' : 'them'}, or document why ${blocking.length === 1 ? 'it does' : 'they do'} not apply.`);
    else lines.push('No high or critical advisory in production dependencies without a documented reason.');
    return { outcome: blocking.length > 0 ? 'fail' : 'pass', lines };
  }
  // npm prints the failed request ({ message, method, uri, statusCode, … }) or a generic error ({ error: { code, summary } }).
  // "Unreachable" is only a request that got no answer (a network error code), or the one refusal
  // recorded on this project's build machines: HTTP 405, a registry mirror that takes GET and HEAD
  // but not the bulk advisory POST. Any other answer (a 5xx, a 401, a message alone) is an error.
  const networkError = NETWORK_CODES.exec(`${report?.error?.code ?? ''} ${report?.error?.summary ?? ''} ${report?.message ?? ''} ${stderr}`);
  const status = typeof report?.statusCode === 'number' ? report.statusCode : undefined;
  const statusText = /^\d{3} ([^-]+?)(?: - |$)/.exec(report?.message ?? '')?.[1];
  const notChecked = 'Production dependencies were NOT checked for advisories.';
  if (status === REFUSED_STATUS || (status === undefined && networkError)) {
    const why = status !== undefined ? `it answered HTTP ${status}${statusText ? ` ${statusText}` : ''}` : `the request failed with ${networkError[1]}`;
    return {
      outcome: 'unreachable',
      lines: [
        `npm audit: npm's advisory service could not be reached from here (${why}), so production dependencies were NOT checked for advisories.`,
        'This does not fail the run on its own. Run `npm run audit` where the service answers before a release.',
      ],
    };
  }
  if (status !== undefined) {
    return {
      outcome: 'error',
      lines: [`npm's advisory service answered HTTP ${status}${statusText ? ` ${statusText}` : ''} instead of a report. ${notChecked}`, 'This is not the refusal this project expects where the service is unavailable (HTTP 405), so it fails: run `npm run audit` again, and if it persists, check the registry configuration (.npmrc).'],
    };
  }
  if (report && (typeof report.message === 'string' || typeof report.error === 'object')) {
    return {
      outcome: 'error',
      lines: [`npm audit failed: ${withoutUrls(report.message || report.error?.summary || report.error?.code || 'no message').slice(0, 500)}. ${notChecked}`, 'Fix the cause and run `npm run audit` again.'],
    };
  }
  return { outcome: 'unreadable', lines: [`npm audit gave no report this script can read: ${withoutUrls(stderr || stdout).slice(0, 500) || '(no output)'}`] };
}

/** Runs `npm audit --omit=dev --json` with the npm that runs this script (npm run audit), or the npm on the PATH. */
function runNpmAudit(root) {
  const npmCli = process.env.npm_execpath;
  const args = ['audit', '--omit=dev', '--json'];
  const [command, argv] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const run = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: run.stdout ?? '', stderr: `${run.stderr ?? ''}${run.error ? ` ${run.error.message}` : ''}` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  let exceptions;
  try {
    exceptions = readExceptions(readFileSync(join(root, 'docs', 'dependencies.md'), 'utf8'));
  } catch (e) {
    console.error(`audit: ${e.message}`);
    process.exit(2);
  }
  const { stdout, stderr } = runNpmAudit(root);
  const verdict = auditVerdict(stdout, stderr, exceptions);
  for (const line of verdict.lines) (verdict.outcome === 'pass' || verdict.outcome === 'unreachable' ? console.log : console.error)(line);
  process.exit(verdict.outcome === 'fail' ? 1 : verdict.outcome === 'unreadable' || verdict.outcome === 'error' ? 2 : 0);
}
