import { itemTerm } from '../../shared/i18n/index.ts';
import { actLauncher } from './acts.ts';
import type { ViewContext } from './context.ts';
import { type Child, h } from './dom.ts';
import { formatDateTime, formatDeadline, formatLocalDate, localDate, machineTime, weekday } from './format.ts';
import { pick, t } from './i18n.ts';
import { roleName } from './roles.ts';
import type { ListedObligation, Status } from './types.ts';
import { quarterlyReportLink } from './reports.ts';

/** An obligation as a card of a work list: what, for which case, by when, and what to do. */

export function statusText(status: Status): string {
  const m = t();
  return { open: m.statusOpen, overdue: m.statusOverdue, done: m.statusDone, expired: m.statusExpired, cancelled: m.statusCancelled, suspended: m.statusSuspended }[status];
}

/** The status as a badge: overdue in red, open and paused in blue, the rest as closed. */
export function statusBadge(status: Status): HTMLSpanElement {
  const tone = status === 'overdue' ? 'overdue' : status === 'open' ? 'open' : status === 'suspended' ? 'suspended' : 'done';
  return h('span', { class: `badge ${tone}`, 'data-status': status }, statusText(status));
}

export function orgName(context: ViewContext, org: string): string {
  return pick(context.organisations.get(org)?.names, org);
}

/** An instant at +05:00 with its weekday; a deadline at midnight reads as 24:00 of its last day. */
export function when(value: string, deadline = false): HTMLTimeElement {
  const weekdayOf = deadline && formatDeadline(value).endsWith('24:00') ? Date.parse(value) - 1 : value;
  return h('time', { datetime: machineTime(value) }, `${deadline ? formatDeadline(value) : formatDateTime(value)} (${weekday(weekdayOf, t().weekdays)})`);
}

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/**
 * How many days an overdue obligation is late, in Kazakhstan's calendar days: a deadline at
 * 24:00 is late from the next day on (1 day), one at 18:30 is late the same evening (0: today).
 */
export function daysOverdue(dueAt: string, now: number): number {
  return Math.max(0, dayOf(localDate(now)) - dayOf(localDate(Date.parse(dueAt) - 1)));
}

/** When the head is told of a late obligation: the last escalation passed, else the next one. */
function headNotice(obligation: ListedObligation, now: number): HTMLElement | null {
  const m = t();
  const escalations = [...obligation.deadline.escalations].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const passed = escalations.filter((milestone) => Date.parse(milestone.at) <= now).at(-1);
  const next = escalations.find((milestone) => Date.parse(milestone.at) > now);
  const shown = passed ?? next;
  if (shown === undefined) return null;
  const roles = shown.notify.map(roleName).join(', ');
  const at = when(shown.at);
  return h(
    'p',
    { class: 'meta escalation', 'data-escalation': passed === undefined ? 'next' : 'passed' },
    passed === undefined ? m.headToBeTold(roles, at.textContent ?? '') : m.headTold(roles, at.textContent ?? ''),
  );
}

let cardCount = 0;

export interface CardOptions {
  /** Show the unit that must act (a commission's or a head's list). */
  readonly showOrg?: boolean;
  /** The deadline is an expiry (a protective order), not a duty. */
  readonly expiry?: boolean;
  /** Offer the acts the caller may record (fetched when asked). */
  readonly act?: boolean;
}

/** An action-plan item's term as the plan words it ("тұрақты негізде", a window of months), in the page's language. */
export function planTerm(obligation: Pick<ListedObligation, 'rule' | 'variant' | 'start' | 'deadline'>): HTMLSpanElement | null {
  const term = itemTerm({ rule: obligation.rule, variant: obligation.variant, firstDay: obligation.start.slice(0, 10), lastDay: obligation.deadline.movedFrom ?? obligation.deadline.lastDay });
  return term === undefined ? null : h('span', { class: 'term', 'data-term': obligation.variant ?? 'monthly' }, pick(term));
}

export function obligationCard(obligation: ListedObligation, context: ViewContext, options: CardOptions = {}): HTMLLIElement {
  const m = t();
  const id = `card-${++cardCount}`;
  const soon = obligation.status === 'open' && Date.parse(obligation.dueAt) - context.now < 86_400_000;
  const label = obligation.label === undefined ? '' : ` · ${obligation.label}`;
  const acts = options.act === false ? undefined : actLauncher(obligation, context, id);
  const term = planTerm(obligation);
  const report = quarterlyReportLink(obligation);
  const children: Child[] = [
    h('h3', { class: 'title', id }, `${obligation.caseRef}${label} — ${pick(obligation.ruleName)}`),
    options.showOrg === true ? h('p', { class: 'meta' }, `${m.unit}: ${orgName(context, obligation.org)}`) : null,
    h(
      'p',
      { class: 'meta' },
      `${options.expiry === true ? m.expiresAt : m.dueAt}: `,
      h('span', { class: 'due' }, when(obligation.dueAt, true)),
      obligation.deadline.movedFrom === undefined ? null : ` (${m.movedFrom} ${formatLocalDate(obligation.deadline.movedFrom)})`,
      obligation.deadline.provisional === true ? [' ', h('span', { class: 'badge provisional', 'data-provisional': 'true', title: m.provisionalLabel }, m.provisional)] : null,
      obligation.rule === 'offender-check' ? ` · ${m.cycle}${obligation.cycle}` : null,
      ' ',
      statusBadge(obligation.status),
    ),
    term === null ? null : h('p', { class: 'meta' }, `${m.planTerm}: `, term),
    obligation.requestedDueDate === undefined
      ? null
      : h('p', { class: 'meta requested', 'data-requested': obligation.requestedDueDate }, `${m.extensionRequested}: ${m.extensionAwaiting(formatLocalDate(obligation.requestedDueDate))}`),
    obligation.violations === undefined ? null : h('p', { class: 'meta violations' }, `${m.violations}: ${obligation.violations}`),
    obligation.status === 'overdue'
      ? h('p', { class: 'meta late', 'data-overdue-days': daysOverdue(obligation.dueAt, context.now) }, m.overdueBy(daysOverdue(obligation.dueAt, context.now)))
      : null,
    obligation.status === 'overdue' ? headNotice(obligation, context.now) : null,
    obligation.overdueGrounds === undefined
      ? null
      : h('p', { class: 'grounds' }, `${m.grounds}: ${pick(obligation.overdueGrounds.names)}`),
    h(
      'p',
      { class: 'meta links' },
      h('a', { href: `#/o/${encodeURIComponent(obligation.id)}`, 'aria-describedby': id }, m.plan),
      ' · ',
      h('a', { href: `#/case/${encodeURIComponent(obligation.caseRef)}`, 'aria-describedby': id, 'data-case-link': obligation.caseRef }, m.caseLink),
      report === null ? null : [' · ', report],
    ),
    acts ?? null,
  ];
  return h('li', { class: `card${obligation.status === 'overdue' ? ' overdue' : soon ? ' soon' : ''}`, 'data-obligation': obligation.id, 'data-rule': obligation.rule, 'data-status': obligation.status }, children);
}

/** A titled section with a list of cards, or "nothing here". */
export function section(title: string, obligations: readonly ListedObligation[], context: ViewContext, options: CardOptions = {}, name?: string): HTMLElement {
  const headingId = `section-${++cardCount}`;
  return h(
    'section',
    { 'aria-labelledby': headingId, 'data-section': name },
    h('h2', { id: headingId }, `${title} (${obligations.length})`),
    obligations.length === 0
      ? h('p', { class: 'note' }, t().nothing)
      : h('ul', { class: 'cards' }, obligations.map((obligation) => obligationCard(obligation, context, options))),
  );
}

export function byDue(a: ListedObligation, b: ListedObligation): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.id.localeCompare(b.id);
}
