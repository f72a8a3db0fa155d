import { z } from 'zod';
import type { Obligation } from '../../shared/model/obligation.ts';
import { needsTimer, planOf } from '../../shared/obligations/lifecycle.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import type { Milestone } from '../../shared/rules/plan.ts';
import type { Rule } from '../../shared/rules/rule.ts';
import { slotTimes, timestamp } from '../../shared/rules/slots.ts';
import type { MilestoneStepResult, PlanStepResult, StepOutcome } from '../contract.ts';
import type { AppContext } from './context.ts';
import { event, pastUntil, withFreshObligation } from './obligations.ts';

/**
 * The Task states of the timer machines. Each re-reads the obligation first: a closed obligation
 * or a newer revision ends the execution, whatever the execution itself believes.
 */

export const TimerStepEventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('plan'), obligationId: z.string(), revision: z.number().int() }),
  z.object({ step: z.literal('next-cycle'), obligationId: z.string(), revision: z.number().int() }),
]);

export const MilestoneStepEventSchema = z.object({ obligationId: z.string(), revision: z.number().int(), milestone: z.string() });
export type MilestoneStep = z.infer<typeof MilestoneStepEventSchema>;

/** Sends a milestone's notices; the outbox makes a repeat send nothing. */
export type Deliver = (obligation: Obligation, rule: Rule, milestone: Milestone) => Promise<{ sent: readonly string[]; unreachable: readonly string[] }>;

const SYSTEM_USER = 'merzim';
const STALE_REMINDER_MS = 24 * 3_600_000;

/** Where an obligation stands for a timer of `revision`, before anything else happens. */
function standing(rule: Rule, obligation: Obligation, revision: number): StepOutcome {
  if (obligation.revision !== revision) return 'superseded';
  if (obligation.status === 'open' || obligation.status === 'overdue') return 'continue';
  return needsTimer(rule, obligation) ? 'cycle-closed' : 'closed';
}

/** Plans the revision with the calendar as it is now, and gives the machine its Wait instants. */
export async function planStep(context: AppContext, obligationId: string, revision: number): Promise<PlanStepResult> {
  const stored = await context.store.getObligation(obligationId);
  if (stored === undefined) return { next: 'closed', at: {} };
  const rule = findRule(stored.rule);
  const next = standing(rule, stored, revision);
  if (next === 'closed' || next === 'superseded') return { next, at: {} };

  const plan = planOf(rule, stored, await context.calendar());
  let obligation = stored;
  if (plan.dueAt !== stored.dueAt || canonical(plan.milestones) !== canonical(stored.plan.milestones)) {
    // The calendar changed between the opening and this plan (an override): keep what the timer runs on.
    obligation = { ...stored, plan, dueAt: plan.dueAt, updatedAt: context.now(), version: stored.version + 1 };
    await context.store.saveObligation(obligation, stored.version);
  }
  const nextPeriod = obligation.plan.nextCycle?.kind === 'calendar' ? obligation.plan.nextCycle.startsAt : undefined;
  return {
    next,
    at: slotTimes(rule, obligation.plan),
    // A variant that does not recur (a plan item by a set date) has no next period: the machine ends.
    ...(nextPeriod === undefined ? {} : { nextPeriodAt: timestamp(nextPeriod) }),
  };
}

/**
 * JSON with every object's keys in order: a plan read back from the table has its keys in the
 * order DynamoDB gives them, not in the order planOf wrote them.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** A reminder, the due instant or an escalation: notices, and the status the due instant sets. */
export async function milestoneStep(context: AppContext, deliver: Deliver, step: MilestoneStep): Promise<MilestoneStepResult> {
  const stored = await context.store.getObligation(step.obligationId);
  if (stored === undefined) return { next: 'closed' };
  const rule = findRule(stored.rule);
  const next = standing(rule, stored, step.revision);
  if (next !== 'continue') return { next };
  const index = stored.plan.milestones.findIndex((candidate) => candidate.id === step.milestone);
  const milestone = stored.plan.milestones[index];
  // A slot this plan leaves empty (a reminder that would have come before the start).
  if (milestone === undefined) return { next };

  let obligation = stored;
  if (milestone.kind === 'due' || milestone.kind === 'expiry') {
    obligation = await withFreshObligation(context, stored.id, async (current) => {
      if (current.revision !== step.revision || current.status !== 'open') return current;
      const now = context.now();
      const changed: Obligation = {
        ...current,
        status: milestone.kind === 'due' ? 'overdue' : 'expired',
        ...(milestone.kind === 'expiry' ? { closedAt: now } : {}),
        updatedAt: now,
        version: current.version + 1,
      };
      await context.store.saveObligation(changed, current.version, [
        event(changed, milestone.kind === 'due' ? 'marked-overdue' : 'expired', {
          at: milestone.at,
          recordedAt: now,
          by: SYSTEM_USER,
          seq: changed.version * 10,
          ...(current.plan.overdueGrounds === undefined || milestone.kind !== 'due' ? {} : { details: { grounds: current.plan.overdueGrounds.names.en } }),
        }),
      ]);
      return changed;
    });
  }

  // A reminder a day late helps nobody (a timer restarted after an outage, a plan loaded late):
  // the obligation is in the daily digest. Deadlines and escalations are always told.
  if (milestone.kind === 'reminder' && context.now() - milestone.at > STALE_REMINDER_MS) return { next };
  if (milestone.kind === 'reminder' || milestone.kind === 'escalation') {
    const reached = await reachMilestone(context, rule, step, milestone);
    if (reached.next !== 'continue') return { next: reached.next };
    obligation = reached.obligation;
  }
  await deliver(obligation, rule, milestone);
  return { next: 'continue' };
}

/**
 * Writes that a reminder or an escalation fell, in the audit trail and as a new version of the
 * obligation, before anyone is told. An act recorded at the same instant writes a version too, so
 * one of the two goes first: an act first ends the step here (nobody is told); the milestone first
 * is told, and the trail shows it before the act. A retried step, or a restarted timer, finds the
 * entry and tells again only whom the outbox has not told.
 */
async function reachMilestone(
  context: AppContext,
  rule: Rule,
  step: MilestoneStep,
  milestone: Milestone,
): Promise<{ next: StepOutcome; obligation: Obligation }> {
  return withFreshObligation(context, step.obligationId, async (current) => {
    const next = standing(rule, current, step.revision);
    if (next !== 'continue') return { next, obligation: current };
    const type = milestone.kind === 'reminder' ? 'reminded' : 'escalated';
    // Its entry is recorded at the milestone or later: a recurring obligation's older cycles are not read.
    const written = (await context.store.events(current.id, milestone.at)).some(
      // The same milestone at the same instant, reached by this revision or one before it (a restart).
      (entry) => entry.type === type && entry.at === milestone.at && entry.details?.['milestone'] === milestone.id,
    );
    if (written) return { next, obligation: current };
    const now = context.now();
    const changed: Obligation = { ...current, updatedAt: now, version: current.version + 1 };
    await context.store.saveObligation(changed, current.version, [
      event(changed, type, {
        at: milestone.at,
        recordedAt: now,
        by: SYSTEM_USER,
        seq: changed.version * 10,
        details: { milestone: milestone.id, notify: milestone.notify.join(' ') },
      }),
    ]);
    return { next, obligation: changed };
  });
}


/** The next period of a calendar-recurring obligation: a new cycle on a new timer, or the end. */
export async function nextCycleStep(context: AppContext, obligationId: string, revision: number): Promise<{ next: StepOutcome }> {
  return withFreshObligation(context, obligationId, async (current) => {
    if (current.revision !== revision) return { next: 'superseded' as const };
    const rule = findRule(current.rule);
    const nextCycle = current.plan.nextCycle;
    const now = context.now();
    if (nextCycle?.kind !== 'calendar' || !needsTimer(rule, current)) return { next: 'closed' as const };
    if (pastUntil(current, nextCycle.startsAt)) {
      // The plan's period is over: the last cycle stays as it is, no timer follows.
      if (current.status === 'done') {
        await context.store.saveObligation({ ...current, closedAt: now, updatedAt: now, version: current.version + 1 }, current.version);
      }
      return { next: 'closed' as const };
    }
    const { closedBy: _closedBy, closedAt: _closedAt, ...rest } = current;
    const opened = { ...rest, start: nextCycle.startsAt, cycle: current.cycle + 1, revision: current.revision + 1, updatedAt: now, version: current.version + 1 };
    const plan = planOf(rule, opened, await context.calendar());
    const next: Obligation = { ...opened, plan, dueAt: plan.dueAt, status: 'open' };
    await context.store.saveObligation(next, current.version, [
      event(next, 'cycle-opened', {
        at: nextCycle.startsAt,
        recordedAt: now,
        by: SYSTEM_USER,
        seq: next.version * 10,
        details: { dueAt: new Date(next.dueAt).toISOString(), previousStatus: current.status },
      }),
    ]);
    await context.executions.start(next);
    return { next: 'continue' as const };
  });
}
