import { parseArgs } from 'node:util';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { type Command, type CommandHelp, UsageError } from '../command.ts';

export const calendarOptions = { year: { type: 'string' } } as const;

export const calendarHelp: CommandHelp<typeof calendarOptions> = {
  synopsis: 'calendar --year YYYY',
  about: 'the weekdays off and the weekend days worked in a year, as JSON; a year past the published data is projected from the law',
  options: { year: { value: 'YYYY', help: 'the year, 2024 to 2037' } },
};

/**
 * `merzim calendar --year YYYY`: the weekdays off and the weekend days worked. A year past the
 * published data is projected from the law: the answer says so and why each weekday is off.
 */
export const calendarCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: calendarOptions });
  if (values.year === undefined) throw new UsageError('--year YYYY is required');
  if (!/^\d{4}$/.test(values.year)) throw new UsageError(`--year "${values.year}" is not a year (YYYY)`);
  const year = Number(values.year);
  const calendar = kazakhstan();
  const nonWorkingWeekdays = calendar.nonWorkingWeekdays(year);
  const projectedDays = nonWorkingWeekdays.flatMap((date) => {
    const { projected } = calendar.day(date);
    return projected === undefined ? [] : [{ date, basis: projected.basis, why: projected.why }];
  });
  io.out(
    JSON.stringify({
      year,
      nonWorkingWeekdays,
      workingWeekendDays: calendar.workingWeekendDays(year),
      ...(calendar.isProjected(`${year}-12-31`)
        ? {
            projected: {
              why: `no calendar for ${year} is published (the data ends on ${calendar.publishedTo}): projected from the holidays law, the transfer rule and the religious days; a decree may still move days`,
              days: projectedDays,
            },
          }
        : {}),
    }),
  );
  return 0;
};
