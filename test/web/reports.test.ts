import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine: a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * The commission secretary's art. 479 list on the dashboard: a submission received by a school
 * and by the police on 2 February 2026, the police reply in time, the school never does. On
 * 10 March the list names the school, and the secretary downloads it as a spreadsheet.
 */
describe('the art. 479 list on the commission’s page', () => {
  const run = scenario('2026-02-02T10:00:00+05:00');
  const chromium = browser();

  it('the submission goes out; the police reply, the school does not', async () => {
    const opened = await run().open('secretary', {
      rule: 'submission-reply',
      caseRef: 'КДН-2026/44',
      addressees: ['zko-uralsk-school-12', 'zko-uralsk-police-dv'],
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-02-02T09:30:00+05:00',
    });
    expect(opened.map((obligation) => obligation.plan.dueDate)).toEqual(['2026-03-02', '2026-03-02']);
    const police = opened.find((obligation) => obligation.org === 'zko-uralsk-police-dv');
    // Two orders of the Uralsk unit: one assigned to an inspector, one to nobody; their first checks never come.
    await run().open('inspector', { rule: 'protective-order', caseRef: 'ЗП-2026/45', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', start: '2026-02-02T09:00:00+05:00' });
    await run().open('inspector', { rule: 'protective-order', caseRef: 'ЗП-2026/46', org: 'zko-uralsk-police-dv', start: '2026-02-02T09:00:00+05:00' });
    await run().at('2026-02-20T11:00:00+05:00');
    await run().record('inspector', police?.id ?? '', { act: 'replied' });
    await run().at('2026-03-10T09:30:00+05:00');
  });

  it('the secretary sees the school on the list and downloads it as Excel', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, run().system.apiUrl, 'dana.secretary');
    const section = page.locator('[data-section="art-479"]');
    await expect.poll(() => section.locator('tbody tr').count(), SETTLED).toBe(1);
    const row = section.locator('tbody tr[data-org="zko-uralsk-school-12"]');
    // Due 2 March, today 10 March: 8 days.
    expect(await row.locator('td').allTextContents()).toEqual(['КДН-2026/44', '02.02.2026', '02.03.2026', '8', 'КоАП РК, ст. 479']);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('commission-art-479'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), section.locator('button[data-download="xlsx"]').click()]);
    expect(download.suggestedFilename()).toBe('merzim-479-zko-uralsk-kdn-2026-03-10.xlsx');
    const saved = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(saved) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('art-479');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect((sheet?.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Адресат', 'Адресат (орыс.)', 'Адресат коды']);
    expect((sheet?.getRow(2).values as unknown[]).slice(1, 7)).toEqual(['Адресат (каз.)', 'Адресат', 'Код адресата', 'Представление', 'Дата получения', 'Срок ответа']);
    expect(sheet?.rowCount).toBe(3);
    const values = (sheet?.getRow(3).values as unknown[]).slice(1);
    expect(values.slice(2, 7)).toEqual(['zko-uralsk-school-12', 'КДН-2026/44', new Date('2026-02-02T00:00:00Z'), new Date('2026-03-02T00:00:00Z'), 8]);
    expect(values[8]).toBe('КоАП РК, ст. 479');

    const [csv] = await Promise.all([page.waitForEvent('download'), section.locator('button[data-download="csv"]').click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[1]?.split(';').slice(2, 7)).toEqual(['zko-uralsk-school-12', 'КДН-2026/44', '02.02.2026', '02.03.2026', '8']);
    await page.context().close();
  }, 120_000);

  it('the unit’s head sees the overdue counted per official, by work identity, with their list', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, run().system.apiUrl, 'yerlan.unit-head');
    const officials = page.locator('[data-section="officials"]');
    await expect.poll(() => officials.locator(':scope > ul > li').count(), SETTLED).toBe(2);
    // The inspector's check of ЗП-2026/45 (due 9 February); the check of ЗП-2026/46 is nobody's.
    const inspector = officials.locator('li[data-assignee="aigerim.inspector"]');
    expect(await inspector.locator('[data-count]').textContent()).toBe('1');
    await inspector.locator('summary').click();
    expect(await inspector.locator('details li a').allTextContents()).toEqual(['ЗП-2026/45']);
    const unassigned = officials.locator('li[data-assignee=""][data-org="zko-uralsk-police-dv"]');
    expect(await unassigned.locator('summary').textContent()).toContain('не закреплено');
    expect(await unassigned.locator('[data-count]').textContent()).toBe('1');
    await officials.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('unit-head-officials'), fullPage: true });
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
