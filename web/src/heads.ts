import { byDue, orgName, section } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { pick, t } from './i18n.ts';
import { obligationsOf, trendSection } from './trend-view.ts';
import { type TrendAnswer, snapshotTrend, weekEnds } from './trend.ts';
import type { ListedObligation, Texts } from './types.ts';
import { overdueByOfficial } from './reports.ts';

/**
 * Heads: the overdue obligations of their unit and every unit under it (the administrator: all
 * units), counted by unit and by rule, with the violations found at checks beside them, and their
 * trend over the last weeks (trend.ts: the weekly snapshots the API keeps, and now counted live
 * from the overdue lists). The API has no count of violations: they are summed
 * here from the `violations` of every obligation the unit's work lists return (open and closed).
 */
function subtree(context: ViewContext, root: string): string[] {
  const children = new Map<string, string[]>();
  for (const organisation of context.organisations.values()) {
    if (organisation.parent === undefined) continue;
    children.set(organisation.parent, [...(children.get(organisation.parent) ?? []), organisation.org]);
  }
  const order: string[] = [];
  const walk = (org: string, seen: Set<string>): void => {
    if (seen.has(org)) return;
    seen.add(org);
    order.push(org);
    for (const child of (children.get(org) ?? []).sort()) walk(child, seen);
  };
  walk(root, new Set());
  return order;
}

function depthOf(context: ViewContext, org: string, root: string): number {
  let depth = 0;
  for (let at = context.organisations.get(org); at !== undefined && at.org !== root && at.parent !== undefined && depth < 20; at = context.organisations.get(at.parent)) depth++;
  return depth;
}

export async function headsView(context: ViewContext): Promise<HTMLElement[]> {
  const m = t();
  const admin = context.session.groups.includes('admin');
  const roots = admin ? [...context.organisations.values()].filter((o) => o.parent === undefined).map((o) => o.org).sort() : [context.session.org];
  const units = roots.flatMap((root) => subtree(context, root));
  // Late where the units act, and late towards them: what a commission of the subtree issued
  // and its addressees owe (a chair's replies awaited), each obligation once.
  const lists = await Promise.all(units.flatMap((org) => [context.api.list<ListedObligation>({ org, status: 'overdue' }), context.api.list<ListedObligation>({ issuer: org, status: 'overdue' })]));
  const overdue = [...new Map(lists.flat().map((obligation) => [obligation.id, obligation])).values()].sort(byDue);
  // The addressees outside the subtree that owe it something late get a row of their own.
  const outside = [...new Set(overdue.map((o) => o.org).filter((org) => !units.includes(org)))].sort((a, b) => orgName(context, a).localeCompare(orgName(context, b)));

  const rules = new Map<string, Texts>();
  for (const o of overdue) rules.set(o.rule, o.ruleName);
  const ruleIds = [...rules.keys()].sort();
  const count = (org: string, rule?: string): number => overdue.filter((o) => o.org === org && (rule === undefined || o.rule === rule)).length;
  const rootOf = (org: string): string => roots.find((root) => subtree(context, root).includes(org)) ?? org;

  const unitHeader = (org: string): HTMLElement => h('th', { scope: 'row', class: `depth-${Math.min(depthOf(context, org, rootOf(org)), 4)}` }, orgName(context, org));
  const instants = weekEnds(context.now);
  // The weeks ended from the snapshots, one request per root (its answer holds the units under it); now, live.
  const [all, answers] = await Promise.all([
    obligationsOf(context, units, overdue),
    Promise.all(roots.map((root) => context.api.get<TrendAnswer>(`/reports/trend?${new URLSearchParams({ org: root, weeks: String(instants.length - 1) }).toString()}`))),
  ]);
  const trend = trendSection(units, unitHeader, instants, snapshotTrend(units, instants, answers, overdue));
  const violations = (org?: string): number => all.reduce((sum, o) => sum + (org === undefined || o.org === org ? (o.violations ?? 0) : 0), 0);

  const heading = 'heads-table';
  const table = h(
    'section',
    { 'aria-labelledby': heading, 'data-section': 'subtree' },
    h('h2', { id: heading }, `${m.overdueByUnitAndRule} (${overdue.length})`),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, m.unit),
            ruleIds.map((rule) => h('th', { scope: 'col', class: 'number' }, pick(rules.get(rule)))),
            h('th', { scope: 'col', class: 'number' }, m.total),
            h('th', { scope: 'col', class: 'number violations' }, m.violationsFound),
          ),
        ),
        h(
          'tbody',
          {},
          [...units, ...outside].map((org) =>
            h(
              'tr',
              { class: count(org) > 0 ? 'overdue' : undefined, 'data-org': org },
              units.includes(org) ? unitHeader(org) : h('th', { scope: 'row', class: 'depth-0 outside' }, `${orgName(context, org)} (${m.addresseeOutside})`),
              ruleIds.map((rule) => h('td', { class: 'number' }, count(org, rule))),
              h('td', { class: 'number', 'data-total': org }, count(org)),
              h('td', { class: 'number violations', 'data-violations': org }, violations(org)),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, m.total),
            ruleIds.map((rule) => h('td', { class: 'number' }, overdue.filter((o) => o.rule === rule).length)),
            h('td', { class: 'number' }, overdue.length),
            h('td', { class: 'number violations', 'data-violations': '' }, violations()),
          ),
        ),
      ),
    ),
    h('p', { class: 'note' }, m.violationsNote),
  );
  // Per official, by work identity (issue 19).
  return [table, overdueByOfficial(context, overdue), trend, section(m.overdueBySubtree, overdue, context, { showOrg: true }, 'overdue')];
}
