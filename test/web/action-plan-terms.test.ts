import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * The dashboard says what an action-plan item's term is where its deadline is shown: a window of
 * months with its days, "тұрақты негізде" with the quarter it is reported by, "ай сайын".
 */
describe("an action-plan item's term on the dashboard", () => {
  const run = scenario('2026-09-02T10:00:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;
  const ids: Record<string, string> = {};

  async function goToObligation(page: Page, id: string): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(`#/o/${encodeURIComponent(id)}`)}`);
    await page.locator('ol.timeline').waitFor(SETTLED);
    await page.locator('main:not([aria-busy])').waitFor(SETTLED);
  }
  /** The value of a fact of the obligation page, by its term. */
  const fact = (page: Page, term: string) => page.locator('dl.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

  it('the secretary loads a plan with a window, a permanent item and a monthly one', async () => {
    const answer = await run().api<{ obligations: string[] }>('secretary', 'POST', '/action-plans', {
      plan: 'ЗКО-ЖОСПАР-2026',
      issuedBy: 'zko-uralsk-kdn',
      from: '2026-01-01',
      until: '2027-12-31',
      items: [
        { item: '13', title: 'Педагогтар мен психологтарға семинар ұйымдастыру', deadline: 'months:09-10', responsible: ['zko-education'] },
        { item: '29', title: 'Балаларды үйге барып тексеру', deadline: 'permanent', responsible: ['zko-burlin-hospital'] },
        { item: '30', title: 'Салыстырып-тексеру актісін жасау', deadline: 'monthly', responsible: ['zko-health'] },
      ],
    });
    expect(answer.status).toBe(201);
    [ids['13'], ids['29'], ids['30']] = answer.body.obligations as [string, string, string];
  });

  it('in Russian: the window with its months and days beside the deadline, on the page and on the card', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('button[data-lang="ru"]').click();
    await goToObligation(page, ids['13'] ?? '');
    // 31 October 2026 is a Saturday: due on Monday 2 November; the plan's window is still September–October
    expect(await fact(page, 'Срок исполнения по плану').textContent()).toBe('ежегодно, сентябрь–октябрь (01.09.2026 – 31.10.2026)');
    expect(await fact(page, 'Срок исполнения по плану').locator('[data-term="window"]').count()).toBe(1);
    // the reminder as the window opened, on 1 September: the plan came a day later, so it was not sent
    expect(await page.locator('ol.timeline li[data-milestone="reminder-1"] .what').textContent()).toBe('Напоминание: начался срок исполнения по плану — не отправлено');
    expect(await page.locator('ol.timeline li[data-milestone="reminder-2"] .what').textContent()).toBe('Напоминание — запланировано');
    await page.screenshot({ path: shot('action-plan-window-ru'), fullPage: true });

    await goToObligation(page, ids['30'] ?? '');
    expect(await fact(page, 'Срок исполнения по плану').textContent()).toBe('ежемесячно');

    await page.evaluate(`location.hash = '#/'`);
    const card = page.locator(`li.card[data-obligation="${ids['29'] ?? ''}"]`);
    await card.waitFor(SETTLED);
    expect(await card.locator('.term').textContent()).toBe('на постоянной основе; информация представляется ежеквартально');
    await page.screenshot({ path: shot('action-plan-cards-ru'), fullPage: true });
  });

  it('in Kazakh: the permanent item says so, with the quarter it is reported by', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('button[data-lang="kk"]').click();
    await goToObligation(page, ids['29'] ?? '');
    expect(await fact(page, 'Жоспар бойынша орындау мерзімі').textContent()).toBe('тұрақты негізде; ақпарат тоқсан сайын беріледі');
    await page.screenshot({ path: shot('action-plan-permanent-kk'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
