import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../../contract/index.ts';

/**
 * The functions' one logger: Powertools Logger, JSON lines on stdout, the service from
 * POWERTOOLS_SERVICE_NAME. What goes in a line is chosen field by field, and never holds personal
 * data or what could lead to it (LEGAL.md §5): no request bodies, no case references (external
 * case numbers), no e-mail addresses, no reasons or notes. Routes, statuses, obligation ids,
 * rules, milestones, counts and durations are what it says.
 */
export const logger = new Logger({ serviceName: process.env[ENV.service] || 'merzim' });

/** An error as a log line may show it: its kind only, for errors that are the caller's doing. */
export function errorKind(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
