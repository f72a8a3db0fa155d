import { SesMail } from '../adapters/ses-mail.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { DeliveryFailedError, deliverMilestone } from '../app/deliver.ts';
import { type Deliver, TimerSignalError, milestoneStep } from '../app/steps.ts';
import { MilestoneStepEventSchema, type StepResult } from '../../contract/index.ts';
import { type Handler, lambdaHandler } from './chain.ts';

let wired: { context: AppContext; mail: SesMail } | undefined;

/** The Task after a milestone's `Wait`: shared by the notify and escalate functions. */
export function milestoneHandler(): Handler<StepResult> {
  return lambdaHandler({
    lines: { done: 'milestone: step', failed: 'milestone: step failed' },
    prepare: (input) => {
      const step = MilestoneStepEventSchema.parse(input);
      wired ??= { context: contextFromEnv(), mail: SesMail.fromEnv() };
      // What this invocation delivered, for its line: counts and the rule, never who or where.
      const told: { rule?: string; sent?: number; queued?: number; unreachable?: number } = {};
      return { step, told, ...wired };
    },
    run: ({ step, told, context, mail }) => {
      const deliver: Deliver = async (obligation, rule, milestone, telling) => {
        told.rule = rule.id;
        const { sent, queued, unreachable } = await deliverMilestone({ store: context.store, mail, now: context.now }, obligation, rule, milestone, telling);
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
