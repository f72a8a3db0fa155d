import { parseArgs } from 'node:util';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { type Command, UsageError } from '../command.ts';

/** `merzim calendar --year YYYY`: the weekdays off and the weekend days worked. */
export const calendarCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: { year: { type: 'string' } } });
  if (values.year === undefined) throw new UsageError('--year YYYY is required');
  if (!/^\d{4}$/.test(values.year)) throw new UsageError(`--year "${values.year}" is not a year (YYYY)`);
  const year = Number(values.year);
  const calendar = kazakhstan();
  io.out(
    JSON.stringify({
      year,
      nonWorkingWeekdays: calendar.nonWorkingWeekdays(year),
      workingWeekendDays: calendar.workingWeekendDays(year),
    }),
  );
  return 0;
};
