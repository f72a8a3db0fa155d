import { byDue, obligationCard } from './cards.ts';
import type { ViewContext } from './context.ts';
import { type Child, h } from './dom.ts';
import { t } from './i18n.ts';
import type { ListedObligation } from './types.ts';

/** `#/case/<caseRef>`: every obligation of one case the caller may see, open and closed (GET /cases). */
export async function caseView(context: ViewContext, caseRef: string): Promise<Child[]> {
  const m = t();
  const answer = await context.api.get<{ caseRef: string; obligations: ListedObligation[] }>(`/cases?${new URLSearchParams({ caseRef }).toString()}`);
  const obligations = [...answer.obligations].sort(byDue);
  const expiry = (obligation: ListedObligation): boolean => obligation.deadline.expiry === true;
  return [
    h('p', {}, h('a', { href: '#/' }, `← ${m.back}`)),
    h('h1', { 'data-case': answer.caseRef }, m.caseTitle(answer.caseRef)),
    h(
      'section',
      { 'data-section': 'case', 'aria-labelledby': 'case-heading' },
      h('h2', { id: 'case-heading', class: 'note' }, `${m.caseNote} (${obligations.length})`),
      obligations.length === 0
        ? h('p', { class: 'note' }, m.nothing)
        : h('ul', { class: 'cards' }, obligations.map((obligation) => obligationCard(obligation, context, { showOrg: true, expiry: expiry(obligation) }))),
    ),
  ];
}
