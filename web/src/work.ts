import { byDue, obligationCard } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { formatDate } from './format.ts';
import { newer, recentlyWritten } from './fresh.ts';
import { t } from './i18n.ts';
import type { GroupPage, ListedObligation } from './types.ts';

/**
 * A work list that holds all the work of a unit (or all that an issuer awaits): its open
 * obligations in the groups the API cuts at its now (overdue, due this week until Sunday 24:00,
 * later), a page at a time, searchable by the start of a case reference.
 */

const GROUPS = ['overdue', 'week', 'later'] as const;
type Group = (typeof GROUPS)[number];
const PAGE = 20;

export interface WorkListOptions {
  readonly by: 'org' | 'issuer';
  readonly key: string;
  readonly title: string;
  /** The section's name (`data-section`). */
  readonly name: string;
  /** Show the unit that must act (an issuer's list). */
  readonly showOrg?: boolean;
}

/** The search of each list, kept while the page lives, so that a redraw after an act keeps it. */
const searches = new Map<string, string>();
let lists = 0;

export async function workList(context: ViewContext, options: WorkListOptions): Promise<HTMLElement> {
  const m = t();
  const searchKey = `${options.by}=${options.key}`;
  const search = searches.get(searchKey);
  const headingId = `worklist-${++lists}`;
  const groups = await Promise.all(GROUPS.map((group) => groupSection(context, options, group, search)));
  // A unit with no open work at all (a commission's own unit, say) says so in one line.
  if (search === undefined && groups.every((group) => group.getAttribute('data-total') === '0')) {
    return h('section', { 'aria-labelledby': headingId, 'data-section': options.name, 'data-worklist': searchKey, 'data-empty': 'true' }, h('h2', { id: headingId }, options.title), h('p', { class: 'note' }, m.nothing));
  }

  const input = h('input', { type: 'search', name: 'caseRef', id: `${headingId}-case`, value: search ?? '', autocomplete: 'off', maxlength: 64 });
  const form = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': m.searchCase },
    h('label', { for: `${headingId}-case` }, m.searchCase),
    input,
    h('button', { type: 'submit', 'data-action': 'search' }, m.searchButton),
    search === undefined ? null : h('button', { type: 'button', class: 'secondary', 'data-action': 'clear-search', onclick: () => void again('') }, m.searchClear),
  );
  const section = h(
    'section',
    { 'aria-labelledby': headingId, 'data-section': options.name, 'data-worklist': searchKey },
    h('h2', { id: headingId }, options.title),
    form,
    search === undefined ? null : h('p', { class: 'note', 'data-search': search }, m.searchFor(search)),
    groups,
  );
  const again = async (text: string): Promise<void> => {
    const wanted = text.trim();
    if (wanted === '') searches.delete(searchKey);
    else searches.set(searchKey, wanted);
    section.setAttribute('aria-busy', 'true');
    try {
      const redrawn = await workList(context, options);
      section.replaceWith(redrawn);
      redrawn.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
      redrawn.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      section.removeAttribute('aria-busy');
      context.say(`${m.failed}: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void again(input.value);
  });
  return section;
}

function query(options: WorkListOptions, group: Group, search: string | undefined, cursor?: string): string {
  const params = new URLSearchParams({ [options.by]: options.key, group, limit: String(PAGE) });
  if (search !== undefined) params.set('caseRef', search);
  if (cursor !== undefined) params.set('cursor', cursor);
  return `/obligations?${params.toString()}`;
}

/**
 * Whether an obligation this page just wrote belongs to a group as the API cut it: the list's
 * unit or issuer, the search, still running, and due within the group's bounds.
 */
function belongs(obligation: ListedObligation, options: WorkListOptions, page: GroupPage, search: string | undefined): boolean {
  const owner = options.by === 'org' ? obligation.org : obligation.issuedBy;
  if (owner !== options.key) return false;
  if (search !== undefined && !obligation.caseRef.startsWith(search)) return false;
  if (obligation.status !== 'open' && obligation.status !== 'overdue' && obligation.status !== 'suspended') return false;
  const due = Date.parse(obligation.dueAt);
  const { dueAfter, dueBy } = page.group;
  return (dueAfter === undefined || due > Date.parse(dueAfter)) && (dueBy === undefined || due <= Date.parse(dueBy));
}

async function groupSection(context: ViewContext, options: WorkListOptions, group: Group, search: string | undefined): Promise<HTMLElement> {
  const m = t();
  const first = await context.api.get<GroupPage>(query(options, group, search));
  // What this page wrote a moment ago wins over the index, which may not have it yet.
  const wrote = new Map(recentlyWritten().map((obligation) => [obligation.id, obligation]));
  let total = first.group.total;
  const items: ListedObligation[] = [];
  for (const listed of first.obligations) {
    const mine = wrote.get(listed.id);
    const current = mine === undefined ? listed : newer(listed, mine);
    wrote.delete(listed.id);
    if (current === listed || belongs(current, options, first, search)) items.push(current);
    else total -= 1;
  }
  for (const mine of wrote.values()) {
    if (!belongs(mine, options, first, search)) continue;
    items.push(mine);
    total += 1;
  }
  items.sort(byDue);

  const headingId = `${options.name}-${group}-${++lists}`;
  const title = { overdue: m.overdue, week: m.dueThisWeek, later: m.dueLater }[group];
  const until = group === 'week' && first.group.dueBy !== undefined ? ` — ${m.weekUntil(formatDate(Date.parse(first.group.dueBy) - 1))}` : '';
  const heading = h('h3', { id: headingId }, `${title} (${total})${until}`);
  const cards = h('ul', { class: 'cards' }, items.map((obligation) => card(obligation, context, options)));
  let shown = items.length;
  let cursor = first.cursor;
  const more = h('button', { type: 'button', class: 'secondary more', 'data-action': 'more' }, m.showMore(shown, total));
  more.hidden = cursor === undefined;
  more.addEventListener('click', () => {
    if (cursor === undefined) return;
    more.disabled = true;
    void context.api
      .get<GroupPage>(query(options, group, search, cursor))
      .then((page) => {
        const known = new Set(Array.from(cards.querySelectorAll('li[data-obligation]'), (li) => li.getAttribute('data-obligation')));
        const added = page.obligations.filter((obligation) => !known.has(obligation.id));
        for (const obligation of added) cards.append(card(obligation, context, options));
        shown += added.length;
        cursor = page.cursor;
        more.textContent = m.showMore(shown, Math.max(total, shown));
        more.hidden = cursor === undefined;
        more.disabled = false;
        // The first new card takes the focus, so that a keyboard goes on reading from there.
        cards.querySelector<HTMLElement>(`li[data-obligation="${CSS.escape(added[0]?.id ?? '')}"] h3`)?.setAttribute('tabindex', '-1');
        cards.querySelector<HTMLElement>(`li[data-obligation="${CSS.escape(added[0]?.id ?? '')}"] h3`)?.focus();
      })
      .catch((error: unknown) => {
        more.disabled = false;
        context.say(`${m.failed}: ${error instanceof Error ? error.message : String(error)}`, 'error');
      });
  });
  return h(
    'section',
    { 'aria-labelledby': headingId, 'data-group': group, 'data-total': total },
    heading,
    items.length === 0 ? h('p', { class: 'note' }, m.nothing) : null,
    cards,
    more,
  );
}

function card(obligation: ListedObligation, context: ViewContext, options: WorkListOptions): HTMLLIElement {
  // A deadline that lapses (a protective order) reads as "expires", not "due".
  const expiry = obligation.deadline.expiry === true;
  return obligationCard(obligation, context, { showOrg: options.showOrg === true, expiry });
}
