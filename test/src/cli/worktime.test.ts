import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'worktime-cli-'));
let n = 0;
function inputFile(content: unknown): string {
  const path = join(dir, `input-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const base = {
  siteTimeZone: 'UTC',
  people: [{ id: 'a1', timeZone: 'Europe/Brussels' }],
  worklogs: [{ id: '10001', authorId: 'a1', started: '2026-03-29T01:30:00.000+0000', seconds: 3600 }],
};

describe('worktime days', () => {
  it('places a Jira-format worklog on the local date and prints sorted person-days', async () => {
    const file = inputFile({
      siteTimeZone: 'UTC',
      people: [
        { id: 'b2', timeZone: 'Australia/Sydney' },
        { id: 'a1', timeZone: 'Europe/Brussels' },
      ],
      worklogs: [
        { id: '3', authorId: 'b2', started: '2026-06-30T14:30:00Z', seconds: 600 },
        { id: '1', authorId: 'a1', started: '2026-01-14T23:30:00+01:00', seconds: 7200 },
        { id: '2', authorId: 'a1', started: Date.parse('2026-01-16T09:00:00Z'), seconds: 0 },
      ],
    });
    const start = await run('days', '--input', file);
    expect(start.code).toBe(0);
    expect(JSON.parse(start.stdout)).toEqual([
      { personId: 'a1', date: '2026-01-14', seconds: 7200 },
      { personId: 'b2', date: '2026-07-01', seconds: 600 },
    ]);
    const split = await run('days', '--input', file, '--policy', 'split');
    expect(JSON.parse(split.stdout)).toEqual([
      { personId: 'a1', date: '2026-01-14', seconds: 1800 },
      { personId: 'a1', date: '2026-01-15', seconds: 5400 },
      { personId: 'b2', date: '2026-07-01', seconds: 600 },
    ]);
  });

  it('notes people counted in the site zone on stderr', async () => {
    const result = await run('days', '--input', inputFile({ ...base, people: [{ id: 'a1', timeZone: null }] }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('a1 has no time zone; counted in the site zone UTC');
  });

  it.each([
    ['an unknown zone', { ...base, people: [{ id: 'a1', timeZone: 'Europe/Bruxelles' }] }, /people\[0\] \(a1\)\.timeZone "Europe\/Bruxelles" is not a known IANA time zone/],
    ['a malformed start', { ...base, worklogs: [{ ...base.worklogs[0], started: '2026-02-30T10:00:00Z' }] }, /worklog "10001" \(#0\): started must be a timestamp with an offset/],
    ['a start without offset', { ...base, worklogs: [{ ...base.worklogs[0], started: '2026-03-01T10:00:00' }] }, /worklog "10001" \(#0\): started must be a timestamp with an offset/],
    ['negative seconds', { ...base, worklogs: [{ ...base.worklogs[0], seconds: -60 }] }, /worklog "10001" \(#0\): seconds must be a whole number of seconds, 0 or more; got -60/],
    ['a missing field', { ...base, worklogs: [{ id: '7', authorId: 'a1', started: 0 }] }, /worklog "7" \(#0\): seconds is missing/],
    ['a missing author', { ...base, worklogs: [{ id: '7', started: 0, seconds: 5 }] }, /worklog "7" \(#0\): authorId must be a non-empty string/],
    ['duplicate worklog ids', { ...base, worklogs: [base.worklogs[0], base.worklogs[0]] }, /worklog "10001" appears twice/],
    ['no people list', { worklogs: [] }, /"people" must be a list/],
    [
      'overlapping contracts',
      {
        ...base,
        contracts: [
          { id: 'c1', personId: 'a1', firstDate: '2026-01-01', lastDate: '2026-06-30', schedule: { kind: 'weekly', weeklySeconds: 0, workingDays: [1] } },
          { id: 'c2', personId: 'a1', firstDate: '2026-06-01', lastDate: null, schedule: { kind: 'weekly', weeklySeconds: 0, workingDays: [1] } },
        ],
      },
      /contracts "c1" \(2026-01-01 – 2026-06-30\) and "c2" \(2026-06-01 – open-ended\) of person a1 overlap from 2026-06-01/,
    ],
  ])('refuses %s with exit 1 and a message naming the record and field', async (_what, input, message) => {
    const result = await run('days', '--input', inputFile(input));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const file = inputFile('{"people": [');
    const result = await run('days', '--input', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`input file ${file} is not valid JSON`);
  });

  it('refuses usage mistakes with exit 2 and the usage text', async () => {
    for (const argv of [['days'], ['days', '--input'], ['days', '--inptu', 'x'], ['fly'], ['days', '--input', inputFile(base), '--policy', 'noon']]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage:');
    }
  });
});

describe('worktime report', () => {
  it('refuses a malformed date, naming the option', async () => {
    const result = await run('report', '--input', inputFile(base), '--from', '2026-02-30', '--to', '2026-03-31');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--from must be a calendar date written YYYY-MM-DD.*"2026-02-30"/);
  });

  it('prints the December report of the example team', async () => {
    const result = await run('report', '--input', 'examples/team.json', '--from', '2026-12-01', '--to', '2026-12-31');
    expect(result.code).toBe(0);
    const reports = JSON.parse(result.stdout) as { personId: string; totals: Record<string, number>; notices: { kind: string }[] }[];
    expect(reports.map((r) => r.personId)).toEqual(['anna', 'bruce', 'chandra', 'dirk']);
    const anna = reports[0]!;
    expect(anna.totals).toMatchObject({ contractSeconds: 529_920, holidaySeconds: 34_560, absenceSeconds: 92_160, expectedSeconds: 403_200, workedSeconds: 44_640 });
    expect(anna.totals.closingBalanceSeconds).toBe(7200 + 44_640 - 403_200);
    expect(reports[3]!.notices.map((n) => n.kind)).toContain('zone-defaulted');
  });

  it('prints a readable table with --format text', async () => {
    const result = await run('report', '--input', 'examples/team.json', '--from', '2026-12-21', '--to', '2026-12-27', '--format', 'text', '--rounding', 'decimal-hours-2');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2026-12-24 +Thu +4\.00 +6\.40 +3\.20 +3\.20 +0\.80 +Christmas Eve \(afternoon\) \(half day\)/);
  });
});

describe('bin/worktime', () => {
  it('runs as an executable from any directory', () => {
    const file = inputFile(base);
    const out = execFileSync(join(process.cwd(), 'bin/worktime'), ['days', '--input', file], { cwd: tmpdir(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([{ personId: 'a1', date: '2026-03-29', seconds: 3600 }]);
  });

  it('exits non-zero on bad input without a stack trace', () => {
    const result = spawnSync(join(process.cwd(), 'bin/worktime'), ['days', '--input', inputFile({ ...base, siteTimeZone: 'Nowhere' })], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^worktime: siteTimeZone "Nowhere" is not a known IANA time zone/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
