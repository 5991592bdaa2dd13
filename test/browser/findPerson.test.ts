/**
 * Finding a person in Jira from the Admin view, in Chromium against the local runtime's demo: Anna
 * (HR admin) finds Ruth, a new hire the demo's Jira has and the app knows nothing about (in no
 * team, no role, no contract, not among the demo people /api/people lists), adds her, gives her a
 * contract, and makes a new team with her in it. After a reload Ruth is still listed, by name, as
 * a team member (people/names), no longer as someone found. Apps and deactivated accounts are
 * never offered; a query that is too short cannot be sent; nothing found says so.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openAs, seriousAxeViolations, startDemoApp, type DemoApp, type Session } from './support/localApp';

const HR = '557058:demo-01';
const RUTH = '557058:demo-new-01';
const SAM = '557058:demo-new-02';

describe.skipIf(!hasChromium)('Admin: find a person in Jira, as an HR admin (Anna), in Chromium', () => {
  let app: DemoApp;
  let browser: Browser;
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    app = await startDemoApp();
    browser = await launchChromium();
    session = await openAs(browser, app, HR);
    page = session.page;
    await page.getByTestId('tab-admin').click();
    await page.getByTestId('find-person').waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const openPanel = async (id: string) => {
    await page.getByTestId(`admin-tab-${id}`).click();
    await page.getByTestId(`admin-panel-${id}`).waitFor();
  };
  const optionsOf = (testId: string) => page.getByTestId(testId).locator('option').allInnerTexts();

  it('Ruth is in none of the lists before she is found', async () => {
    const listed = (await (await fetch(`${app.url}/api/people`)).json()) as { accountId: string }[];
    expect(listed.map((p) => p.accountId)).not.toContain(RUTH);
    await openPanel('contracts');
    expect(await optionsOf('contracts-person')).not.toContain('Ruth Newhire');
  });

  it('a query of one letter cannot be sent; the label and the keyboard reach the search', async () => {
    const box = page.getByLabel('Name or email');
    await box.fill('r');
    expect(await page.getByTestId('find-person-search').isDisabled()).toBe(true);
    await box.fill('zzzz');
    await box.press('Enter');
    await page.getByTestId('find-person-empty').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('find-person-empty').innerText()).toContain('Nobody in Jira matches “zzzz”');
  });

  it('finds the new hires and offers neither the app’s bot nor the deactivated account', async () => {
    await page.getByLabel('Name or email').fill('newhire');
    await page.getByLabel('Name or email').press('Enter');
    const results = page.getByTestId('find-person-results');
    await results.waitFor({ timeout: 15_000 });
    const shown = await results.locator('li').allInnerTexts();
    expect(shown).toHaveLength(2);
    expect(shown.join('\n')).toContain('Ruth Newhire');
    expect(shown.join('\n')).toMatch(/Sam Newhire\s*\(no time zone in Jira/);
    expect(shown.join('\n')).not.toContain('Nils');
    // What people/search answers is what the page shows.
    const answer = await app.invoke<{ accountId: string }[]>('people/search', HR, { query: 'newhire' });
    expect(answer.map((p) => p.accountId).sort()).toEqual([RUTH, SAM].sort());
    await page.getByLabel('Name or email').fill('newsletter');
    await page.getByTestId('find-person-search').click();
    await page.getByTestId('find-person-empty').waitFor({ timeout: 15_000 });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('adds Ruth, who can then be given a contract', async () => {
    await page.getByLabel('Name or email').fill('ruth');
    await page.getByLabel('Name or email').press('Enter');
    await page.getByTestId(`find-person-add-${RUTH}`).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Add Ruth Newhire to the lists' }).press('Enter');
    expect(await page.getByTestId('find-person-added').innerText()).toBe('Ruth Newhire can now be picked in every tab.');
    await openPanel('contracts');
    await page.getByTestId('contracts-person').selectOption(RUTH);
    await page.getByText('No contract').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'New contract' }).click();
    await page.getByTestId('contract-first').fill('2026-01-05');
    await page.getByTestId('contract-factor-input').fill('0.5');
    await page.getByTestId('contract-save').click();
    await expect.poll(async () => (await app.invoke<{ firstDate: string; partTimeFactor: string }[]>('contracts/list', HR, { personId: RUTH })).map((c) => `${c.firstDate} ${c.partTimeFactor}`), { timeout: 15_000 }).toEqual(['2026-01-05 0.5']);
    await openPanel('balance');
    expect(await optionsOf('balance-person')).toContain('Ruth Newhire');
    // The absence grid's Everyone, a page of 25 at a time: Ruth is on one of them.
    await openPanel('absences');
    await page.getByTestId('absences-scope').selectOption('everyone');
    const grid = page.getByTestId('absence-grid');
    let pages = 0;
    for (; pages < 4; pages++) {
      await grid.waitFor({ timeout: 15_000 });
      if ((await grid.innerText()).includes('Ruth Newhire')) break;
      await page.getByTestId('absences-pager').getByRole('button', { name: /^Next/ }).click();
    }
    expect(pages).toBeLessThan(4);
  });

  it('drops a selection in the absence grid when the list it was made in changes, rather than moving it to someone else', async () => {
    await openPanel('absences');
    await page.getByTestId('absences-scope').selectOption('everyone');
    const pager = page.getByTestId('absences-pager');
    await pager.waitFor({ timeout: 15_000 });
    // The last page: people found this visit are listed after the others, so adding one changes its rows.
    while (await pager.getByRole('button', { name: /^Next/ }).isEnabled()) await pager.getByRole('button', { name: /^Next/ }).click();
    await page.getByTestId('absence-grid').waitFor({ timeout: 15_000 });
    await page.locator('[data-cell="0-20"]').click();
    const selection = page.getByTestId('absence-selection');
    expect(await selection.innerText()).not.toContain('nothing selected');
    await page.getByLabel('Name or email').fill('sam');
    await page.getByLabel('Name or email').press('Enter');
    await page.getByTestId(`find-person-add-${SAM}`).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Add Sam Newhire to the lists' }).click();
    await expect.poll(() => selection.innerText(), { timeout: 15_000 }).toContain('nothing selected');
  });

  it('makes a new team with Ruth in it; after a reload she is listed by name as its member', async () => {
    await openPanel('roles');
    await page.getByRole('button', { name: 'New team' }).click();
    const form = page.getByRole('form', { name: 'New team' });
    await form.getByLabel('Id', { exact: true }).fill('new-hires');
    await form.getByLabel('Name', { exact: true }).fill('New hires');
    await form.getByLabel('Lead: Anna').check();
    await form.getByLabel('Member: Ruth Newhire').check();
    await form.getByRole('button', { name: 'Save team' }).click();
    await expect.poll(async () => (await app.invoke<{ id: string; members: string[] }[]>('teams/list', HR)).find((t) => t.id === 'new-hires')?.members, { timeout: 15_000 }).toEqual([RUTH]);

    await page.reload();
    await page.getByTestId('total-worked').waitFor({ timeout: 30_000 });
    await page.getByTestId('tab-admin').click();
    await openPanel('contracts');
    expect(await optionsOf('contracts-person')).toContain('Ruth Newhire');
    // Sam was found, never added: gone with the visit.
    expect(await optionsOf('contracts-person')).not.toContain('Sam Newhire');
    expect(session.errors).toEqual([]);
  });
});
