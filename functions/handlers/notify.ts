import type { StepResult } from '../../contract/index.ts';
import { handleMilestone } from './milestone.ts';

/** Reminders, the due instant and an expiry: the one who must act is told, the status is set. */
export async function handler(input: unknown): Promise<StepResult> {
  return handleMilestone(input);
}
