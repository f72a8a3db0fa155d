import { SYSTEM_USER } from '../../shared/base/index.ts';
import { actPanel, eventName } from './acts.ts';
import { orgName, planTerm, statusBadge, when } from './cards.ts';
import type { ViewContext } from './context.ts';
import { type Child, h } from './dom.ts';
import { formatDateTime, formatLocalDate } from './format.ts';
import { pick, t } from './i18n.ts';
import { roleName } from './roles.ts';
import { quarterlyReportLink } from './reports.ts';
import type { ExplainedStep, Milestone, Notice, Obligation, ObligationDetail, ObligationEvent } from './types.ts';

/**
 * One obligation's plan as a timeline: its milestones (planned or passed), what was sent to whom
 * and when under each, and the audit trail of acts and of what Merzim did, in time order. An act
 * recorded well after the time it is dated shows both times and is marked backdated. Above it,
 * the acts the caller may record now (acts.ts).
 */

interface Entry {
  readonly at: number;
  /** Milestones before events at the same instant (the deadline, then its marking overdue). */
  readonly order: number;
  readonly item: HTMLLIElement;
}

function milestoneTitle(milestone: Milestone, obligation: Pick<Obligation, 'rule' | 'variant'>): string {
  const m = t();
  // A plan's window of months is reminded first as it opens (the catalog's `window` variant, its reminder 1).
  if (obligation.rule === 'action-plan-item' && obligation.variant === 'window' && milestone.id === 'reminder-1') return m.windowOpens;
  return { reminder: m.milestoneReminder, due: m.milestoneDue, expiry: m.milestoneExpiry, escalation: m.milestoneEscalation }[milestone.kind];
}

function noticeLine(notice: Notice): HTMLLIElement {
  const m = t();
  const withdrawn = notice.withdrawnBecause === 'replanned' ? m.noticeWithdrawnReplanned : m.noticeWithdrawnClosed;
  const status = { queued: m.noticeQueued, withdrawn, pending: m.noticePending, sent: m.noticeSent, bounced: m.noticeBounced, complained: m.noticeComplained }[notice.status];
  return h('li', { 'data-notice': notice.status }, `${roleName(notice.role)} (${notice.recipient}): ${status}`, notice.sentAt === undefined ? null : [' ', when(notice.sentAt)]);
}

/**
 * How the due date was counted, folded under the facts: the API gives each step in the three
 * languages, counted by the code that made the plan; the page only picks its language.
 */
function explanationOf(steps: readonly ExplainedStep[] | undefined): HTMLElement | null {
  if (steps === undefined || steps.length === 0) return null;
  const m = t();
  return h(
    'details',
    { class: 'explanation', 'data-section': 'explanation' },
    h('summary', {}, m.explainSummary),
    h('p', { class: 'hint' }, m.explainNote),
    h(
      'ol',
      {},
      steps.map((step) =>
        h(
          'li',
          { 'data-step': step.kind, 'data-date': step.date },
          h('p', { class: 'step' }, pick(step.text)),
          step.grounds.length === 0 ? null : h('p', { class: 'grounds' }, `${m.explainGrounds}: ${step.grounds.map((ground) => pick(ground)).join('; ')}`),
        ),
      ),
    ),
  );
}

function obligationLink(id: string): HTMLAnchorElement {
  return h('a', { href: `#/o/${encodeURIComponent(id)}` }, id);
}

export async function obligationView(context: ViewContext, id: string): Promise<HTMLElement[]> {
  const m = t();
  const detail = await context.api.get<ObligationDetail>(`/obligations/${encodeURIComponent(id)}`);
  const { obligation, events, notices, allowedActs } = detail;
  const entries: Entry[] = [];
  const milestoneIds = new Set(obligation.plan.milestones.map((milestone) => milestone.id));

  const detailLines = (event: ObligationEvent): HTMLLIElement[] => {
    const details = event.details ?? {};
    const text = (key: string): string | undefined => (typeof details[key] === 'string' ? (details[key] as string) : undefined);
    // A hand-over reads as one line, from → to.
    const handOver = (label: string, from: string | undefined, to: string | undefined): HTMLLIElement[] =>
      to === undefined ? [] : [h('li', { class: 'handed-over', 'data-to': to }, `${label}: ${from === undefined ? '' : `${orgName(context, from)} → `}${orgName(context, to)}`)];
    return [
      ...handOver(m.handedOver, text('fromOrg'), text('toOrg')),
      ...handOver(m.issuerHandedOver, text('fromIssuer'), text('toIssuer')),
      ...Object.entries(details)
        .filter(([key]) => !['milestone', 'notify', 'sent', 'role', 'kind', 'fromOrg', 'toOrg', 'fromIssuer', 'toIssuer'].includes(key))
        .map(([key, value]) => {
          const name = m.details[key] ?? key;
          if ((key === 'dueAt' || key === 'previousDueAt') && typeof value === 'string') return h('li', {}, `${name}: `, when(value, true));
          if ((key === 'start' || key === 'previousStart') && typeof value === 'string') return h('li', {}, `${name}: `, when(value));
          if ((key === 'dueDate' || key === 'calendarDate') && typeof value === 'string') return h('li', {}, `${name}: ${formatLocalDate(value)}`);
          if (key === 'grounds' && obligation.plan.overdueGrounds !== undefined) return h('li', {}, `${name}: ${pick(obligation.plan.overdueGrounds.names)}`);
          if (key === 'renewedBy' && typeof value === 'string') return h('li', { 'data-renewed-by': value }, `${m.nextOrder}: `, obligationLink(value));
          if (key === 'renewedFrom' && typeof value === 'string') return h('li', { 'data-renewed-from': value }, `${m.previousOrder}: `, obligationLink(value));
          return h('li', {}, `${name}: ${String(value)}`);
        }),
    ];
  };
  const eventLines = (event: ObligationEvent): Child[] =>
    [
      event.by === SYSTEM_USER ? null : h('li', {}, `${m.by}: ${event.by}`),
      event.reason === undefined ? null : h('li', {}, `${m.reason}: ${event.reason}`),
      event.note === undefined ? null : h('li', {}, `${m.note}: ${event.note}`),
      ...detailLines(event),
    ].filter((child) => child !== null);

  // What Merzim did at a milestone of this plan (reminded, escalated) is told under the milestone.
  const atMilestone = (event: ObligationEvent): string | undefined => {
    const milestone = event.details?.['milestone'];
    return typeof milestone === 'string' && milestoneIds.has(milestone) && event.revision === obligation.revision && event.cycle === obligation.cycle ? milestone : undefined;
  };
  for (const event of events) {
    if (atMilestone(event) !== undefined) continue;
    const extras = eventLines(event);
    const backdated = event.backdated === true;
    entries.push({
      at: Date.parse(event.at),
      order: 1,
      item: h(
        'li',
        { class: `event event-${event.type}${backdated ? ' backdated' : ''}`, 'data-event': event.type, 'data-backdated': backdated ? 'true' : undefined },
        when(event.at),
        backdated ? [' ', h('span', { class: 'badge backdated' }, m.backdated)] : null,
        h('p', { class: 'what' }, eventName(event.type)),
        backdated ? h('p', { class: 'dated' }, m.datedRecorded(formatDateTime(event.at), formatDateTime(event.recordedAt))) : null,
        extras.length === 0 ? null : h('ul', {}, extras),
      ),
    });
  }
  const milestoneById = new Map(obligation.plan.milestones.map((milestone) => [milestone.id, milestone]));
  const detailText = (event: ObligationEvent, key: string): string | undefined => {
    const value = event.details?.[key];
    return typeof value === 'string' ? value : undefined;
  };
  const rolesOf = (list: string | undefined): string => (list ?? '').split(' ').filter(Boolean).map(roleName).join(', ');
  // What Merzim did at the milestone, in the words of the timeline: told, not told and why, nobody to tell.
  const auditLine = (event: ObligationEvent): HTMLLIElement => {
    if (event.type === 'milestone-skipped') {
      const reason = detailText(event, 'reason');
      const into = milestoneById.get(detailText(event, 'into') ?? '');
      return h(
        'li',
        { class: 'not-told', 'data-event': event.type, 'data-reason': reason },
        `${eventName(event.type)}: ${m.notToldReason[reason ?? ''] ?? reason ?? ''}`,
        ` ${into === undefined ? m.lateTooLate : m.lateToldInstead(milestoneTitle(into, obligation), formatDateTime(into.at))}`,
      );
    }
    const unreachable = detailText(event, 'unreachable');
    const replaces = detailText(event, 'replaces');
    return h(
      'li',
      { 'data-event': event.type },
      eventName(event.type),
      replaces === undefined ? null : h('span', { class: 'replaces', 'data-replaces': replaces }, ` · ${m.lateReplaces}`),
      event.details?.['toldNobody'] === true
        ? h('span', { class: 'nobody', 'data-nobody': 'true' }, ` · ${m.nobodyToTell}`)
        : unreachable === undefined
          ? null
          : h('span', { class: 'nobody', 'data-unreachable': unreachable }, ` · ${m.nobodyHolds(rolesOf(unreachable))}`),
    );
  };
  for (const milestone of obligation.plan.milestones) {
    const at = Date.parse(milestone.at);
    const running = obligation.status === 'open' || obligation.status === 'overdue' || obligation.status === 'suspended';
    const planned = at > context.now && running;
    const sent = notices.filter((notice) => notice.milestone === milestone.id);
    const audit = events.filter((event) => atMilestone(event) === milestone.id);
    // A reminder or an escalation the timer reached late and did not send; a deadline or an expiry still happened, only its notice did not go.
    const notTold = !planned && (milestone.kind === 'reminder' || milestone.kind === 'escalation') && audit.some((event) => event.type === 'milestone-skipped');
    // Closed before it came: its timer stopped, so it never happened.
    const skipped = !running && at > (obligation.closedAt === undefined ? context.now : Date.parse(obligation.closedAt));
    const nobody = audit.some((event) => event.details?.['toldNobody'] === true);
    // Whom it told: its own roles, and those of the milestones folded into it, as its audit entry says.
    const reached = audit.find((event) => event.type === 'reminded' || event.type === 'escalated');
    const told = reached === undefined ? milestone.notify : (detailText(reached, 'notify') ?? '').split(' ').filter(Boolean);
    const state = planned ? m.planned : skipped ? m.skipped : notTold ? m.lateNotTold : nobody ? m.nobodyToTell : m.happened[milestone.kind];
    entries.push({
      at,
      order: 0,
      item: h(
        'li',
        {
          class: `milestone milestone-${milestone.kind}${planned || skipped || notTold ? ' planned' : ''}${nobody ? ' nobody' : ''}`,
          'data-milestone': milestone.id,
          'data-skipped': skipped || notTold ? 'true' : undefined,
          'data-not-told': notTold ? 'true' : undefined,
          'data-nobody': nobody ? 'true' : undefined,
        },
        when(milestone.at, milestone.kind === 'due' || milestone.kind === 'expiry'),
        h('p', { class: 'what' }, `${milestoneTitle(milestone, obligation)} — ${state}`),
        h(
          'ul',
          {},
          told.length === 0 ? null : h('li', {}, `${m.notify}: ${told.map(roleName).join(', ')}`),
          sent.map(noticeLine),
          audit.map(auditLine),
        ),
      ),
    });
  }
  // Notices of an earlier plan (before an extension or a corrected start), at the time they went.
  for (const notice of notices) {
    if (milestoneIds.has(notice.milestone) || notice.sentAt === undefined) continue;
    entries.push({ at: Date.parse(notice.sentAt), order: 1, item: h('li', { class: 'milestone' }, when(notice.sentAt), h('p', { class: 'what' }, `${m.sentTo}: ${notice.milestone}`), h('ul', {}, noticeLine(notice))) });
  }
  entries.sort((a, b) => a.at - b.at || a.order - b.order);

  const label = obligation.label === undefined ? '' : ` · ${obligation.label}`;
  const facts: [string, Child][] = [
    [m.caseRef, obligation.caseRef + label],
    [m.rule, pick(obligation.ruleName)],
    [m.unit, orgName(context, obligation.org)],
    ...(obligation.issuedBy === undefined ? [] : [[m.issuedBy, orgName(context, obligation.issuedBy)] as [string, Child]]),
    [m.role, roleName(obligation.plan.actor)],
    ...(obligation.assignee === undefined ? [] : [[m.assignee, obligation.assignee] as [string, Child]]),
    [m.start, when(obligation.start)],
    [m.dueAt, [when(obligation.dueAt, true), obligation.plan.movedFrom === undefined ? null : ` (${m.movedFrom} ${formatLocalDate(obligation.plan.movedFrom)})`]],
    [m.status, statusBadge(obligation.status)],
  ];
  const term = planTerm(obligation);
  if (term !== null) facts.splice(facts.findIndex(([name]) => name === m.dueAt) + 1, 0, [m.planTerm, term]);
  if (obligation.plan.provisional === true) {
    // The projection's reasoning is written in English for the CLI and the API; the page names each day in its own language and keeps the reason as a tooltip.
    const days = (obligation.plan.projectedDays ?? []).map((day) => `${formatLocalDate(day.date)} (${day.working ? m.workingDay : m.dayOff})`).join(', ');
    const why = (obligation.plan.projectedDays ?? []).map((day) => `${day.date}: ${day.why}`).join('\n');
    facts.push([m.provisionalLabel, h('span', { class: 'provisional', 'data-provisional': 'true', title: why }, m.provisionalNote(days))]);
  }
  if (obligation.requestedDueDate !== undefined) {
    facts.push([m.extensionRequested, h('span', { class: 'requested', 'data-requested': obligation.requestedDueDate }, m.extensionAwaiting(formatLocalDate(obligation.requestedDueDate)))]);
  }
  if (obligation.violations !== undefined) facts.push([m.violations, h('span', { 'data-violations': obligation.violations }, obligation.violations)]);
  if (obligation.renewedFrom !== undefined) facts.push([m.previousOrder, h('span', { 'data-renewed-from': obligation.renewedFrom }, obligationLink(obligation.renewedFrom))]);
  if (obligation.renewedBy !== undefined) facts.push([m.nextOrder, h('span', { 'data-renewed-by': obligation.renewedBy }, obligationLink(obligation.renewedBy))]);
  const report = quarterlyReportLink(obligation);
  if (report !== null) facts.push([m.reportsQuarterlyLink, report]);
  if (obligation.overdueGrounds !== undefined) facts.push([m.grounds, h('span', { class: 'grounds' }, pick(obligation.overdueGrounds.names), ` — ${obligation.overdueGrounds.source.cite === undefined ? [obligation.overdueGrounds.source.act, obligation.overdueGrounds.source.provision].filter(Boolean).join(', ') : pick(obligation.overdueGrounds.source.cite)}`)]);

  return [
    h('p', {}, h('a', { href: '#/' }, `← ${m.back}`)),
    h(
      'section',
      { 'aria-labelledby': 'obligation-heading' },
      h('h2', { id: 'obligation-heading' }, `${m.obligation}: ${obligation.caseRef}${label}`),
      h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      explanationOf(obligation.plan.explanation?.steps),
    ),
    h('section', { 'aria-labelledby': 'acts-heading', 'data-section': 'acts' }, h('h2', { id: 'acts-heading' }, m.recordActTitle), actPanel(obligation, allowedActs, context)),
    h('section', { 'aria-labelledby': 'timeline-heading' }, h('h2', { id: 'timeline-heading' }, m.timeline), h('ol', { class: 'timeline' }, entries.map((entry) => entry.item))),
  ];
}
