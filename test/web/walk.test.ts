import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw, the retries): a bound, not a wait. */
const SETTLED = { timeout: 60_000 };

/**
 * Found by walking the running system as its users would (branch walk-fixes). The administrator's
 * home page asked 89 lists at once (one per unit of the region, and more), so a few redraws spent
 * his request bucket (300, then 5 a second) and the next page stood blank but for the API's
 * English "too many requests", in a Russian page.
 */
describe('the dashboard, walked', () => {
  const run = scenario('2026-04-01T09:00:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;

  it('a head whose request bucket is spent still gets his page, once the bucket refills, in his language', async () => {
    await run().open('admin', { rule: 'offender-check', caseRef: 'OC-2026/31', org: 'zko-uralsk-police-dv', start: '2026-03-20T09:00:00+05:00' });
    await run().at('2026-04-01T12:00:00+05:00');
    const page = await newPage(chromium(), { language: 'ru' });
    await page.goto(`${url()}/`);
    await page.locator('button[data-user="berik.regional-head"]').waitFor();
    // The API's bucket itself is tested in test/security/insider.test.ts; here the page meets its
    // answer: the first lists it asks are refused with 429 and Retry-After, as a spent bucket does.
    let refused = 0;
    await page.route(/\/obligations\?/, async (route) => {
      if (route.request().method() === 'GET' && refused < 8) {
        refused += 1;
        await route.fulfill({ status: 429, headers: { 'retry-after': '1' }, contentType: 'application/json', body: JSON.stringify({ message: 'too many requests: try again in 1 s' }) });
      } else await route.continue();
    });
    await page.locator('button[data-user="berik.regional-head"]').click();
    await page.locator('.identity[data-user="berik.regional-head"]').waitFor();
    await page.locator('[data-section="work"]').waitFor(SETTLED);
    await page.locator('main:not([aria-busy])').waitFor(SETTLED);
    await page.screenshot({ path: shot('walk-spent-bucket'), fullPage: true });
    expect(refused).toBe(8);
    expect(await page.locator('main .field-error').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('too many requests');
    // Refused on its way, the page drew all the same: the late check is in the overdue of the units under him.
    expect(await page.locator('main li.card', { hasText: 'OC-2026/31' }).count()).toBeGreaterThan(0);
    expect(await page.locator('h1').textContent()).toContain('Мои задачи');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
