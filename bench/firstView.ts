/**
 * `npm run bench:ui`: how fast the first view (My period, with its totals) is usable on the local
 * runtime. Starts the runtime with the demo site, then opens the app cold five times (a fresh
 * browser context each: no cache) in Debian's Chromium, and prints each load and the median:
 *   - shown: from navigation until the totals are on the page, seen from the test;
 *   - mark: the app's own `worktime:first-view` mark (navigation start to the totals rendered);
 *   - input: navigation start until the page handled a click on "Previous month", made as soon as the
 *     totals showed (a busy main thread would delay it: this is the "interactive" of the target);
 *   - bytes: what went over the wire (transfer sizes, so compression counts), and the requests.
 * The target (issue 15) is under a second; a miss is printed, not fatal (it depends on the machine).
 */
import { availableParallelism, cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { hasChromium, launchChromium, openAs, startDemoApp } from '../test/browser/support/localApp';

const LOADS = 5;
const ACCOUNT = '557058:demo-02';
const TARGET_MS = 1000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Clicks "Previous month" at once and returns when (navigation-relative, in the page) the click was handled. */
async function firstInputHandledAt(page: Page): Promise<number> {
  const handled = page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const doc = (globalThis as unknown as { document: { addEventListener(t: string, f: () => void, o: object): void } }).document;
        doc.addEventListener('click', () => resolve(Math.round(performance.now())), { capture: true, once: true });
      }),
  );
  await page.getByRole('button', { name: 'Previous month' }).click();
  return handled;
}

export async function runFirstViewBenchmark(log: (line: string) => void): Promise<boolean> {
  if (!hasChromium) {
    log('first view: skipped, /usr/bin/chromium is missing (apt-get install -y chromium)');
    return true;
  }
  const app = await startDemoApp();
  const browser = await launchChromium();
  try {
    // One warm-up load, not counted: the runtime's first resolver calls warm its caches and the JIT.
    await (await openAs(browser, app, ACCOUNT)).page.context().close();
    const rows: { shown: number; mark: number; input: number; bytes: number; requests: number }[] = [];
    for (let i = 0; i < LOADS; i++) {
      const session = await openAs(browser, app, ACCOUNT);
      const wire = await session.page.evaluate(() => {
        const perf = globalThis as unknown as { performance: { getEntriesByType(t: string): { transferSize: number; startTime: number }[] } };
        const all = [...perf.performance.getEntriesByType('navigation'), ...perf.performance.getEntriesByType('resource')];
        return { bytes: all.reduce((s, e) => s + e.transferSize, 0), requests: all.length };
      });
      const input = await firstInputHandledAt(session.page);
      if (i === LOADS - 1 && process.argv.includes('--waterfall')) {
        const entries = await session.page.evaluate(() => {
          const perf = globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; startTime: number; responseEnd: number; transferSize: number }[] } };
          return perf.performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: Math.round(e.startTime), end: Math.round(e.responseEnd), bytes: e.transferSize }));
        });
        for (const e of entries) log(`  ${String(e.start).padStart(5)}–${String(e.end).padStart(5)} ms ${String(e.bytes).padStart(7)} B ${e.name.replace(app.url, '')}`);
      }
      rows.push({ shown: session.firstViewMs, mark: session.firstViewMarkMs, input, ...wire });
      log(`first view: load ${i + 1}: shown after ${session.firstViewMs} ms (mark ${session.firstViewMarkMs} ms, input handled at ${input} ms), ${(wire.bytes / 1000).toFixed(0)} kB over ${wire.requests} requests`);
      await session.page.context().close();
    }
    const shown = median(rows.map((r) => r.shown));
    const mark = median(rows.map((r) => r.mark));
    const input = median(rows.map((r) => r.input));
    const worst = Math.max(shown, input);
    log(`first view: median of ${LOADS} cold loads: shown after ${shown} ms, mark ${mark} ms, first click handled at ${input} ms, ${(median(rows.map((r) => r.bytes)) / 1000).toFixed(0)} kB transferred (target interactive under ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'missed'})`);
    return true;
  } finally {
    await browser.close();
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`node ${process.version}, ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`);
  await runFirstViewBenchmark((l) => console.log(l));
  process.exit(0);
}
