import { formatInstant } from '../base/index.ts';
import { explainSteps } from './explanation.ts';
import type { Explanation, NextCycle, Plan } from '../rules/index.ts';

/**
 * A plan as it is shown and sent: instants in RFC 3339 at +05:00, dates as YYYY-MM-DD. With its
 * explanation where one is given (one obligation, a preview): how the due date was counted.
 */
export function planView(plan: Plan, explanation?: Explanation) {
  return {
    rule: plan.rule,
    ruleVersion: plan.ruleVersion,
    ...(plan.variant === undefined ? {} : { variant: plan.variant }),
    calendarVersion: plan.calendarVersion,
    start: formatInstant(plan.start),
    dueDate: plan.dueDate,
    ...(plan.movedFrom === undefined ? {} : { movedFrom: plan.movedFrom }),
    dueAt: formatInstant(plan.dueAt),
    // Next to the due date, so that whoever reads it sees at once that it may still move.
    ...(plan.provisional === true ? { provisional: true as const, projectedDays: plan.projectedDays ?? [] } : {}),
    actor: plan.actor,
    ...(plan.overdueGrounds === undefined ? {} : { overdueGrounds: plan.overdueGrounds }),
    milestones: plan.milestones.map((milestone) => ({ ...milestone, at: formatInstant(milestone.at) })),
    ...(plan.nextCycle === undefined ? {} : { nextCycle: nextCycleView(plan.nextCycle) }),
    ...(explanation === undefined ? {} : { explanation: { steps: explainSteps(explanation.steps) } }),
  };
}

function nextCycleView(nextCycle: NextCycle) {
  return nextCycle.kind === 'calendar' ? { kind: nextCycle.kind, startsAt: formatInstant(nextCycle.startsAt) } : nextCycle;
}

export type PlanView = ReturnType<typeof planView>;
