import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

interface Listed {
  id: string;
  rule: string;
  caseRef: string;
  org: string;
  issuedBy?: string;
  dueAt: string;
  parentId?: string;
}

/**
 * Opening a case from the page, in headless Chromium against the whole app on a virtual clock,
 * Monday 13 April 2026, 09:30 in Uralsk: the form offers what the API says the caller may open,
 * the plan is shown before anything is saved, and what is confirmed is opened.
 */
describe('opening a case from the page', () => {
  const run = scenario('2026-04-13T09:30:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;

  /** The obligations of a case, as the administrator lists them at a unit or an issuer. */
  const listed = async (query: string, caseRef: string): Promise<Listed[]> => {
    const answer = await run().api<{ obligations: Listed[] }>('admin', 'GET', `/obligations?${query}&status=open`);
    return answer.body.obligations.filter((obligation) => obligation.caseRef === caseRef);
  };

  async function openForm(page: Page): Promise<void> {
    await page.locator('a[data-action="open-case"]').click();
    await page.locator('form.open-form').waitFor();
    await page.locator('main:not([aria-busy])').waitFor();
  }

  it('the commission secretary opens a decision with two addressees: the plan first, then both obligations', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'dana.secretary');
    await openForm(page);
    const form = page.locator('form.open-form');
    expect(await form.getAttribute('data-rule')).toBe('kdn-placement-reply');
    // Her own commission is the issuer; she does not choose it.
    expect(await form.locator('[data-field="issuedBy"] .fixed').getAttribute('data-value')).toBe('zko-uralsk-kdn');
    expect(await form.locator('[data-field="issuedBy"] .fixed').textContent()).toBe('Орал қаласы кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия');
    // The addressees are the directory's bodies a decision may go to, in the page's language; not a commission.
    const choices = form.locator('[data-field="addressees"] input[type="checkbox"]');
    const offered = await choices.evaluateAll((boxes) => boxes.map((box) => box.getAttribute('value') ?? ''));
    expect(offered).toEqual(expect.arrayContaining(['zko-uralsk-school-12', 'zko-uralsk-akimat-sss', 'zko-health']));
    expect(offered).not.toContain('zko-uralsk-kdn');
    expect(await form.locator('[data-org="zko-uralsk-school-12"] label').textContent()).toContain('Орал қаласының № 12 мектебі');

    // Nothing chosen, no number: told by the fields, nothing sent.
    await form.locator('button[data-action="preview"]').click();
    expect(await form.locator('[data-field="addressees"] .field-error').textContent()).toBe('Кемінде бір органды таңдаңыз.');
    expect(await form.locator('[data-field="caseRef"] .field-error').isVisible()).toBe(true);

    // A reference with an IIN in it: the API refuses it by the field, and what was chosen stays.
    await form.locator('[data-org="zko-uralsk-school-12"] input').check();
    await form.locator('[data-field="addressees"] input[type="search"]').fill('бөлім');
    expect(await form.locator('[data-org="zko-uralsk-school-12"]').isHidden()).toBe(true);
    await form.locator('[data-org="zko-uralsk-akimat-sss"] input').check();
    await form.locator('[data-field="addressees"] input[type="search"]').fill('');
    await form.locator('[name="caseRef"]').fill('КДН 860412350123');
    await form.locator('button[data-action="preview"]').click();
    const refused = form.locator('[data-field="caseRef"] .field-error');
    await refused.waitFor({ state: 'visible', ...SETTLED });
    // Told in Kazakh what was found: a 12-digit number that may be an IIN (ЖСН), to be left out.
    expect(await refused.textContent()).toBe('Бақылауға қойылмады: мәтінде 12 цифрдан тұратын сан бар, ол ЖСН болуы мүмкін. Дербес деректер мұнда сақталмайды: оны алып тастаңыз.');
    expect(await form.locator('[name="caseRef"]').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: shot('opening-refused-kk'), fullPage: true });
    expect(await form.locator('input[name="addressees"]:checked').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('value') ?? '').sort())).toEqual([
      'zko-uralsk-akimat-sss',
      'zko-uralsk-school-12',
    ]);

    // The plan before saving: one decision to two bodies, due Monday 27 April to 24:00, its reminders, its escalation, its source.
    await form.locator('[name="caseRef"]').fill('КДН-2026/21');
    await form.locator('button[data-action="preview"]').click();
    const preview = page.locator('.open-preview');
    await preview.waitFor({ state: 'visible', ...SETTLED });
    const card = preview.locator('.plan-card');
    expect(await card.count()).toBe(1);
    expect((await card.getAttribute('data-orgs'))?.split(' ').sort()).toEqual(['zko-uralsk-akimat-sss', 'zko-uralsk-school-12']);
    expect(await card.locator('.deadline time').textContent()).toBe('27.04.2026 24:00 (дс)');
    expect(await card.locator('[data-list="reminders"] li').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-list="escalation"] li').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-list="escalation"]').textContent()).toContain('Қаулыны, ұсынысты немесе жоспар тармағын алған орган (ұйым) басшысы');
    // The secretary is told at the deadline itself: at 24:00 of its last day, as the deadline reads.
    expect(await card.locator('[data-list="escalation"] li[data-kind="due"] time').textContent()).toBe('27.04.2026 24:00 (дс)');
    expect(await card.locator('[data-list="sources"] li').count()).toBeGreaterThan(0);
    // Still nothing is saved.
    expect(await listed('issuer=zko-uralsk-kdn', 'КДН-2026/21')).toEqual([]);
    expect(await form.locator('[name="caseRef"]').isDisabled()).toBe(true);
    await page.screenshot({ path: shot('opening-plan-kk'), fullPage: true });

    await preview.locator('button[data-action="confirm"]').click();
    const opened = page.locator('[data-section="opened"]');
    await opened.waitFor(SETTLED);
    expect(await opened.locator('li[data-opened]').count()).toBe(2);
    const made = await listed('issuer=zko-uralsk-kdn', 'КДН-2026/21');
    expect(made.map((obligation) => [obligation.rule, obligation.org, obligation.issuedBy]).sort()).toEqual([
      ['kdn-placement-reply', 'zko-uralsk-akimat-sss', 'zko-uralsk-kdn'],
      ['kdn-placement-reply', 'zko-uralsk-school-12', 'zko-uralsk-kdn'],
    ]);
    expect(made.map((obligation) => obligation.dueAt)).toEqual(['2026-04-28T00:00:00+05:00', '2026-04-28T00:00:00+05:00']);
    expect((await opened.locator('li[data-opened]').evaluateAll((items) => items.map((item) => item.getAttribute('data-opened')))).sort()).toEqual(made.map((obligation) => obligation.id).sort());
  }, 120_000);

  it('an akimat department opens its decision on special social services (in Russian): its own unit, three working days', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aliya.sss');
    await openForm(page);
    const form = page.locator('form.open-form');
    expect(await form.getAttribute('data-rule')).toBe('sss-decision');
    expect(await form.locator('select[name="rule"] option').count()).toBe(1);
    expect(await form.locator('[data-field="org"] .fixed').getAttribute('data-value')).toBe('zko-uralsk-akimat-sss');
    expect(await form.locator('[data-field="issuedBy"]').count()).toBe(0);
    await form.locator('[name="caseRef"]').fill('СВ-2026/0150');
    await form.locator('[name="start"]').fill('13.04.2026 09:00');
    // A start not yet come: refused by the field the API names.
    await form.locator('[name="start"]').fill('20.04.2026 09:00');
    await form.locator('button[data-action="preview"]').click();
    const startError = form.locator('[data-field="start"] .field-error');
    await startError.waitFor({ state: 'visible', ...SETTLED });
    expect(await startError.textContent()).toContain('Не поставлено на контроль:');
    expect(await form.locator('[name="caseRef"]').inputValue()).toBe('СВ-2026/0150');

    await form.locator('[name="start"]').fill('13.04.2026 09:00');
    await form.locator('button[data-action="preview"]').click();
    const preview = page.locator('.open-preview');
    await preview.waitFor({ state: 'visible', ...SETTLED });
    const card = preview.locator('.plan-card');
    // Three working days from Monday: Thursday 16 April, to the end of the working day.
    expect(await card.locator('.deadline time').textContent()).toBe('16.04.2026 18:30 (чт)');
    expect(await card.locator('[data-list="escalation"]').textContent()).toContain('Руководитель отдела');
    expect(await card.locator('[data-list="escalation"]').textContent()).toContain('Заместитель акима');
    await page.screenshot({ path: shot('opening-plan-ru'), fullPage: true });
    await preview.locator('button[data-action="confirm"]').click();
    await page.locator('[data-section="opened"]').waitFor(SETTLED);
    const made = await listed('org=zko-uralsk-akimat-sss', 'СВ-2026/0150');
    expect(made.map((obligation) => [obligation.rule, obligation.dueAt])).toEqual([['sss-decision', '2026-04-16T18:30:00+05:00']]);
  }, 120_000);

  it('an inspector serves a protective order: the order and its first check are shown, then opened together', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aigerim.inspector');
    await openForm(page);
    await page.locator('select[name="rule"]').selectOption('protective-order');
    const form = page.locator('form.open-form[data-rule="protective-order"]');
    await form.waitFor();
    expect(await form.locator('[data-field="org"] .fixed').getAttribute('data-value')).toBe('zko-uralsk-police-dv');
    await form.locator('[name="caseRef"]').fill('ЗП-2026/31');
    await form.locator('[name="start"]').fill('13.04.2026 08:15');
    await form.locator('button[data-action="preview"]').click();
    const preview = page.locator('.open-preview');
    await preview.waitFor({ state: 'visible', ...SETTLED });
    const cards = preview.locator('.plan-card');
    expect(await cards.evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')))).toEqual(['protective-order', 'offender-check']);
    // Thirty 24-hour periods from the moment of service, never moved.
    expect(await cards.first().locator('.deadline time').textContent()).toBe('13.05.2026 08:15 (ср)');
    expect(await cards.nth(1).locator('h3').textContent()).toContain('Ставится на контроль вместе с ним');
    await page.screenshot({ path: shot('opening-order-ru'), fullPage: true });
    await preview.locator('button[data-action="confirm"]').click();
    await page.locator('[data-section="opened"]').waitFor(SETTLED);
    const made = await listed('org=zko-uralsk-police-dv', 'ЗП-2026/31');
    expect(made.map((obligation) => obligation.rule).sort()).toEqual(['offender-check', 'protective-order']);
  }, 120_000);

  it('on a phone the secretary’s form reads in one column', async () => {
    const page = await newPage(chromium(), { language: 'ru', phone: true });
    await signIn(page, url(), 'dana.secretary');
    await openForm(page);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot('opening-phone-ru'), fullPage: true });
  }, 120_000);

  it('no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
