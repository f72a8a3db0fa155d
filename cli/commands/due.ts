import { parseArgs } from 'node:util';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { WallTimeSchema, parseInstant } from '../../shared/calendar/instant.ts';
import { dayNumber } from '../../shared/calendar/local-date.ts';
import { planView } from '../../shared/model/plan-view.ts';
import { STATE_BODY_HOURS } from '../../shared/periods/period.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { explainedPlan } from '../../shared/rules/plan.ts';
import { explainSteps, explanationLines } from '../../shared/i18n/explanation.ts';
import { LANGUAGES, type Language } from '../../shared/i18n/texts.ts';
import { type Command, UsageError } from '../command.ts';

/** `merzim due RULE --start INSTANT`: the plan of one obligation, as JSON; with `--explain`, how its due date was counted, in words. */
export const dueCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      start: { type: 'string' },
      variant: { type: 'string' },
      count: { type: 'string' },
      'due-date': { type: 'string' },
      closes: { type: 'string' },
      explain: { type: 'boolean' },
      lang: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one rule id, e.g. `merzim due sss-decision --start 2026-03-19T15:20`');
  if (values.start === undefined) throw new UsageError('--start INSTANT is required, e.g. 2026-03-19T15:20:00+05:00');
  const rule = findRule(positionals[0] as string);
  const closes = values.closes ?? STATE_BODY_HOURS.closesAt;
  if (!WallTimeSchema.safeParse(closes).success) throw new UsageError(`--closes "${closes}" is not a time of day HH:MM`);
  if (values['due-date'] !== undefined) dayNumber(values['due-date']);

  const language = values.lang ?? 'en';
  if (!isLanguage(language)) throw new UsageError(`--lang "${language}" is not one of ${LANGUAGES.join(', ')}`);
  if (values.lang !== undefined && values.explain !== true) throw new UsageError('--lang applies to --explain only');

  const { plan, explanation } = explainedPlan({
    rule,
    start: parseInstant(values.start),
    calendar: kazakhstan(),
    hours: { ...STATE_BODY_HOURS, closesAt: closes },
    ...(values.variant === undefined ? {} : { variant: values.variant }),
    ...(values.count === undefined ? {} : { count: wholeNumber(values.count) }),
    ...(values['due-date'] === undefined ? {} : { dueDate: values['due-date'] }),
  });
  if (values.explain === true) {
    // Words for a person, in one language (English unless --lang kk or ru): the JSON stays as it was without the flag.
    for (const line of explanationLines(rule.names, plan.dueAt, explainSteps(explanation.steps), language)) io.out(line);
    return 0;
  }
  io.out(JSON.stringify(planView(plan), null, 2));
  return 0;
};

const isLanguage = (text: string): text is Language => (LANGUAGES as readonly string[]).includes(text);

function wholeNumber(text: string): number {
  if (!/^\d{1,4}$/.test(text)) throw new UsageError(`--count "${text}" is not a whole number`);
  return Number(text);
}
