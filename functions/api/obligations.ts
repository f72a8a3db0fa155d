import { type Obligation, OpenObligationRequestSchema, RecordActRequestSchema } from '../../shared/model/index.ts';
import { getObligation, openObligations, recordAct } from '../app/obligations.ts';
import { allowedActs, explanationOf } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { type RouteSpec, authorize, bodyOf, json, parseInput } from './http.ts';
import { authorizeOpening } from './opening.ts';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeySchema, ObligationPathSchema } from './schemas.ts';
import { eventView, inRecordedOrder, noticeView, obligationView } from './views.ts';

/** POST /obligations, GET /obligations/{id}, POST /obligations/{id}/events. */

export const openObligationsRoute: RouteSpec = {
  body: true,
  async run({ event, app, caller, scope }) {
    const header = event.headers[IDEMPOTENCY_KEY_HEADER];
    const key = header === undefined ? undefined : parseInput('headers', IdempotencyKeySchema, header, IDEMPOTENCY_KEY_HEADER);
    const request = parseInput('body', OpenObligationRequestSchema, bodyOf(event));
    await authorizeOpening(scope, request, app.now());
    const opened = await openObligations(app, caller, request, key);
    const body = { obligations: opened.obligations.map((obligation) => obligationView(obligation, app.now())) };
    return opened.replayed ? json(200, body, { 'idempotent-replayed': 'true' }) : json(201, body);
  },
};

export const getObligationRoute: RouteSpec = {
  async run({ event, app, caller, scope }) {
    const { id } = parseInput('path', ObligationPathSchema, event.pathParameters ?? {});
    const obligation = await getObligation(app, id);
    await authorize(scope, { kind: 'obligations:read', obligation });
    const [events, notices, parties, calendar] = await Promise.all([app.store.obligations.events(id), app.store.outbox.notices(id), scope.partiesTo(obligation), app.calendar()]);
    const rule = findRule(obligation.rule);
    return json(200, {
      obligation: obligationView(obligation, app.now(), explanationOf(rule, obligation, calendar)),
      allowedActs: allowedActs(rule, obligation, parties, caller, app.now()),
      events: inRecordedOrder(events).map(eventView),
      notices: notices.map(noticeView),
    });
  },
};

export const recordActRoute: RouteSpec = {
  body: true,
  async run({ event, app, caller, scope }) {
    const { id } = parseInput('path', ObligationPathSchema, event.pathParameters ?? {});
    const request = parseInput('body', RecordActRequestSchema, bodyOf(event));
    const current = await getObligation(app, id);
    await authorize(scope, { kind: 'obligations:record', obligation: current });
    const recorded = await recordAct(app, caller, { parties: (obligation) => scope.partiesTo(obligation) }, id, request);
    // The obligation as GET shows it, its count explained: an extension or a corrected start says at once how the new date was counted.
    const calendar = await app.calendar();
    const explained = (obligation: Obligation) => obligationView(obligation, app.now(), explanationOf(findRule(obligation.rule), obligation, calendar));
    return json(200, {
      obligation: explained(recorded.obligation),
      ...(recorded.opened === undefined ? {} : { opened: explained(recorded.opened) }),
    });
  },
};
