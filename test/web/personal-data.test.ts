import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * A text the API refuses as personal data (issue 17): the act's form says by the field, in the
 * page's language, what was found, and nothing is recorded. Monday 13 April 2026, 09:30 in Uralsk.
 */
describe('the dashboard tells why a text was refused as personal data', () => {
  const run = scenario('2026-04-13T09:30:00+05:00');
  const chromium = browser();

  async function openedFor(caseRef: string): Promise<string> {
    const answer = await run().api<{ obligations: { id: string }[] }>('sss', 'POST', '/obligations', { rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start: '2026-04-13T09:00+05:00' });
    expect(answer.status).toBe(201);
    const id = answer.body.obligations[0]?.id;
    if (id === undefined) throw new Error('nothing opened');
    return id;
  }

  async function actsOf(page: Page, id: string) {
    await page.evaluate(`location.hash = ${JSON.stringify(`#/o/${encodeURIComponent(id)}`)}`);
    const panel = page.locator('section[data-section="acts"]');
    await panel.waitFor();
    await page.locator('main:not([aria-busy])').waitFor();
    return panel;
  }

  it.each([
    ['ru', 'SSS-2026/917', 'note', 'Позвонить заявительнице: 8 701 234 56 78', 'Не записано: в тексте есть номер телефона. Персональные данные здесь не хранятся: уберите его.'],
    ['en', 'SSS-2026/918', 'note', 'Answer sent to aigul.ivanova@mail.ru', 'Not recorded: the text holds an e-mail address. Personal data is not kept here: leave it out.'],
    ['kk', 'SSS-2026/919', 'note', 'Иванова Айгуль Сериковна өтініш берді', 'Тіркелмеді: мәтінде адамның тегі, аты және әкесінің аты көрсетілген сияқты. Дербес деректер мұнда сақталмайды: оларды алып тастаңыз.'],
  ] as const)('in %s: a decision whose note holds personal data is refused by the note, told what was found, and not recorded', async (language, caseRef, field, text, said) => {
    const id = await openedFor(caseRef);
    const page = await newPage(chromium(), { language });
    await signIn(page, run().system.apiUrl, 'aliya.sss');
    const panel = await actsOf(page, id);
    await panel.locator('button[data-act="decided"]').click();
    const form = panel.locator('form.act-form[data-act="decided"]');
    await form.waitFor();
    await form.locator(`[name="${field}"]`).fill(text);
    await form.locator('button[data-action="continue"]').click();
    await panel.locator('.act-confirm button[data-action="confirm"]').click();

    const refused = panel.locator(`[data-field="${field}"] .field-error`);
    await refused.waitFor({ state: 'visible', ...SETTLED });
    expect(await refused.textContent()).toBe(said);
    expect(await form.locator(`[name="${field}"]`).getAttribute('aria-invalid')).toBe('true');
    // What was typed stays, to be corrected; nothing was recorded.
    expect(await form.locator(`[name="${field}"]`).inputValue()).toBe(text);
    const after = await run().obligation(id);
    expect(after.obligation.status).toBe('open');
    expect(after.events.map((event) => event.type)).toEqual(['opened']);
    await page.screenshot({ path: shot(`personal-data-refused-${language}`), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
