import * as z from 'zod';

/**
 * Schedules, in Astana time (UTC+05:00 throughout Kazakhstan since 2024-03-01). The embedded
 * runtime reads them from the synthesized template like everything else.
 */
export const SCHEDULES = {
  /**
   * The morning mail (functions/app/morning.ts): after the catalog's 09:00 milestones of the day
   * and their Tasks' retries (TASK_RETRY, at most 15 minutes), so that a reminder on the last day
   * is in that day's mail, not the next.
   */
  digest: { function: 'digest', cron: { minute: '30', hour: '9' } },
  reconcile: { function: 'reconcile', rate: { hours: 1 } },
  provision: { function: 'provision', cron: { minute: '5', hour: '0' } },
  /** Monday 00:30: the counts of the week that ended at Sunday 24:00 (issue 19, the heads' trend). */
  snapshot: { function: 'snapshot', cron: { minute: '30', hour: '0', weekDay: 'MON' } },
} as const;
export const SCHEDULE_TIME_ZONE = 'Asia/Almaty';

/**
 * What a schedule passes its function: `{ scheduledAt }`, the instant it was due (EventBridge
 * Scheduler's `<aws.scheduler.scheduled-time>`, infra/schedules.ts; the embedded runtime's
 * schedules the same). A person who invokes the function by hand may pass nothing.
 */
export const ScheduledEventSchema = z.looseObject({ scheduledAt: z.iso.datetime({ offset: true }).optional() });
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;
