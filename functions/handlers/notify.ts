import { milestoneHandler } from './milestone.ts';

/** Reminders, the due instant and an expiry: the one who must act is told, the status is set. */
export const handler = milestoneHandler();
