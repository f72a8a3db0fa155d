import type { Instant } from '../../shared/base/index.ts';
import type { Milestone, Plan } from '../../shared/rules/index.ts';

/**
 * What a timer does with a milestone it reaches late: opened with a start in the past, started
 * again after an outage or a restart, imported late. The ladder is not replayed: of the milestones
 * passed by the time the timer runs, only the latest escalation tells, once each, everyone the
 * deadline and the earlier rungs would have told, and says how long the deadline is overdue. The
 * others are recorded as skipped, with why (`milestone-skipped` in the audit trail).
 *
 * The decision is pure: the step (steps.ts) reads the audit trail first, so that a milestone
 * reached (told) before a restart is told to the end, whatever the clock says now.
 */

/**
 * A step this late after its milestone still runs on time: a Task's retries last about 15
 * minutes (TASK_RETRY), and a milestone whose step retries must not be taken for a late one.
 */
export const ON_TIME_MS = 20 * 60_000;

/** A reminder a day late helps nobody: the obligation is in the daily digest. */
export const STALE_REMINDER_MS = 24 * 3_600_000;

/**
 * Why a milestone's notice did not go:
 * - `opened-late`: the obligation was registered after the milestone's time;
 * - `timer-late`: its timer reached it late (an outage, a restart).
 */
export type LateReason = 'opened-late' | 'timer-late';

export type MilestoneCourse =
  /** Tell as planned (on time, or the latest of the passed milestones). */
  | { readonly course: 'tell' }
  /** Tell nobody now: a later notice that has passed too tells instead (`into`), or none does (a reminder too late to help). */
  | { readonly course: 'skip'; readonly reason: LateReason; readonly into?: Milestone };

/**
 * The course of `milestone` of `plan` reached at `now`, for an obligation registered at
 * `registeredAt`:
 * - on time: tell;
 * - a deadline or an escalation with a later escalation passed too: skip, into the latest one
 *   (it tells this one's recipients as well; the deadline still marks the obligation overdue);
 * - a reminder once the deadline has passed, or more than a day late: skip, nobody is told in
 *   its place; a reminder with a later reminder passed: skip, into the latest one;
 * - else tell, late (the latest passed).
 */
export function courseOf(plan: Pick<Plan, 'milestones' | 'dueAt'>, milestone: Milestone, now: Instant, registeredAt: Instant): MilestoneCourse {
  if (now - milestone.at <= ON_TIME_MS || milestone.notify.length === 0) return { course: 'tell' };
  const reason: LateReason = milestone.at < registeredAt ? 'opened-late' : 'timer-late';
  const index = plan.milestones.findIndex((candidate) => candidate.id === milestone.id);
  const later = plan.milestones.slice(index + 1).filter((candidate) => candidate.at <= now && candidate.notify.length > 0);
  const latest = (kind: Milestone['kind']): Milestone | undefined => later.filter((candidate) => candidate.kind === kind).at(-1);
  if (milestone.kind === 'reminder') {
    if (plan.dueAt <= now || now - milestone.at > STALE_REMINDER_MS) return { course: 'skip', reason };
    const into = latest('reminder');
    return into === undefined ? { course: 'tell' } : { course: 'skip', reason, into };
  }
  if (milestone.kind === 'due' || milestone.kind === 'escalation') {
    const into = latest('escalation');
    return into === undefined ? { course: 'tell' } : { course: 'skip', reason, into };
  }
  return { course: 'tell' };
}
