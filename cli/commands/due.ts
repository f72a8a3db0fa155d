import { parseArgs } from 'node:util';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { type Language, LANGUAGES, WallTimeSchema, dayNumber, localDateOf, parseInstant } from '../../shared/base/index.ts';
import { explainSteps, explanationLines, planView } from '../../shared/i18n/index.ts';
import { STATE_BODY_HOURS } from '../../shared/periods/index.ts';
import { explainedPlan, ruleInForce } from '../../shared/rules/index.ts';
import { type Command, type CommandHelp, UsageError } from '../command.ts';

export const dueOptions = {
  start: { type: 'string' },
  variant: { type: 'string' },
  count: { type: 'string' },
  'due-date': { type: 'string' },
  closes: { type: 'string' },
  explain: { type: 'boolean' },
  lang: { type: 'string' },
} as const;

export const dueHelp: CommandHelp<typeof dueOptions> = {
  synopsis: 'due RULE --start INSTANT [--variant V] [--count N] [--due-date YYYY-MM-DD] [--closes HH:MM] [--explain [--lang kk|ru|en]]',
  about: 'the plan of one obligation as JSON, by the rule version in force on the start\'s day',
  options: {
    start: { value: 'INSTANT', help: 'when the clock starts, e.g. 2026-03-19T15:20:00+05:00 (no offset: +05:00)' },
    variant: { value: 'V', help: 'the rule\'s variant (merzim rules lists them), e.g. region' },
    count: { value: 'N', help: 'the count a court or a register category sets, where the rule allows it' },
    'due-date': { value: 'YYYY-MM-DD', help: 'the last day the document sets (a measure, a plan item by a date)' },
    closes: { value: 'HH:MM', help: 'when the acting body\'s working hours end (default 18:30)' },
    explain: { help: 'print how the due date was counted, step by step, with the law each step rests on' },
    lang: { value: 'kk|ru|en', help: 'the language of --explain (default en)' },
  },
};

/** `merzim due RULE --start INSTANT`: the plan of one obligation, as JSON; with `--explain`, how its due date was counted, in words. */
export const dueCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: dueOptions,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one rule id, e.g. `merzim due sss-decision --start 2026-03-19T15:20`');
  if (values.start === undefined) throw new UsageError('--start INSTANT is required, e.g. 2026-03-19T15:20:00+05:00');
  const start = parseInstant(values.start);
  const rule = ruleInForce(positionals[0] as string, localDateOf(start));
  const closes = values.closes ?? STATE_BODY_HOURS.closesAt;
  if (!WallTimeSchema.safeParse(closes).success) throw new UsageError(`--closes "${closes}" is not a time of day HH:MM`);
  if (values['due-date'] !== undefined) dayNumber(values['due-date']);

  const language = values.lang ?? 'en';
  if (!isLanguage(language)) throw new UsageError(`--lang "${language}" is not one of ${LANGUAGES.join(', ')}`);
  if (values.lang !== undefined && values.explain !== true) throw new UsageError('--lang applies to --explain only');

  const { plan, explanation } = explainedPlan({
    rule,
    start,
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
