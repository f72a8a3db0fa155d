import { SesMail } from '../adapters/mail.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { deliverMilestone } from '../app/deliver.ts';
import { type Deliver, MilestoneStepEventSchema, milestoneStep } from '../app/steps.ts';
import type { MilestoneStepResult } from '../contract.ts';

let wired: { context: AppContext; deliver: Deliver } | undefined;

/** The Task after a milestone's `Wait`: shared by the notify and escalate functions. */
export async function handleMilestone(input: unknown): Promise<MilestoneStepResult> {
  const step = MilestoneStepEventSchema.parse(input);
  wired ??= wire();
  return milestoneStep(wired.context, wired.deliver, step);
}

function wire(): { context: AppContext; deliver: Deliver } {
  const context = contextFromEnv();
  const mail = SesMail.fromEnv();
  return {
    context,
    deliver: async (obligation, rule, milestone) => {
      const { sent, unreachable } = await deliverMilestone({ store: context.store, mail, now: context.now }, obligation, rule, milestone);
      return { sent, unreachable };
    },
  };
}
