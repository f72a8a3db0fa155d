import { type AppContext, contextFromEnv } from '../app/context.ts';
import { DeliveryFailedError, deliverMilestone } from '../app/deliver.ts';
import { type Deliver, TimerSignalError, milestoneStep } from '../app/steps.ts';
import { MilestoneStepEventSchema, type StepResult } from '../../contract/index.ts';
import { type Handler, lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/** The Task after a milestone's `Wait`: shared by the notify and escalate functions. */
export function milestoneHandler(): Handler<StepResult> {
  return lambdaHandler({
    lines: { done: 'milestone: step', failed: 'milestone: step failed' },
    prepare: (input) => {
      const step = MilestoneStepEventSchema.parse(input);
      // SES is loaded by the first notice sent at once: most go in the next morning's mail.
      context ??= contextFromEnv();
      // What this invocation delivered, for its line: counts and the rule, never who or where.
      const told: { rule?: string; sent?: number; queued?: number; unreachable?: number } = {};
      return { step, told, context };
    },
    run: ({ step, told, context }) => {
      const deliver: Deliver = async (obligation, rule, milestone, telling) => {
        told.rule = rule.id;
        const { sent, queued, unreachable } = await deliverMilestone({ store: context.store, mail: context.mail, now: context.now }, obligation, rule, milestone, telling);
        told.sent = sent.length;
        told.queued = queued.length;
        told.unreachable = unreachable.length;
        return { sent, unreachable };
      };
      return milestoneStep(context, deliver, step);
    },
    fields: ({ step, told }) => ({ obligationId: step.obligationId, revision: step.revision, milestone: step.milestone, ...told }),
    done: (result) => ({ done: result.done }),
    failed: (error) =>
      error instanceof DeliveryFailedError ? { failed: error.failed, sent: error.result.sent.length, skipped: error.result.skipped.length, inDoubt: error.result.inDoubt.length } : {},
    // A signal is an answer the machine's Catch takes on (closed, superseded, not yet due), not a failure.
    signal: (error) => error instanceof TimerSignalError,
  });
}
