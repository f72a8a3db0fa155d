import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { type AppContext, type Caller, contextFromEnv } from '../app/context.ts';
import { API_ROUTES } from '../../contract/index.ts';
import { accessLog, errorResponses, requestIdOf } from '../api/middleware.ts';
import { type ApiEvent, type ApiResponse, callerOf } from '../api/http.ts';
import { ROUTES } from '../api/routes.ts';
import { Scope } from '../api/scope.ts';
import { RateLimiter } from '../api/limits.ts';
import { lambdaContextInLogs } from './chain.ts';

/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0): one function for every route of
 * API_ROUTES. Headers are normalised to lower case, JSON bodies parsed on the routes that take
 * one, the caller read from the JWT authorizer's claims with their reach (functions/api/scope.ts),
 * every error turned into a JSON answer and every request logged as one line of route, status and
 * duration (functions/api/middleware.ts). The routes themselves live in functions/api/.
 */

/** Made on the first request, so that the environment is read when the function runs. */
let app: AppContext | undefined;

const NOBODY: Caller = { user: 'anonymous', groups: [], org: '' };

export function createApiHandler(
  appContext: () => AppContext,
  /** The per-user limits (functions/api/limits.ts); by default as the environment says, read on the first request. */
  limits: () => RateLimiter | undefined = () => RateLimiter.fromEnv(),
) {
  let limiter: { readonly of: RateLimiter | undefined } | undefined;
  const routes = API_ROUTES.map(({ route, auth }): Route<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => {
    const [method = '', path = ''] = route.split(' ');
    const spec = ROUTES[route];
    const routeHandler = middy<ApiEvent, ApiResponse>();
    if (spec.body === true) routeHandler.use(httpJsonBodyParser({ disableContentTypeError: false }));
    const served = routeHandler.handler(async (event: ApiEvent, context: Context) => {
      const caller = auth ? callerOf(event) : NOBODY;
      limiter ??= { of: limits() };
      // Before any work: a request over the limit reads and writes nothing.
      if (auth) limiter.of?.take(caller.user, route);
      return spec.run({
        event,
        // Read on first use: GET /openapi.json needs no table.
        get app() {
          return appContext();
        },
        caller,
        // One per request: the directory is read at most once, and only for a head's subtree.
        scope: new Scope(caller, () => appContext().store.directory.organisations()),
        requestId: requestIdOf(event, context),
      });
    });
    return { method: method as Method, path, handler: served as unknown as Route<APIGatewayProxyEventV2, APIGatewayProxyResultV2>['handler'] };
  });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(lambdaContextInLogs())
    .use(accessLog())
    .use(httpHeaderNormalizer())
    .use(errorResponses())
    .handler(httpRouterHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(routes));
}

export const handler = createApiHandler(() => (app ??= contextFromEnv()));
