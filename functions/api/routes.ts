import type { ApiRoute, RouteSpec } from './http.ts';
import { importActionPlanRoute } from './action-plans.ts';
import { calendarYearRoute, deleteOverrideRoute, listOverridesRoute, putOverrideRoute } from './calendar.ts';
import { getRuleRoute, listRulesRoute } from './catalog.ts';
import { calendarFeedRoute } from './feed.ts';
import { listOrganisationsRoute, putMemberRoute, putOrganisationRoute } from './directory.ts';
import { caseRoute, listObligationsRoute } from './lists.ts';
import { directoryGapsRoute } from './gaps.ts';
import { failedNoticesRoute } from './notices.ts';
import { getObligationRoute, openObligationsRoute, recordActRoute } from './obligations.ts';
import { openApiRoute } from './openapi.ts';
import { previewPlansRoute } from './plans.ts';
import { quarterlyReportRoute, trendRoute, unansweredSubmissionsRoute } from './reports.ts';

/** Every route of API_ROUTES and the module that serves it; the type makes the map complete. */
export const ROUTES: Record<ApiRoute, RouteSpec> = {
  'POST /obligations': openObligationsRoute,
  'GET /obligations': listObligationsRoute,
  'GET /obligations/{id}': getObligationRoute,
  'POST /obligations/{id}/events': recordActRoute,
  'GET /cases': caseRoute,
  'POST /plans/preview': previewPlansRoute,
  'GET /rules': listRulesRoute,
  'GET /rules/{id}': getRuleRoute,
  'GET /calendar/{year}': calendarYearRoute,
  'GET /calendar/overrides': listOverridesRoute,
  'PUT /calendar/overrides/{date}': putOverrideRoute,
  'DELETE /calendar/overrides/{date}': deleteOverrideRoute,
  'GET /organisations': listOrganisationsRoute,
  'PUT /organisations/{org}': putOrganisationRoute,
  'PUT /organisations/{org}/members/{user}': putMemberRoute,
  'POST /action-plans': importActionPlanRoute,
  'GET /me/calendar.ics': calendarFeedRoute,
  'GET /notices/failed': failedNoticesRoute,
  'GET /directory/gaps': directoryGapsRoute,
  'GET /openapi.json': openApiRoute,
  'GET /reports/quarterly': quarterlyReportRoute,
  'GET /reports/unanswered-submissions': unansweredSubmissionsRoute,
  'GET /reports/trend': trendRoute,
};
