import type { Api } from './api.ts';
import { orgName } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { formatDateTime, formatDeadline, formatLocalDate, localDate, toInstant } from './format.ts';
import type { ListedObligation } from './types.ts';
import { pick, t } from './i18n.ts';
import type { Figure, QuarterlyReport, UnansweredSubmission } from '../../shared/reports/index.ts';
import type { Texts } from '../../shared/base/index.ts';

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

/** A report's two downloads: `path` (its query already begun) as a workbook and as CSV, saved as `name`. */
function downloads(context: ViewContext, path: string, name: string): HTMLParagraphElement {
  const m = t();
  return h(
    'p',
    { class: 'actions' },
    downloadButton(context, m.reportsDownloadXlsx, `${path}&format=xlsx`, `${name}.xlsx`, 'xlsx'),
    ' ',
    downloadButton(context, m.reportsDownloadCsv, `${path}&format=csv`, `${name}.csv`, 'csv'),
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
    downloads(context, path, name),
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
export function overdueByOfficial(context: ViewContext, overdue: readonly ListedObligation[]): HTMLElement {
  const m = t();
  const groups = new Map<string, { assignee?: string; org: string; items: ListedObligation[] }>();
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

// The quarterly report (issue 19): the page the report obligation and its mails link to.

/**
 * The quarter a quarterly report's obligation covers, and the link to its unit's figures: the
 * quarter before the month the note falls due in (shared/reports/quarter.ts `reportedQuarter`).
 */
export function quarterlyReportOf(obligation: Pick<ListedObligation, 'rule' | 'org' | 'dueAt'>): { quarter: string; href: string } | undefined {
  if (obligation.rule !== 'unit-quarterly-report') return undefined;
  const lastDay = localDate(toInstant(obligation.dueAt) - 1);
  const year = Number(lastDay.slice(0, 4));
  const number = Math.floor((Number(lastDay.slice(5, 7)) - 1) / 3) + 1;
  const quarter = number === 1 ? `${year - 1}-Q4` : `${year}-Q${number - 1}`;
  return { quarter, href: `#/reports/quarterly?${new URLSearchParams({ org: obligation.org, quarter }).toString()}` };
}

/** The link a report obligation's card and page show. */
export function quarterlyReportLink(obligation: Pick<ListedObligation, 'rule' | 'org' | 'dueAt'>): HTMLAnchorElement | null {
  const report = quarterlyReportOf(obligation);
  return report === undefined ? null : h('a', { href: report.href, 'data-report-link': report.quarter }, `${t().reportsQuarterlyLink} (${report.quarter})`);
}

/** `#/reports/quarterly?org=…&quarter=…`: a unit's figures per rule, the units under it, the total, and the downloads. */
export async function quarterlyReportView(context: ViewContext, query: URLSearchParams): Promise<HTMLElement[]> {
  const m = t();
  const search = new URLSearchParams();
  for (const name of ['org', 'quarter']) {
    const value = query.get(name);
    if (value !== null) search.set(name, value);
  }
  const path = `/reports/quarterly?${search.toString()}`;
  const report = await context.api.get<QuarterlyReport>(path);
  const name = `merzim-${report.org}-${report.quarter}`;
  const heading = 'quarterly-report';
  const figureName = (line: QuarterlyReport['rules'][number], figure: Figure): string => {
    const means = line.means[figure];
    return means === undefined ? (m.reportsFigures[figure] ?? figure) : pick(means);
  };
  return [
    h('p', {}, h('a', { href: '#/' }, `← ${m.back}`)),
    h(
      'section',
      { 'aria-labelledby': heading, 'data-section': 'quarterly-report', 'data-org': report.org, 'data-quarter': report.quarter },
      h('h2', { id: heading }, `${m.reportsQuarterlyTitle(report.quarter)} — ${pick(report.names, report.org)}`),
      h('p', { class: 'meta' }, `${m.reportsPeriod}: ${formatLocalDate(report.from)} – ${formatLocalDate(report.to)} · ${m.reportsAsOf}: ${formatDateTime(report.asOf)}`),
      h('p', { class: 'note' }, m.reportsQuarterlyNote),
      downloads(context, path, name),
    ),
    ...report.rules.map((line) =>
      h(
        'section',
        { 'aria-labelledby': `report-${line.rule}`, 'data-rule': line.rule },
        h('h3', { id: `report-${line.rule}` }, pick(line.names)),
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.unit), line.figures.map((figure) => h('th', { scope: 'col', class: 'number' }, figureName(line, figure))))),
            h(
              'tbody',
              {},
              report.units.map((unit) =>
                h(
                  'tr',
                  { 'data-org': unit.org },
                  h('th', { scope: 'row' }, pick(unit.names, unit.org)),
                  line.figures.map((figure) => h('td', { class: 'number', 'data-figure': figure }, unit.figures[line.rule]?.[figure] ?? 0)),
                ),
              ),
            ),
            h('tfoot', {}, h('tr', { 'data-org': '' }, h('th', { scope: 'row' }, m.total), line.figures.map((figure) => h('td', { class: 'number', 'data-figure': figure }, report.total[line.rule]?.[figure] ?? 0)))),
          ),
        ),
      ),
    ),
  ];
}
