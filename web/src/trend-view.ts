import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { formatDate, formatDateTime, machineTime } from './format.ts';
import { t } from './i18n.ts';
import { type Count, type Trend } from './trend.ts';
import type { ListedObligation } from './types.ts';

/** The heads' trend as a table with a sparkline per row (the counting is trend.ts). */
const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** A small line of the counts (a week with none kept left out), with its numbers as its text alternative. */
export function sparkline(counts: readonly Count[], alternative: string): SVGSVGElement {
  const width = 96;
  const height = 24;
  const pad = 3;
  const most = Math.max(1, ...counts.map((count) => count ?? 0));
  const step = counts.length > 1 ? (width - 2 * pad) / (counts.length - 1) : 0;
  const points = counts.flatMap((count, i) => (count === null ? [] : [[pad + i * step, height - pad - (count / most) * (height - 2 * pad)] as const]));
  const chart = svg('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': alternative, focusable: 'false' });
  const title = svg('title', {});
  title.textContent = alternative;
  chart.appendChild(title);
  chart.appendChild(svg('polyline', { points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }));
  const end = points.at(-1);
  if (end !== undefined) chart.appendChild(svg('circle', { cx: end[0].toFixed(1), cy: end[1].toFixed(1), r: 2, fill: 'currentColor' }));
  return chart;
}

/** Red only where something was overdue: a row that stayed at nought is drawn quietly. */
function chartCell(counts: readonly Count[], alternative: string): HTMLTableCellElement {
  const clear = counts.every((count) => count === null || count === 0);
  return h('td', { class: clear ? 'chart clear' : 'chart', 'data-clear': clear ? 'true' : 'false' }, sparkline(counts, alternative));
}

/** Every obligation of the units (overdue ones already loaded; open and closed ones fetched), each once. */
export async function obligationsOf(context: ViewContext, units: readonly string[], overdue: readonly ListedObligation[]): Promise<ListedObligation[]> {
  const lists = await Promise.all(units.flatMap((org) => (['open', 'closed'] as const).map((status) => context.api.list<ListedObligation>({ org, status }))));
  const byId = new Map<string, ListedObligation>();
  for (const obligation of [...overdue, ...lists.flat()]) if (!byId.has(obligation.id)) byId.set(obligation.id, obligation);
  return [...byId.values()];
}

/** The trend section: a table of the counts per unit and week end (trend.ts), with a sparkline per row. */
export function trendSection(units: readonly string[], rowHeader: (org: string) => HTMLElement, instants: readonly number[], trend: Trend): HTMLElement {
  const m = t();
  const zeros = instants.map((): Count => null);
  const last = instants.length - 1;
  const label = (instant: number, i: number): string => (i === last ? `${m.trendNow} (${formatDateTime(instant)})` : formatDate(instant - 1));
  const shown = (count: Count): string => (count === null ? '—' : String(count));
  const alternative = (counts: readonly Count[]): string => `${m.trendAlt} ${counts.map((count, i) => `${label(instants[i] ?? 0, i)}: ${shown(count)}`).join('; ')}`;
  const cells = (counts: readonly Count[]) =>
    counts.map((count, i) => h('td', { class: i === last ? 'number now' : 'number', 'data-instant': machineTime(instants[i] ?? 0), ...(count === null ? { 'data-kept': 'none' } : {}) }, shown(count)));
  const heading = 'heads-trend';
  return h(
    'section',
    { 'aria-labelledby': heading, 'data-section': 'trend' },
    h('h2', { id: heading }, m.overdueTrend),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', {}, m.trendCaption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, m.unit),
            instants.map((instant, i) => h('th', { scope: 'col', class: 'number' }, i === last ? m.trendNow : h('time', { datetime: machineTime(instant) }, formatDate(instant - 1).slice(0, 5)))),
            h('th', { scope: 'col' }, m.trendChart),
          ),
        ),
        h(
          'tbody',
          {},
          units.map((org) => {
            const counts = trend.byOrg.get(org) ?? zeros;
            return h('tr', { 'data-org': org }, rowHeader(org), cells(counts), chartCell(counts, alternative(counts)));
          }),
        ),
        h('tfoot', {}, h('tr', { 'data-org': '' }, h('th', { scope: 'row' }, m.total), cells(trend.total), chartCell(trend.total, alternative(trend.total)))),
      ),
    ),
    h('p', { class: 'note' }, m.trendNote),
  );
}
