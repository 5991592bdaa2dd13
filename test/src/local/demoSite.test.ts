import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromEpochDay, MS_PER_DAY } from '../../../domain/localDate';
import { buildDemoSite } from '../../../src/local/demoData';
import { demoLockedMonth, DEMO_DRIFT_SECONDS } from '../../../src/local/loadDemo';
import { demoIssue } from '../../../src/local/demoSource';
import { localDateTime } from '../../../domain/dayWorklogs';
import { startLocal } from '../../../src/local/main';
import { revealPage } from '../../support/revealedAudit';

/**
 * The demo site's HR set-up is entered through the resolvers (as the Jira admin and the HR admin
 * would), so what the demo shows is what those resolvers wrote: asked here over HTTP, as a user would.
 */
const HR = '557058:demo-01';
const AUDITOR = '557058:demo-02';
const BRUSSELS = ['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((n) => `557058:demo-${n}`);
const dataDir = mkdtempSync(join(tmpdir(), 'worktime-demo-site-'));
let running: Awaited<ReturnType<typeof startLocal>>;
let startMs = 0;
const today = fromEpochDay(Math.floor(Date.now() / MS_PER_DAY));
const year = Number(today.slice(0, 4));
const lockedMonth = demoLockedMonth(today);
const site = buildDemoSite(today);

async function invoke<T>(name: string, account: string, payload: unknown): Promise<T> {
  const res = await fetch(`${running.url}/api/invoke/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-worktime-account': account },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error!.code}: ${body.error!.message}`);
  return body.data!;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const t0 = Date.now();
  // No trickle while this runs: an edit of its own to a locked worklog would add to the drift asserted here.
  running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir, WORKTIME_DEMO_TRICKLE_MS: '3600000' });
  startMs = Date.now() - t0;
}, 60_000);
afterAll(() => running?.stop());

describe('the demo site, set up through the resolvers', () => {
  it('starts within a few seconds, HR set-up included', () => {
    expect(startMs).toBeLessThan(10_000);
  });

  it('roles/get names the HR admin and the auditor; teams/list the Brussels office led by demo-03', async () => {
    const roles = await invoke<{ hrAdmins: { accounts: string[] }; auditors: { accounts: string[] } }>('roles/get', AUDITOR, {});
    expect(roles.hrAdmins.accounts).toEqual([HR]);
    expect(roles.auditors.accounts).toEqual([AUDITOR]);
    const teams = await invoke<{ name: string; leads: string[]; members: string[] }[]>('teams/list', HR, {});
    expect(teams).toEqual([expect.objectContaining({ name: 'Brussels office', leads: ['557058:demo-03'], members: BRUSSELS })]);
  });

  it('holidays/calendar lists a calendar per demo country, each with holidays in last, this and next year', async () => {
    const { calendars } = await invoke<{ calendars: { id: string; country: string; region: string | null }[] }>('holidays/calendar', '557058:demo-05', {});
    expect(calendars.map((c) => `${c.country}/${c.region ?? '-'}`).sort()).toEqual(['AU/AU-NSW', 'BE/-', 'BR/-', 'CL/-', 'IN/-', 'NP/-', 'NZ/-', 'US/-']);
    for (const { id } of calendars) {
      const answer = await invoke<{ years: { year: number; holidays: { date: string; name: string }[] }[] }>('holidays/calendar', '557058:demo-05', { calendarId: id, years: [year - 1, year, year + 1] });
      expect(answer.years.map((y) => y.year), id).toEqual([year - 1, year, year + 1]);
      for (const y of answer.years) {
        // Nepal's calendar is entered by hand where the demo knows the dates; every imported one has its year's holidays.
        if (id === 'NP' && y.year > 2027) continue;
        expect(y.holidays.length, `${id} ${y.year}`).toBeGreaterThan(0);
        for (const h of y.holidays) expect(h.date.slice(0, 4), `${id}: ${h.name}`).toBe(String(y.year));
      }
    }
    // A known answer from the offline provider: Belgium's Armistice Day.
    const be = await invoke<{ years: { holidays: { date: string; name: string }[] }[] }>('holidays/calendar', HR, { calendarId: 'BE', years: [year] });
    expect(be.years[0]!.holidays).toContainEqual(expect.objectContaining({ date: `${year}-11-11`, name: 'Armistice Day' }));
  });

  it('contracts/list gives every demo person their contracts, with their holiday calendar', async () => {
    for (const person of site.people) {
      const contracts = await invoke<{ firstDate: string; lastDate: string | null; partTimeFactor: string; holidayCalendarId: string }[]>('contracts/list', HR, { personId: person.accountId });
      expect(contracts.length, person.accountId).toBeGreaterThan(0);
      for (const c of contracts) expect(c.holidayCalendarId, person.accountId).toBe(person.calendarId);
    }
    // demo-04 changes contract in mid-period: full time until 14 October, then 80 %.
    const dries = await invoke<{ firstDate: string; lastDate: string | null; partTimeFactor: string }[]>('contracts/list', '557058:demo-04', { personId: '557058:demo-04' });
    expect(dries.map((c) => [c.firstDate, c.lastDate, c.partTimeFactor])).toEqual([
      ['2026-01-01', '2026-10-14', '1'],
      ['2026-10-15', null, '0.8'],
    ]);
  });

  it('absences/list gives each demo person their vacation, and the sick days there are', async () => {
    for (const person of site.people) {
      const absences = await invoke<{ type: string; firstDate: string; lastDate: string }[]>('absences/list', AUDITOR, { personId: person.accountId });
      const expected = site.absences.filter((a) => a.personId === person.accountId).map((a) => [a.type, a.firstDate, a.lastDate]);
      expect(absences.map((a) => [a.type, a.firstDate, a.lastDate]).sort(), person.accountId).toEqual(expected.sort());
      expect(absences.some((a) => a.type === 'vacation'), person.accountId).toBe(true);
    }
  });

  it('locks last month for the Brussels office, and drift/get shows the change made after the lock', async () => {
    await until(async () => {
      const statuses = await Promise.all(BRUSSELS.map((personId) => invoke<{ status: string }>('periods/status', '557058:demo-03', { personId, periodKey: lockedMonth })));
      return statuses.every((s) => s.status === 'locked');
    }, 20_000);
    // Someone outside the team stays open.
    expect((await invoke<{ status: string }>('periods/status', HR, { personId: '557058:demo-10', periodKey: lockedMonth })).status).toBe('open');
    await running.demoReady;
    let drift: { netSecondsDelta: number; changed: { secondsDelta: number }[]; added: unknown[]; deleted: unknown[] } | undefined;
    await until(async () => {
      drift = await invoke('drift/get', '557058:demo-05', { personId: '557058:demo-05', periodKey: lockedMonth });
      return drift!.changed.length > 0;
    }, 20_000);
    expect(drift!.changed.map((c) => c.secondsDelta)).toEqual([DEMO_DRIFT_SECONDS]);
    expect(drift!.netSecondsDelta).toBe(DEMO_DRIFT_SECONDS);
  }, 45_000);

  it('worklogs/mine lists a day’s demo worklogs with the demo issues’ keys and summaries, the same on every run', async () => {
    expect(demoIssue('10000')).toEqual({ key: 'WT-1', summary: 'Quarterly close' });
    expect(demoIssue('9999')).toBeUndefined();
    const person = site.people.find((p) => p.timeZone === 'Europe/Brussels')!;
    const w = site.worklogs.find((x) => x.authorId === person.accountId && x.started < Date.now() - 7 * MS_PER_DAY)!;
    const date = localDateTime(person.timeZone!, w.started).slice(0, 10);
    let answer: { timeZone: string; worklogs: { worklogId: string; issueId: string; issueKey: string | null; issueSummary: string | null }[] } | undefined;
    await until(async () => {
      answer = await invoke('worklogs/mine', person.accountId, { date });
      return answer!.worklogs.some((x) => x.worklogId === w.id);
    }, 20_000);
    expect(answer!.timeZone).toBe('Europe/Brussels');
    for (const x of answer!.worklogs) expect([x.issueKey, x.issueSummary]).toEqual([demoIssue(x.issueId)!.key, demoIssue(x.issueId)!.summary]);
  }, 30_000);

  it('audit/list holds the set-up, by the Jira admin and the HR admin, and audit/verify finds the chain whole', async () => {
    await running.demoReady;
    const entries: { actor: string; action: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await invoke<{ entries: { actor: string; action: string }[]; nextCursor?: string; people: Record<string, string> }>('audit/list', AUDITOR, { limit: 100, ...(cursor ? { cursor } : {}) });
      // Entries name people by pseudonym; the page says who each is.
      entries.push(...revealPage(page).entries);
      cursor = page.nextCursor;
    } while (cursor);
    const count = (action: string, actor = HR) => entries.filter((e) => e.action === action && e.actor === actor).length;
    expect(count('roles.save', '557058:demo-admin')).toBe(1);
    expect(count('team.save')).toBe(1);
    expect(count('settings.save')).toBe(1);
    expect(count('contract.save')).toBe(site.contracts.length);
    // Seven imported calendars, three years each.
    expect(count('holidays.import')).toBe(7 * 3);
    expect(count('absence.save')).toBeGreaterThan(0);
    expect(count('period.lock-job')).toBe(1);
    expect(entries.filter((e) => e.action === 'period.lock')).toHaveLength(BRUSSELS.length);
    const verified = await invoke<{ ok: boolean; count: number }>('audit/verify', AUDITOR, {});
    expect(verified).toMatchObject({ ok: true });
    expect(verified.count).toBeGreaterThanOrEqual(entries.length);
  });
});

describe('a demo set-up step a resolver refuses', () => {
  it('stops the start with one line naming the resolver and its error, and frees the data directory', async () => {
    // In 1900, before the epoch, the audit log refuses the first set-up entry (the Jira admin's roles/save).
    const dir = mkdtempSync(join(tmpdir(), 'worktime-demo-refused-'));
    const error = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dir }, { now: () => Date.UTC(1900, 5, 1) }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^demo set-up: roles\/save failed: INVALID_AUDIT_ENTRY: .*-2195942400000$/);
    expect(error!.message).not.toContain('\n');
    const again = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dir });
    await again.stop();
  }, 60_000);
});
