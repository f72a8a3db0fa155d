import { type CalendarOverride, CalendarRangeError, type Day, kazakhstan } from '../../shared/calendar/index.ts';
import { NotFoundError } from '../app/errors.ts';
import { replanAfterCalendarChange } from '../app/replan.ts';
import { InputError } from '../../shared/base/index.ts';
import { type RouteSpec, authorize, bodyOf, json, noContent, parseInput } from './http.ts';
import { DatePathSchema, OverrideBodySchema, YearPathSchema } from './schemas.ts';

/**
 * GET /calendar/{year}: the year as deadlines are counted on it, the stored overrides applied.
 * GET /calendar/overrides, PUT and DELETE /calendar/overrides/{date}: the administrator's
 * corrections; each change re-plans the obligations whose plans it moves.
 */

/** A year or a date the calendar's data does not hold: 422 naming the path parameter. */
function outsideTheData<T>(field: 'year' | 'date', read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error;
    throw new InputError(error.message, { field });
  }
}

function names(day: Day) {
  const { reason } = day;
  return reason.kind === 'holiday' || reason.kind === 'religious' || reason.kind === 'transferred' ? { names: reason.names } : {};
}

/** A day past the published calendar says so, and why. */
function projected(day: Day) {
  return day.projected === undefined ? {} : { projected: day.projected };
}

export const calendarYearRoute: RouteSpec = {
  async run({ event, app, scope }) {
    await authorize(scope, { kind: 'calendar:read' });
    const { year } = parseInput('path', YearPathSchema, event.pathParameters ?? {});
    const calendar = await app.calendar();
    const [nonWorking, working] = outsideTheData('year', () => [
      calendar.nonWorkingWeekdays(year).map((date) => calendar.day(date)),
      calendar.workingWeekendDays(year).map((date) => calendar.day(date)),
    ]);
    return json(200, {
      year,
      version: calendar.version,
      nonWorkingWeekdays: nonWorking.map((day) => ({ date: day.date, ...names(day), reason: day.reason.kind, ...projected(day) })),
      workingWeekendDays: working.map((day) => ({ date: day.date, reason: day.reason.kind, ...projected(day) })),
      overrides: calendar.overrides.filter((override) => override.date.startsWith(`${year}-`)),
    });
  },
};

export const listOverridesRoute: RouteSpec = {
  async run({ app, scope }) {
    await authorize(scope, { kind: 'calendar:read' });
    const overrides = await app.store.calendar.calendarOverrides();
    return json(200, { overrides: [...overrides].sort((a, b) => a.date.localeCompare(b.date)) });
  },
};

export const putOverrideRoute: RouteSpec = {
  body: true,
  async run({ event, app, caller, scope }) {
    await authorize(scope, { kind: 'calendar:write' });
    const { date } = parseInput('path', DatePathSchema, event.pathParameters ?? {});
    const body = parseInput('body', OverrideBodySchema, bodyOf(event));
    const override: CalendarOverride = { date, ...body };
    // A date outside the calendar's data is refused before anything is written.
    outsideTheData('date', () => kazakhstan([override]));
    await app.store.calendar.putCalendarOverride(override, caller.user, app.now());
    const replanned = await replanAfterCalendarChange(app, date, caller);
    return json(200, { override, replanned });
  },
};

export const deleteOverrideRoute: RouteSpec = {
  async run({ event, app, caller, scope }) {
    await authorize(scope, { kind: 'calendar:write' });
    const { date } = parseInput('path', DatePathSchema, event.pathParameters ?? {});
    if (!(await app.store.calendar.deleteCalendarOverride(date))) throw new NotFoundError(`no calendar override on ${date}`);
    await replanAfterCalendarChange(app, date, caller);
    return noContent();
  },
};
