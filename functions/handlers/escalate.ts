import { milestoneHandler } from './milestone.ts';

/** A rung of the escalation ladder: the heads above the unit that missed the deadline are told. */
export const handler = milestoneHandler();
