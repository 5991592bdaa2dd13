/**
 * `node bin/run-ts.mjs bench/firstViewProfile.ts`: where the first view's time goes. Loads My period
 * cold under Chromium's CPU profiler and prints the self time by script and by function (top 25),
 * plus the navigation/resource/mark timings. A diagnostic beside `npm run bench:ui`, not a benchmark.
 */
import { launchChromium, startDemoApp } from '../test/browser/support/localApp';

const ACCOUNT = '557058:demo-02';
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

const app = await startDemoApp();
const browser = await launchChromium();
try {
  for (let round = 0; round < 2; round++) {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(`${app.url}/?as=${encodeURIComponent(ACCOUNT)}`);
    await page.getByTestId('total-worked').waitFor({ timeout: 30_000 });
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number } };
    // Strings, not functions: this file is typed for Node, without the DOM's types.
    const marks = (await page.evaluate(`({
      mark: Math.round(performance.getEntriesByName('worktime:first-view')[0]?.startTime ?? -1),
      res: performance.getEntriesByType('resource').map((e) => Math.round(e.startTime) + '-' + Math.round(e.responseEnd) + ' ' + e.name.replace(location.origin, '')),
      paint: performance.getEntriesByType('paint').map((e) => e.name + ' ' + Math.round(e.startTime)),
    })`)) as { mark: number; res: string[]; paint: string[] };
    if (round === 0) { await context.close(); continue; }
    console.log(`mark ${marks.mark} ms; ${marks.paint.join(', ')}`);
    for (const r of marks.res) console.log('  ' + r);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const byScript = new Map<string, number>();
    const byFn = new Map<string, number>();
    for (const [id, us] of self) {
      const n = byId.get(id)!;
      const script = n.callFrame.url.replace(app.url, '') || `(${n.callFrame.functionName})`;
      byScript.set(script, (byScript.get(script) ?? 0) + us);
      const fn = `${n.callFrame.functionName || '(anon)'} ${script}:${n.callFrame.lineNumber}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    }
    // A timeline in 50 ms buckets from the navigation start: what the main thread ran.
    // Aligned on the entry script: its first sample is taken when its download ends (resource timing).
    const entryEnd = (await page.evaluate(`performance.getEntriesByType('resource').find((e) => /\\/assets\\/index-/.test(e.name))?.responseEnd ?? 0`)) as number;
    let firstEntrySample = 0;
    {
      let t0 = profile.startTime;
      for (let i = 0; i < profile.samples.length; i++) {
        t0 += profile.timeDeltas[i] ?? 0;
        if (/\/assets\/index-/.test(byId.get(profile.samples[i]!)!.callFrame.url)) { firstEntrySample = t0; break; }
      }
    }
    const navStart = firstEntrySample / 1000 - entryEnd;
    const buckets = new Map<number, Map<string, number>>();
    let t = profile.startTime;
    profile.samples.forEach((s, i) => {
      t += profile.timeDeltas[i] ?? 0;
      const n = byId.get(s)!;
      const at = Math.floor((t / 1000 - navStart) / 50) * 50;
      const what = (n.callFrame.url.replace(app.url, '').replace('/assets/', '') || n.callFrame.functionName).slice(0, 30);
      const b = buckets.get(at) ?? new Map<string, number>();
      b.set(what, (b.get(what) ?? 0) + (profile.timeDeltas[i] ?? 0));
      buckets.set(at, b);
    });
    for (const [at, b] of [...buckets].sort((x, y) => x[0] - y[0])) if (at >= 0) console.log(`  ${String(at).padStart(5)} ${[...b].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ')}`);
    const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([k2, v]) => `  ${(v / 1000).toFixed(1).padStart(7)} ms ${k2}`).join('\n');
    console.log('self time by script:\n' + top(byScript, 15));
    console.log('self time by function:\n' + top(byFn, 30));
    await context.close();
  }
} finally {
  await browser.close();
  await app.stop();
}
process.exit(0);
