import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/** Opens the acts of a card of a work list (fetched when asked) and returns their panel. */
async function openActs(card: Locator): Promise<Locator> {
  await card.locator('button[data-action="acts"]').click();
  const panel = card.locator('.act-panel');
  await panel.waitFor();
  return panel;
}

/** The acts a panel offers, in its order. */
function offered(panel: Locator): Promise<string[]> {
  return panel.locator('button[data-act]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-act') ?? ''));
}

/** Chooses an act, fills its form and goes on to its confirmation. */
async function fillAct(panel: Locator, act: string, fields: Record<string, string> = {}): Promise<Locator> {
  await panel.locator(`button[data-act="${act}"]`).click();
  const form = panel.locator(`form.act-form[data-act="${act}"]`);
  await form.waitFor();
  for (const [name, value] of Object.entries(fields)) {
    const input = form.locator(`[name="${name}"]`);
    if ((await input.evaluate((element) => element.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  await form.locator('button[data-action="continue"]').click();
  return panel.locator('.act-confirm');
}

/** Records an act through its form and its confirmation. */
async function recordAct(panel: Locator, act: string, fields: Record<string, string> = {}): Promise<void> {
  const confirmation = await fillAct(panel, act, fields);
  await confirmation.locator('button[data-action="confirm"]').click();
}

async function goToObligation(page: Page, id: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(`#/o/${encodeURIComponent(id)}`)}`);
  await page.locator(`section[data-section="acts"]`).waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
}

/**
 * The dashboard in headless Chromium against the whole app on a virtual clock: each role signs in
 * through the local sign-in page, finds its own list, records an act and sees the list change.
 * Monday 13 April 2026, 09:30 in Uralsk.
 */
describe('the dashboard', () => {
  // The morning mail runs, so that the timeline shows notices as sent, not queued; the weekly snapshots, which the heads' trend reads.
  const run = scenario('2026-04-01T09:00:00+05:00', { schedules: ['digest', 'snapshot'] });
  const chromium = browser();
  const url = () => run().system.apiUrl;

  /** The obligation of a case at a unit, as the administrator finds it. */
  const idOf = async (caseRef: string, org: string): Promise<string> => {
    for (const status of ['open', 'overdue', 'closed']) {
      const answer = await run().api<{ obligations: { id: string; caseRef: string }[] }>('admin', 'GET', `/obligations?org=${org}&status=${status}`);
      const found = answer.body.obligations.find((obligation) => obligation.caseRef === caseRef);
      if (found !== undefined) return found.id;
    }
    throw new Error(`no ${caseRef} at ${org}`);
  };
  /** What the API says this caller may record now. */
  const allowedFor = async (token: { user: string; groups: string[]; org: string }, id: string): Promise<string[]> => {
    const response = await fetch(`${url()}/obligations/${id}`, { headers: { authorization: `Bearer ${await run().system.signToken(token)}` } });
    return ((await response.json()) as { allowedActs: { act: string }[] }).allowedActs.map((allowed) => allowed.act);
  };
  /** The obligation as the API shows it, with the fields the act tests read. */
  const stored = async (id: string) => (await run().api<{ obligation: { start: string; renewedBy?: string } }>('admin', 'GET', `/obligations/${id}`)).body.obligation;
  const ALIYA = { user: 'aliya.sss', groups: ['akimat-department'], org: 'zko-uralsk-akimat-sss' };
  const SERIK = { user: 'serik.sss-head', groups: ['akimat-department-head'], org: 'zko-uralsk-akimat-sss' };
  const BERIK = { user: 'berik.regional-head', groups: ['regional-head'], org: 'zko-police' };

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
    // Assigned to Aliya, who may only decide or refuse it: nobody else's to take.
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/104', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', start: '2026-04-10T11:00:00+05:00' });
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/105', org: 'zko-uralsk-akimat-sss', start: '2026-04-13T08:00:00+05:00' });
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
    const refused = await fetch(`${url()}/local/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'marat.deputy-akim' }) });
    expect(refused.status).toBe(404);
    expect((await fetch(`${url()}/me/calendar.ics`)).status).toBe(401);
  });

  it('akimat department: overdue, due this week (today’s first); a refusal needs its reason; the lists change', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'aliya.sss');
    const card = (group: string, caseRef: string) => page.locator(`[data-section="work"] [data-group="${group}"] li.card`, { hasText: caseRef });
    await expect.poll(() => card('overdue', 'SSS-2026/101').count(), SETTLED).toBe(1);
    expect(await card('week', 'SSS-2026/102').count()).toBe(1);
    expect(await page.locator('[data-section="work"] [data-group="week"] li.card').first().textContent()).toContain('SSS-2026/102');
    expect(await card('week', 'SSS-2026/103').count()).toBe(1);
    expect(await card('week', 'KDN-2026/12').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('kk');
    expect(await page.locator('h1').textContent()).toContain('Менің жұмысым');
    await expect.poll(() => card('week', 'SSS-2026/102').locator('time').first().textContent(), SETTLED).toBe('13.04.2026 18:30 (дс)');
    await page.screenshot({ path: shot('akimat-department'), fullPage: true });

    // A refusal without a reason stays on the page, says why, and puts the focus on the reason.
    const today = card('week', 'SSS-2026/102');
    const panel = await openActs(today);
    expect(await offered(panel)).toEqual(['decided', 'refused', 'reassigned']);
    await panel.locator('button[data-act="refused"]').click();
    const form = panel.locator('form.act-form[data-act="refused"]');
    await form.locator('button[data-action="continue"]').click();
    const reason = form.locator('input[name="reason"]');
    await expect.poll(() => form.locator('[data-field="reason"] .field-error').isVisible(), SETTLED).toBe(true);
    expect(await form.locator('[data-field="reason"] .field-error').textContent()).toBe('Міндетті өріс.');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('reason');
    expect(await panel.locator('.act-confirm').isVisible()).toBe(false);
    await page.keyboard.type('Not eligible: the family lives outside the district');
    await form.locator('button[data-action="continue"]').click();
    expect(await panel.locator('.act-confirm .question').textContent()).toBe('SSS-2026/102 ісі бойынша бас тартуды 13.04.2026 09:30 күнімен тіркейсіз бе?');
    await panel.locator('button[data-action="confirm"]').click();
    await expect.poll(() => card('week', 'SSS-2026/102').count(), SETTLED).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('SSS-2026/102');

    await recordAct(await openActs(card('overdue', 'SSS-2026/101')), 'decided');
    await expect.poll(() => card('overdue', 'SSS-2026/101').count(), SETTLED).toBe(0);
    const after = await run().obligation((await run().api<{ obligations: { id: string; caseRef: string }[] }>('admin', 'GET', '/obligations?org=zko-uralsk-akimat-sss&status=closed')).body.obligations.find((o) => o.caseRef === 'SSS-2026/102')?.id ?? '');
    expect(after.obligation.status).toBe('done');
    expect(after.events.at(-1)).toMatchObject({ type: 'refused' });
    await page.context().close();
  }, 60_000);

  it('akimat department records a decision: only the acts it may record, a chosen date and a note, a confirmation; the timeline marks it backdated', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aliya.sss');
    const id = await idOf('SSS-2026/104', 'zko-uralsk-akimat-sss');
    const card = page.locator('[data-section="work"] [data-group="week"] li.card', { hasText: 'SSS-2026/104' });
    const panel = await openActs(card);
    // Assigned to her already: a decision or a refusal, nothing else, exactly what the API allows her.
    expect(await offered(panel)).toEqual(['decided', 'refused']);
    expect(await allowedFor(ALIYA, id)).toEqual(['decided', 'refused']);
    expect(await panel.locator('button[data-act]').allTextContents()).toEqual(['Записать решение', 'Записать отказ']);

    await panel.locator('button[data-act="decided"]').click();
    const form = panel.locator('form.act-form[data-act="decided"]');
    // Now by default, at +05:00, by the system's clock.
    expect(await form.locator('input[name="at"]').inputValue()).toBe('13.04.2026 09:30');
    expect(await form.locator('[data-field="reason"]').isVisible()).toBe(false);
    await form.locator('input[name="at"]').fill('10.04.2026 16:00');
    await form.locator('input[name="note"]').fill('Заключение рассмотрено в пятницу, запись внесена после выходных');
    await form.locator('button[data-action="continue"]').click();
    const confirmation = panel.locator('.act-confirm');
    expect(await confirmation.locator('.question').textContent()).toBe('Записать решение по делу SSS-2026/104 от 10.04.2026 16:00?');
    expect(await confirmation.locator('.effect').textContent()).toBe('Срок будет снят с контроля, напоминаний больше не будет.');
    expect(await confirmation.locator('.confirm-details').textContent()).toContain('Примечание: Заключение рассмотрено в пятницу');
    expect(await form.locator('input[name="at"]').isDisabled()).toBe(true);
    // Nothing is sent before the confirmation.
    expect((await run().obligation(id)).obligation.status).toBe('open');
    await card.screenshot({ path: shot('record-act') });

    await confirmation.locator('button[data-action="confirm"]').click();
    await expect.poll(() => card.count(), SETTLED).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('SSS-2026/104');
    const after = await run().obligation(id);
    expect(after.obligation.status).toBe('done');
    expect(after.events.at(-1)).toMatchObject({ type: 'decided', at: '2026-04-10T16:00:00+05:00' });

    // In the timeline at the time it is dated, marked backdated, with both times and the note.
    await goToObligation(page, id);
    const decided = page.locator('ol.timeline li[data-event="decided"]');
    expect(await decided.getAttribute('data-backdated')).toBe('true');
    expect(await decided.locator('time').first().getAttribute('datetime')).toBe('2026-04-10T16:00:00+05:00');
    expect(await decided.locator('.badge.backdated').textContent()).toBe('задним числом');
    expect(await decided.locator('.dated').textContent()).toBe('датировано 10.04.2026 16:00, записано 13.04.2026 09:30');
    expect(await decided.textContent()).toContain('примечание: Заключение рассмотрено в пятницу');
    expect(await page.locator('ol.timeline li[data-event="opened"]').getAttribute('data-backdated')).toBeNull();
    // Decided: nothing is left for her to record.
    expect(await page.locator('[data-section="acts"] [data-acts="none"]').count()).toBe(1);
    await page.screenshot({ path: shot('backdated-timeline'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('an act the API refuses (dated in the future) is shown by the field it names, and changes nothing', async () => {
    const page = await newPage(chromium(), { language: 'en' });
    await signIn(page, url(), 'aliya.sss');
    const id = await idOf('SSS-2026/105', 'zko-uralsk-akimat-sss');
    const before = await run().obligation(id);
    const card = page.locator('[data-section="work"] [data-group="week"] li.card', { hasText: 'SSS-2026/105' });
    const panel = await openActs(card);
    await panel.locator('button[data-act="decided"]').click();
    await panel.locator('form.act-form[data-act="decided"]').waitFor();
    // Dated over 72 hours back, the act asks why it is recorded late.
    expect(await panel.locator('[data-field="reason"]').isVisible()).toBe(false);
    await panel.locator('input[name="at"]').fill('09.04.2026 10:00');
    expect(await panel.locator('[data-field="reason"]').isVisible()).toBe(true);
    expect(await panel.locator('[data-field="reason"] .hint').textContent()).toBe('Dated more than 72 hours back: say why it is recorded late.');
    await panel.locator('button[data-action="continue"]').click();
    expect(await panel.locator('[data-field="reason"] .field-error').textContent()).toBe('This field is required.');
    // A date the page cannot read is said at once, in the page's language, and nothing is asked.
    await panel.locator('input[name="at"]').fill('31.04.2026 10:00');
    await panel.locator('button[data-action="continue"]').click();
    expect(await panel.locator('[data-field="at"] .field-error').textContent()).toBe('Write the date and time as 13.04.2026 09:30.');
    expect(await panel.locator('.act-confirm').isVisible()).toBe(false);
    const confirmation = await fillAct(panel, 'decided', { at: '14.04.2026 10:00' });
    expect(await confirmation.locator('.question').textContent()).toBe('Record the decision on SSS-2026/105 dated 14.04.2026 10:00?');
    await confirmation.locator('button[data-action="confirm"]').click();
    const error = panel.locator('[data-field="at"] .field-error');
    await expect.poll(() => error.isVisible(), SETTLED).toBe(true);
    expect(await error.textContent()).toMatch(/^Not recorded: decided cannot be dated after the moment it is recorded/);
    expect(await panel.locator('input[name="at"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('at');
    expect(await confirmation.isVisible()).toBe(false);
    expect(await card.count()).toBe(1);
    const after = await run().obligation(id);
    expect(after.obligation).toEqual(before.obligation);
    expect(after.events).toEqual(before.events);

    // Dated right, the same form records it.
    await panel.locator('input[name="at"]').fill('13.04.2026 09:15');
    await panel.locator('button[data-action="continue"]').click();
    expect(await panel.locator('[data-field="at"] .field-error').isVisible()).toBe(false);
    await panel.locator('button[data-action="confirm"]').click();
    await expect.poll(() => card.count(), SETTLED).toBe(0);
    expect((await run().obligation(id)).events.at(-1)).toMatchObject({ type: 'decided', at: '2026-04-13T09:15:00+05:00' });
    await page.context().close();
  }, 60_000);

  it('the department head is offered a corrected start and a cancellation, each with the fields it needs', async () => {
    const page = await newPage(chromium(), { language: 'en' });
    await signIn(page, url(), 'serik.sss-head');
    // A head's home is the heads' view of the department.
    await page.locator('[data-section="subtree"] td[data-total="zko-uralsk-akimat-sss"]').waitFor();
    const id = await idOf('SSS-2026/103', 'zko-uralsk-akimat-sss');
    await goToObligation(page, id);
    const panel = page.locator('[data-section="acts"] .act-panel');
    const acts = await offered(panel);
    expect(acts).toEqual(await allowedFor(SERIK, id));
    expect(acts).toEqual(expect.arrayContaining(['start-corrected', 'cancelled']));
    // The official of the department who owes the decision is offered neither.
    expect((await allowedFor(ALIYA, id)).filter((act) => act === 'start-corrected' || act === 'cancelled')).toEqual([]);

    await panel.locator('button[data-act="cancelled"]').click();
    const cancel = panel.locator('form.act-form[data-act="cancelled"]');
    await cancel.waitFor();
    expect(await cancel.locator('[data-field="reason"]').isVisible()).toBe(true);
    await cancel.locator('button[data-action="close"]').click();
    expect(await cancel.count()).toBe(0);

    const confirmation = await fillAct(panel, 'start-corrected', { start: '13.04.2026 08:00', reason: 'The conclusion was received at 08:00, not at 09:00' });
    expect(await confirmation.locator('.question').textContent()).toBe('Record the corrected start on SSS-2026/103 dated 13.04.2026 09:30?');
    expect(await confirmation.locator('.confirm-details').textContent()).toContain('13.04.2026 08:00');
    await confirmation.locator('button[data-action="confirm"]').click();
    const corrected = page.locator('ol.timeline li[data-event="start-corrected"]');
    await corrected.waitFor();
    expect(await corrected.textContent()).toContain('start was: 13.04.2026 09:00');
    expect(await corrected.textContent()).toContain('reason: The conclusion was received at 08:00');
    expect((await stored(id)).start).toBe('2026-04-13T08:00:00+05:00');
    await page.context().close();
  }, 60_000);

  it('inspector: offenders due for a check and a protective order expiring this week; a check moves the next one a week on', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aigerim.inspector');
    expect(await page.locator('h1').textContent()).toContain('Мои задачи');
    const work = page.locator('[data-section="work"]');
    const checks = work.locator('li.card[data-rule="offender-check"]');
    await expect.poll(() => checks.filter({ hasText: 'OC-2026/15' }).count(), SETTLED).toBe(1);
    expect(await checks.filter({ hasText: 'OC-2026/15' }).textContent()).toContain('проверка №1');
    // Serving the order opened the offender's checks too: the first one is long overdue.
    expect(await work.locator('[data-group="overdue"] li.card[data-rule="offender-check"]', { hasText: 'PO-2026/07' }).count()).toBeGreaterThanOrEqual(1);
    const order = work.locator('[data-group="week"] li.card[data-rule="protective-order"]', { hasText: 'PO-2026/07' });
    expect(await order.count()).toBe(1);
    expect(await order.textContent()).toContain('Истекает: 15.04.2026 12:00');
    await page.screenshot({ path: shot('inspector'), fullPage: true });

    const first = checks.filter({ hasText: 'OC-2026/15' });
    await recordAct(await openActs(first), 'checked');
    await expect.poll(() => checks.filter({ hasText: 'OC-2026/15' }).textContent(), SETTLED).toContain('проверка №2');

    // The personal calendar: a file the page saves, fetched with the bearer token.
    const download = page.waitForEvent('download');
    await page.locator('button[data-action="calendar"]').click();
    const file = await download;
    const text = readFileSync((await file.path()) ?? '', 'utf8');
    expect(file.suggestedFilename()).toBe('merzim-aigerim.inspector.ics');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('PO-2026/07');
    expect(text).toContain('OC-2026/15');
    expect(text).toContain('Истекает: Защитное предписание');
    expect(text).not.toContain('SSS-2026');
    await page.context().close();
  }, 60_000);

  it('inspector: a protective order served again links to the order it renews, both ways', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'aigerim.inspector');
    const previous = (await page.locator('[data-section="work"] li.card[data-rule="protective-order"]', { hasText: 'PO-2026/07' }).getAttribute('data-obligation')) ?? '';
    const order = page.locator(`[data-section="work"] li.card[data-obligation="${previous}"]`);
    const panel = await openActs(order);
    expect(await offered(panel)).toContain('renewed');
    expect(await offered(panel)).not.toContain('extended');
    const confirmation = await fillAct(panel, 'renewed');
    expect(await confirmation.locator('.question').textContent()).toBe('PO-2026/07 ісі бойынша нұсқаманың қайта шығарылуын 13.04.2026 09:30 күнімен тіркейсіз бе?');
    await confirmation.locator('button[data-action="confirm"]').click();
    await expect.poll(() => order.count(), SETTLED).toBe(0);

    const renewedBy = (await stored(previous)).renewedBy ?? '';
    expect(renewedBy).not.toBe('');
    await goToObligation(page, previous);
    expect(await page.locator('ol.timeline li[data-event="renewed"] [data-renewed-by]').count()).toBe(1);
    await page.locator(`.facts [data-renewed-by="${renewedBy}"] a`).click();
    await page.locator(`.facts [data-renewed-from="${previous}"]`).waitFor();
    expect(await page.locator('#obligation-heading').textContent()).toContain('PO-2026/07');
    expect(await page.locator('.facts').textContent()).toContain('Алдыңғы нұсқама');
    await page.context().close();
  }, 60_000);

  it('commission secretary: replies awaited per decision and submission, art. 479 on the overdue ones, a summary per addressee', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    const group = (caseRef: string) => page.locator(`[data-section="awaited"] section.group[data-case="${caseRef}"]`);
    await expect.poll(() => group('KDN-P-2026/03').locator('li.card').count(), SETTLED).toBe(2);
    expect(await group('KDN-2026/12').locator('li.card').count()).toBe(2);
    expect(await group('KDN-P-2026/03').locator('li.card.overdue').count()).toBe(2);
    expect(await group('KDN-P-2026/03').locator('.grounds').first().textContent()).toContain('ст. 479 КоАП');
    expect(await group('KDN-2026/12').locator('.grounds').count()).toBe(0);
    const row = (org: string) => page.locator(`[data-section="addressees"] tr[data-org="${org}"] td`);
    expect(await row('zko-education').allTextContents()).toEqual(['1', '1', '0']);
    await page.screenshot({ path: shot('commission-secretary'), fullPage: true });

    await recordAct(await openActs(group('KDN-P-2026/03').locator('li.card').first()), 'replied');
    await expect.poll(() => group('KDN-P-2026/03').locator('li.card').count(), SETTLED).toBe(1);
    const replied = await page.locator('[data-section="addressees"] tbody tr').evaluateAll((rows) => rows.map((tr) => tr.lastElementChild?.textContent));
    expect(replied).toContain('1');
    await page.context().close();
  }, 60_000);

  it('an addressee asks for more time; the commission sees the request and extends the deadline', async () => {
    const asks = await newPage(chromium(), { language: 'ru' });
    await signIn(asks, url(), 'aliya.sss');
    const card = asks.locator('[data-section="work"] [data-group="week"] li.card', { hasText: 'KDN-2026/12' });
    const panel = await openActs(card);
    expect(await offered(panel)).toEqual(expect.arrayContaining(['replied', 'extension-requested']));
    expect(await offered(panel)).not.toContain('extended');
    const confirmation = await fillAct(panel, 'extension-requested', { dueDate: '30.04.2026', reason: 'Ребёнок переведён в другую школу, нужен ответ новой школы' });
    expect(await confirmation.locator('.question').textContent()).toBe('Записать запрос о продлении срока по делу KDN-2026/12 от 13.04.2026 09:30?');
    expect(await confirmation.locator('.confirm-details').textContent()).toContain('Новый последний день срока: 30.04.2026');
    await confirmation.locator('button[data-action="confirm"]').click();
    await expect.poll(() => card.locator('[data-requested="2026-04-30"]').count(), SETTLED).toBe(1);
    await asks.context().close();

    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    const awaited = page.locator('[data-section="awaited"] section.group[data-case="KDN-2026/12"] li.card', { hasText: 'Отдел занятости' });
    await expect.poll(() => awaited.locator('[data-requested]').textContent(), SETTLED).toBe('Запрошено продление срока: до 30.04.2026, ожидается ответ органа, установившего срок');
    const decide = await openActs(awaited);
    expect(await offered(decide)).toEqual(expect.arrayContaining(['extended', 'extension-refused']));
    await decide.locator('button[data-act="extended"]').click();
    // The day asked for is offered.
    expect(await decide.locator('input[name="dueDate"]').inputValue()).toBe('30.04.2026');
    await decide.locator('button[data-action="continue"]').click();
    await decide.locator('button[data-action="confirm"]').click();
    await expect.poll(() => awaited.locator('.due').textContent(), SETTLED).toContain('30.04.2026 24:00');
    expect(await awaited.locator('[data-requested]').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it('a head: overdue counts of the subtree by unit and rule, and their trend by week; a check recorded there lowers them', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'berik.regional-head');
    const total = (org: string) => page.locator(`[data-section="subtree"] td[data-total="${org}"]`);
    await expect.poll(() => total('zko-burlin-police-dv').textContent(), SETTLED).toBe('1');
    expect(Number(await total('zko-uralsk-police-dv').textContent())).toBeGreaterThanOrEqual(1);
    expect(await total('zko-police').textContent()).toBe('0');
    expect(await page.locator('[data-section="subtree"] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-section="subtree"]').textContent()).toContain('Профилактикалық есептегі құқық бұзушыны тексеру');

    // The trend: OC-2026/16 (Burlin, opened 1 April) was overdue at the end of the week to Sunday 12 April (the
    // snapshot taken on Monday 13 April at 00:30), and is now. The week to 29 March ended before the system ran: no count.
    const trend = page.locator('[data-section="trend"] table');
    const week = (org: string) => trend.locator(`tr[data-org="${org}"] td[data-instant="2026-04-13T00:00:00+05:00"]`);
    const now = (org: string) => trend.locator(`tr[data-org="${org}"] td.now`);
    expect(await trend.locator('caption').textContent()).toContain('жексенбі');
    expect(await trend.locator('thead th').count()).toBe(1 + 9 + 1);
    expect(await week('zko-burlin-police-dv').textContent()).toBe('1');
    expect(await now('zko-burlin-police-dv').textContent()).toBe('1');
    expect(await trend.locator('tr[data-org="zko-burlin-police-dv"] td[data-instant="2026-03-30T00:00:00+05:00"]').textContent()).toBe('—');
    expect(Number(await trend.locator('tfoot td[data-instant="2026-04-13T00:00:00+05:00"]').textContent())).toBeGreaterThanOrEqual(2);
    expect(await trend.locator('tr[data-org="zko-burlin-police-dv"] svg[role="img"]').getAttribute('aria-label')).toMatch(/12\.04\.2026: 1;/);
    // Red where something was overdue; a unit that stayed at nought is drawn quietly.
    const chart = (org: string) => trend.locator(`tr[data-org="${org}"] td.chart`);
    expect(await chart('zko-burlin-police-dv').getAttribute('data-clear')).toBe('false');
    const clearRows = await trend.locator('tbody td.chart[data-clear="true"]').count();
    expect(clearRows).toBeGreaterThanOrEqual(1);
    const colour = (cell: Locator) => cell.evaluate((element) => (globalThis as unknown as { getComputedStyle(target: unknown): { color: string } }).getComputedStyle(element).color);
    expect(await colour(trend.locator('tbody td.chart[data-clear="true"]').first())).not.toBe(await colour(chart('zko-burlin-police-dv')));
    const violations = (org: string) => page.locator(`[data-section="subtree"] td[data-violations="${org}"]`);
    expect(await violations('zko-burlin-police-dv').textContent()).toBe('0');

    // The check is the inspector's: a head is offered what the catalog gives a head, never the check.
    const oc16 = await idOf('OC-2026/16', 'zko-burlin-police-dv');
    const panel = await openActs(page.locator('[data-section="overdue"] li.card', { hasText: 'OC-2026/16' }));
    const acts = await offered(panel);
    expect(acts).toEqual(await allowedFor(BERIK, oc16));
    expect(acts).not.toContain('checked');
    expect(acts).toEqual(expect.arrayContaining(['transferred', 'cancelled', 'start-corrected']));

    // The Burlin inspector finds a breach at the check: the violation is counted by the overdue counts.
    await run().record('burlinInspector', oc16, { act: 'violation-found', note: 'Breach of the order found at the check' });
    await page.reload();
    await expect.poll(() => violations('zko-burlin-police-dv').textContent(), SETTLED).toBe('1');
    expect(await total('zko-burlin-police-dv').textContent()).toBe('1');
    expect(await page.locator('[data-section="subtree"] tfoot td[data-violations]').textContent()).toBe('1');
    await page.screenshot({ path: shot('regional-head'), fullPage: true });

    await run().record('burlinInspector', oc16, { act: 'checked' });
    await page.reload();
    await expect.poll(() => total('zko-burlin-police-dv').textContent(), SETTLED).toBe('0');
    // Checked: no longer overdue now; the week to 12 April stays as its snapshot counted it.
    await expect.poll(() => now('zko-burlin-police-dv').textContent(), SETTLED).toBe('0');
    expect(await week('zko-burlin-police-dv').textContent()).toBe('1');
    expect(await violations('zko-burlin-police-dv').textContent()).toBe('1');

    // A hand-over to Burlin: only a police unit is offered; the trail shows from → to; the clock is unchanged.
    const oc15 = await idOf('OC-2026/15', 'zko-uralsk-police-dv');
    const before = await run().obligation(oc15);
    await goToObligation(page, oc15);
    const transfer = page.locator('[data-section="acts"] .act-panel');
    await transfer.locator('button[data-act="transferred"]').click();
    const units = await transfer.locator('select[name="org"] option').evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(units).toEqual(['', 'zko-burlin-police-dv']);
    const confirmation = await fillAct(transfer, 'transferred', { org: 'zko-burlin-police-dv' });
    expect(await confirmation.locator('.confirm-details').textContent()).toContain('Орал қаласы отбасылық-тұрмыстық зорлық-зомбылыққа қарсы іс-қимыл бөлінісі → Бөрлі ауданы');
    await confirmation.locator('button[data-action="confirm"]').click();
    const handedOver = page.locator('ol.timeline li[data-event="transferred"] .handed-over');
    await handedOver.waitFor();
    expect(await handedOver.getAttribute('data-to')).toBe('zko-burlin-police-dv');
    expect(await handedOver.textContent()).toBe('орындаушы орган: Орал қаласы отбасылық-тұрмыстық зорлық-зомбылыққа қарсы іс-қимыл бөлінісі → Бөрлі ауданы отбасылық-тұрмыстық зорлық-зомбылыққа қарсы іс-қимыл бөлінісі');
    const after = await run().obligation(oc15);
    expect(after.obligation.org).toBe('zko-burlin-police-dv');
    expect(after.obligation.dueAt).toBe(before.obligation.dueAt);
    await page.context().close();
  }, 60_000);

  it('an obligation: its plan as a timeline of milestones, notices to whom and when, and the audit trail', async () => {
    const page = await newPage(chromium(), { language: 'en' });
    await signIn(page, url(), 'dana.secretary');
    await page.locator('li.card', { hasText: 'KDN-P-2026/03' }).first().getByRole('link', { name: 'Plan and history' }).click();
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

  it('a plan item due in June 2028, past the published calendar, shows as provisional with the day it rests on', async () => {
    const [opened] = (await run().open('secretary', {
      rule: 'action-plan-item',
      variant: 'by-date',
      caseRef: 'ЗКО-ПЛАН-2026/9',
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-04-13T09:00:00+05:00',
      dueDate: '2028-06-30',
    })) as { id: string }[];
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'dana.secretary');
    const card = page.locator(`li.card[data-obligation="${opened?.id}"]`);
    await card.waitFor(SETTLED);
    expect(await card.locator('.badge[data-provisional]').textContent()).toBe('предварительно');
    await goToObligation(page, opened?.id ?? '');
    const note = page.locator('.facts [data-provisional]');
    expect(await note.textContent()).toContain('30.06.2028 (рабочий день)');
    expect(await note.getAttribute('title')).toContain('2028-06-30: a working day of the five-day week');
    expect(await page.locator('.facts').textContent()).toContain('Предварительный срок');
    await page.screenshot({ path: shot('obligation-provisional'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('switches between Kazakh, Russian and English, and keeps the choice', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await signIn(page, url(), 'aigerim.inspector');
    expect(await page.locator('h1').textContent()).toContain('Менің жұмысым');
    await page.locator('button[data-lang="ru"]').click();
    await expect.poll(() => page.locator('h1').textContent(), SETTLED).toContain('Мои задачи');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('button[data-lang="ru"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('button[data-lang="en"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent(), SETTLED).toContain('My work');
    expect(await page.locator('[data-section="work"] [data-group="week"] > h3').textContent()).toContain('Due this week');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent(), SETTLED).toContain('My work');
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
