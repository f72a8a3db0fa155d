/**
 * Regional action plans (seed 002; LEGAL.md §3, `action-plan-item`): what other folders may use.
 * `schemas.ts` the rows and the plan, `check.ts` the check across rows, `csv.ts` the CSV reader,
 * `cycles.ts` the periods an item runs in and the obligations a plan opens.
 */
export {
  ActionPlanDeadlineSchema,
  ActionPlanHeaderSchema,
  ActionPlanRowSchema,
  ActionPlanSchema,
  ActionPlanYearsSchema,
  CSV_COLUMNS,
  DEADLINE_EXPECTED,
  type ActionPlan,
  type ActionPlanDeadline,
  type ActionPlanError,
  type ActionPlanHeader,
  type ActionPlanOptions,
  type ActionPlanResult,
  type ActionPlanRow,
  type ActionPlanVariant,
  type OpeningRequest,
} from './schemas.ts';
export { parseActionPlan, parseActionPlanJson } from './check.ts';
export { parseActionPlanCsv } from './csv.ts';
export { openingsOf } from './cycles.ts';
