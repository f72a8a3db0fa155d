import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { TimerStepEventSchema, nextCycleStep, planStep } from '../app/steps.ts';
import type { PlanStepResult, StepOutcome } from '../contract.ts';

let context: AppContext | undefined;

/** The timer machines' `Plan` and `StartNextCycle` states. */
export async function handler(input: unknown): Promise<PlanStepResult | { next: StepOutcome }> {
  const started = Date.now();
  const step = TimerStepEventSchema.parse(input);
  context ??= contextFromEnv();
  const fields = { step: step.step, obligationId: step.obligationId, revision: step.revision };
  try {
    const result = step.step === 'plan' ? await planStep(context, step.obligationId, step.revision) : await nextCycleStep(context, step.obligationId, step.revision);
    logger.info('timer: step', { ...fields, next: result.next, durationMs: Date.now() - started });
    return result;
  } catch (error) {
    logger.error('timer: step failed', { ...fields, error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
