/**
 * The HTTP API's routes (API Gateway HTTP API, payload format 2.0), all served by the `api`
 * function. `auth: false` routes need no token.
 */
export const API_ROUTES = [
  { route: 'POST /obligations', auth: true },
  { route: 'GET /obligations', auth: true },
  { route: 'GET /obligations/{id}', auth: true },
  { route: 'POST /obligations/{id}/events', auth: true },
  /** Every obligation of one case reference the caller can see (the dashboard's case view). */
  { route: 'GET /cases', auth: true },
  /** What POST /obligations would open, with its plans, after the same checks: nothing is written. */
  { route: 'POST /plans/preview', auth: true },
  { route: 'GET /rules', auth: true },
  { route: 'GET /rules/{id}', auth: true },
  { route: 'GET /calendar/{year}', auth: true },
  { route: 'GET /calendar/overrides', auth: true },
  { route: 'PUT /calendar/overrides/{date}', auth: true },
  { route: 'DELETE /calendar/overrides/{date}', auth: true },
  { route: 'GET /organisations', auth: true },
  { route: 'PUT /organisations/{org}', auth: true },
  { route: 'PUT /organisations/{org}/members/{user}', auth: true },
  { route: 'POST /action-plans', auth: true },
  /** The caller's due dates as an iCalendar file (the dashboard downloads it with its token). */
  { route: 'GET /me/calendar.ics', auth: true },
  /** The dead-letter list: notices SES did not take after every retry (admin). */
  { route: 'GET /notices/failed', auth: true },
  /** Units where a milestone found nobody holding the role it was to tell (admin). */
  { route: 'GET /directory/gaps', auth: true },
  { route: 'GET /openapi.json', auth: false },
  /** The quarterly service note's figures of a unit and the units under it, as JSON, CSV or XLSX (issue 19). */
  { route: 'GET /reports/quarterly', auth: true },
  /** A commission's submissions unanswered past their month: the art. 479 list, as JSON, CSV or XLSX. */
  { route: 'GET /reports/unanswered-submissions', auth: true },
  /** The weekly counts per unit and rule, read from the snapshots (never recomputed). */
  { route: 'GET /reports/trend', auth: true },
] as const;

/**
 * The claims the API reads from a verified token, as API Gateway's JWT authorizer passes them
 * (`requestContext.authorizer.jwt.claims`; a list claim arrives flattened as `[a b]`). Cognito
 * issues them in AWS; the embedded runtime signs the same claims with a key of its own.
 *
 * The user is the Cognito username (`cognito:username` of the ID token), the work identity the
 * directory, the audit trail and docs/DEPLOY.md name (`aigerim.inspector`); Cognito's `sub` is a
 * UUID that matches nobody in the directory. A deployment that names people by another claim
 * (a mapped attribute of a federated pool) sets `USER_CLAIM` (ENV.userClaim; CDK context `userClaim`).
 */
export const CLAIMS = { user: 'cognito:username', groups: 'cognito:groups', org: 'custom:org' } as const;

/** The groups a token may carry: the roles people sign in with, and the administrator. */
export const GROUPS = [
  'akimat-department',
  'akimat-department-head',
  'inspector',
  'unit-head',
  'commission-secretary',
  'commission-chair',
  'regional-head',
  'shelter-head',
  'admin',
] as const;
export type Group = (typeof GROUPS)[number];
