import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine: a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * The quarterly report's obligation on the dashboard (issue 19): Merzim opens the Uralsk unit's
 * service note for the third quarter (due 5 October); its card and its page link to the unit's
 * report of that quarter, whose page counts the order served in September.
 */
describe('the quarterly report obligation links to the unit’s report', () => {
  const run = scenario('2026-09-28T10:00:00+05:00', { provision: true });
  const chromium = browser();

  it('an order is served in September; the clock moves to 1 October', async () => {
    await run().open('inspector', { rule: 'protective-order', caseRef: 'ЗП-2026/401', org: 'zko-uralsk-police-dv', start: '2026-09-28T09:00:00+05:00' });
    await run().at('2026-10-01T10:00:00+05:00');
  });

  it('the unit head follows the link from the report obligation’s card and page to the third quarter’s figures', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, run().system.apiUrl, 'yerlan.unit-head');
    const card = page.locator('li.card[data-rule="unit-quarterly-report"]').first();
    await card.waitFor(SETTLED);
    const link = card.locator('a[data-report-link]');
    expect(await link.getAttribute('href')).toBe('#/reports/quarterly?org=zko-uralsk-police-dv&quarter=2026-Q3');
    expect(await link.textContent()).toBe('Показатели за квартал (для отчёта) (2026-Q3)');

    // The obligation's own page shows the same link among its facts.
    await card.locator('a', { hasText: 'План и история' }).click();
    await page.locator('dl.facts a[data-report-link="2026-Q3"]').waitFor(SETTLED);
    await page.locator('dl.facts a[data-report-link]').click();

    const report = page.locator('[data-section="quarterly-report"]');
    await report.waitFor(SETTLED);
    expect(await report.getAttribute('data-quarter')).toBe('2026-Q3');
    expect(await report.locator('h2').textContent()).toContain('Квартальный отчёт, III квартал 2026 года');
    // The order served on 28 September, in the unit's row and in the total.
    const orders = page.locator('section[data-rule="protective-order"]');
    expect(await orders.locator('tbody tr[data-org="zko-uralsk-police-dv"] td[data-figure="served"]').textContent()).toBe('1');
    expect(await orders.locator('tfoot td[data-figure="served"]').textContent()).toBe('1');
    expect(await orders.locator('thead th').allTextContents()).toContain('Вручено защитных предписаний');
    expect(await report.locator('button[data-download="xlsx"]').count()).toBe(1);
    await page.screenshot({ path: shot('quarterly-report'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
