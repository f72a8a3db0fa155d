import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot, signIn } from './browser.ts';

/** How long a state may take to show on a loaded machine (the API, the redraw): a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

interface Listed {
  readonly id: string;
  readonly caseRef: string;
  readonly org: string;
  readonly dueAt: string;
  readonly cycle: number;
  readonly status: string;
}
interface GroupAnswer {
  readonly obligations: Listed[];
  readonly cursor?: string;
  readonly group: { readonly total: number; readonly dueBy?: string };
}
const GROUPS = ['overdue', 'week', 'later'] as const;

/** Records an act through a card's panel: the act, its form (no fields), its confirmation. */
async function recordAct(card: Locator, act: string, confirm: (confirmation: Locator) => Promise<void> = (c) => c.locator('button[data-action="confirm"]').click()): Promise<void> {
  await card.locator('button[data-action="acts"]').click();
  const panel = card.locator('.act-panel');
  await panel.waitFor();
  await panel.locator(`button[data-act="${act}"]`).click();
  const form = panel.locator(`form.act-form[data-act="${act}"]`);
  await form.waitFor();
  await form.locator('button[data-action="continue"]').click();
  const confirmation = panel.locator('.act-confirm');
  await confirmation.waitFor();
  await confirm(confirmation);
}

const settled = (page: Page) => page.locator('main:not([aria-busy])').waitFor();

/**
 * Work lists that hold all the work: every open obligation of the caller's unit in the groups the
 * API cuts (overdue, due this week until Sunday 24:00, later), paged and searchable by case
 * reference; what is addressed to a unit on its page whatever the rule; the next check at once
 * after a check; one case across units as far as the caller sees. Monday 13 April 2026, 09:30.
 */
describe('work lists', () => {
  const run = scenario('2026-04-01T09:00:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;
  const SSS = 'zko-uralsk-akimat-sss';
  const POLICE = 'zko-uralsk-police-dv';
  /** Decisions due this week, more than a page of them (a page is 20). */
  const WEEK_DECISIONS = 23;

  const group = async (person: 'sss' | 'inspector' | 'secretary', query: string, name: (typeof GROUPS)[number]): Promise<GroupAnswer> => {
    const answer = await run().api<GroupAnswer>(person, 'GET', `/obligations?${query}&group=${name}&limit=100`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('a unit’s work of every rule is opened, and the clock moves to Monday 13 April', async () => {
    const open = (request: Record<string, unknown>) => run().open('admin', request);
    // Late towards the commission: a submission of March to two bodies, overdue on 13 April.
    await open({ rule: 'submission-reply', caseRef: 'KDN-P-2026/30', addressees: ['zko-education', 'zko-health'], issuedBy: 'zko-uralsk-kdn', start: '2026-03-02T10:00:00+05:00' });
    await run().at('2026-04-13T09:30:00+05:00');
    // Due Friday 10 April 18:30 (3 working days): 3 days overdue; the head was told this morning.
    await open({ rule: 'sss-decision', caseRef: 'SSS-2026/300', org: SSS, start: '2026-04-07T10:00:00+05:00' });
    for (let n = 1; n <= WEEK_DECISIONS; n++) await open({ rule: 'sss-decision', caseRef: `SSS-2026/3${String(n).padStart(2, '0')}`, org: SSS, start: '2026-04-13T09:00:00+05:00' });
    // A commission's submission addressed to the akimat department (and a school): due in a month.
    await open({ rule: 'submission-reply', caseRef: 'KDN-P-2026/31', addressees: [SSS, 'zko-uralsk-school-12'], issuedBy: 'zko-uralsk-kdn', start: '2026-04-13T09:00:00+05:00' });
    await open({ rule: 'offender-check', caseRef: 'OC-2026/31', org: POLICE, start: '2026-04-07T10:00:00+05:00' });
    await run().clock.settle();
  }, 180_000);

  it('the akimat department: all its work in three groups, a page at a time, overdue by how long and when the head is told', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aliya.sss');
    const work = page.locator('[data-section="work"]');
    const inGroup = (name: string) => work.locator(`[data-group="${name}"]`);
    const expected = Object.fromEntries(await Promise.all(GROUPS.map(async (name) => [name, await group('sss', `org=${SSS}`, name)] as const)));

    // The groups are the API's, with its totals: nothing of the unit's open work is left out.
    for (const name of GROUPS) expect(await inGroup(name).getAttribute('data-total'), name).toBe(String(expected[name]?.group.total));
    expect(expected.week?.group.total).toBe(WEEK_DECISIONS);
    expect(expected.week?.group.dueBy).toBe('2026-04-20T00:00:00+05:00');
    expect(await inGroup('week').locator(':scope > h3').textContent()).toBe(`Срок на этой неделе (${WEEK_DECISIONS}) — до 19.04.2026 24:00`);

    // The submission addressed to the department is on its page, though the rule is the commission's.
    const submission = inGroup('later').locator('li.card', { hasText: 'KDN-P-2026/31' });
    expect(await submission.count()).toBe(1);

    // Overdue since Friday 18:30: three days; the head was told this morning at 09:00.
    const late = inGroup('overdue').locator('li.card', { hasText: 'SSS-2026/300' });
    expect(await late.locator('.late').textContent()).toBe('просрочено на 3 дня');
    expect(await late.locator('.escalation').getAttribute('data-escalation')).toBe('passed');
    expect(await late.locator('.escalation').textContent()).toContain('13.04.2026 09:00');

    // A page is 20 cards; the rest come when asked, none twice.
    const cards = inGroup('week').locator('li.card');
    expect(await cards.count()).toBe(20);
    const more = inGroup('week').locator('button[data-action="more"]');
    expect(await more.textContent()).toBe(`Показать ещё (показано 20 из ${WEEK_DECISIONS})`);
    await page.screenshot({ path: shot('worklist-akimat'), fullPage: true });
    await more.click();
    await expect.poll(() => cards.count(), SETTLED).toBe(WEEK_DECISIONS);
    expect(await more.isHidden()).toBe(true);
    const shown = await cards.evaluateAll((items) => items.map((item) => item.getAttribute('data-obligation')));
    expect(new Set(shown).size).toBe(WEEK_DECISIONS);
    expect(shown.sort()).toEqual(expected.week?.obligations.map((obligation) => obligation.id).sort());
    await page.close();
  });

  it('the full list with search: a case reference’s beginning finds its case in every group, and "show all" brings the rest back', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aliya.sss');
    const work = page.locator('[data-section="work"]');
    await work.locator('input[name="caseRef"]').fill('KDN-P');
    await work.locator('button[data-action="search"]').click();
    await page.locator('[data-section="work"] [data-search="KDN-P"]').waitFor(SETTLED);
    const found = page.locator('[data-section="work"] li.card');
    expect(await found.count()).toBe(1);
    expect(await found.first().textContent()).toContain('KDN-P-2026/31');
    expect(await page.locator('[data-section="work"] [data-group="later"]').getAttribute('data-total')).toBe('1');
    for (const name of ['overdue', 'week']) expect(await page.locator(`[data-section="work"] [data-group="${name}"]`).getAttribute('data-total')).toBe('0');
    await page.screenshot({ path: shot('worklist-search'), fullPage: true });

    // One reference exactly: the one case.
    await page.locator('[data-section="work"] input[name="caseRef"]').fill('SSS-2026/317');
    await page.locator('[data-section="work"] button[data-action="search"]').click();
    await page.locator('[data-section="work"] [data-search="SSS-2026/317"]').waitFor(SETTLED);
    expect(await page.locator('[data-section="work"] li.card').evaluateAll((cards) => cards.map((card) => card.querySelector('h3')?.textContent ?? ''))).toEqual([
      expect.stringContaining('SSS-2026/317'),
    ]);

    await page.locator('[data-section="work"] button[data-action="clear-search"]').click();
    await expect.poll(() => page.locator('[data-section="work"] [data-group="week"]').getAttribute('data-total'), SETTLED).toBe(String(WEEK_DECISIONS));
    expect(await page.locator('[data-section="work"] [data-search]').count()).toBe(0);
    await page.close();
  });

  it('the inspector records a check, and the next check shows at once, even while the lists still return the old state', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aigerim.inspector');
    const work = page.locator('[data-section="work"]');
    const before = (await group('inspector', `org=${POLICE}&caseRef=OC-2026/31`, 'week')).obligations.concat((await group('inspector', `org=${POLICE}&caseRef=OC-2026/31`, 'overdue')).obligations);
    expect(before).toHaveLength(1);
    const check = before[0] as Listed;
    const card = work.locator(`li.card[data-obligation="${check.id}"]`);
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('проверка №1');

    // The work-list index on AWS lags a write: the lists answer with what they held before the check.
    const stale = Object.fromEntries(await Promise.all(GROUPS.map(async (name) => [name, await group('inspector', `org=${POLICE}`, name)] as const)));
    const lagging = (address: URL): boolean => address.pathname === '/obligations' && address.searchParams.has('group');
    await page.route(
      lagging,
      (route) => {
        const name = new URL(route.request().url()).searchParams.get('group') as (typeof GROUPS)[number];
        return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(stale[name]) });
      },
    );
    await recordAct(card, 'checked');
    await page.locator('#status', { hasText: 'OC-2026/31' }).waitFor(SETTLED);
    await settled(page);

    const after = (await run().api<{ obligation: Listed }>('admin', 'GET', `/obligations/${check.id}`)).body.obligation;
    expect(after.cycle).toBe(2);
    const where = (await Promise.all(GROUPS.map(async (name) => ((await group('inspector', `org=${POLICE}`, name)).obligations.some((o) => o.id === check.id) ? name : undefined)))).filter((name) => name !== undefined);
    expect(where).toHaveLength(1);
    const next = work.locator(`[data-group="${where[0]}"] li.card[data-obligation="${check.id}"]`);
    await expect.poll(() => next.count(), SETTLED).toBe(1);
    expect(await next.textContent()).toContain('проверка №2');
    expect(await next.locator('.due time').getAttribute('datetime')).toBe(after.dueAt);
    // Shown once: the first check's state is gone from every group.
    expect(await work.locator(`li.card[data-obligation="${check.id}"]`).count()).toBe(1);
    await page.screenshot({ path: shot('worklist-next-check'), fullPage: true });

    // And once the index has it, the lists themselves say the same.
    await page.unroute(lagging);
    await page.reload();
    await settled(page);
    const listed = page.locator(`[data-section="work"] [data-group="${where[0]}"] li.card[data-obligation="${check.id}"]`);
    await expect.poll(() => listed.count(), SETTLED).toBe(1);
    expect(await listed.textContent()).toContain('проверка №2');
    await page.close();
  });

  it('the case view: every obligation of a case the caller sees, from a card’s link; the addressee sees its own, the commission all', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'aliya.sss');
    await page.locator('[data-section="work"] li.card', { hasText: 'KDN-P-2026/31' }).locator('a[data-case-link]').click();
    await page.locator('h1[data-case="KDN-P-2026/31"]').waitFor(SETTLED);
    await settled(page);
    const caseOf = async (person: 'sss' | 'secretary'): Promise<Listed[]> =>
      (await run().api<{ obligations: Listed[] }>(person, 'GET', `/cases?caseRef=${encodeURIComponent('KDN-P-2026/31')}`)).body.obligations;
    const ofCase = async (person: 'sss' | 'secretary'): Promise<string[]> => (await caseOf(person)).map((o) => o.id).sort();
    const shownIds = () => page.locator('[data-section="case"] li.card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-obligation') ?? '').sort());
    const sssSees = await ofCase('sss');
    expect(sssSees.length).toBeGreaterThanOrEqual(1);
    expect(await shownIds()).toEqual(sssSees);
    // The department sees its own part of the case; the school's is not its to see.
    expect(new Set((await caseOf('sss')).map((o) => o.org))).toEqual(new Set([SSS]));
    await page.close();

    const secretary = await newPage(chromium(), { language: 'ru' });
    await signIn(secretary, url(), 'dana.secretary');
    await secretary.evaluate(`location.hash = ${JSON.stringify(`#/case/${encodeURIComponent('KDN-P-2026/31')}`)}`);
    await secretary.locator('h1[data-case="KDN-P-2026/31"]').waitFor(SETTLED);
    await settled(secretary);
    const all = await ofCase('secretary');
    expect(all.length).toBeGreaterThan(sssSees.length);
    expect(await secretary.locator('[data-section="case"] li.card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-obligation') ?? '').sort())).toEqual(all);
    expect(new Set((await caseOf('secretary')).map((o) => o.org))).toEqual(new Set([SSS, 'zko-uralsk-school-12']));
    await secretary.screenshot({ path: shot('worklist-case'), fullPage: true });
    await secretary.close();
  });

  it('the chair: the overdue replies the commission awaits are counted by addressee and rule, under the same total', async () => {
    const page = await newPage(chromium(), { language: 'ru' });
    await signIn(page, url(), 'askar.chair');
    const overdue = (await group('secretary', 'issuer=zko-uralsk-kdn', 'overdue')).obligations;
    expect(overdue.map((o) => o.org).sort()).toEqual(['zko-education', 'zko-health']);
    const table = page.locator('[data-section="subtree"]');
    expect(await table.locator('h2').textContent()).toContain(`(${overdue.length})`);
    for (const org of ['zko-education', 'zko-health']) expect(await table.locator(`td[data-total="${org}"]`).textContent()).toBe('1');
    expect(await table.locator('tfoot td.number:not(.violations)').last().textContent()).toBe(String(overdue.length));
    await page.screenshot({ path: shot('worklist-chair'), fullPage: true });
    await page.close();
  });

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
