import * as z from 'zod';

/**
 * What happens to an obligation, as recorded by the people who act: the event that starts a
 * clock, the act that closes it, and the changes that move it.
 */
export const ACTS = [
  'conclusion-received',
  'decided',
  'refused',
  'order-served',
  'registered',
  'checked',
  'deregistered',
  'warning-issued',
  'court-decision-effective',
  'decision-received',
  'submission-received',
  'replied',
  'quarter-ended',
  'reported',
  'period-started',
  'resident-left',
  'resident-returned',
  'extension-requested',
  'extended',
  'extension-refused',
  'start-corrected',
  'cancelled',
  'transferred',
  'reassigned',
  'violation-found',
  'renewed',
  'suspended',
  'resumed',
] as const;
export const ActSchema = z.enum(ACTS);
export type Act = z.infer<typeof ActSchema>;

