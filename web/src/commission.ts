import { byDue, obligationCard, orgName } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { pick, t } from './i18n.ts';
import type { ListedObligation } from './types.ts';
import { unansweredSection } from './reports.ts';

/**
 * The commission secretary: the replies the commission awaits, per decision and per submission
 * (one group per rule and case), overdue ones flagged with their grounds (CoAO art. 479 for a
 * submission), and a summary per addressee.
 */
export async function commissionView(context: ViewContext): Promise<HTMLElement[]> {
  const m = t();
  const issuer = context.session.org;
  const [open, overdue, closed] = await Promise.all([
    context.api.list<ListedObligation>({ issuer, status: 'open' }),
    context.api.list<ListedObligation>({ issuer, status: 'overdue' }),
    context.api.list<ListedObligation>({ issuer, status: 'closed' }, 3),
  ]);
  const awaited = [...overdue, ...open].sort(byDue);

  const groups = new Map<string, ListedObligation[]>();
  for (const obligation of awaited) {
    const key = `${obligation.rule}|${obligation.caseRef}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [obligation]);
    else group.push(obligation);
  }
  const groupsHeading = 'commission-groups';
  const perDecision = h(
    'section',
    { 'aria-labelledby': groupsHeading, 'data-section': 'awaited' },
    h('h2', { id: groupsHeading }, `${m.repliesAwaited}: ${m.perDecision} (${awaited.length})`),
    groups.size === 0
      ? h('p', { class: 'note' }, m.nothing)
      : [...groups.values()].map((group) => {
          const first = group[0] as ListedObligation;
          const late = group.filter((o) => o.status === 'overdue').length;
          return h(
            'section',
            { class: 'group', 'data-case': first.caseRef },
            h('h3', {}, `${first.caseRef} — ${pick(first.ruleName)}`, late > 0 ? [' ', h('span', { class: 'badge overdue' }, `${m.overdue}: ${late}`)] : null),
            h('ul', { class: 'cards' }, group.map((obligation) => obligationCard(obligation, context, { showOrg: true }))),
          );
        }),
  );

  const rows = new Map<string, { awaited: number; overdue: number; replied: number }>();
  const row = (org: string) => {
    let found = rows.get(org);
    if (found === undefined) rows.set(org, (found = { awaited: 0, overdue: 0, replied: 0 }));
    return found;
  };
  for (const o of open) row(o.org).awaited++;
  for (const o of overdue) {
    row(o.org).awaited++;
    row(o.org).overdue++;
  }
  for (const o of closed) if (o.status === 'done') row(o.org).replied++;
  const summaryHeading = 'commission-summary';
  const perAddressee = h(
    'section',
    { 'aria-labelledby': summaryHeading, 'data-section': 'addressees' },
    h('h2', { id: summaryHeading }, m.perAddressee),
    rows.size === 0
      ? h('p', { class: 'note' }, m.nothing)
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.addressee), h('th', { scope: 'col', class: 'number' }, m.awaited), h('th', { scope: 'col', class: 'number' }, m.overdue), h('th', { scope: 'col', class: 'number' }, m.replied))),
            h(
              'tbody',
              {},
              [...rows.entries()]
                .sort((a, b) => b[1].overdue - a[1].overdue || orgName(context, a[0]).localeCompare(orgName(context, b[0])))
                .map(([org, counts]) =>
                  h(
                    'tr',
                    { class: counts.overdue > 0 ? 'overdue' : undefined, 'data-org': org },
                    h('th', { scope: 'row' }, orgName(context, org)),
                    h('td', { class: 'number' }, counts.awaited),
                    h('td', { class: 'number' }, counts.overdue),
                    h('td', { class: 'number' }, counts.replied),
                  ),
                ),
            ),
          ),
        ),
  );
  // The art. 479 list (issue 19): the submissions the secretary prepares cases from.
  return [perDecision, perAddressee, await unansweredSection(context)];
}
