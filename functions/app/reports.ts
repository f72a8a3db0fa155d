import { DAY_MS, type Instant, type Organisation, type Texts, dayNumber, formatInstant, localDateOf } from '../../shared/base/index.ts';
import { FIGURES, type Figures, type Quarter, type QuarterlyReport, type RuleLine, type UnansweredSubmission, type UnitFigures, addFigures, complianceOf, figuresFrom, figuresOf, lastDayOf } from '../../shared/reports/index.ts';
import { catalog, findRule } from '../../shared/rules/index.ts';
import type { ListQuery, ListedObligation } from '../adapters/store/index.ts';
import type { AppContext } from './context.ts';

/**
 * The reports the heads and commissions file (issue 19), computed from the obligations of each
 * unit (the byOrg index, never a scan) and the tally each keeps of its cycles (never the audit
 * trails, but for an obligation written before the tally was kept): the quarterly service note's
 * figures per unit and rule, with the sum over the units under the one asked for, and the list
 * of submissions left unanswered past their month (CoAO art. 479).
 */

/** Reading back this far before the quarter finds an order that lapsed before it and was served again in it. */
const LOOK_BACK_MS = 92 * DAY_MS;
/** A page of a unit's list: DynamoDB stops at 1 MB anyway, and each page is a round trip. */
const PAGE = 1000;

async function listAll(context: Pick<AppContext, 'store'>, query: Omit<ListQuery, 'limit' | 'cursor'>): Promise<ListedObligation[]> {
  const items: ListedObligation[] = [];
  let cursor: string | undefined;
  do {
    const page = await context.store.obligations.list({ ...query, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

/** Every obligation of a unit (or an issuer) due from an instant on, in every state: three index queries. */
export async function obligationsDueFrom(
  context: Pick<AppContext, 'store'>,
  by: 'org' | 'issuer',
  key: string,
  dueFrom: Instant,
  asOf: Instant,
  states: readonly ('open' | 'overdue' | 'closed')[] = ['open', 'overdue', 'closed'],
): Promise<ListedObligation[]> {
  const lists = await Promise.all(states.map((state) => listAll(context, { by, key, state, asOf, dueFrom })));
  return lists.flat();
}

/** Whether an obligation can hold anything of the quarter: its events or one of its due dates. */
function mayConcern(obligation: ListedObligation, quarter: Quarter): boolean {
  const rule = findRule(obligation.rule);
  const line = complianceOf(rule.id);
  // A recurring obligation's start is its current cycle's: earlier cycles may lie in the quarter.
  if (rule.recurrence !== undefined || line.counting === 'cycles') return true;
  if (obligation.start >= quarter.endsAt) return false;
  return line.counting === 'in-force' || lastDayOf(obligation.dueAt) >= quarter.from;
}

/** The rules a unit of a kind acts under: those whose catalog entry opens clocks for its kind. */
function rulesActedBy(kind: string): string[] {
  return catalog.filter((rule) => (rule.authority.opens.bodies as readonly string[]).includes(kind)).map((rule) => rule.id);
}

/**
 * The quarterly report of `root` and every unit under it (`units`, the root first), as of now.
 * Each unit: three index queries; an audit-trail read only for an obligation that keeps no
 * tally (written before it was kept), which the report counts from its trail, as before.
 */
export async function quarterlyReport(context: AppContext, root: Organisation, units: readonly Organisation[], quarter: Quarter): Promise<QuarterlyReport> {
  const asOf = context.now();
  const counted = await Promise.all(
    units.map(async (unit) => {
      const obligations = (await obligationsDueFrom(context, 'org', unit.org, quarter.startsAt - LOOK_BACK_MS, asOf)).filter((obligation) => mayConcern(obligation, quarter));
      const figures: Record<string, Record<string, number>> = {};
      await Promise.all(
        obligations.map(async (obligation) => {
          // An obligation written before the tally was kept is counted from its audit trail.
          const own =
            obligation.tally === undefined ? figuresOf(obligation, await context.store.obligations.events(obligation.id), quarter, asOf) : figuresFrom(obligation, obligation.tally, quarter, asOf);
          if (Object.keys(own).length === 0) return;
          addFigures((figures[obligation.rule] ??= {}), own);
        }),
      );
      return { unit, figures };
    }),
  );
  const ruleIds = new Set<string>(units.flatMap((unit) => rulesActedBy(unit.kind)));
  for (const { figures } of counted) for (const rule of Object.keys(figures)) ruleIds.add(rule);
  const rules = catalog.filter((rule) => ruleIds.has(rule.id)).map((rule): RuleLine => {
    const line = complianceOf(rule.id);
    return { rule: rule.id, names: rule.names, counting: line.counting, figures: FIGURES[line.counting], means: line.means ?? {}, why: line.why };
  });
  const actingKinds = new Set(catalog.filter((rule) => ruleIds.has(rule.id)).flatMap((rule) => rule.authority.opens.bodies as readonly string[]));
  const total: Record<string, Record<string, number>> = {};
  for (const { figures } of counted) for (const [rule, own] of Object.entries(figures)) addFigures((total[rule] ??= {}), own);
  return {
    org: root.org,
    names: root.names,
    quarter: quarter.name,
    from: quarter.from,
    to: quarter.to,
    asOf: formatInstant(asOf),
    rules,
    units: counted
      .filter(({ unit, figures }) => unit.org === root.org || actingKinds.has(unit.kind) || Object.keys(figures).length > 0)
      .map(({ unit, figures }) => ({ org: unit.org, kind: unit.kind, names: unit.names, ...(unit.parent === undefined ? {} : { parent: unit.parent }), figures })),
    total,
  };
}

/**
 * A commission's submissions whose addressee has not replied by the last day: what its secretary
 * prepares cases under CoAO art. 479 from. One index query on the issuer's open obligations due by
 * now; the addressees' names from the directory.
 */
export async function unansweredSubmissions(context: AppContext, issuer: string, directory: ReadonlyMap<string, Organisation>): Promise<{ asOf: string; issuer: string; items: UnansweredSubmission[] }> {
  const now = context.now();
  const rule = findRule('submission-reply');
  const grounds = rule.overdueGrounds;
  if (grounds === undefined) throw new Error('submission-reply carries the grounds of CoAO art. 479');
  const overdue = await listAll(context, { by: 'issuer', key: issuer, state: 'overdue', asOf: now, dueFrom: 0 });
  const today = dayNumber(localDateOf(now));
  const items = overdue
    .filter((obligation) => obligation.rule === rule.id && obligation.status !== 'suspended')
    .map((obligation): UnansweredSubmission => {
      const due = lastDayOf(obligation.dueAt);
      const unit = directory.get(obligation.org);
      return {
        id: obligation.id,
        org: obligation.org,
        addressee: unit?.names ?? { kk: obligation.org, ru: obligation.org, en: obligation.org },
        caseRef: obligation.caseRef,
        received: localDateOf(obligation.start),
        due,
        daysOverdue: today - dayNumber(due),
        grounds: grounds.names,
        cite: grounds.source.cite,
      };
    })
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.caseRef.localeCompare(b.caseRef) || a.org.localeCompare(b.org));
  return { asOf: formatInstant(now), issuer, items };
}
