import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

interface Step {
  readonly kind: string;
  readonly date?: string;
  readonly text: { readonly kk: string; readonly ru: string; readonly en: string };
  readonly grounds: readonly { readonly kk: string; readonly ru: string; readonly en: string }[];
}
interface Detail {
  readonly obligation: { readonly plan: { readonly dueDate: string; readonly explanation?: { readonly steps: readonly Step[] } } };
}

/**
 * A conclusion received on Thursday 19 March 2026, before Nauryz: the department's decision is
 * due on Friday 27 March, and its page says why, step by step, with the law each step rests on.
 */
describe('how a due date was counted, on the obligation page', () => {
  const run = scenario('2026-03-20T09:00:00+05:00');
  const chromium = browser();
  let id = '';

  async function goToObligation(page: Page): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(`#/o/${encodeURIComponent(id)}`)}`);
    await page.locator('ol.timeline').waitFor();
    await page.locator('main:not([aria-busy])').waitFor();
  }

  it('the API gives one obligation its explanation, ending on the due date; a list does not', async () => {
    const [opened] = await run().open('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/77', org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    id = opened?.id ?? '';
    const answer = await run().api<Detail>('sss', 'GET', `/obligations/${encodeURIComponent(id)}`);
    expect(answer.status).toBe(200);
    const { plan } = answer.body.obligation;
    const steps = plan.explanation?.steps ?? [];
    expect(steps.map((step) => step.kind)).toEqual(['event', 'count-starts', 'skipped', 'skipped', 'skipped', 'last-day', 'ends']);
    expect(steps.at(-1)?.date).toBe(plan.dueDate);
    expect(plan.dueDate).toBe('2026-03-27');
    // A list is slim (issue 20): no plan, so no explanation; the plan comes with the obligation.
    const list = await run().api<{ obligations: Record<string, unknown>[] }>('sss', 'GET', '/obligations?org=zko-uralsk-akimat-sss');
    expect(list.body.obligations.length).toBeGreaterThan(0);
    expect(list.body.obligations.every((obligation) => !('plan' in obligation) && !('explanation' in obligation))).toBe(true);
  }, 120_000);

  it('in Russian: folded under the facts, opened it lists the holiday, the transferred days off and the end with their grounds', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, run().system.apiUrl, 'aliya.sss');
    await page.locator('button[data-lang="ru"]').click();
    await goToObligation(page);
    const disclosure = page.locator('details[data-section="explanation"]');
    expect(await disclosure.locator('summary').textContent()).toBe('Как исчислен этот срок?');
    expect(await disclosure.locator('li').first().isVisible()).toBe(false);
    await disclosure.locator('summary').click();
    await disclosure.locator('li').first().waitFor({ state: 'visible' });
    const step = (kind: string) => disclosure.locator(`li[data-step="${kind}"]`);
    expect(await step('event').locator('.step').textContent()).toBe('Событие, с которого исчисляется срок: получено заключение социального работника, 19.03.2026, 15:20 (время Астаны).');
    expect(await step('skipped').locator('.step').allTextContents()).toEqual([
      'Не засчитывается: 21.03.2026 (суббота), 22.03.2026 (воскресенье), 23.03.2026 (понедельник) — праздничный день: Наурыз мейрамы.',
      'Не засчитывается: 24.03.2026 (вторник) — выходной день, перенесённый с праздника, выпавшего на субботу 21.03.2026: Наурыз мейрамы.',
      'Не засчитывается: 25.03.2026 (среда) — выходной день, перенесённый с праздника, выпавшего на воскресенье 22.03.2026: Наурыз мейрамы.',
    ]);
    expect(await step('skipped').first().locator('.grounds').textContent()).toBe('Основание: Закон РК от 13.12.2001 № 267-II «О праздниках в Республике Казахстан», ст. 1');
    expect(await step('skipped').nth(1).locator('.grounds').textContent()).toBe('Основание: Трудовой кодекс РК, ст. 85 ⚠');
    expect(await step('last-day').locator('.step').textContent()).toBe('Последний день срока — 3-й рабочий день: 27.03.2026 (пятница).');
    expect(await step('ends').locator('.step').textContent()).toBe(
      'Действие совершается в организации: срок истекает с окончанием её рабочего времени, 27.03.2026 в 18:30 по времени Астаны.',
    );
    expect(await step('ends').locator('.grounds').textContent()).toBe('Основание: ГК РК, «Исчисление сроков» ⚠');
    await disclosure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('explain-ru'), fullPage: true });
    await page.context().close();
  }, 90_000);

  it('in Kazakh, the same steps', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, run().system.apiUrl, 'aliya.sss');
    await page.locator('button[data-lang="kk"]').click();
    await goToObligation(page);
    const disclosure = page.locator('details[data-section="explanation"]');
    expect(await disclosure.locator('summary').textContent()).toBe('Бұл мерзім қалай есептелді?');
    await disclosure.locator('summary').click();
    await disclosure.locator('li[data-step="ends"]').waitFor({ state: 'visible' });
    expect(await disclosure.locator('li[data-step="count-starts"] .step').textContent()).toBe('Мерзім (3 жұмыс күні) оқиғадан кейінгі күннен бастап есептеледі: 20.03.2026 (жұма).');
    expect(await disclosure.locator('li[data-step="skipped"] .step').first().textContent()).toBe(
      'Есепке алынбайды: 21.03.2026 (сенбі), 22.03.2026 (жексенбі), 23.03.2026 (дүйсенбі) — мереке күні: Наурыз мейрамы.',
    );
    expect(await disclosure.locator('li[data-step="ends"] .grounds').textContent()).toBe('Негізі: ҚР Азаматтық кодексі, «Мерзімдерді есептеу» ⚠');
    await page.screenshot({ path: shot('explain-kk'), fullPage: true });
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
