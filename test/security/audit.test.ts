import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditVerdict, readExceptions } from '../../bin/audit.mjs';

/** npm audit --json outputs in npm's documented shapes (report version 2; the failed request npm prints). */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const none = new Map<string, string>();
const docsTable = (rows: string) => `# Dependencies\n\n## Audit exceptions\n\n| Advisory | Package | Why it does not apply |\n|---|---|---|\n${rows}\n## Next\n\ntext | GHSA-aaaa-bbbb-cccc | not an exception | here\n`;

describe('npm run audit: the decision on npm audit --omit=dev --json', () => {
  it('passes a report with no advisory', () => {
    const verdict = auditVerdict(fixture('audit-clean.json'), '', none);
    expect(verdict.outcome).toBe('pass');
    expect(verdict.lines).toEqual([
      'npm audit (production dependencies): 0 critical, 0 high, 0 moderate, 0 low.',
      'No high or critical advisory in production dependencies without a documented reason.',
    ]);
  });

  it('fails on each high and critical advisory, once per advisory, and ignores low ones and the packages that only depend on them', () => {
    const verdict = auditVerdict(fixture('audit-findings.json'), '', none);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.lines).toEqual([
      'npm audit (production dependencies): 1 critical, 2 high, 0 moderate, 1 low.',
      '  high GHSA-3XGQ-45JJ-V275 in cross-spawn (>=7.0.0 <7.0.5): Regular Expression Denial of Service (ReDoS) in cross-spawn; a fix is available: update the dependency (npm audit fix --omit=dev). https://github.com/advisories/GHSA-3xgq-45jj-v275',
      '  critical GHSA-8CJ5-5RVV-WF4V in tar-fs (>=2.0.0 <2.1.3): tar-fs can extract outside the specified dir with a specific tarball; no fix available: document it under "Audit exceptions" in docs/dependencies.md if it does not apply. https://github.com/advisories/GHSA-8cj5-5rvv-wf4v',
      '2 high or critical advisories in production dependencies: fix them, or document why they do not apply.',
    ]);
  });

  it('lets a documented exception through, still fails on the others, and points out an exception nothing matches any more', () => {
    const exceptions = readExceptions(docsTable('| GHSA-8cj5-5rvv-wf4v | tar-fs | only extracts our own prebuilt binary at install time |\n| GHSA-zzzz-zzzz-zzzz | gone | fixed upstream |'));
    const verdict = auditVerdict(fixture('audit-findings.json'), '', exceptions);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.lines).toContain('  critical GHSA-8CJ5-5RVV-WF4V in tar-fs: documented exception (only extracts our own prebuilt binary at install time)');
    expect(verdict.lines).toContain('  note: the documented exception GHSA-ZZZZ-ZZZZ-ZZZZ no longer matches any advisory; remove it from docs/dependencies.md');
    expect(verdict.lines.filter((l) => l.includes('GHSA-3XGQ'))).toHaveLength(1);

    const both = readExceptions(docsTable('| GHSA-8cj5-5rvv-wf4v | tar-fs | install time only |\n| `GHSA-3xgq-45jj-v275` | cross-spawn | never spawns user input |'));
    expect(auditVerdict(fixture('audit-findings.json'), '', both).outcome).toBe('pass');
  });

  it.each([
    ['HTTP 405 (recorded on the build machine)', fixture('audit-http-405.json'), 'npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n', 'it answered HTTP 405 Method Not Allowed'],
    ['no DNS', fixture('audit-enotfound.json'), 'npm error audit endpoint returned an error\n', 'the request failed with ENOTFOUND'],
    ["npm's generic error", JSON.stringify({ error: { code: 'ECONNREFUSED', summary: 'request failed, reason: connect ECONNREFUSED 10.0.0.1:443', detail: '' } }), '', 'the request failed with ECONNREFUSED'],
    ['nothing on stdout, a timeout on stderr', '', 'npm error code ETIMEDOUT\n', 'the request failed with ETIMEDOUT'],
  ])('says so and does not fail when the advisory service does not answer: %s', (_, stdout, stderr, why) => {
    const verdict = auditVerdict(stdout, stderr, none);
    expect(verdict.outcome).toBe('unreachable');
    expect(verdict.lines[0]).toBe(`npm audit: npm's advisory service could not be reached from here (${why}), so production dependencies were NOT checked for advisories.`);
    expect(verdict.lines.join('\n')).not.toMatch(/https?:\/\//);
  });

  it.each([
    ['HTTP 500', { message: '500 Internal Server Error - POST https://advisories.example/bulk', method: 'POST', uri: 'https://advisories.example/bulk', statusCode: 500, body: '' }, 'npm error audit endpoint returned an error\n', 'npm\'s advisory service answered HTTP 500 Internal Server Error'],
    ['HTTP 503', { message: '503 Service Unavailable - POST https://advisories.example/bulk', uri: 'https://advisories.example/bulk', statusCode: 503 }, '', 'npm\'s advisory service answered HTTP 503 Service Unavailable'],
    ['HTTP 401', { message: '401 Unauthorized - POST https://advisories.example/bulk', uri: 'https://advisories.example/bulk', statusCode: 401 }, '', 'npm\'s advisory service answered HTTP 401 Unauthorized'],
    ['a message and nothing else', { message: 'something went wrong' }, '', 'npm audit failed: something went wrong'],
  ])('fails, saying what happened, when the service answers with an error other than the recorded refusal: %s', (_, report, stderr, start) => {
    const verdict = auditVerdict(JSON.stringify(report), stderr, none);
    expect(verdict.outcome).toBe('error');
    expect(verdict.lines[0]!.startsWith(start), verdict.lines[0]).toBe(true);
    expect(verdict.lines.join('\n')).toContain('NOT checked');
    expect(verdict.lines.join('\n')).not.toMatch(/https?:\/\//);
  });

  it('fails on output it cannot read, since nothing was checked', () => {
    expect(auditVerdict('', 'npm error code EJSONPARSE\nnpm error package.json: Unexpected token', none)).toEqual({
      outcome: 'unreadable',
      lines: ['npm audit gave no report this script can read: npm error code EJSONPARSE\nnpm error package.json: Unexpected token'],
    });
  });
});

describe('the audit exceptions in docs/dependencies.md', () => {
  it('reads advisory ids and reasons from the table in their section only', () => {
    expect([...readExceptions(docsTable('| GHSA-8cj5-5rvv-wf4v | tar-fs | install time only |\n| 1096366 | x | numeric npm id |'))]).toEqual([
      ['GHSA-8CJ5-5RVV-WF4V', 'install time only'],
      ['1096366', 'numeric npm id'],
    ]);
  });

  it('refuses an exception without a reason, and a document without the section', () => {
    expect(() => readExceptions(docsTable('| GHSA-8cj5-5rvv-wf4v | tar-fs |  |'))).toThrow('docs/dependencies.md lists audit exception GHSA-8cj5-5rvv-wf4v without saying why it does not apply');
    expect(() => readExceptions('# Dependencies\n')).toThrow('docs/dependencies.md has no "## Audit exceptions" section');
  });

  it("the project's own list is readable, and each exception in it says why", () => {
    const exceptions = readExceptions(readFileSync(join(import.meta.dirname, '../../docs/dependencies.md'), 'utf8'));
    for (const [id, why] of exceptions) expect(why.length, `${id} needs a reason`).toBeGreaterThan(20);
  });
});
