export * from './facts.ts';
export * from './islamic.ts';
export * from './kazakhstan.ts';
export * from './overrides.ts';
export * from './working-day-calendar.ts';

import { kazakhstanCalendar } from './kazakhstan.ts';
import type { CalendarOverride } from './overrides.ts';
import { WorkingDayCalendar } from './working-day-calendar.ts';

/** Kazakhstan's calendar as shipped, with an administrator's overrides on top. */
export function kazakhstan(overrides: readonly CalendarOverride[] = []): WorkingDayCalendar {
  return new WorkingDayCalendar(kazakhstanCalendar, overrides);
}
