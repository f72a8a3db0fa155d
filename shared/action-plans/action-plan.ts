import { z } from 'zod';
import { kazakhstan } from '../calendar/index.ts';
import { formatInstant, instantAt } from '../base/instant.ts';
import { type LocalDate, addMonths, daysInMonth, isLocalDate, makeDate, parts } from '../base/local-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { deadline } from '../periods/deadline.ts';
import { STATE_BODY_HOURS } from '../periods/period.ts';
import { findRule } from '../rules/catalog.ts';
import { effectiveBody, planObligation } from '../rules/plan.ts';
import type { Rule } from '../rules/rule.ts';
import { InputError } from '../base/errors.ts';
import { CaseReferenceSchema, OrganisationUnitSchema } from '../base/identifiers.ts';
import { type PersonalDataKind, personalDataKindOf, refusePersonalData } from '../base/personal-data.ts';
import { FORBIDDEN_MESSAGE, REFERENCE_LIMITS, holdsForbiddenCharacter } from '../base/text.ts';

/**
 * An interagency action plan (seed 002; LEGAL.md §3, `action-plan-item`): numbered items, each
 * with a deadline, the bodies responsible for it and the form its completion takes. Merzim opens
 * one obligation of rule `action-plan-item` per item AND per responsible body.
 *
 * A plan arrives as JSON (`{ plan, issuedBy, from, until, items }`) or as CSV with the header
 * `item,title,deadline,years,responsible,form` (the plan-level fields then come from the caller). Both
 * are checked row by row and every error is reported at once, with the row it is on; a plan with
 * any error opens nothing.
 */


/** What a deadline cell may say, as the error says it. */
export const DEADLINE_EXPECTED = 'expected monthly, quarterly, yearly, permanent, months:MM or months:MM-MM, yearly:MM-DD or a date';

const YEARLY_BY = /^yearly:(\d{2})-(\d{2})$/;
/** A window of months each year: `months:09-10` (September–October), `months:04` (April). */
const MONTHS = /^months:(\d{2})(?:-(\d{2}))?$/;
const YEARS = /^(\d{4})(?:-(\d{4}))?$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$/;

const required = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required` : `${what} must be text`;

/** An item's label as the plan numbers it: `1`, `8.2`. A trailing dot (`1.`) is dropped. */
export const ItemLabelSchema = z
  .string({ error: required('the item number') })
  .trim()
  .transform((value) => value.replace(/\.$/, ''))
  .pipe(z.string().regex(/^\d{1,3}(?:\.\d{1,3}){0,3}$/, 'an item is numbered like 1 or 8.2').superRefine(refusePersonalData('the item number')));

/** Short free text: whitespace collapsed, at most `max` characters, no personal data. */
const textSchema = (what: string, max: number) =>
  z
    .string({ error: required(what) })
    // Checked as it came: collapsing whitespace would hide a byte-order mark or a bidi override.
    .refine((value) => !holdsForbiddenCharacter(value), { message: `the ${what} ${FORBIDDEN_MESSAGE}`, abort: true })
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, `the ${what} is empty: leave it out instead`)
        .max(max, `the ${what} has at most ${max} characters`)
        .superRefine(refusePersonalData(`the ${what}`)),
    );

/**
 * When an item is due:
 * - `monthly`, `quarterly`, `yearly`: a report at the end of each month, quarter, year
 *   ("ай сайын", "тоқсан сайын", "жыл сайын", "жыл бойына");
 * - `permanent`: "тұрақты негізде", "үнемі": the plan names no period; ⚠ reported each quarter
 *   (the catalog's variant `permanent` says why);
 * - `months:MM-MM`, `months:MM`: every year within a window of months, from the first day of
 *   the first to the last day of the last ("қыркүйек–қазан" → `months:09-10`, "сәуір" → `months:04`);
 * - `yearly:MM-DD`: every year by that day ("жыл сайын 25 тамызға дейін" → `yearly:08-25`);
 * - `YYYY-MM-DD`: once, by that day.
 */
export const ActionPlanDeadlineSchema = z
  .string({ error: required('the deadline') })
  .trim()
  .superRefine((value, context) => {
    if (value === 'monthly' || value === 'quarterly' || value === 'yearly' || value === 'permanent') return;
    const window = MONTHS.exec(value);
    if (window !== null) {
      const [first, last] = [Number(window[1]), Number(window[2] ?? window[1])];
      if (first < 1 || first > 12 || last < 1 || last > 12) {
        context.addIssue({ code: 'custom', message: `${value}: a month is 01 to 12` });
      } else if (last < first) {
        context.addIssue({ code: 'custom', message: `${value}: a window runs within one year (write months:${window[1]}-12 and months:01-${window[2] ?? ''} as two rows)` });
      }
      return;
    }
    const yearly = YEARLY_BY.exec(value);
    if (yearly !== null) {
      const [month, day] = [Number(yearly[1]), Number(yearly[2])];
      if (month === 2 && day === 29) {
        context.addIssue({ code: 'custom', message: `${value}: 29 February does not come every year (use 02-28 or 03-01)` });
      } else if (!isLocalDate(makeDate(2001, month, day))) {
        context.addIssue({ code: 'custom', message: `${value}: ${yearly[1]}-${yearly[2]} is not a day of the year` });
      }
      return;
    }
    if (DATE_LIKE.test(value)) {
      if (!isLocalDate(value)) context.addIssue({ code: 'custom', message: `${value} is not a calendar date` });
      return;
    }
    context.addIssue({ code: 'custom', message: DEADLINE_EXPECTED });
  });
/** `monthly` | `quarterly` | `yearly` | `permanent` | `months:MM[-MM]` | `yearly:MM-DD` | `YYYY-MM-DD`. */
export type ActionPlanDeadline = z.output<typeof ActionPlanDeadlineSchema>;

const DateSchema = z.string({ error: required('the date') }).refine(isLocalDate, 'expected a date YYYY-MM-DD');

/** The years an item runs in, when the plan gives it years of its own ("2020–2022 жж."): `2026` or `2026-2028`. */
export const ActionPlanYearsSchema = z
  .string({ error: required('the years') })
  .trim()
  .superRefine((value, context) => {
    const years = YEARS.exec(value);
    if (years === null) context.addIssue({ code: 'custom', message: 'expected a year YYYY or years YYYY-YYYY' });
    else if (years[2] !== undefined && years[2] < (years[1] ?? '')) context.addIssue({ code: 'custom', message: `${value}: the last year is before the first` });
  });

/**
 * Bounds on what one import opens: every (item, body) is an obligation and a billed Step Functions
 * execution, and all of them are opened within one API request (10 s, functions/api/action-plans.ts).
 * - 200 items: the ZKO plan of seed 002 has 36 (81 obligations); a regional plan runs to tens.
 * - 30 bodies per item: seed 002 names at most 3; 30 is a commission decision's most addressees
 *   (shared/model/obligation.ts), more than a region's districts and departments together.
 * - 500 openings in all: 8 at a time, about 60 rounds of a transaction and a StartExecution,
 *   a few seconds on AWS; a larger plan is imported in parts.
 */
const MAX_ITEMS = 200;
const MAX_BODIES = 30;
const MAX_OPENINGS = 500;

/** One row of the plan: one item, with every body responsible for it. */
export const ActionPlanRowSchema = z.strictObject({
  item: ItemLabelSchema,
  title: textSchema('title', REFERENCE_LIMITS.planText).optional(),
  deadline: ActionPlanDeadlineSchema,
  years: ActionPlanYearsSchema.optional(),
  responsible: z
    .array(OrganisationUnitSchema, { error: (issue) => (issue.input === undefined ? 'the responsible bodies are required' : 'expected a list of organisation units') })
    .min(1, 'name at least one responsible body')
    .max(MAX_BODIES, `name at most ${MAX_BODIES} responsible bodies`),
  form: textSchema('completion form', REFERENCE_LIMITS.planText).optional(),
});
export type ActionPlanRow = z.output<typeof ActionPlanRowSchema>;

/** The plan-level fields: for CSV they come from the caller (the CLI's flags). */
export const ActionPlanHeaderSchema = z.object({
  /** The plan's reference; each item's obligations are known as `<plan>/<item>`. */
  plan: CaseReferenceSchema,
  /** The coordinating body that issued the plan and receives the information. */
  issuedBy: OrganisationUnitSchema,
  from: DateSchema,
  until: DateSchema,
});
export type ActionPlanHeader = z.input<typeof ActionPlanHeaderSchema>;

/** The shape of a plan. Use `parseActionPlan` to check one: it also checks across rows and plans every item. */
export const ActionPlanSchema = z.strictObject({
  ...ActionPlanHeaderSchema.shape,
  items: z.array(ActionPlanRowSchema).min(1, 'a plan lists at least one item').max(MAX_ITEMS),
});
export type ActionPlan = z.output<typeof ActionPlanSchema>;

/**
 * One thing wrong with the input. `row` is the 1-based data row: for CSV the line of the file
 * the record starts on (the header is line 1), for JSON the item's index + 1; `row` 0 is the
 * plan itself (its reference, issuing body, dates: the CLI's flags for CSV).
 */
export interface ActionPlanError {
  readonly row: number;
  readonly field: string;
  readonly message: string;
  /** The kind of personal data the field holds, where that is why it was refused. */
  readonly personalData?: PersonalDataKind;
}

export type ActionPlanResult =
  | { readonly ok: true; readonly plan: ActionPlan }
  | { readonly ok: false; readonly errors: readonly ActionPlanError[] };

export interface ActionPlanOptions {
  /** The calendar every item is planned with: Kazakhstan's, with an administrator's overrides. */
  readonly calendar?: WorkingDayCalendar;
  /** The units of the directory: a responsible body outside it is an error of its row. Unchecked when absent (the CLI). */
  readonly units?: ReadonlySet<string>;
}

/** The `action-plan-item` variants an item opens. */
export type ActionPlanVariant = 'monthly' | 'quarterly' | 'yearly' | 'permanent' | 'window' | 'by-date';

/**
 * One obligation to open: one item for one responsible body. Plain data, to be mapped onto the
 * API's open-obligation request.
 */
export interface OpeningRequest {
  readonly rule: 'action-plan-item';
  readonly variant: ActionPlanVariant;
  /** `<plan>/<item>`. */
  readonly caseRef: string;
  /** The responsible body. */
  readonly org: string;
  /** The coordinating body the information goes to. */
  readonly issuedBy: string;
  /** The start of the first period, `YYYY-MM-DDT00:00:00+05:00`; a window's first day. */
  readonly start: string;
  /** By-date variant only: the last day. */
  readonly dueDate?: LocalDate;
  /** Window variant only: how many months the window spans. */
  readonly count?: number;
  /** The item's last day (the plan's, or the end of the item's own last year): no period starts after it. */
  readonly until: LocalDate;
  /** The item's number and, when the plan gives it, its text: the mails say what the item asks for. */
  readonly label: string;
  readonly title?: string;
}

/** The CSV columns, in the order the header names them. */
export const CSV_COLUMNS = ['item', 'title', 'deadline', 'years', 'responsible', 'form'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['item', 'deadline', 'responsible'];
const PLAN_FIELDS = ['plan', 'issuedBy', 'from', 'until', 'items'];

/** Parses a plan written as JSON `{ plan, issuedBy, from, until, items }`. */
export function parseActionPlanJson(text: string, options: ActionPlanOptions = {}): ActionPlanResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, errors: [{ row: 0, field: 'json', message: `not JSON: ${(error as Error).message}` }] };
  }
  return parseActionPlan(value, options);
}

/**
 * Parses a plan written as CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line
 * breaks; a UTF-8 byte-order mark is dropped). The header line names the columns
 * `item,title,deadline,years,responsible,form` (title, years and form may be left out); `responsible` lists
 * organisation units separated by `;`. The plan-level fields come from `header`.
 */
export function parseActionPlanCsv(text: string, header: ActionPlanHeader, options: ActionPlanOptions = {}): ActionPlanResult {
  const { records, errors } = readCsv(text);
  const [head, ...data] = records;
  if (head === undefined) {
    return { ok: false, errors: [...errors, { row: 1, field: 'header', message: `the file is empty: expected the header line ${CSV_COLUMNS.join(',')}` }] };
  }
  const columns = head.fields.map((name) => name.trim().toLowerCase());
  const headerErrors: ActionPlanError[] = [];
  columns.forEach((name, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      headerErrors.push({ row: head.line, field: 'header', message: `unknown column "${head.fields[index] ?? ''}" (expected ${CSV_COLUMNS.join(',')})` });
    } else if (columns.indexOf(name) !== index) {
      headerErrors.push({ row: head.line, field: 'header', message: `the column "${name}" is named twice` });
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) headerErrors.push({ row: head.line, field: 'header', message: `the column "${column}" is missing (expected ${CSV_COLUMNS.join(',')})` });
  }
  if (headerErrors.length > 0) return { ok: false, errors: sortErrors([...errors, ...headerErrors, ...headerFieldErrors(header)]) };

  const items: Record<string, unknown>[] = [];
  const lines: number[] = [];
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      errors.push({
        row: record.line,
        field: 'csv',
        message: `expected ${columns.length} fields (${columns.join(',')}), found ${record.fields.length}: quote a field that holds a comma`,
      });
      continue;
    }
    const cells = new Map(columns.map((name, index) => [name, record.fields[index] ?? '']));
    const item: Record<string, unknown> = {};
    for (const [name, cell] of cells) {
      if (name === 'responsible') {
        item[name] = cell.split(';').map((unit) => unit.trim()).filter((unit) => unit !== '');
      } else if (cell.trim() !== '' || name === 'item' || name === 'deadline') {
        item[name] = cell;
      }
    }
    items.push(item);
    lines.push(record.line);
  }
  if (data.length === 0) errors.push({ row: head.line, field: 'items', message: 'the file has a header but no items' });

  const result = checkActionPlan({ ...header, items }, (index) => lines[index] ?? 0, options);
  // "no items" is said above, or follows from rows the CSV reading refused.
  const checked = result.ok ? [] : result.errors.filter((error) => !(error.row === 0 && error.field === 'items'));
  const all = [...errors, ...checked];
  return all.length === 0 && result.ok ? result : { ok: false, errors: sortErrors(all) };
}

/** Checks a plan already read from JSON (the API's request body, or a parsed file). */
export function parseActionPlan(value: unknown, options: ActionPlanOptions = {}): ActionPlanResult {
  return checkActionPlan(value, (index) => index + 1, options);
}

/**
 * The obligations a checked plan opens: one per (item, responsible body), in the plan's order.
 * Monthly, quarterly, yearly and permanent items start at the first day of the month, quarter or
 * year that holds the item's first day (the first report covers that whole period), at
 * 00:00+05:00; later periods come with the rule's calendar recurrence. A window of months starts
 * on its first day and recurs each year. A dated item opens the by-date variant with its due date.
 * A `yearly:MM-DD` item opens its FIRST year's by-date obligation only (the first such day on or
 * after `from`); the next year's comes with recurrence later, not from this import. An item with
 * years of its own runs within them: its periods start in them, and it ends with the last.
 */
export function openingsOf(plan: ActionPlan, options: { readonly today?: LocalDate } = {}): OpeningRequest[] {
  return plan.items.flatMap((row) => {
    const span = spanOf(row, plan);
    const first = span === undefined ? undefined : currentCycle(cyclesOf(row.deadline, span.from, span.until), options.today);
    if (span === undefined || first === undefined) return []; // cannot happen for a checked plan: the check refuses such a row
    return row.responsible.map((org) => ({
      rule: 'action-plan-item' as const,
      variant: first.variant,
      caseRef: `${plan.plan}/${row.item}`,
      org,
      issuedBy: plan.issuedBy,
      start: formatInstant(instantAt(first.start, '00:00')),
      ...(first.dueDate === undefined ? {} : { dueDate: first.dueDate }),
      ...(first.count === undefined ? {} : { count: first.count }),
      until: span.until,
      label: row.item,
      ...(row.title === undefined ? {} : { title: row.title }),
    }));
  });
}

/**
 * The period to open on `today`: a plan loaded after its start opens the period under way (a
 * recurring item) or the next date still to come (a yearly by-date item), not months of periods
 * already past, each of which would be reminded and escalated at once.
 */
function currentCycle(cycles: readonly Cycle[], today: LocalDate | undefined): Cycle | undefined {
  if (today === undefined) return cycles[0];
  const dated = cycles.filter((cycle) => cycle.last !== undefined);
  if (dated.length > 0) return dated.find((cycle) => (cycle.last ?? '') >= today) ?? dated[dated.length - 1];
  return cycles.filter((cycle) => cycle.start <= today).pop() ?? cycles[0];
}

/** One period of an item: when its clock starts and, for a by-date item, its last day; for a window, its months. */
interface Cycle {
  readonly variant: ActionPlanVariant;
  readonly start: LocalDate;
  readonly dueDate?: LocalDate;
  readonly count?: number;
  /** The last day a dated item or a window runs to, before any move off a day off: a plan loaded later opens the first still to come. */
  readonly last?: LocalDate;
}

/**
 * The days an item runs: the plan's period, or the part of it within the item's own years.
 * Undefined when those years lie outside the plan.
 */
function spanOf(row: Pick<ActionPlanRow, 'years'>, plan: { readonly from: LocalDate; readonly until: LocalDate }): { from: LocalDate; until: LocalDate } | undefined {
  const years = row.years === undefined ? null : YEARS.exec(row.years);
  if (years === null) return { from: plan.from, until: plan.until };
  const first = `${years[1] ?? ''}-01-01`;
  const last = `${years[2] ?? years[1] ?? ''}-12-31`;
  const span = { from: first > plan.from ? first : plan.from, until: last < plan.until ? last : plan.until };
  return span.from <= span.until ? span : undefined;
}

/**
 * Every period of an item within [from, until], the first being the one opened now.
 *
 * `yearly:MM-DD` opens only the first year's by-date obligation; each later year's (listed here
 * so that the calendar is checked for it too) is to be opened by recurrence later: the catalog's
 * by-date variant has no yearly recurrence of its own yet. Its clock starts on 1 January of its
 * year, or on `from` in the plan's first year.
 */
function cyclesOf(when: ActionPlanDeadline, from: LocalDate, until: LocalDate): Cycle[] {
  const { year, month } = parts(from);
  if (when === 'monthly' || when === 'quarterly' || when === 'yearly' || when === 'permanent') {
    const first =
      when === 'monthly' ? makeDate(year, month, 1) : when === 'yearly' ? makeDate(year, 1, 1) : makeDate(year, Math.floor((month - 1) / 3) * 3 + 1, 1);
    const step = { monthly: 1, quarterly: 3, permanent: 3, yearly: 12 }[when];
    const cycles: Cycle[] = [];
    for (let start = first; start <= until; start = addMonths(start, step)) cycles.push({ variant: when, start });
    return cycles;
  }
  const window = MONTHS.exec(when);
  if (window !== null) {
    // A window belongs to the plan when it opens by `until` and closes on or after `from`: recurrence opens the same ones.
    const [opens, closes] = [Number(window[1]), Number(window[2] ?? window[1])];
    const cycles: Cycle[] = [];
    for (let y = year; makeDate(y, opens, 1) <= until; y += 1) {
      const last = makeDate(y, closes, daysInMonth(y, closes));
      if (last >= from) cycles.push({ variant: 'window', start: makeDate(y, opens, 1), count: closes - opens + 1, last });
    }
    return cycles;
  }
  const yearly = YEARLY_BY.exec(when);
  if (yearly === null) {
    return when >= from && when <= until ? [{ variant: 'by-date', start: from, dueDate: when, last: when }] : [];
  }
  const cycles: Cycle[] = [];
  for (let due = `${year}-${yearly[1]}-${yearly[2]}`; due <= until; due = addMonths(due, 12)) {
    if (due < from) continue;
    const january = `${due.slice(0, 4)}-01-01`;
    cycles.push({ variant: 'by-date', start: january < from ? from : january, dueDate: due, last: due });
  }
  return cycles;
}

/**
 * Why the calendar cannot carry an item's periods, if it cannot. The opening (the first period)
 * starts running now, so it must plan in full: due date, reminders and escalations. Each later
 * period opens with recurrence and is planned then, possibly with a calendar extended by a later
 * decree; here its deadline must at least be countable, so that a plan reaching beyond the
 * calendar's data (dates after 2027) is refused now, on the row that reaches there.
 */
function uncarried(cycles: readonly Cycle[], rule: Rule, calendar: WorkingDayCalendar): string | undefined {
  for (const [index, cycle] of cycles.entries()) {
    const start = instantAt(cycle.start, '00:00');
    const setDate = cycle.dueDate === undefined ? {} : { dueDate: cycle.dueDate };
    const count = cycle.count === undefined ? {} : { count: cycle.count };
    try {
      if (index === 0) {
        planObligation({ rule, start, calendar, variant: cycle.variant, ...setDate, ...count });
      } else {
        const { counting } = effectiveBody(rule, cycle.variant);
        const period = cycle.count !== undefined && 'count' in counting.period ? { ...counting.period, count: cycle.count } : counting.period;
        deadline({ start, counting: { ...counting, period }, calendar, hours: STATE_BODY_HOURS, ...(cycle.dueDate === undefined ? {} : { setDate: cycle.dueDate }) });
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const what =
        cycle.dueDate !== undefined
          ? `the deadline ${cycle.dueDate}`
          : cycle.variant === 'window'
            ? `the window from ${cycle.start}`
            : cycle.variant === 'permanent'
              ? `the quarter from ${cycle.start} (permanent)`
              : `the ${cycle.variant} period from ${cycle.start}`;
      return `${what} cannot be ${index === 0 ? 'planned' : 'counted'}: ${error.message}`;
    }
  }
  return undefined;
}

function checkActionPlan(value: unknown, rowOf: (index: number) => number, options: ActionPlanOptions): ActionPlanResult {
  const errors: ActionPlanError[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ row: 0, field: 'plan', message: 'expected an object with plan, issuedBy, from, until and items' }] };
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!PLAN_FIELDS.includes(key)) errors.push({ row: 0, field: key, message: `unknown field (expected ${PLAN_FIELDS.join(', ')})` });
  }
  errors.push(...headerFieldErrors(input));
  const header = ActionPlanHeaderSchema.safeParse(input);
  const period = header.success && header.data.until >= header.data.from ? header.data : undefined;

  const rows: (ActionPlanRow | undefined)[] = [];
  if (!Array.isArray(input.items)) {
    errors.push({ row: 0, field: 'items', message: input.items === undefined ? 'the items are required' : 'expected a list of items' });
  } else if (input.items.length === 0) {
    errors.push({ row: 0, field: 'items', message: 'a plan lists at least one item' });
  } else if (input.items.length > MAX_ITEMS) {
    errors.push({ row: 0, field: 'items', message: `a plan lists at most ${MAX_ITEMS} items` });
  } else {
    input.items.forEach((item: unknown, index) => {
      const parsed = ActionPlanRowSchema.safeParse(item, { reportInput: true });
      if (parsed.success) {
        rows.push(parsed.data);
      } else {
        rows.push(undefined);
        errors.push(...parsed.error.issues.map((issue) => issueError(rowOf(index), issue)));
      }
    });
  }

  const calendar = options.calendar ?? kazakhstan();
  const rule = findRule('action-plan-item');
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row === undefined) return;
    const at = rowOf(index);
    for (const org of row.responsible) {
      if (options.units !== undefined && !options.units.has(org)) errors.push({ row: at, field: 'responsible', message: `"${org}" is not a unit of the directory` });
      const key = `${row.item}\u0000${org}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, at);
      else errors.push({ row: at, field: 'responsible', message: `"${org}" is already responsible for item ${row.item} (row ${first})` });
    }
    if (header.success) {
      const caseRef = CaseReferenceSchema.safeParse(`${header.data.plan}/${row.item}`);
      const first = caseRef.success ? undefined : caseRef.error.issues[0];
      const personalData = first === undefined ? undefined : personalDataKindOf(first);
      if (!caseRef.success) {
        errors.push(
          personalData === undefined
            ? { row: at, field: 'item', message: `"${header.data.plan}/${row.item}": ${first?.message ?? 'not a case reference'}` }
            : { row: at, field: 'item', message: `the plan's reference and the item number together: ${first?.message ?? ''}`, personalData },
        );
      }
    }
    if (period === undefined) return;
    const span = spanOf(row, period);
    if (span === undefined) {
      errors.push({ row: at, field: 'years', message: `the item's years ${row.years ?? ''} lie outside the plan, from ${period.from} until ${period.until}` });
      return;
    }
    const cycles = cyclesOf(row.deadline, span.from, span.until);
    if (cycles.length === 0) {
      errors.push({ row: at, field: 'deadline', message: `${row.deadline} does not fall between from ${span.from} and until ${span.until}` });
      return;
    }
    const failure = uncarried(cycles, rule, calendar);
    if (failure !== undefined) errors.push({ row: at, field: 'deadline', message: failure });
  });

  const openings = rows.reduce((sum, row) => sum + (row?.responsible.length ?? 0), 0);
  if (openings > MAX_OPENINGS) errors.push({ row: 0, field: 'items', message: `a plan opens at most ${MAX_OPENINGS} obligations (one per item and responsible body), this one ${openings}: import it in parts` });
  if (errors.length > 0 || !header.success) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, plan: { ...header.data, items: rows.filter((row): row is ActionPlanRow => row !== undefined) } };
}

/** The plan-level fields' errors, on row 0; `until` before `from` too. */
function headerFieldErrors(input: Record<string, unknown> | ActionPlanHeader): ActionPlanError[] {
  const parsed = ActionPlanHeaderSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return parsed.error.issues.map((issue) => issueError(0, issue));
  return parsed.data.until < parsed.data.from
    ? [{ row: 0, field: 'until', message: `until ${parsed.data.until} is before from ${parsed.data.from}` }]
    : [];
}

function issueError(row: number, issue: z.core.$ZodIssue): ActionPlanError {
  if (issue.code === 'unrecognized_keys') {
    return { row, field: issue.keys.join(', '), message: `unknown field (expected ${CSV_COLUMNS.join(', ')})` };
  }
  const field = typeof issue.path[0] === 'string' ? issue.path[0] : 'item';
  if (issue.code === 'invalid_type' && issue.input === undefined) return { row, field, message: `${field} is required` };
  const personalData = personalDataKindOf(issue);
  // Personal data is not said back, not even to whoever sent it: the answer may be logged or shown.
  if (personalData !== undefined) return { row, field, message: issue.message, personalData };
  const element = issue.path.length > 1 && typeof issue.input === 'string' ? `"${issue.input}": ` : '';
  return { row, field, message: `${element}${issue.message}` };
}

function sortErrors(errors: readonly ActionPlanError[]): ActionPlanError[] {
  return [...errors].sort((a, b) => a.row - b.row);
}

interface CsvRecord {
  /** The line of the file the record starts on. */
  readonly line: number;
  readonly fields: string[];
}

/** RFC 4180 records; blank lines are skipped. */
function readCsv(source: string): { records: CsvRecord[]; errors: ActionPlanError[] } {
  const text = source.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  const errors: ActionPlanError[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      let field = '';
      if (text[index] === '"') {
        quotedAny = true;
        index += 1;
        let closed = false;
        while (index < text.length) {
          const char = text[index] as string;
          if (char === '"') {
            if (text[index + 1] === '"') {
              field += '"';
              index += 2;
              continue;
            }
            index += 1;
            closed = true;
            break;
          }
          if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line += 1;
          field += char;
          index += 1;
        }
        if (!closed) {
          errors.push({ row: start, field: 'csv', message: 'a quoted field is not closed' });
        } else if (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') {
          errors.push({ row: line, field: 'csv', message: 'text after a closing quote: a quote inside a quoted field is written twice ("")' });
          while (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') field += text[index++];
        }
      } else {
        while (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') field += text[index++];
      }
      fields.push(field);
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === '\r') index += 1;
      if (text[index] === '\n') index += 1;
      line += 1;
      break;
    }
    const blank = !quotedAny && fields.length === 1 && (fields[0] ?? '').trim() === '';
    if (!blank) records.push({ line: start, fields });
  }
  return { records, errors };
}
