import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { TimerSignalError, nextCycleStep, nextSegmentStep } from '../app/steps.ts';
import { type StepResult, TimerStepEventSchema } from '../../contract/index.ts';

let context: AppContext | undefined;

/** The timer machines' `StartNextCycle` and `ContinueInNextSegment` states. */
export async function handler(input: unknown): Promise<StepResult> {
  const started = Date.now();
  const step = TimerStepEventSchema.parse(input);
  context ??= contextFromEnv();
  const fields = { step: step.step, obligationId: step.obligationId, revision: step.revision, ...(step.step === 'next-segment' ? { segment: step.segment } : {}) };
  try {
    const result =
      step.step === 'next-cycle' ? await nextCycleStep(context, step.obligationId, step.revision) : await nextSegmentStep(context, step.obligationId, step.revision, step.segment);
    logger.info('timer: step', { ...fields, done: result.done, durationMs: Date.now() - started });
    return result;
  } catch (error) {
    // A signal is an answer the machine's Catch takes on (closed, superseded, not yet due), not a failure.
    if (error instanceof TimerSignalError) logger.info('timer: step', { ...fields, signal: error.name, durationMs: Date.now() - started });
    else logger.error('timer: step failed', { ...fields, error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
