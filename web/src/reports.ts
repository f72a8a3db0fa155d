import type { Api } from './api.ts';
import { orgName } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { formatDeadline, formatLocalDate } from './format.ts';
import type { Obligation } from './types.ts';
import { pick, t } from './i18n.ts';
import type { UnansweredSubmission } from '../../shared/reports/unanswered.ts';

/**
 * The reports of issue 19 on the dashboard: the commission's art. 479 list (submissions whose
 * addressee did not reply within the month), with the spreadsheet the secretary files.
 */

/** Fetches a report file with the token and hands it to the browser as a download. */
export async function downloadReport(api: Api, path: string, fileName: string): Promise<void> {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function downloadButton(context: ViewContext, label: string, path: string, fileName: string, format: string): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-download': format,
      onclick: async () => {
        try {
          await downloadReport(context.api, path, fileName);
          context.say(t().reportsDownloaded);
        } catch (error) {
          context.say(`${t().failed}: ${error instanceof Error ? error.message : String(error)}`, 'error');
        }
      },
    },
    label,
  );
}

/** The art. 479 list of the secretary's commission, and its downloads. */
export async function unansweredSection(context: ViewContext): Promise<HTMLElement> {
  const m = t();
  const issuer = context.session.org;
  const path = `/reports/unanswered-submissions?issuer=${encodeURIComponent(issuer)}`;
  const { items } = await context.api.get<{ items: UnansweredSubmission[] }>(path);
  const heading = 'commission-art-479';
  const stamp = new Date(context.now + 5 * 3_600_000).toISOString().slice(0, 10);
  const name = `merzim-479-${issuer}-${stamp}`;
  return h(
    'section',
    { 'aria-labelledby': heading, 'data-section': 'art-479' },
    h('h2', {}, h('span', { id: heading }, `${m.reportsUnansweredTitle} (${items.length})`)),
    h('p', { class: 'note' }, m.reportsUnansweredNote),
    h(
      'p',
      { class: 'actions' },
      downloadButton(context, m.reportsDownloadXlsx, `${path}&format=xlsx`, `${name}.xlsx`, 'xlsx'),
      ' ',
      downloadButton(context, m.reportsDownloadCsv, `${path}&format=csv`, `${name}.csv`, 'csv'),
    ),
    items.length === 0
      ? h('p', { class: 'note' }, m.reportsNone)
      : h(
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
                h('th', { scope: 'col' }, m.addressee),
                h('th', { scope: 'col' }, m.reportsSubmission),
                h('th', { scope: 'col' }, m.reportsReceived),
                h('th', { scope: 'col' }, m.reportsDue),
                h('th', { scope: 'col', class: 'number' }, m.reportsDaysOverdue),
                h('th', { scope: 'col' }, m.reportsGrounds),
              ),
            ),
            h(
              'tbody',
              {},
              items.map((item) =>
                h(
                  'tr',
                  { class: 'overdue', 'data-org': item.org, 'data-case': item.caseRef },
                  h('th', { scope: 'row' }, pick(item.addressee, item.org)),
                  h('td', {}, h('a', { href: `#/o/${item.id}` }, item.caseRef)),
                  h('td', {}, formatLocalDate(item.received)),
                  h('td', {}, formatLocalDate(item.due)),
                  h('td', { class: 'number' }, item.daysOverdue),
                  h('td', {}, pick(item.cite)),
                ),
              ),
            ),
          ),
        ),
  );
}

/**
 * Heads: the overdue obligations counted per official, by work identity (never a name: the
 * directory holds none), each with their list; the unassigned ones of each unit together.
 */
export function overdueByOfficial(context: ViewContext, overdue: readonly Obligation[]): HTMLElement {
  const m = t();
  const groups = new Map<string, { assignee?: string; org: string; items: Obligation[] }>();
  for (const obligation of overdue) {
    const key = obligation.assignee ?? `—${obligation.org}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ...(obligation.assignee === undefined ? {} : { assignee: obligation.assignee }), org: obligation.org, items: [] }));
    group.items.push(obligation);
  }
  // The most overdue first; the unassigned after the officials with as many.
  const unassigned = (group: { assignee?: string }): number => (group.assignee === undefined ? 1 : 0);
  const ordered = [...groups.values()].sort(
    (a, b) => b.items.length - a.items.length || unassigned(a) - unassigned(b) || (a.assignee ?? '').localeCompare(b.assignee ?? '') || a.org.localeCompare(b.org),
  );
  const heading = 'heads-officials';
  return h(
    'section',
    { 'aria-labelledby': heading, 'data-section': 'officials' },
    h('h2', { id: heading }, `${m.reportsOverdueByOfficial} (${overdue.length})`),
    h('p', { class: 'note' }, m.reportsOfficialsNote),
    ordered.length === 0
      ? h('p', { class: 'note' }, m.nothing)
      : h(
          'ul',
          { class: 'officials' },
          ordered.map((group) =>
            h(
              'li',
              { 'data-assignee': group.assignee ?? '', 'data-org': group.org },
              h(
                'details',
                {},
                h('summary', {}, h('strong', {}, group.assignee ?? m.reportsUnassigned), ` — ${orgName(context, group.org)}: `, h('span', { class: 'badge overdue', 'data-count': '' }, group.items.length)),
                h(
                  'ul',
                  {},
                  group.items.map((obligation) => h('li', {}, h('a', { href: `#/o/${obligation.id}` }, obligation.caseRef), ` — ${pick(obligation.ruleName)}, ${formatDeadline(obligation.dueAt)}`)),
                ),
              ),
            ),
          ),
        ),
  );
}
