/**
 * The Forge build of the UI (static/app/build, the resource the manifest names), loaded as Jira
 * would frame it: from its own origin, under the Custom UI CSP, with a stand-in for the bridge Jira
 * puts in the frame (globalThis.__bridge, which @forge/bridge calls). The stand-in carries `invoke`
 * to the local runtime's resolvers as one demo person and answers `enableTheming` as Jira does, by
 * setting the person's colour mode on <html>. What a person would notice is checked: the period and
 * its numbers show, the colours follow Jira's theme (and its switch), there is no acting-as picker
 * or theme switch of the app's own, nothing loads from elsewhere and nothing logs an error. As the
 * HR admin, the Admin view names people by what people/names answers (there is no /api/people in
 * the Forge build) and reaches someone outside every team through "Find a person in Jira".
 */
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUiTargets } from '../../bin/build-ui.mjs';
import { UI_CSP } from '../../src/local/server';
import { todayIn } from '../../ui/src/format/dates';
import { formatDuration } from '../../ui/src/format/duration';
import { addMonths, monthKeyOf } from '../../ui/src/format/periods';
import { hasChromium, launchChromium, LOCALE, ROOT, screenshot, startDemoApp, type DemoApp } from './support/localApp';

const ELISE = '557058:demo-05';
const HR = '557058:demo-01';
/** A new hire the demo's Jira has and the app knows nothing about: in no team, no role. */
const SAM = '557058:demo-new-02';
/** Who the bridge's invoke runs as (Forge: the person viewing the page). */
let viewer = ELISE;
const ORIGIN = 'https://worktime-app.forge.test';
const BUILD = join(ROOT, 'static/app/build');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json' };

/** The frame's bridge as Jira provides it: invoke goes to the app's resolvers, enableTheming sets Jira's mode (here: dark). */
function installBridge(): void {
  // Read when called: while this runs (before the page's own scripts) the <html> element has not been parsed yet.
  const root = () => (globalThis as unknown as { document: { documentElement: { setAttribute(k: string, v: string): void } } }).document.documentElement;
  (globalThis as unknown as { __bridge: unknown }).__bridge = {
    callBridge: async (command: string, args: { functionKey?: string; payload?: unknown }) => {
      if (command === 'invoke') {
        const res = await fetch(`/__bridge/invoke/${args.functionKey}`, { method: 'POST', body: JSON.stringify(args.payload ?? {}) });
        return res.json();
      }
      if (command === 'enableTheming') {
        root().setAttribute('data-color-mode', 'dark');
        return undefined;
      }
      throw new Error(`the test's bridge has no ${command}`);
    },
  };
}

/** The page's background colour as [r, g, b]. */
const background = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { body: unknown } }).document;
    const colour = (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(doc.body).backgroundColor;
    return (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  });
const isDark = (rgb: number[]) => rgb.length === 3 && rgb.reduce((a, b) => a + b, 0) / 3 < 80;

describe.skipIf(!hasChromium)('the Forge build, framed as Jira frames it, in Chromium', () => {
  let app: DemoApp;
  let browser: Browser;
  let page: Page;
  const remote: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    await buildUiTargets({ targets: ['forge'], log: () => undefined });
    app = await startDemoApp();
    browser = await launchChromium();
    const context = await browser.newContext({ locale: LOCALE, viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(`${ORIGIN}/`)) remote.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
    await page.addInitScript(installBridge);
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.startsWith('/__bridge/invoke/')) {
        // What Forge does for invoke: the resolver runs as the person viewing the page.
        const res = await fetch(`${app.url}/api/invoke/${url.pathname.slice('/__bridge/invoke/'.length)}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-worktime-account': viewer }, body: route.request().postData() ?? '{}' });
        return route.fulfill({ status: 200, contentType: 'application/json', body: await res.text() });
      }
      const file = normalize(join(BUILD, url.pathname === '/' ? 'index.html' : url.pathname));
      if (!file.startsWith(BUILD) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not in the build' });
      return route.fulfill({ status: 200, headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': UI_CSP }, body: readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/`);
    await page.getByTestId('total-worked').waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the person's period with the numbers report/mine gives, as 'You', with no picker and no theme switch of its own", async () => {
    // Last month (it has ended, so its totals are whole), as report/mine gives it.
    await page.getByTestId('period-previous').click();
    const lastMonth = addMonths(monthKeyOf(todayIn((await app.invoke<{ timeZone: string | null }>('me/get', ELISE)).timeZone ?? 'UTC')), -1);
    const report = await app.invoke<{ totals: { workedSeconds: number; expectedSeconds: number } }>('report/mine', ELISE, { period: { periodKey: lastMonth } });
    const fmt = (s: number) => formatDuration(s, { locale: LOCALE, rounding: 'nearest-minute' });
    expect(report.totals.workedSeconds).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('total-worked').innerText(), { timeout: 15_000 }).toBe(fmt(report.totals.workedSeconds));
    expect(await page.getByTestId('total-expected').innerText()).toBe(fmt(report.totals.expectedSeconds));
    expect(await page.getByText('You', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('acting-as').count()).toBe(0);
    expect(await page.getByLabel('Theme').count()).toBe(0);
  });

  it("follows Jira's theme: dark while Jira is dark (the browser itself asks for light), light once Jira switches", async () => {
    await expect.poll(async () => isDark(await background(page)), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'forge-build-dark');
    await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { setAttribute(k: string, v: string): void } } }).document.documentElement.setAttribute('data-color-mode', 'light'));
    await expect.poll(async () => isDark(await background(page)), { timeout: 15_000 }).toBe(false);
  });

  it('as an HR admin, lists the team members by their Jira names, and finds and reaches a person outside every team', async () => {
    viewer = HR;
    await page.reload();
    await page.getByTestId('total-worked').waitFor({ timeout: 60_000 });
    await page.getByTestId('tab-admin').click();
    await page.getByTestId('find-person').waitFor({ timeout: 60_000 });
    await page.getByTestId('admin-tab-contracts').click();
    const options = () => page.getByTestId('contracts-person').locator('option').allInnerTexts();
    // The Forge build has no /api/people: the names come from people/names.
    expect(await options()).toContain('Elise');
    expect(await options()).not.toContain(ELISE);
    expect(await options()).not.toContain('Sam Newhire');
    await page.getByLabel('Name or email').fill('sam');
    await page.getByLabel('Name or email').press('Enter');
    await page.getByRole('button', { name: 'Add Sam Newhire to the lists' }).click();
    await expect.poll(options, { timeout: 15_000 }).toContain('Sam Newhire');
    await page.getByTestId('contracts-person').selectOption(SAM);
    // contracts/list answered for him: the panel says he has none yet, and offers to add one.
    await page.getByText('No contract').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'New contract' }).isDisabled()).toBe(false);
    // Given a contract, he is someone the app keeps data about: after a reload he is listed without a search (people/known).
    await page.getByRole('button', { name: 'New contract' }).click();
    await page.getByTestId('contract-first').fill('2026-11-02');
    await page.getByTestId('contract-save').click();
    await expect.poll(async () => (await app.invoke<unknown[]>('contracts/list', HR, { personId: SAM })).length, { timeout: 15_000 }).toBe(1);
    await page.reload();
    await page.getByTestId('total-worked').waitFor({ timeout: 60_000 });
    await page.getByTestId('tab-admin').click();
    await page.getByTestId('admin-tab-contracts').click();
    await expect.poll(options, { timeout: 30_000 }).toContain('Sam Newhire');
    // Everyone the app keeps data about is listed, by name: the demo's people with worklogs, not only the Brussels team.
    expect(await options()).toContain('Paulo');
    viewer = ELISE;
  });

  it("says the page waits for Jira's limit when a big team asks for more than 450 calls in 26 s, instead of failing them", async () => {
    // A team of 300 (two calls each to load): past the pace the calls wait their turn, and the page says so.
    const members = Array.from({ length: 300 }, (_, i) => `557058:big-${String(i).padStart(3, '0')}`);
    await app.invoke('teams/save', HR, { team: { id: 'big-team', name: 'A big team', leads: [HR], members }, basedOn: null });
    viewer = HR;
    await page.reload();
    await page.getByTestId('total-worked').waitFor({ timeout: 60_000 });
    await page.getByTestId('tab-team').click();
    await page.getByTestId('team-select').selectOption('big-team');
    const banner = page.getByTestId('held-calls');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.innerText()).toMatch(/\d+ requests? waits? their turn: Jira lets a page make 500 in 25 seconds/);
    // No call was refused by the bridge: the rows failing so far fail for the resolver's reason (these people are not in Jira), not a rate limit.
    expect(await page.getByText('rate limited', { exact: false }).count()).toBe(0);
    viewer = ELISE;
  });

  it('loads nothing from anywhere but its own resource, and logs no error', () => {
    expect(remote).toEqual([]);
    expect(errors).toEqual([]);
  });
});
