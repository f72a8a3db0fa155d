import * as z from 'zod';
import { RoleSchema } from '../base/index.ts';
import { type Plan, type Rule, catalog, ruleVersions } from '../rules/index.ts';
import { LocalDateSchema } from './obligation.ts';

/**
 * What a work list shows of an obligation's plan, beside its due instant: the last day (and the
 * day it moved off, a day off), whether it rests on days projected past the published calendar,
 * whether it is an expiry (a protective order lapses) rather than a duty, and when the heads are
 * told of it (the escalations). The store keeps it on the item, so that the lists read this and
 * never the plan, which comes with the obligation alone.
 */
export const DeadlineSchema = z.strictObject({
  lastDay: LocalDateSchema,
  movedFrom: LocalDateSchema.optional(),
  provisional: z.literal(true).optional(),
  expiry: z.literal(true).optional(),
  escalations: z.array(z.strictObject({ at: z.number(), notify: z.array(RoleSchema) })),
});
export type Deadline = z.infer<typeof DeadlineSchema>;

/** The deadline a plan makes: what the lists show of it. */
export function deadlineOf(plan: Plan): Deadline {
  return {
    lastDay: plan.dueDate,
    ...(plan.movedFrom === undefined ? {} : { movedFrom: plan.movedFrom }),
    ...(plan.provisional === true ? { provisional: true as const } : {}),
    ...(plan.milestones.some((milestone) => milestone.kind === 'expiry') ? { expiry: true as const } : {}),
    escalations: plan.milestones.filter((milestone) => milestone.kind === 'escalation').map((milestone) => ({ at: milestone.at, notify: [...milestone.notify] })),
  };
}

/**
 * What the law makes of the missed deadline, as the rule version the obligation was planned by
 * gives it to the plan: the lists read it here, never from the plan.
 */
export function overdueGroundsOf(obligation: { readonly rule: string; readonly ruleVersion: number }): Rule['overdueGrounds'] {
  const rule = ruleVersions.find((candidate) => candidate.id === obligation.rule && candidate.version === obligation.ruleVersion) ?? catalog.find((candidate) => candidate.id === obligation.rule);
  return rule?.overdueGrounds;
}
