/**
 * The auditor's main path, clicked through in Chromium against the local runtime with the demo
 * site: Aurélie-the-auditor (557058:demo-02) opens Audit, verifies the chain and sees it hold with
 * the count audit/verify gives; reads the log and the chain's head as the resolvers give them; opens
 * a locked snapshot and sees its hash; pages through the snapshots with "Load more" once the HR admin has
 * locked a second month for everyone. Then one stored audit entry is altered in the runtime's SQLite
 * file, as someone with access to the storage would, and verifying again names that entry's seq.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openAs, screenshot, seriousAxeViolations, startDemoApp, type DemoApp, type Session } from './support/localApp';

const AUDITOR = '557058:demo-02';
const HR = '557058:demo-01';

interface AuditPage {
  entries: { seq: number; actor: string; action: string; target: string }[];
  nextCursor?: string;
  people?: Record<string, string>;
}
interface SnapshotPage {
  snapshots: { personId: string; periodKey: string; version: number; lockedAt: number }[];
  nextCursor?: string;
}
type Verify = { ok: true; count: number; lastSeq: number; lastHash: string } | { ok: false; brokenAt: { seq: number }; reason: string; message: string };

describe.skipIf(!hasChromium)('Audit, as an auditor, in Chromium', () => {
  let app: DemoApp;
  let browser: Browser;
  let session: Session;
  const began = Date.now();

  beforeAll(async () => {
    app = await startDemoApp();
    browser = await launchChromium();
    session = await openAs(browser, app, AUDITOR);
    await session.page.getByTestId('tab-audit').click();
    await session.page.getByTestId('audit-table').waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    console.log(`browser: the auditor path took ${((Date.now() - began) / 1000).toFixed(1)} s, runtime start included`);
  });

  it('verifies the whole chain and shows it holds, with the count and last seq audit/verify gives', async () => {
    const { page } = session;
    const expected = await app.invoke<Verify>('audit/verify', AUDITOR, {});
    expect(expected.ok).toBe(true);
    if (!expected.ok) return;
    expect(expected.count).toBeGreaterThan(5); // the demo's set-up wrote entries, or this proves little
    const started = Date.now();
    await page.getByTestId('verify-chain').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    console.log(`browser: verifying ${expected.count} audit entries showed its result ${Date.now() - started} ms after the click`);
    expect(await result.getAttribute('data-ok')).toBe('true');
    const text = await result.innerText();
    expect(text).toContain('The chain holds');
    expect(text).toContain(`${expected.count} entries checked, up to seq ${expected.lastSeq}`);
    expect(text).toContain(expected.lastHash);
  });

  it('verifies against a pasted checkpoint (the head it shows), and refuses a malformed one before asking', async () => {
    const { page } = session;
    const head = await app.invoke<{ seq: number; hash: string }>('audit/checkpoint', AUDITOR);
    await page.getByTestId('record-checkpoint').click();
    await expect.poll(() => page.getByTestId('checkpoint-seq').innerText()).toBe(String(head.seq));
    expect(await page.getByTestId('checkpoint-hash').innerText()).toBe(head.hash);
    await page.getByTestId('verify-checkpoint-seq').fill(String(head.seq));
    await page.getByTestId('verify-checkpoint-hash').fill('not-a-hash');
    expect(await page.getByTestId('verify-chain').isDisabled()).toBe(true);
    await expect.poll(() => page.getByText('A checkpoint hash is 64 hexadecimal characters').count()).toBe(1);
    await page.getByTestId('verify-checkpoint-hash').fill(head.hash);
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('the log still extends your checkpoint');
    expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
    await screenshot(page, 'audit-verified');
  });

  it('lists the log newest first as audit/list does, naming actors from its people map, and pages with Load older', async () => {
    const { page } = session;
    const first = await app.invoke<AuditPage>('audit/list', AUDITOR, { limit: 50 });
    const rows = page.locator('[data-testid="audit-table"] tbody tr[data-seq]');
    expect(Number(await rows.first().getAttribute('data-seq'))).toBe(first.entries[0]!.seq);
    expect(await rows.count()).toBe(first.entries.length);
    const top = first.entries[0]!;
    // The actor as the map says (a pseudonym's account id, or "erased user"); the page adds the local display name.
    const account = first.people?.[top.actor] ?? top.actor;
    expect(await rows.first().locator('[data-col="actor"]').innerText()).toContain(account);
    if (first.nextCursor !== undefined) {
      await page.getByTestId('load-older').click();
      const second = await app.invoke<AuditPage>('audit/list', AUDITOR, { limit: 50, cursor: first.nextCursor });
      await expect.poll(() => rows.count()).toBe(first.entries.length + second.entries.length);
    }
    // A filter by action shows only that action's entries, as the resolver filters them.
    const action = top.action;
    const filtered = await app.invoke<AuditPage>('audit/list', AUDITOR, { filters: { action }, limit: 50 });
    await page.getByTestId('log-action').fill(action);
    await page.getByTestId('log-apply').click();
    await expect.poll(() => rows.count()).toBe(filtered.entries.length);
    expect(await page.locator('[data-testid="audit-table"] tbody tr[data-seq] td:nth-of-type(3)').allInnerTexts()).toEqual(filtered.entries.map(() => action));
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => rows.count()).toBe(first.entries.length);
  });

  it('opens a locked snapshot and shows the hash, engine version and verification snapshots/get gives', async () => {
    const { page } = session;
    const { snapshots: list, nextCursor } = await app.invoke<SnapshotPage>('snapshots/list', AUDITOR, { limit: 50 });
    expect(list.length).toBeGreaterThan(0); // the demo locks last month for the Brussels office
    expect(nextCursor).toBeUndefined();
    const table = page.locator('[data-testid="snapshot-table"] tbody tr');
    await expect.poll(() => table.count()).toBe(list.length);
    expect(await page.getByTestId('load-more-snapshots').count()).toBe(0);
    const pick = { personId: list[0]!.personId, periodKey: list[0]!.periodKey, version: list[0]!.version };
    const snap = await app.invoke<{ snapshot: { hash: string; engineVersion: string }; verification: { ok: boolean } }>('snapshots/get', AUDITOR, pick);
    await page.locator(`tr[data-snapshot="${pick.personId}|${pick.periodKey}|${pick.version}"]`).getByTestId('open-snapshot').click();
    await expect.poll(() => page.getByTestId('snapshot-hash').innerText()).toBe(snap.snapshot.hash);
    expect(await page.getByTestId('snapshot-engine').innerText()).toBe(snap.snapshot.engineVersion);
    expect(snap.verification.ok).toBe(true);
    expect(await page.getByTestId('snapshot-detail').innerText()).toContain('Verified');
    await screenshot(page, 'audit-snapshot');
    // Narrowed to one person, the list holds that person's versions only.
    const theirs = await app.invoke<SnapshotPage>('snapshots/list', AUDITOR, { personId: pick.personId });
    await page.getByTestId('snapshot-person').fill(pick.personId);
    await page.getByTestId('snapshot-list').click();
    await expect.poll(() => table.count()).toBe(theirs.snapshots.length);
    expect(await page.locator('[data-testid="snapshot-table"] tbody tr th').allInnerTexts()).toEqual(theirs.snapshots.map(() => expect.stringContaining(pick.personId)));
  });

  it('has no serious or critical axe-core violation, in light and in dark', async () => {
    expect(await seriousAxeViolations(session.page)).toEqual([]);
    const dark = await openAs(browser, app, AUDITOR, { colorScheme: 'dark' });
    await dark.page.getByTestId('tab-audit').click();
    await dark.page.getByTestId('audit-table').waitFor({ timeout: 60_000 });
    await dark.page.getByTestId('verify-chain').click();
    await dark.page.getByTestId('verify-result').waitFor();
    expect(await seriousAxeViolations(dark.page)).toEqual([]);
    await screenshot(dark.page, 'audit-dark');
    await dark.page.context().close();
  });

  it('says entries were cut off the end when a recorded checkpoint lies beyond the log, naming the first missing seq as audit/verify does', async () => {
    const { page } = session;
    const head = await app.invoke<{ seq: number; hash: string }>('audit/checkpoint', AUDITOR);
    const beyond = { seq: head.seq + 5, hash: 'ab'.repeat(32) };
    const expected = await app.invoke<Verify>('audit/verify', AUDITOR, { checkpoint: beyond });
    expect(expected).toMatchObject({ ok: false, reason: 'head-mismatch', brokenAt: { seq: head.seq + 1 } });
    await page.getByTestId('verify-checkpoint-seq').fill(String(beyond.seq));
    await page.getByTestId('verify-checkpoint-hash').fill(beyond.hash);
    await page.getByTestId('verify-chain').click();
    const result = page.getByTestId('verify-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    const text = await result.innerText();
    expect(text).toContain(`The chain is broken at seq ${head.seq + 1}`);
    expect(text).toContain('entries were cut off or rewritten');
    if (!expected.ok) expect(text).toContain(expected.message);
  });

  it('names the tampered entry: one stored entry altered in the SQLite file breaks the chain at its seq', async () => {
    const { page } = session;
    const head = await app.invoke<{ seq: number }>('audit/checkpoint', AUDITOR);
    const victim = Math.max(2, head.seq - 3); // on the log's first page, so the page can mark it
    const key = `audit#${String(victim).padStart(12, '0')}`;
    const db = new Database(join(app.dataDir, 'demo.sqlite'));
    try {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?').get(key)!;
      const entry = JSON.parse(row.value) as { action: string };
      db.prepare('UPDATE kv SET value = ? WHERE key = ?').run(JSON.stringify({ ...entry, action: `${entry.action}.edited` }), key);
    } finally {
      db.close();
    }
    const expected = await app.invoke<Verify>('audit/verify', AUDITOR, {});
    expect(expected).toMatchObject({ ok: false, brokenAt: { seq: victim } });

    await page.getByTestId('verify-checkpoint-seq').fill('');
    await page.getByTestId('verify-checkpoint-hash').fill('');
    await page.getByTestId('verify-chain').click();
    const result = page.getByTestId('verify-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect(await result.getAttribute('data-broken-seq')).toBe(String(victim));
    const text = await result.innerText();
    expect(text).toContain(`The chain is broken at seq ${victim}`);
    if (!expected.ok) {
      expect(text).toContain(expected.reason);
      expect(text).toContain(expected.message);
    }
    // The log marks the entry.
    await expect.poll(() => page.locator(`tr[data-seq="${victim}"]`).getAttribute('class')).toBe('wt-broken');
    expect(await page.locator(`tr[data-seq="${victim}"] th`).innerText()).toContain('(broken)');
    await screenshot(page, 'audit-tampered');
  });

  // After the tampering: the locks below append audit entries, which the log page loaded at the start would not show.
  it('lists 50 snapshots at a time, newest lock first, and "Load more" adds the next ones, each once', async () => {
    const { page } = session;
    // Enough snapshots for a second page: the HR admin locks the month before the demo's for everyone.
    const lockedMonth = (await app.invoke<SnapshotPage>('snapshots/list', AUDITOR, { limit: 1 })).snapshots[0]!.periodKey;
    const [y, m] = lockedMonth.split('-').map(Number) as [number, number];
    const earlier = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const everyone = Array.from({ length: 42 }, (_, i) => `557058:demo-${String(i + 1).padStart(2, '0')}`);
    const { jobId } = await app.invoke<{ jobId: string }>('periods/lock', HR, { periodKey: earlier, people: everyone });
    await expect.poll(async () => (await app.invoke<{ state: string }>('periods/job', HR, { jobId })).state, { timeout: 120_000, interval: 500 }).toBe('done');
    const all: SnapshotPage['snapshots'] = [];
    let cursor: string | undefined;
    do {
      const got: SnapshotPage = await app.invoke<SnapshotPage>('snapshots/list', AUDITOR, { limit: 50, ...(cursor ? { cursor } : {}) });
      all.push(...got.snapshots);
      cursor = got.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThan(50);

    await page.getByTestId('snapshot-person').fill('');
    await page.getByTestId('snapshot-list').click();
    const table = page.locator('[data-testid="snapshot-table"] tbody tr');
    await expect.poll(() => table.count()).toBe(50);
    const rowIds = () => table.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-snapshot')));
    expect(await rowIds()).toEqual(all.slice(0, 50).map((s) => `${s.personId}|${s.periodKey}|${s.version}`));
    expect(await page.getByTestId('snapshot-table').locator('caption').innerText()).toContain('more load below');
    await page.getByTestId('load-more-snapshots').click();
    await expect.poll(() => table.count()).toBe(Math.min(all.length, 100));
    expect(await rowIds()).toEqual(all.slice(0, 100).map((s) => `${s.personId}|${s.periodKey}|${s.version}`));
    if (all.length <= 100) expect(await page.getByTestId('load-more-snapshots').count()).toBe(0);
    // Filtered by the earlier month: that month's snapshots only.
    await page.getByTestId('snapshot-period').fill(earlier);
    await page.getByTestId('snapshot-list').click();
    const ofMonth = all.filter((s) => s.periodKey === earlier).length;
    await expect.poll(() => table.count()).toBe(ofMonth);
    expect(await page.locator('[data-testid="snapshot-table"] tbody tr td:nth-of-type(1)').allInnerTexts()).toEqual(Array(ofMonth).fill(earlier));
  });

  it('loads nothing from anywhere but the local runtime, and logs no error', () => {
    expect(session.remoteRequests).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
