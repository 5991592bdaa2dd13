/**
 * What every browser test needs: the local runtime with the demo site, in this process, on a free
 * port and a fresh data directory; Debian's Chromium driven by playwright-core; a page acting as
 * one of the demo people; axe-core; screenshots. Reuse it for the Team, Admin and Audit views:
 *
 *   const app = await startDemoApp();                 // beforeAll (waits for the demo's set-up)
 *   const browser = await launchChromium();
 *   const session = await openAs(browser, app, '557058:demo-03');
 *   await session.page.getByTestId('tab-team').click();
 *   expect(await seriousAxeViolations(session.page)).toEqual([]);
 *   expect(session.remoteRequests).toEqual([]);
 *   await screenshot(session.page, 'team-view');
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildUiTargets } from '../../../bin/build-ui.mjs';
import { startLocal } from '../../../src/local/main';

export const CHROMIUM = '/usr/bin/chromium';
/** Whether this machine can run the browser tests; CI installs Chromium (.ci/run), so there they always run. */
export const hasChromium = existsSync(CHROMIUM);
export const ROOT = join(import.meta.dirname, '../../..');
export const ARTIFACTS = join(ROOT, 'test/artifacts');
/** The locale the browser runs in: durations and dates on the page are formatted for it. */
export const LOCALE = 'en-GB';

export interface DemoApp {
  readonly url: string;
  /** The runtime's data directory: its SQLite file is `demo.sqlite` there (a test may alter it, as a tamperer would). */
  readonly dataDir: string;
  /** Calls a resolver as `account`, over HTTP as the page does; throws on an error envelope. */
  invoke<T>(name: string, account: string, payload?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts the local runtime with the demo site and waits until its set-up (last month locked for
 * the Brussels office, and the drift after it) is done, so the numbers stop moving. The demo's
 * trickle of worklog changes is off: a page and a resolver call must see the same worklogs.
 * Builds the local UI first when ui/ changed since its last build.
 */
export async function startDemoApp(): Promise<DemoApp> {
  await buildUiTargets({ targets: ['local'], log: () => undefined });
  const dataDir = mkdtempSync(join(tmpdir(), 'worktime-browser-'));
  const running = await startLocal({ PORT: '0', WORKTIME_DATA_DIR: dataDir, WORKTIME_DEMO_TRICKLE_MS: '2147483647' });
  await running.demoReady;
  return {
    url: running.url,
    dataDir,
    async invoke<T>(name: string, account: string, payload: unknown = {}): Promise<T> {
      const res = await fetch(`${running.url}/api/invoke/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-worktime-account': account }, body: JSON.stringify(payload) });
      const body = (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
      if (!body.ok) throw new Error(`${name} as ${account}: ${body.error!.code}: ${body.error!.message}`);
      return body.data!;
    },
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface Session {
  readonly page: Page;
  /** Every request the page made to anything but the local runtime (there must be none). */
  readonly remoteRequests: string[];
  /** Uncaught errors and console errors (CSP violations show here). */
  readonly errors: string[];
  /** Milliseconds from navigation to the first view showing its data (My period's totals), seen from the test. */
  readonly firstViewMs: number;
  /** The same, measured in the page: the app's `worktime:first-view` mark, from navigation start. */
  readonly firstViewMarkMs: number;
}

/** Opens the app acting as `accountId` (the local picker's ?as=) and waits until My period shows its totals. */
export async function openAs(browser: Browser, app: DemoApp, accountId: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Session> {
  const context = await browser.newContext({ locale: LOCALE, viewport: { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const remoteRequests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(`${app.url}/`)) remoteRequests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  const started = Date.now();
  await page.goto(`${app.url}/?as=${encodeURIComponent(accountId)}`);
  await page.getByTestId('total-worked').waitFor({ timeout: 30_000 });
  const firstViewMs = Date.now() - started;
  const firstViewMarkMs = await page.evaluate(() => Math.round(performance.getEntriesByName('worktime:first-view')[0]?.startTime ?? -1));
  return { page, remoteRequests, errors, firstViewMs, firstViewMarkMs };
}

const require = createRequire(import.meta.url);

/** axe-core's violations of impact serious or critical on the page as it is now, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag, which the page's CSP (script-src 'self') refuses.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    // In the page: its globals (this project's type-check has no DOM library).
    const page = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`);
}

/** A full-page screenshot under test/artifacts/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Expects an opened day's worklog table (`detail` is the day's detail region) to show, row by row, what
 * worklogs/mine or worklogs/person answered: the local start time, the time on the day (`duration`
 * formats seconds as the page does), and the issue key with its summary.
 */
export async function expectDayWorklogsShown(detail: Locator, worklogs: readonly { startedLocal: string; secondsOnDay: number; issueKey: string | null; issueSummary: string | null }[], duration: (seconds: number) => string): Promise<void> {
  const rows = detail.locator('[data-testid="day-worklogs"] tbody tr');
  await expect.poll(() => rows.count()).toBe(worklogs.length);
  for (const [i, w] of worklogs.entries()) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    expect(cells[0]).toContain(w.startedLocal.slice(11, 16));
    expect(cells[1]).toContain(duration(w.secondsOnDay));
    expect(cells[2]).toBe(`${w.issueKey} ${w.issueSummary}`);
  }
}
