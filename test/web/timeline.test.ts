import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { noticesIn, recipients, scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * The timeline of a submission registered six weeks late, on Monday 13 April 2026: its reminders
 * show as not sent because it was opened late, its deadline and first escalation as folded into
 * the last escalation, which went once to each person, and the police unit's missing head as
 * nobody to tell; the administrator finds the unit on the list of directory gaps. The escalation
 * goes in the next working morning's mail (09:30, Tuesday 14 April).
 */
describe('the timeline of a late-opened obligation', () => {
  const run = scenario('2026-04-13T09:30:00+05:00', { schedules: ['digest'] });
  const chromium = browser();
  const url = () => run().system.apiUrl;
  const ids = { education: '', police: '' };

  async function goToObligation(page: Page, id: string): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(`#/o/${encodeURIComponent(id)}`)}`);
    await page.locator('ol.timeline').waitFor();
    await page.locator('main:not([aria-busy])').waitFor();
  }

  it('the secretary registers a submission of 2 March to two bodies; one notice per person and obligation in the next morning mail, none to the bodies', async () => {
    const opened = await run().open('secretary', {
      rule: 'submission-reply',
      caseRef: 'KDN-P-2026/21',
      addressees: ['zko-education', 'zko-uralsk-police-dv'],
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-03-02T10:00:00+05:00',
    });
    ids.education = opened[0]?.id ?? '';
    ids.police = opened[1]?.id ?? '';
    await run().clock.settle();
    expect(await run().newMail()).toEqual([]);
    await run().at('2026-04-14T09:30:00+05:00');
    // Education: its head, the secretary, the chair; the police unit: the secretary and the chair (it has no head in the directory).
    expect(recipients(noticesIn(await run().newMail()))).toEqual([
      'head.education.zko@edu.demo.kz',
      'kdn-chair.uralsk@akimat.demo.kz',
      'kdn-chair.uralsk@akimat.demo.kz',
      'kdn-secretary.uralsk@akimat.demo.kz',
      'kdn-secretary.uralsk@akimat.demo.kz',
    ]);
  }, 120_000);

  it('in Russian: reminders not sent (opened late), the deadline and the first escalation folded into the last, nobody to tell for the missing head', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('button[data-lang="ru"]').click();
    await goToObligation(page, ids.police);
    const milestone = (id: string) => page.locator(`ol.timeline li[data-milestone="${id}"]`);

    for (const reminder of ['reminder-1', 'reminder-2']) {
      expect(await milestone(reminder).getAttribute('data-not-told')).toBe('true');
      expect(await milestone(reminder).locator('.what').textContent()).toBe('Напоминание — не отправлено');
      expect(await milestone(reminder).locator('li.not-told').textContent()).toBe('Уведомление не отправлено: срок внесён в систему после этой даты — напоминать уже поздно');
      expect(await milestone(reminder).locator('li[data-notice]').count()).toBe(0);
    }
    // The deadline happened (the reply is overdue); only its notice went with the last escalation.
    expect(await milestone('due').getAttribute('data-not-told')).toBeNull();
    expect(await milestone('due').locator('.what').textContent()).toBe('Срок — истёк');
    expect(await milestone('due').locator('li.not-told').textContent()).toBe(
      'Уведомление не отправлено: срок внесён в систему после этой даты — вошло в уведомление «Сообщение руководителю» от 09.04.2026 09:00',
    );
    expect(await milestone('escalation-1-1').getAttribute('data-not-told')).toBe('true');
    expect(await milestone('escalation-1-1').locator('li[data-notice]').count()).toBe(0);
    // The last escalation: one notice to the secretary and one to the chair, nobody for the head.
    const last = milestone('escalation-2-1');
    expect(await last.getAttribute('data-not-told')).toBeNull();
    // Whom it was to tell: its own chair, and the secretary and the head of the milestones folded into it.
    expect(await last.locator('ul > li').first().textContent()).toBe(
      'кого уведомить: Председатель комиссии, Секретарь комиссии по делам несовершеннолетних и защите их прав, Руководитель органа (организации), получившего постановление, представление или пункт плана',
    );
    expect(await last.locator('li[data-notice="sent"]').allTextContents()).toEqual([
      expect.stringMatching(/^Председатель комиссии \(askar\.chair\): отправлено/),
      expect.stringMatching(/^Секретарь комиссии .*\(dana\.secretary\): отправлено/),
    ]);
    expect(await last.locator('[data-replaces]').textContent()).toBe(' · одно уведомление вместо неотправленных');
    expect(await last.locator('[data-unreachable]').textContent()).toBe(' · некому сообщить: в справочнике нет должности «Руководитель органа (организации), получившего постановление, представление или пункт плана»');
    await page.screenshot({ path: shot('timeline-late-ru'), fullPage: true });

    // The education department has its head: the same escalation told three people, once each.
    await goToObligation(page, ids.education);
    expect(await milestone('escalation-2-1').locator('li[data-notice="sent"]').count()).toBe(3);
    expect(await milestone('escalation-2-1').locator('[data-unreachable]').count()).toBe(0);
    expect(await page.locator('ol.timeline li[data-notice]').count()).toBe(3);
    await page.context().close();
  }, 90_000);

  it('in Kazakh, the same timeline', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('button[data-lang="kk"]').click();
    await goToObligation(page, ids.police);
    const milestone = (id: string) => page.locator(`ol.timeline li[data-milestone="${id}"]`);
    expect(await milestone('reminder-1').locator('.what').textContent()).toBe('Еске салу — жіберілмеді');
    expect(await milestone('reminder-1').locator('li.not-told').textContent()).toBe('Хабарлама жіберілмеді: мерзім жүйеге осы уақыттан кейін енгізілді — енді еске салу кеш');
    expect(await milestone('escalation-1-1').locator('li.not-told').textContent()).toBe(
      'Хабарлама жіберілмеді: мерзім жүйеге осы уақыттан кейін енгізілді — 09.04.2026 09:00 күнгі «Басшыға хабарлау» хабарламасына енгізілді',
    );
    expect(await milestone('escalation-2-1').locator('[data-unreachable]').textContent()).toBe(' · хабарлайтын адам жоқ: анықтамалықта «Қаулыны, ұсынысты немесе жоспар тармағын алған орган (ұйым) басшысы» лауазымы жоқ');
    await page.screenshot({ path: shot('timeline-late-kk'), fullPage: true });
    await page.context().close();
  }, 90_000);

  it('the administrator finds the police unit on the list of directory gaps, and the case it was missed for', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    // The administrator is not in the demo directory's sign-in list: the page is given a token as Cognito would.
    const token = await run().system.signToken({ user: 'admin', groups: ['admin'], org: 'zko' });
    await page.goto(`${url()}/`);
    await page.evaluate(`sessionStorage.setItem('merzim.token', ${JSON.stringify(token)})`);
    await page.reload();
    await page.locator('.identity[data-user="admin"]').waitFor();
    await page.locator('button[data-lang="ru"]').click();
    const gaps = page.locator('section[data-section="directory-gaps"]');
    await gaps.waitFor(SETTLED);
    expect(await gaps.locator('h2').textContent()).toBe('Пробелы в справочнике организаций (1)');
    const row = gaps.locator('tr[data-gap="zko-uralsk-police-dv"][data-role="addressee-head"]');
    expect(await row.locator('td').first().textContent()).toBe('Руководитель органа (организации), получившего постановление, представление или пункт плана');
    expect(await row.locator('a').textContent()).toBe('KDN-P-2026/21');
    expect(await gaps.locator('tr[data-gap="zko-education"]').count()).toBe(0);
    await gaps.screenshot({ path: shot('directory-gaps-ru') });
    await row.locator('a').click();
    await expect.poll(() => page.locator('ol.timeline li[data-milestone="escalation-2-1"] [data-unreachable]').count(), SETTLED).toBe(1);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
