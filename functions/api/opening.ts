import * as z from 'zod';
import { ActSchema, OrganisationUnitSchema, type Party, formatInstant } from '../../shared/base/index.ts';
import type { OpenObligationRequest } from '../../shared/model/index.ts';
import { ActRefusedError, CLOCK_SKEW_MS, partyList } from '../../shared/obligations/index.ts';
import { type Rule, type RuleVariant, findRule } from '../../shared/rules/index.ts';
import type { Period } from '../../shared/periods/index.ts';
import type { Scope } from './scope.ts';

/**
 * Who may open a clock, from the rule's catalog entry (`authority.opens`):
 * - every unit it is opened for exists in the directory and is of a kind that owes the act;
 * - the body that must act opens its own clock; an issuer (a commission's secretary or chair)
 *   opens those of the bodies it addresses, naming itself as `issuedBy`; the administrator opens
 *   any that the catalog gives them; Merzim alone opens the quarterly reports;
 * - a clock starts now or earlier, unless the rule runs ahead (a plan's periods).
 * Refused, nothing is written: 422 names the field, 403 the rule and who may open it.
 */
export async function authorizeOpening(scope: Scope, request: OpenObligationRequest, now: number): Promise<void> {
  const rule = findRule(request.rule);
  const { opens } = rule.authority;
  if (!opens.by.some((party) => party !== 'system')) {
    throw new ActRefusedError(`Merzim opens ${rule.id} itself: nobody opens it by hand`, 'forbidden', 'rule');
  }
  const orgs = request.addressees ?? (request.org === undefined ? [] : [request.org]);
  const field = request.addressees === undefined ? 'org' : 'addressees';
  for (const [index, org] of orgs.entries()) {
    const unit = await scope.organisation(org);
    const path = field === 'org' ? 'org' : `addressees.${index}`;
    if (unit === undefined) throw new ActRefusedError(`${org} is not a unit of the directory: nothing is opened for it`, 'invalid', path);
    if (!opens.bodies.includes(unit.kind)) {
      throw new ActRefusedError(`${rule.id} is owed by ${opens.bodies.join(', ')}; ${org} is ${article(unit.kind)}`, 'invalid', path);
    }
  }
  const byIssuer = opens.by.includes('issuer');
  if (request.issuedBy !== undefined) {
    if (!byIssuer) throw new ActRefusedError(`${rule.id} is opened by the body that acts: it has no issuer`, 'invalid', 'issuedBy');
    const issuer = await scope.organisation(request.issuedBy);
    if (issuer === undefined) throw new ActRefusedError(`${request.issuedBy} is not a unit of the directory`, 'invalid', 'issuedBy');
    if (!(opens.issuers ?? []).includes(issuer.kind)) {
      throw new ActRefusedError(`${rule.id} is issued by ${(opens.issuers ?? []).join(', ')}; ${request.issuedBy} is ${article(issuer.kind)}`, 'invalid', 'issuedBy');
    }
  } else if (byIssuer) {
    throw new ActRefusedError(`${rule.id} is opened for the body that owes the act by the one that waits for it: name it (issuedBy)`, 'invalid', 'issuedBy');
  }
  if (request.start > now + CLOCK_SKEW_MS && !opens.startAhead) {
    throw new ActRefusedError(`the clock of ${rule.id} starts when the event happens: ${formatInstant(request.start)} is still ahead`, 'invalid', 'start');
  }
  // Every unit opened for must be the caller's to open: as the acting body, as the issuer, or as the administrator.
  for (const org of orgs) {
    const parties = await scope.partiesTo({ org, ...(request.issuedBy === undefined ? {} : { issuedBy: request.issuedBy }) });
    if (!opensAs(rule, parties)) {
      throw new ActRefusedError(`${rule.id} is opened by ${partyList(opens.by.filter((party) => party !== 'system'))}: you are none of them for ${org}`, 'forbidden', 'rule');
    }
  }
}

/** Whether one of the caller's parties to an obligation is one the catalog lets open the rule (a head opens nothing for the units under it). */
function opensAs(rule: Rule, parties: ReadonlySet<Party>): boolean {
  return rule.authority.opens.by.some((party: Party) => party !== 'head' && party !== 'system' && parties.has(party));
}

/**
 * What a caller may open of a rule, and what the form for it asks (GET /rules, `opening`):
 * the units it may be opened for, the issuers the caller may name, and the fields the rule needs.
 */
const PERIOD_UNITS = ['working-days', 'days', 'weeks', 'months', 'hours24', 'period-end', 'month-ends', 'set-date', 'day-after-period'] as const satisfies readonly Period['unit'][];
const PeriodUnitSchema = z.enum(PERIOD_UNITS).meta({ description: 'What the count counts' });

export const OpeningSchema = z.object({
  orgs: z.array(OrganisationUnitSchema).meta({ description: 'The units this caller may open the rule for' }),
  several: z.boolean().meta({ description: 'Opened for several bodies at once (`addressees`): a commission’s decision or submission' }),
  issuers: z
    .array(OrganisationUnitSchema)
    .optional()
    .meta({ description: 'The issuers this caller may name as `issuedBy` (the secretary: their own commission); absent when the rule has none' }),
  startEvent: ActSchema.meta({ description: 'What starts the clock: the `start` field is when it happened' }),
  startAhead: z.boolean().meta({ description: 'The clock may start after now (a plan’s period)' }),
  count: z
    .object({
      min: z.number().int(),
      max: z.number().int(),
      unit: PeriodUnitSchema,
      required: z.boolean(),
      default: z.number().int().optional(),
      setBy: z.object({ kk: z.string(), ru: z.string(), en: z.string() }),
    })
    .optional()
    .meta({ description: 'The count a court or a register category sets per case (`count`)' }),
  dueDate: z
    .object({ variants: z.array(z.string()).optional() })
    .optional()
    .meta({ description: 'The last day the document sets (`dueDate`) is needed: for every variant, or for those listed' }),
  until: z
    .object({ variants: z.array(z.string()).optional() })
    .optional()
    .meta({ description: 'The rule recurs on the calendar: an `until` day may end it (for every variant, or those listed)' }),
  measures: z.boolean().meta({ description: 'The request may list proposed measures with their own deadlines (`measures`), each a clock of its own' }),
});
export type Opening = z.infer<typeof OpeningSchema>;

/**
 * What this caller may open of a rule, or undefined when nothing. A caller's parties to an
 * obligation are of its unit (acting body, head, administrator) or of its issuer (issuer): each
 * side is asked of the same `partiesTo` and `opensAs` that `authorizeOpening` asks, so the form
 * offers what the API takes. Opened by the acting body or the administrator, any issuer of the
 * rule's kinds may be named; opened by an issuer, the rule's bodies may all be addressed.
 */
export async function openingOf(scope: Scope, rule: Rule): Promise<Opening | undefined> {
  const { opens } = rule.authority;
  if (!opens.by.some((party) => party !== 'system')) return undefined;
  const units = (await scope.organisations()).sort((a, b) => a.org.localeCompare(b.org));
  const bodies = units.filter((unit) => opens.bodies.includes(unit.kind)).map((unit) => unit.org);
  const issuable = opens.issuers === undefined ? undefined : units.filter((unit) => (opens.issuers ?? []).includes(unit.kind)).map((unit) => unit.org);
  const byUnit: string[] = [];
  for (const org of bodies) if (opensAs(rule, await scope.partiesTo({ org }))) byUnit.push(org);
  const byIssuer: string[] = [];
  for (const issuedBy of issuable ?? []) {
    const parties = await scope.partiesTo({ org: issuedBy, issuedBy });
    if (parties.has('issuer') && opensAs(rule, new Set<Party>(['issuer']))) byIssuer.push(issuedBy);
  }
  // Named as the issuer, the caller addresses any of the rule's bodies; opening as the unit, it names any issuer.
  const orgs = issuable === undefined || byIssuer.length === 0 ? byUnit : bodies;
  const issuers = issuable === undefined ? undefined : byUnit.length > 0 ? issuable : byIssuer;
  if (orgs.length === 0 || (issuers !== undefined && issuers.length === 0)) return undefined;
  const bounds = rule.countSetPerCase;
  const period = rule.counting.period;
  return {
    orgs,
    several: issuers !== undefined,
    ...(issuers === undefined ? {} : { issuers }),
    startEvent: rule.startEvent,
    startAhead: opens.startAhead,
    ...(bounds === undefined
      ? {}
      : { count: { min: bounds.min, max: bounds.max, unit: period.unit, required: bounds.required, setBy: bounds.setBy, ...('count' in period && !bounds.required ? { default: period.count } : {}) } }),
    ...variantsWhere(rule, 'dueDate', (body) => body.counting.period.unit === 'set-date'),
    ...variantsWhere(rule, 'until', (body) => body.recurrence?.kind === 'calendar'),
    measures: (rule.companions ?? []).some((companion) => companion.per === 'measure'),
  };
}

/** A field the rule needs for all its variants (`{}`), for some (`{ variants }`), or for none (nothing). */
function variantsWhere<K extends 'dueDate' | 'until'>(rule: Rule, field: K, needs: (body: Pick<Rule, 'counting' | 'recurrence'>) => boolean): Partial<Record<K, { variants?: string[] }>> {
  const variants = Object.entries(rule.variants ?? {});
  const bodyOf = (variant: RuleVariant) => ({ counting: variant.counting ?? rule.counting, recurrence: variant.recurrence ?? rule.recurrence });
  if (variants.length === 0) return needs(rule) ? ({ [field]: {} } as Partial<Record<K, { variants?: string[] }>>) : {};
  const some = variants.filter(([, variant]) => needs(bodyOf(variant))).map(([id]) => id);
  if (some.length === 0) return {};
  return { [field]: some.length === variants.length ? {} : { variants: some } } as Partial<Record<K, { variants?: string[] }>>;
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
