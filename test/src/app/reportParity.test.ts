import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../../domain/contract';
import type { DayPolicy } from '../../../domain/dayAssignment';
import { addDays } from '../../../domain/localDate';
import { monthPeriod, rangePeriod } from '../../../domain/period';
import type { Worklog } from '../../../domain/worklog';
import type { WorklogChange } from '../../../src/app/applyWorklogChanges';
import { applyEvents, type ApplyEvent } from '../../../src/app/events';
import { handleApplyEvent } from '../../../src/app/handleEvents';
import { loadReport } from '../../../src/app/loadReport';
import { USER_CACHE_SECONDS } from '../../../src/app/personZones';
import { keys } from '../../../src/app/storageKeys';
import { main } from '../../../src/cli/main';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { TRICKY_ZONES } from '../../arbitraries/zones';

/**
 * The app's report (worklog events through the apply consumer into the store,
 * read back by the report resolver's loader) equals the CLI's report for the
 * same inputs: contracts with zone overrides, a person whose Jira zone changed
 * after their worklogs were stored, either day policy, worklogs across
 * midnights, clock changes and the period's edges, edits and deletions.
 */
const PERSON = '557058:parity';
const dir = mkdtempSync(join(tmpdir(), 'worktime-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const zoneOrNull = fc.option(fc.constantFrom(...TRICKY_ZONES), { nil: null, freq: 3 });

interface Case {
  readonly month: { year: number; month: number };
  readonly policy: DayPolicy;
  readonly siteZone: string;
  readonly zoneWhenStored: string | null;
  readonly zoneNow: string | null;
  /** Contract boundaries as day offsets into the month, each contract with an optional zone override. */
  readonly contracts: readonly { startOffset: number; timeZone: string | null }[];
  readonly worklogs: readonly { startMinute: number; startMs: number; seconds: number; edit: null | { startMinute: number; seconds: number } | 'delete' }[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  // March, October and the southern changes fall in these months.
  month: fc.record({ year: fc.constant(2026), month: fc.constantFrom(3, 4, 9, 10, 11) }),
  policy: fc.constantFrom<DayPolicy>('start-day', 'split'),
  siteZone: fc.constantFrom(...TRICKY_ZONES),
  zoneWhenStored: zoneOrNull,
  zoneNow: zoneOrNull,
  contracts: fc.uniqueArray(fc.record({ startOffset: fc.integer({ min: -3, max: 30 }), timeZone: zoneOrNull }), { selector: (c) => c.startOffset, minLength: 1, maxLength: 3 }),
  worklogs: fc.array(
    fc.record({
      // From six days before the month to two days after it.
      startMinute: fc.integer({ min: -6 * 1440, max: 33 * 1440 }),
      startMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59_999 })),
      // Mostly a working day or less; some longer than a day (filed apart), up to five days.
      seconds: fc.oneof(fc.integer({ min: 0, max: 10 * 3600 }), fc.integer({ min: 0, max: 40 * 3600 }), fc.integer({ min: 20 * 3600, max: 5 * 86_400 })),
      edit: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constant('delete' as const) },
        { weight: 1, arbitrary: fc.record({ startMinute: fc.integer({ min: -3 * 1440, max: 33 * 1440 }), seconds: fc.integer({ min: 0, max: 30 * 3600 }) }) },
      ),
    }),
    { maxLength: 30 },
  ),
});

async function appReport(c: Case, changes: readonly WorklogChange[], contracts: readonly Contract[]) {
  let now = Date.UTC(2026, 11, 1);
  const clock = { now: () => now };
  let zone = c.zoneWhenStored;
  const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, zone])) };
  const kv = new MemoryKvStore(clock);
  const month = monthPeriod(c.month.year, c.month.month);
  const period = rangePeriod(month.firstDate, month.lastDate); // the CLI's form of the same dates
  await kv.set(keys.settings, { siteTimeZone: c.siteZone, dayPolicy: c.policy });
  for (const contract of contracts) await kv.set(keys.contract(contract.personId, contract.firstDate), contract);
  for (const event of applyEvents(new Map([[PERSON, changes]]))) await handleApplyEvent({ kv, clock }, event.body as unknown as ApplyEvent);
  await loadReport({ kv, directory, clock }, PERSON, period); // read once while Jira gave the old zone (it is cached)
  // The person moves to another zone in Jira; once the cached zone expires, reports use the new one.
  zone = c.zoneNow;
  now += (USER_CACHE_SECONDS + 1) * 1000;
  return loadReport({ kv, directory, clock }, PERSON, period);
}

async function cliReport(c: Case, worklogs: readonly Worklog[], contracts: readonly Contract[]) {
  const period = monthPeriod(c.month.year, c.month.month);
  const file = join(dir, 'input.json');
  writeFileSync(file, JSON.stringify({ siteTimeZone: c.siteZone, dayPolicy: c.policy, people: [{ id: PERSON, timeZone: c.zoneNow }], worklogs, contracts }));
  let stdout = '';
  let stderr = '';
  const code = await main(['report', '--input', file, '--from', period.firstDate, '--to', period.lastDate], { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s) });
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as unknown[])[0];
}

describe('reports in the app equal reports from the CLI', () => {
  it('for random worklogs, edits and deletions, contract zone overrides, a changed Jira zone and both day policies', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const first = monthPeriod(c.month.year, c.month.month).firstDate;
        const monthStartMs = Date.UTC(c.month.year, c.month.month - 1, 1);
        const starts = [...c.contracts].sort((a, b) => a.startOffset - b.startOffset);
        const contracts = starts.map((s, i): Contract => ({
          id: `c${i}`,
          personId: PERSON,
          firstDate: i === 0 ? addDays(first, -40) : addDays(first, s.startOffset),
          lastDate: i + 1 < starts.length ? addDays(first, starts[i + 1]!.startOffset - 1) : null,
          schedule: { kind: 'weekdays', secondsByWeekday: [28_800, 28_800, 28_800, 28_800, 28_800, 0, 0] as const },
          partTimeFactor: '1',
          holidayCalendarId: null,
          timeZone: s.timeZone,
        }));
        const changes: WorklogChange[] = [];
        const final: Worklog[] = [];
        c.worklogs.forEach((w, i) => {
          const id = String(10_000 + i);
          const created = { id, source: 'jira', authorId: PERSON, issueId: '1', started: monthStartMs + w.startMinute * 60_000 + w.startMs, seconds: w.seconds, updated: 1 };
          changes.push({ kind: 'upsert', worklog: created });
          if (w.edit === 'delete') changes.push({ kind: 'delete', id, at: 2 });
          else if (w.edit !== null) {
            const edited = { ...created, started: monthStartMs + w.edit.startMinute * 60_000, seconds: w.edit.seconds, updated: 2 };
            changes.push({ kind: 'upsert', worklog: edited });
            final.push(edited);
          } else final.push(created);
        });
        const fromApp = JSON.parse(JSON.stringify(await appReport(c, changes, contracts)));
        expect(fromApp).toEqual(await cliReport(c, final, contracts));
      }),
      { numRuns: 150 },
    );
  });
});
