import * as z from 'zod';
import { CaseReferenceSchema, FORBIDDEN_MESSAGE, type LocalDate, OrganisationUnitSchema, type PersonalDataKind, REFERENCE_LIMITS, holdsForbiddenCharacter, isLocalDate, makeDate, refusePersonalData } from '../base/index.ts';
import type { WorkingDayCalendar } from '../calendar/index.ts';
import { ItemLabelSchema } from '../model/index.ts';

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

export const YEARLY_BY = /^yearly:(\d{2})-(\d{2})$/;
/** A window of months each year: `months:09-10` (September–October), `months:04` (April). */
export const MONTHS = /^months:(\d{2})(?:-(\d{2}))?$/;
export const YEARS = /^(\d{4})(?:-(\d{4}))?$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$/;

const required = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required` : `${what} must be text`;

/** An item's number as a plan's cell writes it: `1`, `8.2`, `1.` (the trailing dot is dropped). */
const ItemCellSchema = z
  .string({ error: required('the item number') })
  .trim()
  .transform((value) => value.replace(/\.$/, ''))
  .pipe(ItemLabelSchema);

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
export const MAX_ITEMS = 200;
const MAX_BODIES = 30;
export const MAX_OPENINGS = 500;

/** One row of the plan: one item, with every body responsible for it. */
export const ActionPlanRowSchema = z.strictObject({
  item: ItemCellSchema,
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
export type CsvColumn = (typeof CSV_COLUMNS)[number];
