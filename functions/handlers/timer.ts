import { type AppContext, contextFromEnv } from '../app/context.ts';
import { TimerStepEventSchema, nextCycleStep, planStep } from '../app/steps.ts';
import type { PlanStepResult, StepOutcome } from '../contract.ts';

let context: AppContext | undefined;

/** The timer machines' `Plan` and `StartNextCycle` states. */
export async function handler(input: unknown): Promise<PlanStepResult | { next: StepOutcome }> {
  const step = TimerStepEventSchema.parse(input);
  context ??= contextFromEnv();
  return step.step === 'plan' ? planStep(context, step.obligationId, step.revision) : nextCycleStep(context, step.obligationId, step.revision);
}
