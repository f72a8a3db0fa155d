import type { StepResult } from '../../contract/index.ts';
import { handleMilestone } from './milestone.ts';

/** A rung of the escalation ladder: the heads above the unit that missed the deadline are told. */
export async function handler(input: unknown): Promise<StepResult> {
  return handleMilestone(input);
}
