import { describe, expect, it } from 'vitest';
import { monthPeriod } from '../../../domain/period';
import { applyWorklogChanges } from '../../../src/app/applyWorklogChanges';
import { loadReport } from '../../../src/app/loadReport';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';

const clock = { now: () => Date.UTC(2026, 11, 1) };
const worklog = (id: string, started: number, seconds: number) => ({ kind: 'upsert' as const, worklog: { id, source: 'jira', authorId: 'acc-a', issueId: '1', started, seconds, updated: 1 } });

async function site(zone: string | null) {
  const kv = new MemoryKvStore(clock);
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, zone])) };
  return { kv, deps: { kv, directory, clock } };
}

describe('a report read from what the app stores', () => {
  it('leaves out a worklog Jira accepted but the engine cannot count (over ten years), says so, and still answers', async () => {
    const { kv, deps } = await site('UTC');
    const typo = 360_000_000; // "100000h" typed into Jira: 11.4 years
    await applyWorklogChanges(kv, 'acc-a', [worklog('1', Date.UTC(2026, 10, 2, 8), 3600), worklog('2', Date.UTC(2026, 10, 5, 8), typo)]);
    const november = await loadReport(deps, 'acc-a', monthPeriod(2026, 11));
    expect(november.totals.workedSeconds).toBe(3600);
    expect(november.notices).toContainEqual({ kind: 'worklog-not-counted', worklogId: '2', message: expect.stringMatching(/^worklog 2 is not counted: seconds must be at most 315360000 \(ten years\); got 360000000\. Correct it in Jira\.$/) });
    // A period the worklog does not touch says nothing about it.
    const october = await loadReport(deps, 'acc-a', monthPeriod(2026, 10));
    expect(october.notices.some((n) => n.kind === 'worklog-not-counted')).toBe(false);
  });

  it('counts days in the site zone when Jira names a zone this runtime does not know, and says which', async () => {
    const { kv, deps } = await site('Mars/Olympus_Mons');
    await applyWorklogChanges(kv, 'acc-a', [worklog('1', Date.UTC(2026, 10, 2, 23, 30), 3600)]);
    const report = await loadReport(deps, 'acc-a', monthPeriod(2026, 11));
    // 23:30 UTC is 00:30 on 3 November in Brussels.
    expect(report.days.find((d) => d.date === '2026-11-03')?.workedSeconds).toBe(3600);
    expect(report.notices).toContainEqual({
      kind: 'zone-defaulted',
      timeZone: 'Europe/Brussels',
      message: 'Jira gives the time zone "Mars/Olympus_Mons", which this app does not know, so days are counted in the site\'s zone Europe/Brussels',
    });
  });
});
