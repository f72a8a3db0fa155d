import { createHash } from 'node:crypto';
import { localDateOf } from '../../shared/base/index.ts';
import { parseActionPlan, openingsOf } from '../../shared/action-plans/index.ts';
import { type OpenObligationRequest, OpenObligationRequestSchema } from '../../shared/model/index.ts';
import type { AppContext } from '../app/context.ts';
import { openObligations } from '../app/obligations.ts';
import { type RouteSpec, authorize, bodyOf, json, parseInput } from './http.ts';
import { RequestInvalidError } from './errors.ts';
import { authorizeOpening } from './opening.ts';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeySchema } from './schemas.ts';

/**
 * POST /action-plans: an interagency action plan opens one `action-plan-item` obligation per
 * item and responsible body. Every row is checked first (400 with each row's errors, nothing
 * opened); then each opening goes through openObligations with an Idempotency-Key of its own,
 * derived from the plan's reference, the item and the body, so that running the same import
 * again completes a half-finished one without opening anything twice.
 */

const PARALLEL_OPENINGS = 8;

/** The same (plan, item, body) always gives the same key: `ap-` and 40 hex digits. */
export function openingKey(opening: { readonly caseRef: string; readonly org?: string | undefined }): string {
  return `ap-${createHash('sha256').update(`${opening.caseRef}\u0000${opening.org ?? ''}`).digest('hex').slice(0, 40)}`;
}

export const importActionPlanRoute: RouteSpec = {
  body: true,
  async run({ event, app, caller, scope }) {
    await authorize(scope, { kind: 'action-plans:import' });
    const header = event.headers[IDEMPOTENCY_KEY_HEADER];
    // Accepted and checked; each opening carries its own key anyway.
    if (header !== undefined) parseInput('headers', IdempotencyKeySchema, header, IDEMPOTENCY_KEY_HEADER);

    // One read of the overrides for the whole import.
    const calendar = await app.calendar();
    // Not a spread: the mail is made on first use, and a plan's openings send none.
    const context: AppContext = { store: app.store, executions: app.executions, now: app.now, get mail() { return app.mail; }, calendar: async () => calendar };
    // Every responsible body is checked against the directory with the rest, so that the 400 names each row and body at once.
    const units = new Set((await scope.organisations()).map((organisation) => organisation.org));
    const result = parseActionPlan(bodyOf(event), { calendar, units });
    if (!result.ok) {
      throw new RequestInvalidError(`the action plan has ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; nothing was opened`, [
        ...result.errors.map((error) => ({ path: error.field, row: error.row, message: error.message, ...(error.personalData === undefined ? {} : { personalData: error.personalData }) })),
      ], { personalDataIs422: true });
    }
    await authorize(scope, { kind: 'action-plans:import', issuedBy: result.plan.issuedBy });
    const today = localDateOf(app.now());
    const requests: OpenObligationRequest[] = openingsOf(result.plan, { today }).map((opening) => parseInput('body', OpenObligationRequestSchema, opening));

    // Every opening as POST /obligations would take it: bodies of the directory, of a kind that reports on a plan.
    for (const request of requests) await authorizeOpening(scope, request, app.now());

    const ids: string[] = [];
    let replayed = 0;
    for (let from = 0; from < requests.length; from += PARALLEL_OPENINGS) {
      const batch = requests.slice(from, from + PARALLEL_OPENINGS);
      const opened = await Promise.all(batch.map((request) => openObligations(context, caller, request, openingKey(request))));
      for (const one of opened) {
        ids.push(...one.obligations.map((obligation) => obligation.id));
        if (one.replayed) replayed += 1;
      }
    }
    return json(201, { opened: ids.length, replayed, obligations: ids });
  },
};
