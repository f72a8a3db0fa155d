import type { Rule, Urgent } from './rule.ts';
import { effectiveBody } from './plan.ts';

/**
 * Whether a milestone of a plan cannot wait for the morning mail, and why: read from the slot of
 * the catalog it comes from (`reminder-2` → the second reminder, `due` → onDue, `escalation-2-1`
 * → the second rung), in the plan's variant.
 */
export function urgencyOf(rule: Rule, variant: string | undefined, milestone: string): Urgent | undefined {
  const body = effectiveBody(rule, variant);
  if (milestone === 'due') return body.onDue.urgent;
  const reminder = /^reminder-(\d+)$/.exec(milestone);
  if (reminder !== null) return body.reminders[Number(reminder[1]) - 1]?.urgent;
  const escalation = /^escalation-(\d+)-\d+$/.exec(milestone);
  if (escalation !== null) return body.escalation[Number(escalation[1]) - 1]?.urgent;
  return undefined;
}

/** The urgent slots of a rule, for the catalog's readers: `reminder-1`, `due`, `escalation-2`. */
export function urgentSlots(rule: Rule): { slot: string; reason: string }[] {
  const body = effectiveBody(rule, rule.defaultVariant);
  return [
    ...body.reminders.flatMap((reminder, index) => (reminder.urgent === undefined ? [] : [{ slot: `reminder-${index + 1}`, reason: reminder.urgent.reason }])),
    ...(body.onDue.urgent === undefined ? [] : [{ slot: body.onDue.kind === 'expiry' ? 'expiry' : 'due', reason: body.onDue.urgent.reason }]),
    ...body.escalation.flatMap((step, index) => (step.urgent === undefined ? [] : [{ slot: `escalation-${index + 1}`, reason: step.urgent.reason }])),
  ];
}
