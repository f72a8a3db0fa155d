import { formatInstant } from '../../shared/base/index.ts';
import { OpenObligationRequestSchema } from '../../shared/model/index.ts';
import { planView } from '../../shared/i18n/index.ts';
import { explanationOf } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { draftObligations } from '../app/obligations.ts';
import { type RouteSpec, bodyOf, json, parseInput } from './http.ts';
import { authorizeOpening } from './opening.ts';

/**
 * POST /plans/preview: the plans a POST /obligations with the same body would make (the due
 * date and time, the reminders, the escalation, the legal source), after the same checks, and
 * nothing written: what the dashboard shows before the user confirms.
 */
export const previewPlansRoute: RouteSpec = {
  body: true,
  async run({ event, app, caller, scope }) {
    const request = parseInput('body', OpenObligationRequestSchema, bodyOf(event));
    await authorizeOpening(scope, request, app.now());
    const [drafts, calendar] = await Promise.all([draftObligations(app, caller, request), app.calendar()]);
    const plans = drafts.map((draft) => {
      const rule = findRule(draft.rule);
      return {
        rule: draft.rule,
        ruleName: rule.names,
        ...(draft.variant === undefined ? {} : { variant: draft.variant }),
        caseRef: draft.caseRef,
        org: draft.org,
        ...(draft.issuedBy === undefined ? {} : { issuedBy: draft.issuedBy }),
        ...(draft.label === undefined ? {} : { label: draft.label }),
        ...(draft.rule === request.rule ? {} : { openedWith: request.rule }),
        start: formatInstant(draft.start),
        dueAt: formatInstant(draft.dueAt),
        plan: planView(draft.plan, explanationOf(rule, draft, calendar)),
        sources: rule.sources,
        ...(rule.overdueGrounds === undefined ? {} : { overdueGrounds: rule.overdueGrounds }),
      };
    });
    return json(200, { plans });
  },
};
