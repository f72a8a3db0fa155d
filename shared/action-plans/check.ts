import * as z from 'zod';
import { kazakhstan } from '../calendar/index.ts';
import { findRule } from '../rules/index.ts';
import { CaseReferenceSchema, personalDataKindOf } from '../base/index.ts';
import { cyclesOf, spanOf, uncarried } from './cycles.ts';
import {
  type ActionPlanError,
  type ActionPlanHeader,
  ActionPlanHeaderSchema,
  type ActionPlanOptions,
  type ActionPlanResult,
  type ActionPlanRow,
  ActionPlanRowSchema,
  CSV_COLUMNS,
  MAX_ITEMS,
  MAX_OPENINGS,
} from './schemas.ts';

/** The row-level fields a plan names besides its items' columns. */
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

/** Checks a plan already read from JSON (the API's request body, or a parsed file). */
export function parseActionPlan(value: unknown, options: ActionPlanOptions = {}): ActionPlanResult {
  return checkActionPlan(value, (index) => index + 1, options);
}

export function checkActionPlan(value: unknown, rowOf: (index: number) => number, options: ActionPlanOptions): ActionPlanResult {
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
export function headerFieldErrors(input: Record<string, unknown> | ActionPlanHeader): ActionPlanError[] {
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

export function sortErrors(errors: readonly ActionPlanError[]): ActionPlanError[] {
  return [...errors].sort((a, b) => a.row - b.row);
}
