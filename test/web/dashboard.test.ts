import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/**
 * The dashboard in headless Chromium against the whole app on a virtual clock: each role signs in
 * through the local sign-in page, finds its own list, records an act and sees the list change.
 * Monday 13 April 2026, 09:30 in Uralsk.
 */
describe('the dashboard', () => {
  const run = scenario('2026-04-01T09:00:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;

  it('the work of two weeks is opened, and the clock moves to Monday 13 April', async () => {
    const open = (request: Record<string, unknown>) => run().open('admin', request);
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/101', org: 'zko-uralsk-akimat-sss', start: '2026-04-01T09:00:00+05:00' });
    await open({ rule: 'protective-order', caseRef: 'PO-2026/07', org: 'zko-uralsk-police-dv', start: '2026-03-16T12:00:00+05:00' });
    await open({ rule: 'offender-check', caseRef: 'OC-2026/16', org: 'zko-burlin-police-dv', start: '2026-04-01T09:00:00+05:00' });
    await open({ rule: 'kdn-placement-reply', caseRef: 'KDN-2026/12', addressees: ['zko-uralsk-school-12', 'zko-uralsk-akimat-sss'], issuedBy: 'zko-uralsk-kdn', start: '2026-04-01T09:00:00+05:00' });
    await open({ rule: 'submission-reply', caseRef: 'KDN-P-2026/03', addressees: ['zko-education', 'zko-health'], issuedBy: 'zko-uralsk-kdn', start: '2026-03-02T10:00:00+05:00' });
    await run().at('2026-04-13T09:30:00+05:00');
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/102', org: 'zko-uralsk-akimat-sss', start: '2026-04-08T10:00:00+05:00' });
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/103', org: 'zko-uralsk-akimat-sss', start: '2026-04-13T09:00:00+05:00' });
    await open({ rule: 'offender-check', caseRef: 'OC-2026/15', org: 'zko-uralsk-police-dv', start: '2026-04-07T10:00:00+05:00' });
    await run().clock.settle();
  }, 120_000);

  it('serves the page, its config and the local sign-in; the page needs no token, the API does', async () => {
    const page = await fetch(`${url()}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await (await fetch(`${url()}/dashboard/config.json`)).json()).toMatchObject({ apiUrl: '', auth: { kind: 'local' } });
    const users = (await (await fetch(`${url()}/local/users`)).json()) as { users: { user: string; role: string }[] };
    expect(users.users.map((user) => user.user)).toEqual(expect.arrayContaining(['aliya.sss', 'aigerim.inspector', 'dana.secretary', 'berik.regional-head']));
    expect(users.users.map((user) => user.role)).not.toContain('deputy-akim');
    const refused = await fetch(`${url()}/local/sign-in`, { method: 'POST', body: JSON.stringify({ user: 'marat.deputy-akim' }) });
    expect(refused.status).toBe(404);
    expect((await fetch(`${url()}/me/calendar.ics`)).status).toBe(401);
  });

  it('akimat department: overdue, due today, due this week; a refusal needs its reason; the lists change', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'aliya.sss');
    const card = (section: string, caseRef: string) => page.locator(`[data-section="${section}"] li.card`, { hasText: caseRef });
    await expect.poll(() => card('overdue', 'SSS-2026/101').count()).toBe(1);
    expect(await card('today', 'SSS-2026/102').count()).toBe(1);
    expect(await card('week', 'SSS-2026/103').count()).toBe(1);
    expect(await card('week', 'KDN-2026/12').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('kk');
    expect(await page.locator('h1').textContent()).toContain('Менің жұмысым');
    await expect.poll(() => card('today', 'SSS-2026/102').locator('time').first().textContent()).toBe('13.04.2026 18:30 (дс)');
    await page.screenshot({ path: shot('akimat-department'), fullPage: true });

    // A refusal without a reason stays on the page, says why, and puts the focus on the reason.
    const today = card('today', 'SSS-2026/102');
    await today.locator('button[value="refused"]').click();
    await expect.poll(() => today.locator('.field-error').isVisible()).toBe(true);
    expect(await today.locator('input[name="reason"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('reason');
    await page.keyboard.type('Not eligible: the family lives outside the district');
    await today.locator('button[value="refused"]').click();
    await expect.poll(() => card('today', 'SSS-2026/102').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('SSS-2026/102');

    await card('overdue', 'SSS-2026/101').locator('button[value="decided"]').click();
    await expect.poll(() => card('overdue', 'SSS-2026/101').count()).toBe(0);
    const after = await run().obligation((await run().api<{ obligations: { id: string; caseRef: string }[] }>('admin', 'GET', '/obligations?org=zko-uralsk-akimat-sss&status=closed')).body.obligations.find((o) => o.caseRef === 'SSS-2026/102')?.id ?? '');
    expect(after.obligation.status).toBe('done');
    expect(after.events.at(-1)).toMatchObject({ type: 'refused' });
    await page.context().close();
  }, 60_000);

  it('inspector: offenders due for a check and protective orders expiring; a check moves the next one a week on', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aigerim.inspector');
    expect(await page.locator('h1').textContent()).toContain('Мои задачи');
    const checks = page.locator('[data-section="checks"] li.card');
    await expect.poll(() => checks.filter({ hasText: 'OC-2026/15' }).count()).toBe(1);
    // Serving the order opened the offender's checks too: the first one is long overdue.
    expect(await checks.filter({ hasText: 'PO-2026/07' }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-section="orders"] li.card', { hasText: 'PO-2026/07' }).count()).toBe(1);
    expect(await page.locator('[data-section="orders"]').textContent()).toContain('15.04.2026 12:00');
    await page.screenshot({ path: shot('inspector'), fullPage: true });

    await checks.filter({ hasText: 'OC-2026/15' }).locator('button[value="checked"]').click();
    await expect.poll(() => checks.filter({ hasText: 'OC-2026/15' }).count()).toBe(0);

    // The personal calendar: a file the page saves, fetched with the bearer token.
    const download = page.waitForEvent('download');
    await page.locator('button[data-action="calendar"]').click();
    const file = await download;
    const text = readFileSync((await file.path()) ?? '', 'utf8');
    expect(file.suggestedFilename()).toBe('merzim-aigerim.inspector.ics');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('PO-2026/07');
    expect(text).toContain('OC-2026/15');
    expect(text).toContain('Истекает: Срок действия защитного предписания');
    expect(text).not.toContain('SSS-2026');
    await page.context().close();
  }, 60_000);

  it('commission secretary: replies awaited per decision and submission, art. 479 on the overdue ones, a summary per addressee', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    const group = (caseRef: string) => page.locator(`[data-section="awaited"] section.group[data-case="${caseRef}"]`);
    await expect.poll(() => group('KDN-P-2026/03').locator('li.card').count()).toBe(2);
    expect(await group('KDN-2026/12').locator('li.card').count()).toBe(2);
    expect(await group('KDN-P-2026/03').locator('li.card.overdue').count()).toBe(2);
    expect(await group('KDN-P-2026/03').locator('.grounds').first().textContent()).toContain('ст. 479 КоАП');
    expect(await group('KDN-2026/12').locator('.grounds').count()).toBe(0);
    const row = (org: string) => page.locator(`[data-section="addressees"] tr[data-org="${org}"] td`);
    expect(await row('zko-education').allTextContents()).toEqual(['1', '1', '0']);
    await page.screenshot({ path: shot('commission-secretary'), fullPage: true });

    await group('KDN-P-2026/03').locator('li.card', { hasText: 'Управление образования' }).or(group('KDN-P-2026/03').locator('li.card').first()).first().locator('button[value="replied"]').click();
    await expect.poll(() => group('KDN-P-2026/03').locator('li.card').count()).toBe(1);
    const replied = await page.locator('[data-section="addressees"] tbody tr').evaluateAll((rows) => rows.map((tr) => tr.lastElementChild?.textContent));
    expect(replied).toContain('1');
    await page.context().close();
  }, 60_000);

  it('a head: overdue counts of the subtree by unit and rule, and their trend by week; a check recorded there lowers them', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'berik.regional-head');
    const total = (org: string) => page.locator(`[data-section="subtree"] td[data-total="${org}"]`);
    await expect.poll(() => total('zko-burlin-police-dv').textContent()).toBe('1');
    expect(Number(await total('zko-uralsk-police-dv').textContent())).toBeGreaterThanOrEqual(1);
    expect(await total('zko-police').textContent()).toBe('0');
    expect(await page.locator('[data-section="subtree"] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-section="subtree"]').textContent()).toContain('Профилактикалық есептегі құқық бұзушыны тексеру');

    // The trend: OC-2026/16 (Burlin, opened 1 April) was overdue at the end of the week to Sunday 12 April, and is now.
    const trend = page.locator('[data-section="trend"] table');
    const week = (org: string) => trend.locator(`tr[data-org="${org}"] td[data-instant="2026-04-13T00:00:00+05:00"]`);
    const now = (org: string) => trend.locator(`tr[data-org="${org}"] td.now`);
    expect(await trend.locator('caption').textContent()).toContain('жексенбі');
    expect(await trend.locator('thead th').count()).toBe(1 + 9 + 1);
    expect(await week('zko-burlin-police-dv').textContent()).toBe('1');
    expect(await now('zko-burlin-police-dv').textContent()).toBe('1');
    expect(Number(await trend.locator('tfoot td[data-instant="2026-04-13T00:00:00+05:00"]').textContent())).toBeGreaterThanOrEqual(2);
    expect(await trend.locator('tr[data-org="zko-burlin-police-dv"] svg[role="img"]').getAttribute('aria-label')).toMatch(/12\.04\.2026: 1;/);
    await page.screenshot({ path: shot('regional-head'), fullPage: true });

    await page.locator('[data-section="overdue"] li.card', { hasText: 'OC-2026/16' }).locator('button[value="checked"]').click();
    await expect.poll(() => total('zko-burlin-police-dv').textContent()).toBe('0');
    // Checked: no longer overdue now. (A check starts the next cycle of the same obligation, so its
    // past overdue cycle drops out of the earlier weeks too: the trend sees only the current cycle.)
    await expect.poll(() => now('zko-burlin-police-dv').textContent()).toBe('0');
    await page.context().close();
  }, 60_000);

  it('an obligation: its plan as a timeline of milestones, notices to whom and when, and the audit trail', async () => {
    const page = await newPage(chromium(), { language: 'en' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('li.card', { hasText: 'KDN-P-2026/03' }).first().getByRole('link').click();
    await page.locator('ol.timeline').waitFor();
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('[data-event="opened"]').count()).toBe(1);
    expect(await timeline.locator('[data-event="marked-overdue"]').count()).toBe(1);
    expect(await timeline.locator('[data-milestone="due"]').count()).toBe(1);
    expect(await timeline.locator('[data-notice="sent"]').count()).toBeGreaterThanOrEqual(1);
    expect(await timeline.textContent()).toContain('Body that received the decision, submission or plan item');
    expect(await page.locator('.facts').textContent()).toContain('CoAO art. 479');
    // Times are Kazakhstan's, whatever the browser's zone.
    expect(await timeline.locator('time').first().getAttribute('datetime')).toMatch(/\+05:00$/);
    await page.screenshot({ path: shot('obligation-timeline'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('switches between Kazakh, Russian and English, and keeps the choice', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'aigerim.inspector');
    expect(await page.locator('h1').textContent()).toContain('Менің жұмысым');
    await page.locator('button[data-lang="ru"]').click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Мои задачи');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('button[data-lang="ru"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('button[data-lang="en"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toContain('My work');
    expect(await page.locator('[data-section="orders"] h2').textContent()).toContain('Protective orders expiring soon');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toContain('My work');
    await page.context().close();
  }, 60_000);

  it('fits a phone screen, and signs in by keyboard alone', async () => {
    const page = await newPage(chromium(), { phone: true, language: 'kk' });
    await page.goto(`${url()}/`);
    await page.locator('button[data-user="aliya.sss"]').waitFor();
    // Tab from the top of the page to the demo user's button, and press Enter.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate<string | null | undefined>("document.activeElement?.getAttribute('data-user')")) === 'aliya.sss') break;
    }
    await page.keyboard.press('Enter');
    await page.locator('.identity[data-user="aliya.sss"]').waitFor();
    await page.locator('main:not([aria-busy])').waitFor();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: shot('akimat-department-phone'), fullPage: true });
    await page.locator('button[data-action="sign-out"]').click();
    await page.locator('button[data-user="aliya.sss"]').waitFor();
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
