import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';

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
const contractRecord = (id: string, over: Record<string, unknown>) => ({
  id,
  personId: 'a1',
  firstDate: '2026-01-01',
  lastDate: '2026-12-31',
  schedule: { kind: 'weekly', weeklySeconds: 0, workingDays: [1] },
  ...over,
});
const absenceRecord = (id: string, over: Record<string, unknown>) => ({ id, personId: 'a1', type: 'vacation', firstDate: '2026-05-01', ...over });

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
    ['duplicate worklog ids', { ...base, worklogs: [base.worklogs[0], base.worklogs[0]] }, /worklogs\[0\] and worklogs\[1\] both have id "10001"; give each its own id/],
    ['a start at 24:00', { ...base, worklogs: [{ ...base.worklogs[0], started: '2026-03-01T24:00:00Z' }] }, /worklog "10001" \(#0\): started must be a timestamp .*\(24:00 is not a time of day; write 00:00 of the next day\)/],
    ['an offset beyond ±14:00', { ...base, worklogs: [{ ...base.worklogs[0], started: '2026-03-01T10:00:00+15:00' }] }, /worklog "10001" \(#0\): started .*\(offset \+15:00 is beyond ±14:00/],
    [
      'a worklog by someone not in people',
      { ...base, worklogs: [{ ...base.worklogs[0], authorId: 'a2' }] },
      /worklog "10001" \(#0\): authorId "a2" is not in "people"; add \{ "id": "a2", "timeZone": … \} to "people"/,
    ],
    ['a contract for someone not in people', { ...base, contracts: [contractRecord('c1', { personId: 'zz' })] }, /contract "c1" \(#0\): personId "zz" is not in "people"/],
    ['an absence for someone not in people', { ...base, absences: [absenceRecord('v1', { personId: 'zz' })] }, /absence "v1" \(#0\): personId "zz" is not in "people"/],
    ['duplicate contract ids', { ...base, contracts: [contractRecord('c1', {}), contractRecord('c1', { firstDate: '2027-01-01', lastDate: null })] }, /contracts\[0\] and contracts\[1\] both have id "c1"/],
    ['duplicate absence ids', { ...base, absences: [absenceRecord('v1', {}), absenceRecord('v1', { firstDate: '2026-05-02' })] }, /absences\[0\] and absences\[1\] both have id "v1"/],
    ['a part-time factor given as a number', { ...base, contracts: [contractRecord('c1', { partTimeFactor: 0.8 })] }, /contract "c1" \(#0\): partTimeFactor must be a decimal string greater than 0 and at most 1/],
    ['a part-time factor above 1', { ...base, contracts: [contractRecord('c1', { partTimeFactor: '1.000001' })] }, /partTimeFactor must be a decimal string greater than 0 and at most 1/],
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
    const file = inputFile(base);
    for (const [argv, message] of [
      [[], /give a command: days or report/],
      [['days'], /--input is required/],
      [['days', '--input'], /--input needs a value/],
      [['days', '--input='], /--input needs a value/],
      [['days', '--inptu', 'x'], /days does not take --inptu; it takes --input, --policy/],
      [['days', '--input', file, '--from', '2026-01-01'], /days does not take --from/],
      [['days', 'extra'], /unknown argument "extra"/],
      [['fly'], /unknown command "fly"/],
      [['days', '--input', file, '--policy', 'noon'], /--policy must be one of start-day, split; got "noon"/],
      [['days', '--input', file, '--input', file], /--input is given twice/],
      [['days', '--input', file, '--policy=split', '--policy', 'split'], /--policy is given twice \("split" and "split"\); give it once/],
    ] as [string[], RegExp][]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr).toContain('usage:');
    }
  });

  it('prints the usage on stdout with exit 0 when asked for help', async () => {
    for (const argv of [['help'], ['--help']]) {
      const result = await run(...argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('usage:');
      expect(result.stderr).toBe('');
    }
  });

  it('counts worked time in the zone in force, as report does: a contract overriding the zone applies', async () => {
    const file = inputFile({
      ...base,
      contracts: [contractRecord('tokyo', { firstDate: '2026-03-11', lastDate: null, timeZone: 'Asia/Tokyo' })],
      worklogs: [{ id: '1', authorId: 'a1', started: '2026-03-10T22:00:00Z', seconds: 24 * 3600 }],
    });
    const result = await run('days', '--input', file, '--policy', 'split');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { personId: 'a1', date: '2026-03-10', seconds: 3600 },
      { personId: 'a1', date: '2026-03-11', seconds: 16 * 3600 },
      { personId: 'a1', date: '2026-03-12', seconds: 7 * 3600 },
    ]);
  });
});

describe('worktime report', () => {
  it('refuses every command-line mistake with exit 2 and the usage, before reading the input', async () => {
    const file = inputFile(base);
    const broken = inputFile('{ not json');
    const period = ['--from', '2026-03-01', '--to', '2026-03-31'];
    for (const [argv, message] of [
      [['--input', file, '--from', '2026-02-30', '--to', '2026-03-31'], /--from must be a calendar date written YYYY-MM-DD.*"2026-02-30"/],
      [['--input', file, '--from', '2026-03-01', '--to', '31.03.2026'], /--to must be a calendar date/],
      [['--input', file, '--from', '2026-03-31', '--to', '2026-03-01'], /--from 2026-03-31 is after --to 2026-03-01/],
      [['--input', file, '--from', '2020-01-01', '--to', '2026-03-01'], /at most 1100 days/],
      [['--input', file, '--to', '2026-03-01'], /--from is required/],
      [['--input', file, ...period, '--rounding', 'nearest-hour'], /--rounding must be one of exact-seconds, nearest-minute, nearest-quarter-hour, decimal-hours-2; got "nearest-hour"/],
      [['--input', file, ...period, '--format', 'csv'], /--format must be json or text; got "csv"/],
      [['--input', file, ...period, '--to', '2026-04-30'], /--to is given twice \("2026-03-31" and "2026-04-30"\)/],
      [['--input', broken, '--from', '2026-02-30', '--to', '2026-03-31'], /--from must be a calendar date/],
      [['--input', broken, ...period, '--policy', 'noon'], /--policy must be one of/],
    ] as [string[], RegExp][]) {
      const result = await run('report', ...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.stderr).toContain('usage:');
    }
  });

  it('refuses records for people not in the file, as days does', async () => {
    const file = inputFile({ ...base, worklogs: [{ ...base.worklogs[0], authorId: 'ghost' }] });
    for (const argv of [['days', '--input', file], ['report', '--input', file, '--from', '2026-03-01', '--to', '2026-03-31']]) {
      const result = await run(...argv);
      expect(result.code, argv[0]).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/worklog "10001" \(#0\): authorId "ghost" is not in "people"/);
    }
  });

  it('reports the same worked seconds per date as days prints, under both policies', async () => {
    for (const policy of ['start-day', 'split']) {
      const days = JSON.parse((await run('days', '--input', 'examples/team.json', '--policy', policy)).stdout) as { personId: string; date: string; seconds: number }[];
      const reports = JSON.parse((await run('report', '--input', 'examples/team.json', '--from', '2026-11-01', '--to', '2027-01-31', '--policy', policy)).stdout) as {
        personId: string;
        days: { date: string; workedSeconds: number }[];
      }[];
      const fromReports = reports.flatMap((r) => r.days.filter((d) => d.workedSeconds !== 0).map((d) => ({ personId: r.personId, date: d.date, seconds: d.workedSeconds })));
      expect(fromReports).toEqual(days);
      expect(days.length).toBeGreaterThan(0);
    }
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
