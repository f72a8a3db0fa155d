import * as z from 'zod';
import { ActionPlanSchema } from '../../shared/action-plans/index.ts';
import { OpenObligationRequestSchema, RecordActRequestSchema } from '../../shared/model/index.ts';
import { API_ROUTES } from '../../contract/index.ts';
import { FeedQuerySchema } from './feed.ts';
import { FailedNoticesQuerySchema, FailedNoticesResponseSchema } from './notices.ts';
import { DirectoryGapsQuerySchema, DirectoryGapsResponseSchema } from './gaps.ts';
import { type ApiRoute, type RouteSpec, json } from './http.ts';
import { QuarterlyQuerySchema, QuarterlyReportSchema, TrendQuerySchema, TrendResponseSchema, UnansweredQuerySchema, UnansweredResponseSchema } from './reports.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './exports/table.ts';
import {
  ActionPlanResponseSchema,
  CalendarResponseSchema,
  DatePathSchema,
  ErrorSchema,
  IdempotencyKeySchema,
  CaseQuerySchema,
  CaseResponseSchema,
  ListQuerySchema,
  ListResponseSchema,
  MemberBodySchema,
  MemberPathSchema,
  MemberResponseSchema,
  ObligationDetailResponseSchema,
  ObligationPathSchema,
  ObligationResponseSchema,
  OpenedResponseSchema,
  OrganisationBodySchema,
  OrganisationResponseSchema,
  OrganisationsResponseSchema,
  OrgPathSchema,
  OverrideBodySchema,
  OverrideResponseSchema,
  OverridesResponseSchema,
  PreviewResponseSchema,
  RulePathSchema,
  RuleResponseSchema,
  RulesResponseSchema,
  YearPathSchema,
} from './schemas.ts';

/**
 * GET /openapi.json: an OpenAPI 3.1 document generated from the zod schemas the routes parse
 * with (request bodies as their input side, responses as their output side), so the document
 * cannot drift from what the API takes and gives.
 */

type JsonSchema = Record<string, unknown>;

interface Operation {
  readonly summary: string;
  readonly tag: string;
  readonly path?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly idempotencyKey?: boolean;
  readonly body?: z.ZodType;
  readonly success: { readonly status: 200 | 201 | 204; readonly schema?: z.ZodType; readonly description: string; readonly mediaType?: string };
  /** Other media types the same answer comes in, chosen by Accept or a `format` parameter (a report as CSV or XLSX). */
  readonly alsoAs?: readonly string[];
  /** Error statuses besides 401 and 500, which every signed-in route may answer. */
  readonly errors: readonly number[];
}

const OPERATIONS: Record<ApiRoute, Operation> = {
  'POST /obligations': {
    summary: 'Open the obligations of a rule for a case: one per addressee, with their companions (an order’s checks, a submission’s measures)',
    tag: 'obligations',
    idempotencyKey: true,
    body: OpenObligationRequestSchema,
    success: { status: 201, schema: OpenedResponseSchema, description: 'Opened, timers started (200 with Idempotent-Replayed: true on a replay)' },
    errors: [400, 403, 409, 415, 422],
  },
  'GET /obligations': {
    summary:
      'A work list: the obligations of an organisation unit, an assignee or an issuer in a state, or in a group of the open work (overdue, due this week — until Sunday 24:00 at +05:00 —, later), by due instant; searchable by the start of a case reference',
    tag: 'obligations',
    query: ListQuerySchema,
    success: { status: 200, schema: ListResponseSchema, description: 'One page of the list' },
    errors: [400, 403],
  },
  'GET /obligations/{id}': {
    summary: 'An obligation with its audit trail and notices',
    tag: 'obligations',
    path: ObligationPathSchema,
    success: { status: 200, schema: ObligationDetailResponseSchema, description: 'The obligation' },
    errors: [400, 403, 404],
  },
  'POST /obligations/{id}/events': {
    summary: 'Record an act: a decision, a reply, a check, an extension, a corrected start, a cancellation',
    tag: 'obligations',
    path: ObligationPathSchema,
    body: RecordActRequestSchema,
    success: { status: 200, schema: ObligationResponseSchema, description: 'The obligation after the act' },
    errors: [400, 403, 404, 409, 415, 422],
  },
  'GET /cases': {
    summary: 'One case: every obligation of a case reference that the caller can see (its unit or its issuer in reach), open and closed, by due instant',
    tag: 'obligations',
    query: CaseQuerySchema,
    success: { status: 200, schema: CaseResponseSchema, description: 'The case’s obligations; none when the caller sees none' },
    errors: [400],
  },
  'POST /plans/preview': {
    summary: 'The plans POST /obligations would make for the same body (due date and time, reminders, escalation, legal source), after the same checks; nothing is written',
    tag: 'obligations',
    body: OpenObligationRequestSchema,
    success: { status: 200, schema: PreviewResponseSchema, description: 'One plan per obligation the opening would make, companions included' },
    errors: [400, 403, 415, 422],
  },
  'GET /rules': {
    summary: 'The statutory catalog: every rule with its sources, and what this caller may open of each (`opening`)',
    tag: 'catalog',
    success: { status: 200, schema: RulesResponseSchema, description: 'The rules' },
    errors: [],
  },
  'GET /rules/{id}': {
    summary: 'One rule’s full entry: counting, reminders, escalation ladder, variants, sources',
    tag: 'catalog',
    path: RulePathSchema,
    success: { status: 200, schema: RuleResponseSchema, description: 'The rule' },
    errors: [400, 404],
  },
  'GET /calendar/{year}': {
    summary: 'Kazakhstan’s working-day calendar for a year, with the stored overrides applied',
    tag: 'calendar',
    path: YearPathSchema,
    success: { status: 200, schema: CalendarResponseSchema, description: 'The year' },
    errors: [400, 422],
  },
  'GET /calendar/overrides': {
    summary: 'The administrator’s calendar overrides',
    tag: 'calendar',
    success: { status: 200, schema: OverridesResponseSchema, description: 'The overrides, by date' },
    errors: [],
  },
  'PUT /calendar/overrides/{date}': {
    summary: 'Make a date a day off or a working day (admin); running obligations it moves are re-planned',
    tag: 'calendar',
    path: DatePathSchema,
    body: OverrideBodySchema,
    success: { status: 200, schema: OverrideResponseSchema, description: 'Stored' },
    errors: [400, 403, 415, 422],
  },
  'DELETE /calendar/overrides/{date}': {
    summary: 'Remove an override (admin); running obligations it moves are re-planned',
    tag: 'calendar',
    path: DatePathSchema,
    success: { status: 204, description: 'Removed' },
    errors: [400, 403, 404],
  },
  'GET /organisations': {
    summary: 'The organisation directory',
    tag: 'directory',
    success: { status: 200, schema: OrganisationsResponseSchema, description: 'The organisation units' },
    errors: [],
  },
  'PUT /organisations/{org}': {
    summary: 'Put an organisation unit (admin)',
    tag: 'directory',
    path: OrgPathSchema,
    body: OrganisationBodySchema,
    success: { status: 200, schema: OrganisationResponseSchema, description: 'Stored' },
    errors: [400, 403, 415, 422],
  },
  'PUT /organisations/{org}/members/{user}': {
    summary: 'Put a member of an organisation unit (admin)',
    tag: 'directory',
    path: MemberPathSchema,
    body: MemberBodySchema,
    success: { status: 200, schema: MemberResponseSchema, description: 'Stored' },
    errors: [400, 403, 404, 415, 422],
  },
  'POST /action-plans': {
    summary: 'Import an interagency action plan (admin, commission secretary): one obligation per item and responsible body',
    tag: 'action plans',
    idempotencyKey: true,
    body: ActionPlanSchema,
    success: { status: 201, schema: ActionPlanResponseSchema, description: 'Every opening of the plan opened (or found opened by an earlier run)' },
    errors: [400, 403, 409, 415, 422],
  },
  'GET /me/calendar.ics': {
    summary: 'The caller’s due dates as an iCalendar file: their unit’s open and overdue obligations, their assignments, and what their unit awaits from others',
    tag: 'obligations',
    query: FeedQuerySchema,
    success: { status: 200, schema: z.string(), mediaType: 'text/calendar', description: 'An iCalendar file (RFC 5545), one event per due instant' },
    errors: [400],
  },
  'GET /notices/failed': {
    summary: 'The dead-letter list (admin): notices whose last attempt to send failed, oldest first, with why; a notice leaves it when a retry sends it',
    tag: 'notices',
    query: FailedNoticesQuerySchema,
    success: { status: 200, schema: FailedNoticesResponseSchema, description: 'The failed notices' },
    errors: [400, 403],
  },
  'GET /directory/gaps': {
    summary: 'The directory gaps (admin): units where a reminder or an escalation found nobody holding the role it was to tell; a gap leaves the list once the directory has someone it would reach',
    tag: 'directory',
    query: DirectoryGapsQuerySchema,
    success: { status: 200, schema: DirectoryGapsResponseSchema, description: 'The open gaps, by unit and role' },
    errors: [400, 403],
  },
  'GET /reports/quarterly': {
    summary:
      'The quarterly service note’s figures (seed 000 item 9) of a unit and every unit under it it reaches, per rule, with their sum: on time, late, missing per deadline; checks due, done on time, late, missed; orders served, expired, renewed, breached. JSON, CSV or XLSX (one sheet per rule, headers in Kazakh and Russian)',
    tag: 'reports',
    query: QuarterlyQuerySchema,
    success: { status: 200, schema: QuarterlyReportSchema, description: 'The report as of now' },
    alsoAs: [CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE],
    errors: [400, 403, 404],
  },
  'GET /reports/unanswered-submissions': {
    summary:
      'A commission’s submissions whose addressee has not replied by the last day (CoAO art. 826(2)): addressee, submission, received, due, days overdue, grounds (CoAO art. 479). JSON, CSV or XLSX',
    tag: 'reports',
    query: UnansweredQuerySchema,
    success: { status: 200, schema: UnansweredResponseSchema, description: 'The list as of now, the longest overdue first' },
    alsoAs: [CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE],
    errors: [400, 403],
  },
  'GET /reports/trend': {
    summary: 'The heads’ trend: each unit’s open and overdue obligations per rule at the end of each week, as the weekly snapshot counted them (never recomputed)',
    tag: 'reports',
    query: TrendQuerySchema,
    success: { status: 200, schema: TrendResponseSchema, description: 'The weeks and the counts' },
    errors: [400, 403, 404],
  },
  'GET /openapi.json': {
    summary: 'This document',
    tag: 'meta',
    success: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1' },
    errors: [],
  },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request does not parse: each issue names the field and the reason; nothing was written',
  401: 'No token, or one without the claims the API needs',
  403: 'The caller’s groups do not allow this',
  404: 'Not found',
  409: 'Conflicts with what is stored: the state of the obligation, or an Idempotency-Key used for another request',
  415: 'The body is not sent as JSON',
  422: 'Well-formed, but the domain cannot take it: an unknown rule, a plan that cannot be made, a date outside the calendar, an act that does not apply, or personal data in a text of the body (each issue names the field and, as personalData, the kind: iin, phone, email, full-name); nothing was written',
  429: 'Over the caller’s rate limit (per person: 300 requests at once then 5 a second; openings 40 at once then 1 a second), or the whole API’s (50 a second, bursts of 100); nothing was written. Over the caller’s limit, Retry-After says in how many seconds to try again',
  500: 'A defect; the request id finds it in the logs',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parametersOf(where: 'path' | 'query', schema: z.ZodType): JsonSchema[] {
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });

let built: JsonSchema | undefined;

export function openApiDocument(): JsonSchema {
  if (built !== undefined) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { route, auth } of API_ROUTES) {
    const [method = '', path = ''] = route.split(' ');
    const operation = OPERATIONS[route];
    const parameters = [
      ...(operation.path === undefined ? [] : parametersOf('path', operation.path)),
      ...(operation.query === undefined ? [] : parametersOf('query', operation.query)),
      ...(operation.idempotencyKey === true ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ];
    const statuses = [...operation.errors, ...(auth ? [401, 429] : []), 500].sort((a, b) => a - b);
    const responses: Record<string, unknown> = {
      [operation.success.status]: {
        description: operation.success.description,
        ...(operation.success.schema === undefined
          ? {}
          : operation.success.mediaType === undefined
            ? {
                content: {
                  ...jsonContent(schemaOf(operation.success.schema, 'output')),
                  ...Object.fromEntries((operation.alsoAs ?? []).map((mediaType) => [mediaType.split(';')[0] ?? mediaType, { schema: { type: 'string', format: 'binary' } }])),
                },
              }
            : { content: { [operation.success.mediaType]: { schema: schemaOf(operation.success.schema, 'output') } } }),
        ...(route === 'POST /obligations' ? { headers: { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] }, description: 'On a replay of an earlier request (status 200)' } } } : {}),
      },
      ...(route === 'POST /obligations' ? { 200: { description: 'A replay: what the earlier request with this Idempotency-Key opened', content: jsonContent(schemaOf(OpenedResponseSchema, 'output')) } } : {}),
    };
    for (const status of statuses) responses[status] = { $ref: `#/components/responses/E${status}` };
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: operationId(route),
      summary: operation.summary,
      tags: [operation.tag],
      security: auth ? [{ bearer: [] }] : [],
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(operation.body === undefined ? {} : { requestBody: { required: true, content: jsonContent(schemaOf(operation.body, 'input')) } }),
      responses,
    };
  }
  built = {
    openapi: '3.1.0',
    info: {
      title: 'Merzim',
      version: '1',
      description:
        'Kazakhstan’s statutory deadlines (domestic violence, child protection): obligations, work lists, the rule catalog, the working-day calendar, the organisation directory. Instants are RFC 3339; shown at +05:00.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    tags: [...new Set(Object.values(OPERATIONS).map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token (claims cognito:username, cognito:groups, custom:org; token_use id)' },
      },
      parameters: {
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(IdempotencyKeySchema, 'input'), description: 'Makes a retry safe' },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [
          `E${status}`,
          {
            description,
            content: jsonContent(schemaOf(ErrorSchema, 'output')),
            ...(status === '429' ? { headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 }, description: 'Seconds to wait before trying again (absent when the API as a whole is over its limit)' } } } : {}),
          },
        ]),
      ),
    },
  };
  return built;
}

/**
 * What the document says `route` answers with `status`: the body's media type and the zod schema
 * the document was generated from (none for a body-less answer); undefined when the document does
 * not list the status. The API tests check every answer with it (test/api/support.ts).
 */
export function documentedResponse(route: ApiRoute, status: number): { readonly mediaType?: string; readonly schema?: z.ZodType } | undefined {
  const operation = OPERATIONS[route];
  const auth = API_ROUTES.find((entry) => entry.route === route)?.auth ?? true;
  if (status === operation.success.status) {
    if (operation.success.schema === undefined) return {};
    return { mediaType: operation.success.mediaType ?? 'application/json', schema: operation.success.schema };
  }
  if (route === 'POST /obligations' && status === 200) return { mediaType: 'application/json', schema: OpenedResponseSchema };
  if (operation.errors.includes(status) || status === 500 || (auth && (status === 401 || status === 429))) return { mediaType: 'application/json', schema: ErrorSchema };
  return undefined;
}

function operationId(route: ApiRoute): string {
  const [method = '', path = ''] = route.split(' ');
  const words = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase()))
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)));
  return `${method.toLowerCase()}${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;
}

export const openApiRoute: RouteSpec = {
  async run() {
    return json(200, openApiDocument());
  },
};
