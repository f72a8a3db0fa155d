import { type Rule, UnknownRuleError, catalog, findRule } from '../../shared/rules/index.ts';
import { NotFoundError } from '../app/errors.ts';
import { type RouteSpec, authorize, json, parseInput } from './http.ts';
import { openingOf } from './opening.ts';
import { RulePathSchema } from './schemas.ts';

/**
 * GET /rules, GET /rules/{id}: the statutory catalog as it is shipped. The list says besides, of
 * each rule this caller may open, for whom and with which fields (`opening`): the dashboard's
 * opening form asks exactly that.
 */

export function ruleSummary(rule: Rule) {
  return {
    id: rule.id,
    version: rule.version,
    names: rule.names,
    actor: rule.actor,
    closedBy: rule.closedBy,
    variants: Object.entries(rule.variants ?? {}).map(([id, variant]) => ({ id, names: variant.names })),
    ...(rule.defaultVariant === undefined ? {} : { defaultVariant: rule.defaultVariant }),
    sources: rule.sources,
    validFrom: rule.validFrom,
    validTo: rule.validTo,
    ...(rule.overdueGrounds === undefined ? {} : { overdueGrounds: rule.overdueGrounds }),
    notes: rule.notes ?? [],
  };
}

export const listRulesRoute: RouteSpec = {
  async run({ scope }) {
    await authorize(scope, { kind: 'catalog:read' });
    const rules = await Promise.all(
      catalog.map(async (rule) => {
        const opening = await openingOf(scope, rule);
        return { ...ruleSummary(rule), ...(opening === undefined ? {} : { opening }) };
      }),
    );
    return json(200, { rules });
  },
};

export const getRuleRoute: RouteSpec = {
  async run({ event, scope }) {
    await authorize(scope, { kind: 'catalog:read' });
    const { id } = parseInput('path', RulePathSchema, event.pathParameters ?? {});
    try {
      // The whole entry: counting, reminders, escalation ladder, variants, sources.
      return json(200, { rule: findRule(id) });
    } catch (error) {
      if (error instanceof UnknownRuleError) throw new NotFoundError(error.message);
      throw error;
    }
  },
};
