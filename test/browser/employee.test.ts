/**
 * The employee's main path, clicked through in Chromium against the local runtime with the demo
 * site: Elise (557058:demo-05) opens My period for last month and sees the totals and balance the
 * resolvers give her, opens a day's work and the worklogs behind it, and the page has no serious accessibility violation,
 * loads nothing remote and shows markup in names as text.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../ui/src/format/duration';
import { todayIn } from '../../ui/src/format/dates';
import { addMonths, monthKeyOf } from '../../ui/src/format/periods';
import { expectDayWorklogsShown, hasChromium, launchChromium, LOCALE, openAs, screenshot, seriousAxeViolations, startDemoApp, type DemoApp, type Session } from './support/localApp';

const ELISE = '557058:demo-05';
const HR = '557058:demo-01';

interface Report {
  period: { firstDate: string; lastDate: string };
  days: { date: string; timeZone: string; workedSeconds: number; expectedSeconds: number; deltaSeconds: number }[];
  totals: { workedSeconds: number; expectedSeconds: number; deltaSeconds: number; overtimeSeconds: number; shortfallSeconds: number };
}

interface DayWorklog {
  worklogId: string;
  issueKey: string | null;
  issueSummary: string | null;
  startedLocal: string;
  seconds: number;
  secondsOnDay: number;
}
interface DayWorklogs {
  worklogs: DayWorklog[];
}

if (!hasChromium) console.warn('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium); .ci/run installs it, so CI runs them');

describe.skipIf(!hasChromium)('My period, as an employee (Elise), in Chromium', () => {
  let app: DemoApp;
  let browser: Browser;
  let session: Session;
  let lastMonth: string;
  const began = Date.now();

  beforeAll(async () => {
    app = await startDemoApp();
    browser = await launchChromium();
    session = await openAs(browser, app, ELISE);
    const warm = await openAs(browser, app, ELISE);
    console.log(`browser: My period showed its totals ${session.firstViewMarkMs} ms after navigation start on a cold page, ${warm.firstViewMarkMs} ms on a second (page's own mark; ${session.firstViewMs} and ${warm.firstViewMs} ms seen from the test)`);
    await warm.page.context().close();
    const people = await (await fetch(`${app.url}/api/people`)).json() as { accountId: string; timeZone: string | null }[];
    lastMonth = addMonths(monthKeyOf(todayIn(people.find((p) => p.accountId === ELISE)!.timeZone ?? 'UTC')), -1);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    console.log(`browser: the employee path took ${((Date.now() - began) / 1000).toFixed(1)} s, runtime start included`);
  });

  const fmt = (s: number, signed = false) => formatDuration(s, { locale: LOCALE, rounding: 'nearest-minute', signed });

  it('shows the same worked, expected and difference for last month as report/mine, and the balance of balance/mine', async () => {
    const { page } = session;
    // This month has not ended: "so far" sums report/mine's days through today beside the whole month.
    const now = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: addMonths(lastMonth, 1) } });
    const today = todayIn(now.days[0]!.timeZone);
    const past = now.days.filter((d) => d.date <= today);
    if (past.length < now.days.length) {
      const worked = past.reduce((s, d) => s + d.workedSeconds, 0);
      const expected = past.reduce((s, d) => s + d.expectedSeconds, 0);
      await expect.poll(() => page.getByTestId('total-so-far').innerText()).toContain(`worked ${fmt(worked)}, expected ${fmt(expected)}`);
    }
    await page.getByTestId('period-previous').click();
    const report = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: lastMonth } });
    const balance = await app.invoke<{ balanceSeconds: number }>('balance/mine', ELISE);
    expect(report.totals.workedSeconds).toBeGreaterThan(0); // a month with work, or this test proves little
    await expect.poll(() => page.getByTestId('total-worked').innerText()).toBe(fmt(report.totals.workedSeconds));
    expect(await page.getByTestId('total-expected').innerText()).toBe(fmt(report.totals.expectedSeconds));
    expect(await page.getByTestId('total-delta').innerText()).toBe(fmt(report.totals.deltaSeconds, true));
    expect(await page.getByTestId('total-overtime').innerText()).toBe(fmt(report.totals.overtimeSeconds));
    expect(await page.getByTestId('total-so-far').count()).toBe(0); // last month has ended
    expect(await page.getByTestId('balance-now').innerText()).toBe(fmt(balance.balanceSeconds, true));
    // One row per day of the month, each with the resolver's worked time.
    const rows = page.locator('[data-testid="day-grid"] tbody tr[data-date]');
    expect(await rows.count()).toBe(report.days.length);
    for (const day of report.days.filter((d) => d.workedSeconds > 0).slice(0, 5)) {
      expect(await page.locator(`tr[data-date="${day.date}"] td`).first().innerText()).toBe(fmt(day.workedSeconds));
    }
    await screenshot(page, 'my-period-employee-last-month');
  });

  it("opens a day's work on demand: first in, last out and stretches from record/mine", async () => {
    const { page } = session;
    const report = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: lastMonth } });
    const day = report.days.find((d) => d.workedSeconds > 0)!;
    const record = await app.invoke<{ days: { date: string; firstIn: string; lastOut: string; netSeconds: number }[] }>('record/mine', ELISE, { period: { from: day.date, to: day.date } });
    const row = page.locator(`tr[data-date="${day.date}"]`);
    const toggle = row.getByRole('button');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter'); // keyboard reachable
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator(`#day-detail-${day.date}`);
    const text = await detail.innerText();
    const first = record.days[0]!;
    expect(text).toContain(`First in ${first.firstIn.slice(0, 5)}, last out ${first.lastOut.slice(0, 5)}`);
    expect(text).toContain(`${fmt(first.netSeconds)} worked`);
    // The worklogs behind the day, as worklogs/mine gives them: start, time on the day, issue key and summary.
    const worklogs = await app.invoke<DayWorklogs>('worklogs/mine', ELISE, { date: day.date });
    expect(worklogs.worklogs.length).toBeGreaterThan(0);
    for (const w of worklogs.worklogs) expect(w.issueKey).not.toBeNull(); // every demo issue has a key
    await expectDayWorklogsShown(detail, worklogs.worklogs, fmt);
    await screenshot(page, 'my-period-day-open');
  });

  it('splits a worklog that crosses midnight between its two days, each with its part', async () => {
    const { page } = session;
    const report = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: lastMonth } });
    let found: { date: string; w: DayWorklog } | undefined;
    for (const day of report.days) {
      const answer = await app.invoke<DayWorklogs>('worklogs/mine', ELISE, { date: day.date });
      const w = answer.worklogs.find((x) => x.secondsOnDay !== x.seconds && x.startedLocal.slice(0, 10) !== day.date);
      if (w) {
        found = { date: day.date, w };
        break;
      }
    }
    expect(found, 'the demo gives Elise a worklog that crosses midnight last month').toBeDefined();
    const { date, w } = found!;
    const toggle = page.locator(`tr[data-date="${date}"]`).getByRole('button');
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
    const row = page.locator(`#day-detail-${date} tr[data-worklog-id="${w.worklogId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe(`${fmt(w.secondsOnDay)} of ${fmt(w.seconds)}`);
    expect(await page.locator(`#day-detail-${date}`).innerText()).toContain('A worklog that crosses midnight shows the part of it on this day.');
  });

  it("says a day's times could not be loaded (never 'No work logged') when record/mine fails, and retries worklogs/mine", async () => {
    const own = await openAs(browser, app, ELISE);
    try {
      const { page } = own;
      const failing = new Set(['record/mine', 'worklogs/mine']);
      await page.route(/\/api\/invoke\/(record\/mine|worklogs\/mine)$/, async (route) => {
        const name = new URL(route.request().url()).pathname.replace('/api/invoke/', '');
        if (!failing.has(name)) return route.continue();
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'the store is busy' } }) });
      });
      await page.getByTestId('period-previous').click();
      const report = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: lastMonth } });
      const day = report.days.find((d) => d.workedSeconds > 0)!;
      const toggle = page.locator(`tr[data-date="${day.date}"]`).getByRole('button');
      await toggle.waitFor();
      await toggle.click();
      const detail = page.locator(`#day-detail-${day.date}`);
      await expect.poll(() => detail.innerText()).toContain('Could not load when work started and stopped on this day: the store is busy');
      await expect.poll(() => detail.innerText()).toContain("Could not load the day's worklogs");
      expect(await detail.innerText()).not.toContain('No work logged');
      failing.clear();
      await detail.getByRole('button', { name: 'Try again' }).last().click();
      await detail.locator('[data-testid="day-worklogs"]').waitFor();
      await detail.getByRole('button', { name: 'Try again' }).click();
      await expect.poll(() => detail.innerText()).toContain('First in ');
    } finally {
      await own.page.context().close();
    }
  });

  it('says "No worklogs on this day" for a day without any', async () => {
    const { page } = session;
    const report = await app.invoke<Report>('report/mine', ELISE, { period: { periodKey: lastMonth } });
    const day = report.days.find((d) => d.workedSeconds === 0)!;
    expect((await app.invoke<DayWorklogs>('worklogs/mine', ELISE, { date: day.date })).worklogs).toEqual([]);
    await page.locator(`tr[data-date="${day.date}"]`).getByRole('button').click();
    await expect.poll(() => page.locator(`#day-detail-${day.date}`).innerText()).toContain('No worklogs on this day.');
  });

  it('has no serious or critical axe-core violation, in light and in dark', async () => {
    expect(await seriousAxeViolations(session.page)).toEqual([]);
    const dark = await openAs(browser, app, ELISE, { colorScheme: 'dark' });
    await expect.poll(() => dark.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { colorMode?: string } } } }).document.documentElement.dataset.colorMode)).toBe('dark');
    expect(await seriousAxeViolations(dark.page)).toEqual([]);
    await screenshot(dark.page, 'my-period-employee-dark');
    await dark.page.context().close();
  });

  it('shows a holiday name with markup as text, never as elements', async () => {
    const contracts = await app.invoke<{ holidayCalendarId: string }[]>('contracts/list', HR, { personId: ELISE });
    const calendarId = contracts[0]!.holidayCalendarId;
    const thisMonth = addMonths(lastMonth, 1);
    const name = '<img src=x onerror="window.__pwned=1"><b>Markup day</b>';
    await app.invoke('holidays/save', HR, { calendarId, year: Number(thisMonth.slice(0, 4)), edits: [{ kind: 'add', holiday: { date: `${thisMonth}-02`, name, type: 'observance', fraction: 1 } }] });
    const { page } = session;
    await page.getByRole('button', { name: 'This month' }).click();
    const cell = page.locator(`tr[data-date="${thisMonth}-02"] td`).nth(2);
    await expect.poll(() => cell.innerText()).toContain(name);
    expect(await page.locator('[data-testid="day-grid"] img, [data-testid="day-grid"] b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('warns a person Jira gives no time zone for, naming the site zone their days are counted in', async () => {
    const people = (await (await fetch(`${app.url}/api/people`)).json()) as { accountId: string; timeZone: string | null }[];
    const zoneless = people.find((p) => p.timeZone === null)!;
    const settings = await app.invoke<{ siteTimeZone: string }>('settings/get', zoneless.accountId);
    const other = await openAs(browser, app, zoneless.accountId);
    expect(await other.page.getByTestId('zone-banner').innerText()).toContain(`counted in the site's time zone, ${settings.siteTimeZone}`);
    expect(await other.page.getByTestId('zone-shown').innerText()).toBe(`Days and times are in ${settings.siteTimeZone}.`);
    expect(await session.page.getByTestId('zone-banner').count()).toBe(0); // Elise has a zone
    await screenshot(other.page, 'my-period-no-zone');
    await other.page.context().close();
  });

  it('an address acting as an account nobody has says so and offers the picker, never acting as someone else', async () => {
    const context = await browser.newContext({ locale: LOCALE });
    const page = await context.newPage();
    await page.goto(`${app.url}/?as=${encodeURIComponent('557058:nobody')}`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain('Nobody in the local runtime has the account id "557058:nobody"');
    expect(await page.getByTestId('tab-admin').count()).toBe(0); // not the HR admin's app
    expect(await page.getByTestId('acting-as').inputValue()).toBe('');
    await page.getByTestId('acting-as').selectOption(ELISE);
    await page.getByTestId('total-worked').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('as')).toBe(ELISE);
    await context.close();
  });

  it('loads nothing from anywhere but the local runtime, and logs no error (no CSP violation either)', () => {
    expect(session.remoteRequests).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
