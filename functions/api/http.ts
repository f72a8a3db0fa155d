import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { personalDataKindOf } from '../../shared/base/index.ts';
import { API_ROUTES, CLAIMS, ENV, type Group } from '../../contract/index.ts';
import type { AppContext, Caller } from '../app/context.ts';
import { ForbiddenError, NotFoundError } from '../app/errors.ts';
import { BodyUnreadableError, type RequestIssue, RequestInvalidError, UnauthorizedError } from './errors.ts';
import type { Scope } from './scope.ts';

/**
 * What every route module shares: the event as API Gateway (HTTP API, payload format 2.0) passes
 * it, the caller from the verified token, input parsing with zod, and JSON responses.
 */

export type ApiRoute = (typeof API_ROUTES)[number]['route'];

/** The event after http-json-body-parser: `body` is the parsed JSON on routes that take one. */
export type ApiEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'body' | 'requestContext'> & {
  body?: unknown;
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'], 'authorizer'> & {
    /** Absent on routes without auth. */
    authorizer?: Partial<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']>;
  };
};

export type ApiResponse = APIGatewayProxyStructuredResultV2;

/** What a route's handler gets: the event, the application, and who calls (routes with auth). */
export interface ApiRequest {
  readonly event: ApiEvent;
  readonly app: AppContext;
  readonly caller: Caller;
  /** The caller's reach, read once per request (functions/api/scope.ts). */
  readonly scope: Scope;
  readonly requestId: string;
}

export interface RouteSpec {
  /** Routes that take a JSON body get http-json-body-parser. */
  readonly body?: boolean;
  run(request: ApiRequest): Promise<ApiResponse>;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function noContent(): ApiResponse {
  return { statusCode: 204, headers: {} };
}

// Input

/**
 * Parses one part of the request (`body`, `query`, `path`, `headers`) or throws RequestInvalidError.
 * An issue of the value as a whole names `field` (a header's name), else the part (`body`).
 */
export function parseInput<S extends z.ZodType>(part: string, schema: S, value: unknown, field: string = part): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue): RequestIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'unknown field' }));
    }
    const personalData = personalDataKindOf(issue);
    return [{ path: issue.path.length === 0 ? field : joinPath(issue.path), message: issue.message, ...(personalData === undefined ? {} : { personalData }) }];
  });
  const first = issues[0];
  const summary = first === undefined ? 'invalid' : `${first.path === '' ? part : first.path}: ${first.message}`;
  throw new RequestInvalidError(`invalid ${part}: ${summary}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues, { personalDataIs422: part === 'body' });
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'symbol' ? segment.toString() : String(segment))).join('.');
}

/** The JSON body of a route with `body: true`, or 400 when there is none. */
export function bodyOf(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === null) throw new BodyUnreadableError('the request needs a JSON body', 400);
  return event.body;
}

// The caller

/** API Gateway flattens a list claim into `[a b]`; a real array and a single string are taken too. */
export function groupsClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string' && group !== '');
  if (typeof value !== 'string') return [];
  const text = value.trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter((group) => group !== '');
}

/** The claim that names the caller: `USER_CLAIM` when the deployment maps another, else `cognito:username`. */
export function userClaim(env: NodeJS.ProcessEnv = process.env): string {
  return env[ENV.userClaim]?.trim() || CLAIMS.user;
}

/**
 * The caller from the JWT authorizer's claims, or UnauthorizedError. Only an ID token: API
 * Gateway's authorizer also passes the app client's access tokens, which carry neither the
 * username nor `custom:org` under these names.
 */
export function callerOf(event: ApiEvent, env: NodeJS.ProcessEnv = process.env): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (claims === undefined || claims === null) throw new UnauthorizedError('sign in: this route needs a bearer token');
  if (claims['token_use'] !== 'id') throw new UnauthorizedError('the API takes the ID token (token_use "id")');
  const name = userClaim(env);
  const user = claims[name];
  const org = claims[CLAIMS.org];
  if (typeof user !== 'string' || user === '') throw new UnauthorizedError(`the token carries no user (${name})`);
  if (typeof org !== 'string' || org === '') throw new UnauthorizedError(`the token carries no organisation unit (${CLAIMS.org})`);
  return { user, org, groups: groupsClaim(claims[CLAIMS.groups]) };
}

/**
 * What a caller may ask for, with what the answer depends on: the units a request is about, the
 * obligation it reads or acts on, the list it asks for, the issuer of a plan.
 */
export type Action =
  | { readonly kind: 'obligations:read'; readonly obligation: ScopedObligation }
  | { readonly kind: 'obligations:record'; readonly obligation: ScopedObligation }
  | { readonly kind: 'obligations:list'; readonly by: 'org' | 'assignee' | 'issuer'; readonly key: string }
  | { readonly kind: 'catalog:read' }
  | { readonly kind: 'calendar:read' }
  | { readonly kind: 'calendar:write' }
  | { readonly kind: 'directory:read' }
  | { readonly kind: 'directory:write' }
  /** Without `issuedBy`: may the caller import plans at all; with it: this plan. */
  | { readonly kind: 'action-plans:import'; readonly issuedBy?: string }
  /** The dead-letter list of notices. */
  | { readonly kind: 'notices:failed' }
  /** The list of directory gaps. */
  | { readonly kind: 'directory:gaps' };

/** What scoping needs to know of an obligation. */
export interface ScopedObligation {
  readonly id: string;
  readonly org: string;
  readonly issuedBy?: string | undefined;
}

/** The group that opens obligations for bodies outside its reach, as their issuer. */
const ISSUING_GROUP = 'commission-secretary' satisfies Group;

const ONLY: Partial<Record<Action['kind'], readonly Group[]>> = {
  'calendar:write': ['admin'],
  'directory:write': ['admin'],
  'action-plans:import': ['admin', ISSUING_GROUP],
  'notices:failed': ['admin'],
  'directory:gaps': ['admin'],
};

/**
 * The one place that says who may do what (functions/api/scope.ts says how far each caller
 * reaches):
 * - writes to the calendar and the directory are the administrator's; reads are everyone's;
 * - an obligation is read and acted on by those whose reach holds its unit or its issuer; to
 *   anyone else it does not exist (404, as for an unknown id);
 * - who opens an obligation, and who records which act on it, is the rule's catalog entry
 *   (functions/api/opening.ts, shared/obligations/authority.ts);
 * - a work list is of a unit in reach, of an issuer in reach, or of the caller's own assignments
 *   (heads and the administrator may ask for anyone's; they see only what they reach);
 * - action plans are imported by the administrator, or the secretary of the commission that
 *   issued the plan.
 */
export async function authorize(scope: Scope, action: Action): Promise<void> {
  const { caller } = scope;
  const groups = ONLY[action.kind];
  if (groups !== undefined && !groups.some((group) => caller.groups.includes(group))) {
    throw new ForbiddenError(`only ${groups.join(' or ')} may do this (${action.kind})`);
  }
  switch (action.kind) {
    case 'obligations:read':
    case 'obligations:record':
      if (!(await scope.sees(action.obligation))) throw new NotFoundError(`no obligation ${action.obligation.id}`);
      return;
    case 'obligations:list': {
      if (action.by === 'assignee') {
        if (action.key === caller.user || scope.admin || scope.head) return;
        throw new ForbiddenError(`you may list your own assignments (assignee=${caller.user}), not ${action.key}'s`);
      }
      if (!(await scope.includes(action.key))) throw new ForbiddenError(`${action.key} is outside your reach (${reachText(scope)}): you may not list its obligations`);
      return;
    }
    case 'action-plans:import':
      if (action.issuedBy !== undefined && !scope.admin && action.issuedBy !== caller.org) {
        throw new ForbiddenError(`the plan is issued by ${action.issuedBy}: only its secretary (or an administrator) may import it`);
      }
      return;
    default:
      return;
  }
}

function reachText(scope: Scope): string {
  return scope.head ? `${scope.caller.org} and the units under it` : scope.caller.org;
}
