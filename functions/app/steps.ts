import { type EventType, type Obligation, type ObligationEvent, auditEntry, timerOf } from '../../shared/model/index.ts';
import { type Role, RoleSchema, SYSTEM_USER, localDateOf } from '../../shared/base/index.ts';
import { needsTimer, planOf } from '../../shared/obligations/index.ts';
import { type Milestone, type Rule, findRule, recursOnCalendar, ruleInForce, timerSlots } from '../../shared/rules/index.ts';
import { type MilestoneStepEvent, TIMER_SIGNALS, type StepResult, type TimerSignal } from '../../contract/index.ts';
import { StaleObligationError } from '../adapters/store/index.ts';
import type { AppContext } from './context.ts';
import { type Telling, isUrgent, queuedRecords } from './deliver.ts';
import { type MilestoneCourse, courseOf } from './late.ts';
import { pastUntil, withFreshObligation } from './obligations.ts';
import { gapUnitOf, milestoneAudience } from './recipients.ts';

/**
 * The Task states of the timer machines. Each reads the obligation first: a closed obligation
 * or a newer revision ends the execution, whatever the execution itself believes.
 */

/** Sends a milestone's notices; the outbox makes a repeat send nothing. */
export type Deliver = (obligation: Obligation, rule: Rule, milestone: Milestone, telling: Telling) => Promise<{ sent: readonly string[]; unreachable: readonly string[] }>;

/** What a step queued itself, with the milestone's entry (the morning mail sends them): for the invocation's log line. */
export type Queued = (rule: Rule, told: { readonly queued: number; readonly skipped: number; readonly unreachable: number }) => void;

/**
 * A step's answer that the machine does not go on to its next state: its name is one of
 * TIMER_SIGNALS, which the Task's `Catch` matches (Lambda reports a thrown error by its name).
 */
export class TimerSignalError extends Error {
  constructor(
    readonly signal: TimerSignal,
    message: string,
  ) {
    super(message);
    this.name = TIMER_SIGNALS[signal];
  }
}

/**
 * A Task that runs this much before its milestone was woken by the end of its segment, not by
 * the milestone (a `Wait` timestamp has whole seconds, and clocks differ by less).
 */
export const EARLY_MS = 60_000;

/** Where an obligation stands for a timer of `revision`, before anything else happens: goes on, or the signal that ends the step. */
function standing(rule: Rule, obligation: Obligation, revision: number): 'continue' | Exclude<TimerSignal, 'notYet'> {
  if (obligation.revision !== revision) return 'superseded';
  if (obligation.status === 'open' || obligation.status === 'overdue') return 'continue';
  return needsTimer(rule, obligation) ? 'cycleClosed' : 'closed';
}

/** Throws the signal that ends the step, unless the obligation's timer of `revision` goes on. */
function goesOn(rule: Rule, obligation: Obligation, revision: number): void {
  const next = standing(rule, obligation, revision);
  if (next !== 'continue') throw new TimerSignalError(next, `obligation ${obligation.id} r${revision}: ${next}`);
}

/** Whether a milestone's Task is the machine's last state: the last slot of a rule that does not go on to a next period. */
function endsTheMachine(rule: Rule, milestone: string): boolean {
  return !recursOnCalendar(rule) && timerSlots(rule).at(-1)?.milestone === milestone;
}

/**
 * Writes on the obligation that its timer of `revision` ran its last state, once the last step
 * has told whom it had to: the reconciler then leaves it alone, with no need of the execution,
 * which AWS forgets 90 days after it ends. Nothing is written for an obligation that needs no
 * timer any more (closed, expired) or a newer revision.
 */
async function finishTimer(context: AppContext, obligationId: string, revision: number): Promise<void> {
  await withFreshObligation(context, obligationId, async (current) => {
    const timer = timerOf(current, revision);
    if (current.revision !== revision || timer.finished || !needsTimer(findRule(current.rule), current)) return;
    await context.store.obligations.saveObligation(
      { ...current, timer: { revision, segment: timer.segment, finished: true }, updatedAt: context.now(), version: current.version + 1 },
      current.version,
    );
  });
}

/**
 * Changes the obligation as read (`first`), and reads it again only when it changed meanwhile
 * (StaleObligationError): a step that has just read it reads it once.
 */
async function withObligation<T>(context: AppContext, first: Obligation, change: (obligation: Obligation) => Promise<T>): Promise<T> {
  try {
    return await change(first);
  } catch (error) {
    if (!(error instanceof StaleObligationError)) throw error;
  }
  return withFreshObligation(context, first.id, change);
}

/**
 * The audit trail recorded at `at` or later: where a step looks for a milestone reached or
 * skipped before (a retry, a restart). Each such entry is written with a new version of the
 * obligation whose `updatedAt` is the entry's `recordedAt`, so an obligation last written well
 * before `at` (a clock's skew apart) has none, and the trail is not read.
 */
async function trailFrom(context: AppContext, obligation: Obligation, at: number): Promise<readonly ObligationEvent[]> {
  if (obligation.updatedAt < at - EARLY_MS) return [];
  return context.store.obligations.events(obligation.id, at);
}

/**
 * A reminder, the due instant or an escalation: notices, and the status the due instant sets.
 * The last Task of a machine also records that the timer finished, once all are told.
 *
 * A reminder or an escalation that goes in the morning mail (most do) is recorded in one
 * transaction with its notices queued (and, at the last Task, the timer finished): one read of
 * the obligation, the directory's reads of whom it tells, one write.
 */
export async function milestoneStep(context: AppContext, deliver: Deliver, step: MilestoneStepEvent, queued?: Queued): Promise<StepResult> {
  const stored = await context.store.obligations.getObligation(step.obligationId);
  if (stored === undefined) throw new TimerSignalError('closed', `no obligation ${step.obligationId}`);
  const rule = findRule(stored.rule);
  goesOn(rule, stored, step.revision);
  const milestone = stored.plan.milestones.find((candidate) => candidate.id === step.milestone);
  const { done, finished } = await tellMilestone(context, deliver, queued, rule, stored, step, milestone);
  if (!finished && endsTheMachine(rule, step.milestone)) await finishTimer(context, stored.id, step.revision);
  return { done };
}

async function tellMilestone(
  context: AppContext,
  deliver: Deliver,
  queued: Queued | undefined,
  rule: Rule,
  stored: Obligation,
  step: MilestoneStepEvent,
  milestone: Milestone | undefined,
): Promise<{ done: StepResult['done']; finished: boolean }> {
  // A slot this plan leaves empty (a reminder that would have come before the start).
  if (milestone === undefined) return { done: 'skipped', finished: false };
  // Woken by the end of its segment: the next segment waits for the milestone.
  if (milestone.at - context.now() > EARLY_MS) {
    throw new TimerSignalError('notYet', `${step.milestone} of ${stored.id} falls at ${new Date(milestone.at).toISOString()}, past this segment`);
  }

  let obligation = stored;
  if (milestone.kind === 'due' || milestone.kind === 'expiry') {
    obligation = await withObligation(context, stored, async (current) => {
      if (current.revision !== step.revision || current.status !== 'open') return current;
      const now = context.now();
      const changed: Obligation = {
        ...current,
        status: milestone.kind === 'due' ? 'overdue' : 'expired',
        ...(milestone.kind === 'expiry' ? { closedAt: now } : {}),
        updatedAt: now,
        version: current.version + 1,
      };
      await context.store.obligations.saveObligation(changed, current.version, [
        auditEntry(changed, milestone.kind === 'due' ? 'marked-overdue' : 'expired', {
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

  if (milestone.kind === 'reminder' || milestone.kind === 'escalation') {
    const reached = await reachMilestone(context, rule, step, stored, milestone, milestone.kind === 'reminder' ? 'reminded' : 'escalated');
    if (reached === 'skipped') return { done: 'skipped', finished: false };
    if (reached.recorded !== undefined) {
      queued?.(rule, reached.recorded);
      return { done: 'told', finished: reached.recorded.finished };
    }
    await deliver(reached.obligation, rule, milestone, reached.telling);
    return { done: 'told', finished: false };
  }
  // A deadline reached late with a later escalation passed too: marked, its notice goes with that escalation.
  const course = courseOf(obligation.plan, milestone, context.now(), obligation.createdAt);
  if (course.course === 'skip') {
    await withObligation(context, obligation, async (current) => {
      goesOn(rule, current, step.revision);
      await skipMilestone(context, current, milestone, course, await trailFrom(context, current, milestone.at));
    });
    return { done: 'skipped', finished: false };
  }
  await deliver(obligation, rule, milestone, { roles: milestone.notify, replaces: [] });
  return { done: 'told', finished: false };
}

/** The roles a space-separated detail names (what `notify` holds). */
function rolesIn(detail: unknown): Role[] {
  return typeof detail !== 'string' ? [] : detail.split(' ').flatMap((word) => (RoleSchema.safeParse(word).success ? [word as Role] : []));
}

/** The same milestone at the same instant, reached by this revision or one before it (a restart). */
function entryOf(trail: readonly ObligationEvent[], type: EventType, milestone: Milestone): ObligationEvent | undefined {
  return trail.find((entry) => entry.type === type && entry.at === milestone.at && entry.details?.['milestone'] === milestone.id);
}

/**
 * Records that a milestone's notice does not go (MilestoneCourse), once: `milestone-skipped` at
 * the milestone, with why, whom it would have told and the milestone that tells them instead.
 */
async function skipMilestone(
  context: AppContext,
  current: Obligation,
  milestone: Milestone,
  course: Extract<MilestoneCourse, { course: 'skip' }>,
  trail: readonly ObligationEvent[],
): Promise<void> {
  if (entryOf(trail, 'milestone-skipped', milestone) !== undefined) return;
  const now = context.now();
  const changed: Obligation = { ...current, updatedAt: now, version: current.version + 1 };
  await context.store.obligations.saveObligation(changed, current.version, [
    auditEntry(changed, 'milestone-skipped', {
      at: milestone.at,
      recordedAt: now,
      by: SYSTEM_USER,
      seq: changed.version * 10,
      details: { milestone: milestone.id, reason: course.reason, notify: milestone.notify.join(' '), ...(course.into === undefined ? {} : { into: course.into.id }) },
    }),
  ]);
}

/**
 * Writes that a reminder or an escalation fell, or, reached late, that it is skipped (late.ts),
 * in the audit trail and as a new version of the obligation, before anyone is told: whom it tells (its own roles and those of the milestones
 * collapsed into it), and the roles nobody in the directory holds, which also go on the
 * administrator's list of directory gaps. An act recorded at the same instant writes a version
 * too, so one of the two goes first: an act first ends the step here (nobody is told); the
 * milestone first is told, and the trail shows it before the act. A retried step, or a restarted
 * timer, finds the entry and tells again the roles it names, only whom the outbox has not told.
 *
 * Notices that go in the morning mail are queued in the same transaction as the entry
 * (`recorded`: nothing is left to deliver), with the timer marked finished when this is the
 * machine's last Task; urgent ones are sent by the caller once the entry is written.
 */
async function reachMilestone(
  context: AppContext,
  rule: Rule,
  step: MilestoneStepEvent,
  stored: Obligation,
  milestone: Milestone,
  type: 'reminded' | 'escalated',
): Promise<{ obligation: Obligation; telling: Telling; recorded?: { queued: number; skipped: number; unreachable: number; finished: boolean } } | 'skipped'> {
  return withObligation(context, stored, async (current) => {
    goesOn(rule, current, step.revision);
    // Recorded at the milestone or later: a recurring obligation's older cycles are not read.
    const trail = await trailFrom(context, current, milestone.at);
    if (entryOf(trail, 'milestone-skipped', milestone) !== undefined) return 'skipped';
    const reached = entryOf(trail, type, milestone);
    // Reached before a restart: told to the end, whatever the clock says now.
    if (reached !== undefined) {
      const replaces = reached.details?.['replaces'];
      return { obligation: current, telling: { roles: rolesIn(reached.details?.['notify']), replaces: typeof replaces === 'string' ? replaces.split(' ') : [] } };
    }
    const now = context.now();
    const course = courseOf(current.plan, milestone, now, current.createdAt);
    if (course.course === 'skip') {
      await skipMilestone(context, current, milestone, course, trail);
      return 'skipped';
    }
    const carried = trail.filter((entry) => entry.type === 'milestone-skipped' && entry.revision === step.revision && entry.details?.['into'] === milestone.id);
    const telling: Telling = {
      roles: [...new Set([...milestone.notify, ...carried.flatMap((entry) => rolesIn(entry.details?.['notify']))])],
      replaces: carried.map((entry) => String(entry.details?.['milestone'])),
    };
    const audience = await milestoneAudience(context.store.directory, current, telling.roles);
    if (audience.unreachable.length > 0) {
      // Before the entry: a retry that finds the entry finds the gap recorded too.
      await context.store.directory.recordDirectoryGaps(audience.unreachable.map((role) => ({ org: gapUnitOf(current, role), role, obligationId: current.id, milestone: milestone.id, seenAt: now })));
    }
    const queues = !isUrgent(rule, current, milestone);
    const timer = timerOf(current, step.revision);
    // Queued with the entry, all are told: the last Task's timer finishes in the same write (finishTimer).
    const finishes = queues && endsTheMachine(rule, milestone.id) && !timer.finished && needsTimer(rule, current);
    const changed: Obligation = {
      ...current,
      ...(finishes ? { timer: { revision: step.revision, segment: timer.segment, finished: true } } : {}),
      updatedAt: now,
      version: current.version + 1,
    };
    const entry = auditEntry(changed, type, {
      at: milestone.at,
      recordedAt: now,
      by: SYSTEM_USER,
      seq: changed.version * 10,
      details: {
        milestone: milestone.id,
        notify: telling.roles.join(' '),
        ...(telling.replaces.length === 0 ? {} : { replaces: telling.replaces.join(' ') }),
        ...(audience.unreachable.length === 0 ? {} : { unreachable: audience.unreachable.join(' ') }),
        ...(audience.recipients.length === 0 ? { toldNobody: true } : {}),
      },
    });
    if (!queues) {
      await context.store.obligations.saveObligation(changed, current.version, [entry]);
      return { obligation: changed, telling: { ...telling, audience } };
    }
    const notices = queuedRecords(changed, rule, milestone, { recipients: audience.recipients, replaces: telling.replaces }, now);
    const written = await context.store.saveWithQueued(changed, current.version, [entry], notices);
    return {
      obligation: changed,
      telling: { ...telling, audience },
      recorded: { queued: written.queued.length, skipped: written.skipped.length, unreachable: audience.unreachable.length, finished: finishes },
    };
  });
}

/**
 * The next period of a calendar-recurring obligation: a new cycle on a new timer. A plan item by
 * a set date has no next period, nor has the last period of a plan (`until`): the timer ends.
 */
export async function nextCycleStep(context: AppContext, obligationId: string, revision: number): Promise<StepResult> {
  const opened = await withFreshObligation(context, obligationId, async (current): Promise<Obligation | 'finished' | 'closed'> => {
    if (current.revision !== revision) throw new TimerSignalError('superseded', `obligation ${current.id} r${revision}: superseded`);
    const rule = findRule(current.rule);
    const nextCycle = current.plan.nextCycle;
    const now = context.now();
    if (!needsTimer(rule, current)) throw new TimerSignalError('closed', `obligation ${current.id} r${revision}: closed`);
    if (nextCycle?.kind !== 'calendar') return 'finished';
    if (nextCycle.startsAt - now > EARLY_MS) {
      throw new TimerSignalError('notYet', `the next period of ${current.id} starts at ${new Date(nextCycle.startsAt).toISOString()}, past this segment`);
    }
    if (pastUntil(current, nextCycle.startsAt)) {
      // The plan's period is over: the last cycle stays as it is, no timer follows.
      if (current.status !== 'done') return 'finished';
      await context.store.obligations.saveObligation({ ...current, closedAt: now, updatedAt: now, version: current.version + 1 }, current.version);
      return 'closed';
    }
    const { closedBy: _closedBy, closedAt: _closedAt, ...rest } = current;
    // A new period is a new start: the rule version in force on its day plans it.
    const inForce = ruleInForce(current.rule, localDateOf(nextCycle.startsAt));
    const reopened = { ...rest, ruleVersion: inForce.version, start: nextCycle.startsAt, cycle: current.cycle + 1, revision: current.revision + 1, updatedAt: now, version: current.version + 1 };
    const plan = planOf(inForce, reopened, await context.calendar());
    const next: Obligation = { ...reopened, plan, dueAt: plan.dueAt, status: 'open' };
    await context.store.obligations.saveObligation(next, current.version, [
      auditEntry(next, 'cycle-opened', {
        at: nextCycle.startsAt,
        recordedAt: now,
        by: SYSTEM_USER,
        seq: next.version * 10,
        details: { dueAt: new Date(next.dueAt).toISOString(), previousStatus: current.status },
      }),
    ]);
    return next;
  });
  if (opened === 'finished') {
    // Still open or overdue, with nothing left to wait for: the reconciler must not restart it.
    await finishTimer(context, obligationId, revision);
    return { done: 'finished' };
  }
  if (opened === 'closed') return { done: 'finished' };
  await context.executions.start(opened);
  return { done: 'next-cycle-opened' };
}

/**
 * The end of a segment: records the next segment on the obligation, then starts it. A retry
 * finds it recorded and starts the same execution (its name says the segment), which starts
 * nothing new. An obligation closed or superseded meanwhile needs no next segment.
 */
export async function nextSegmentStep(context: AppContext, obligationId: string, revision: number, segment: number): Promise<StepResult> {
  const handed = await withFreshObligation(context, obligationId, async (current): Promise<Obligation | undefined> => {
    if (current.revision !== revision || !needsTimer(findRule(current.rule), current)) return undefined;
    if (timerOf(current, revision).segment > segment) return current;
    const next: Obligation = { ...current, timer: { revision, segment: segment + 1 }, updatedAt: context.now(), version: current.version + 1 };
    await context.store.obligations.saveObligation(next, current.version);
    return next;
  });
  if (handed === undefined) return { done: 'skipped' };
  await context.executions.start(handed);
  return { done: 'next-segment-started' };
}
