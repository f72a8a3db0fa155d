import { type Instant, type LocalDate, type Organisation, type OrganisationKind, daysInMonth, instantAt, localDateOf, makeDate, parts } from '../../shared/base/index.ts';
import { type Obligation, auditEntry } from '../../shared/model/index.ts';
import { planOf } from '../../shared/obligations/index.ts';
import { PlanError, type Rule, ruleInForce } from '../../shared/rules/index.ts';
import { ObligationExistsError } from '../adapters/store/index.ts';
import { type AppContext, SYSTEM } from './context.ts';
import { mapWithConcurrency } from './reconcile.ts';

export const QUARTERLY_REPORT_RULE = 'unit-quarterly-report';
export const QUARTERLY_REPORT_CASE_REF = 'quarterly-report';

/** Which police units report quarterly, and to whom (the variant). */
const VARIANT_OF_KIND: Partial<Record<OrganisationKind, string>> = {
  'police-unit': 'district',
  'police-department': 'region',
};

/** The one quarterly-report obligation of a unit: it recurs by the calendar under this id. */
export function quarterlyReportId(org: string): string {
  return `uqr-${org}`;
}

/** The last day of the quarter a date falls in. */
export function quarterEnd(date: LocalDate): LocalDate {
  const { year, month } = parts(date);
  const lastMonth = Math.ceil(month / 3) * 3;
  return makeDate(year, lastMonth, daysInMonth(year, lastMonth));
}

/** When the report's clock starts: the last day of the quarter that ends next, at 00:00 Kazakhstan time. */
export function quarterlyReportStart(now: Instant): Instant {
  return instantAt(quarterEnd(localDateOf(now)), '00:00');
}

export interface ProvisionSummary {
  readonly opened: string[];
  /** Units whose quarterly report was opened before. */
  readonly existing: number;
}

/**
 * Opens, without anyone asking, the quarterly report of every police unit (to its regional
 * department) and regional police department (to the committee). The id is the unit's, so a
 * second run opens nothing; the report then recurs each quarter on its own timer.
 */
export async function provisionQuarterlyReports(context: AppContext): Promise<ProvisionSummary> {
  const organisations = await context.store.directory.organisations();
  const units = organisations.filter((organisation) => VARIANT_OF_KIND[organisation.kind] !== undefined);
  const calendar = await context.calendar();
  const start = quarterlyReportStart(context.now());
  // The order in force on the quarter's last day plans it; before order No. 352, nothing is owed and nothing is opened.
  let rule: Rule;
  try {
    rule = ruleInForce(QUARTERLY_REPORT_RULE, localDateOf(start));
  } catch (error) {
    if (error instanceof PlanError) return { opened: [], existing: 0 };
    throw error;
  }
  const opened: string[] = [];
  let existing = 0;
  await mapWithConcurrency(units, 8, async (unit) => {
    const obligation = quarterlyReport(unit, context.now(), (base) => planOf(rule, base, calendar), rule.version);
    const openedEvent = auditEntry(obligation, 'opened', {
      at: obligation.start,
      recordedAt: obligation.createdAt,
      by: SYSTEM.user,
      seq: 0,
      details: { dueAt: new Date(obligation.dueAt).toISOString() },
    });
    try {
      await context.store.obligations.openObligations([{ obligation, events: [openedEvent] }]);
    } catch (error) {
      if (error instanceof ObligationExistsError) {
        existing += 1;
        return;
      }
      throw error;
    }
    await context.executions.start(obligation);
    opened.push(obligation.id);
  });
  return { opened: opened.sort(), existing };
}

function quarterlyReport(
  unit: Organisation,
  now: Instant,
  plan: (base: Pick<Obligation, 'start' | 'variant'>) => Obligation['plan'],
  ruleVersion: number,
): Obligation {
  const variant = VARIANT_OF_KIND[unit.kind] as string;
  const start = quarterlyReportStart(now);
  const planned = plan({ start, variant });
  return {
    id: quarterlyReportId(unit.org),
    rule: QUARTERLY_REPORT_RULE,
    ruleVersion,
    variant,
    caseRef: QUARTERLY_REPORT_CASE_REF,
    org: unit.org,
    ...(unit.parent === undefined ? {} : { issuedBy: unit.parent }),
    start,
    status: planned.dueAt > now ? 'open' : 'overdue',
    revision: 1,
    cycle: 1,
    dueAt: planned.dueAt,
    plan: planned,
    createdAt: now,
    createdBy: SYSTEM.user,
    updatedAt: now,
    version: 1,
  };
}
