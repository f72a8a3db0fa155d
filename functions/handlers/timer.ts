import { type AppContext, contextFromEnv } from '../app/context.ts';
import { TimerSignalError, nextCycleStep, nextSegmentStep } from '../app/steps.ts';
import { type StepResult, TimerStepEventSchema } from '../../contract/index.ts';
import { lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/** The timer machines' `StartNextCycle` and `ContinueInNextSegment` states. */
export const handler = lambdaHandler({
  lines: { done: 'timer: step', failed: 'timer: step failed' },
  prepare: (input) => {
    const step = TimerStepEventSchema.parse(input);
    context ??= contextFromEnv();
    return { step, context };
  },
  run: ({ step, context }): Promise<StepResult> =>
    step.step === 'next-cycle' ? nextCycleStep(context, step.obligationId, step.revision) : nextSegmentStep(context, step.obligationId, step.revision, step.segment),
  fields: ({ step }) => ({ step: step.step, obligationId: step.obligationId, revision: step.revision, ...(step.step === 'next-segment' ? { segment: step.segment } : {}) }),
  done: (result) => ({ done: result.done }),
  // A signal is an answer the machine's Catch takes on (closed, superseded, not yet due), not a failure.
  signal: (error) => error instanceof TimerSignalError,
});
