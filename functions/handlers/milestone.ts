import { errorKind, logger } from '../adapters/log.ts';
import { SesMail } from '../adapters/mail.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { DeliveryFailedError, deliverMilestone } from '../app/deliver.ts';
import { type Deliver, MilestoneStepEventSchema, TimerSignalError, milestoneStep } from '../app/steps.ts';
import type { StepResult } from '../contract.ts';

let wired: { context: AppContext; mail: SesMail } | undefined;

/** The Task after a milestone's `Wait`: shared by the notify and escalate functions. */
export async function handleMilestone(input: unknown): Promise<StepResult> {
  const started = Date.now();
  const step = MilestoneStepEventSchema.parse(input);
  wired ??= { context: contextFromEnv(), mail: SesMail.fromEnv() };
  const { context, mail } = wired;
  // What this invocation delivered, for its log line: counts and the rule, never who or where.
  const told: { rule?: string; sent?: number; queued?: number; unreachable?: number } = {};
  const deliver: Deliver = async (obligation, rule, milestone, telling) => {
    told.rule = rule.id;
    const { sent, queued, unreachable } = await deliverMilestone({ store: context.store, mail, now: context.now }, obligation, rule, milestone, telling);
    told.sent = sent.length;
    told.queued = queued.length;
    told.unreachable = unreachable.length;
    return { sent, unreachable };
  };
  const fields = { obligationId: step.obligationId, revision: step.revision, milestone: step.milestone };
  try {
    const result = await milestoneStep(context, deliver, step);
    logger.info('milestone: step', { ...fields, ...told, done: result.done, durationMs: Date.now() - started });
    return result;
  } catch (error) {
    // A signal is an answer the machine's Catch takes on (closed, superseded, not yet due), not a failure.
    if (error instanceof TimerSignalError) {
      logger.info('milestone: step', { ...fields, ...told, signal: error.name, durationMs: Date.now() - started });
      throw error;
    }
    logger.error('milestone: step failed', {
      ...fields,
      ...told,
      error: errorKind(error),
      ...(error instanceof DeliveryFailedError ? { failed: error.failed, sent: error.result.sent.length, skipped: error.result.skipped.length, inDoubt: error.result.inDoubt.length } : {}),
      durationMs: Date.now() - started,
    });
    throw error;
  }
}
