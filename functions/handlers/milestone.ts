import type { Mail } from '../adapters/mail.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { DeliveryFailedError, deliverMilestone } from '../app/deliver.ts';
import { type Deliver, TimerSignalError, milestoneStep } from '../app/steps.ts';
import { type MilestoneStepEvent, MilestoneStepEventSchema, type StepResult } from '../../contract/index.ts';
import { type Handler, lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/** What an invocation delivered, for its line: counts and the rule, never who or where. */
export interface Told {
  rule?: string;
  sent?: number;
  queued?: number;
  unreachable?: number;
}

/** One milestone Task's work on the clients it is given (the handler's, or a test's that counts the calls). */
export function runMilestoneStep(context: AppContext, mail: Mail, step: MilestoneStepEvent, told: Told = {}): Promise<StepResult> {
  const deliver: Deliver = async (obligation, rule, milestone, telling) => {
    told.rule = rule.id;
    const { sent, queued, unreachable } = await deliverMilestone({ store: context.store, mail, now: context.now }, obligation, rule, milestone, telling);
    told.sent = sent.length;
    told.queued = queued.length;
    told.unreachable = unreachable.length;
    return { sent, unreachable };
  };
  return milestoneStep(context, deliver, step, (rule, { queued, unreachable }) => {
    told.rule = rule.id;
    told.sent = 0;
    told.queued = queued;
    told.unreachable = unreachable;
  });
}

/** The Task after a milestone's `Wait`: shared by the notify and escalate functions. */
export function milestoneHandler(): Handler<StepResult> {
  return lambdaHandler({
    lines: { done: 'milestone: step', failed: 'milestone: step failed' },
    prepare: (input) => {
      const step = MilestoneStepEventSchema.parse(input);
      // SES is loaded by the first notice sent at once: most go in the next morning's mail.
      context ??= contextFromEnv();
      const told: Told = {};
      return { step, told, context };
    },
    run: ({ step, told, context }) => runMilestoneStep(context, context.mail, step, told),
    fields: ({ step, told }) => ({ obligationId: step.obligationId, revision: step.revision, milestone: step.milestone, ...told }),
    done: (result) => ({ done: result.done }),
    failed: (error) =>
      error instanceof DeliveryFailedError ? { failed: error.failed, sent: error.result.sent.length, skipped: error.result.skipped.length, inDoubt: error.result.inDoubt.length } : {},
    // A signal is an answer the machine's Catch takes on (closed, superseded, not yet due), not a failure.
    signal: (error) => error instanceof TimerSignalError,
  });
}
