import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { InputError } from '../../shared/model/errors.ts';
import { ActRefusedError } from '../../shared/obligations/lifecycle.ts';
import { StaleObligationError } from '../adapters/store.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../app/errors.ts';
import { type ApiEvent, type ApiResponse, BodyUnreadableError, RequestInvalidError, UnauthorizedError, json } from './http.ts';

/**
 * Errors to HTTP answers. The user's fault gets a 4xx with what is wrong; anything else is a
 * defect: 500 with the request id, and one JSON line on stderr with the error (never the body).
 */

interface HttpishError {
  readonly statusCode: number;
  readonly message: string;
  readonly cause?: { readonly package?: string; readonly data?: unknown };
}

function isMiddyHttpError(error: unknown): error is HttpishError & Error {
  return error instanceof Error && typeof (error as Partial<HttpishError>).statusCode === 'number' && (error as { expose?: unknown }).expose !== undefined;
}

export function requestIdOf(event: Partial<ApiEvent> | undefined, context: Partial<Context> | undefined): string {
  return event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
}

export function responseFor(error: unknown, requestId: string, routeKey: string | undefined): ApiResponse {
  if (error instanceof RequestInvalidError) return json(400, { message: error.message, issues: error.issues });
  if (error instanceof BodyUnreadableError) return json(error.statusCode, { message: error.message });
  if (error instanceof UnauthorizedError) return json(401, { message: error.message }, { 'www-authenticate': 'Bearer' });
  if (error instanceof ForbiddenError) return json(403, { message: error.message });
  if (error instanceof NotFoundError) return json(404, { message: error.message });
  if (error instanceof ConflictError) return json(409, { message: error.message });
  if (error instanceof ActRefusedError) return json(error.kind === 'conflict' ? 409 : 422, { message: error.message });
  if (error instanceof StaleObligationError) return json(409, { message: 'the obligation is being changed by someone else right now: read it again and retry' });
  // PlanError, UnknownRuleError, CalendarRangeError, InvalidInstantError …
  if (error instanceof InputError) return json(422, { message: error.message });
  if (isMiddyHttpError(error)) {
    if (error.cause?.package === '@middy/http-json-body-parser') {
      return error.message === 'Unsupported Media Type'
        ? json(415, { message: 'send the body as JSON, with content-type: application/json' })
        : json(400, { message: error.cause.data === undefined || error.cause.data === '' ? 'the request needs a JSON body' : 'the body is not valid JSON' });
    }
    if (error.statusCode === 404) return json(404, { message: `no such route: ${routeKey ?? ''}`.trim() });
    if (error.statusCode < 500) return json(error.statusCode, { message: error.message });
  }
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'api: unhandled error',
      requestId,
      ...(routeKey === undefined ? {} : { route: routeKey }),
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) },
    }),
  );
  return json(500, { message: 'internal error', requestId });
}

/** middy's onError: every error becomes a response, so nothing escapes to API Gateway as a bare 500. */
export function errorResponses(): MiddlewareObj<APIGatewayProxyEventV2, ApiResponse> {
  return {
    onError: (request) => {
      const { context } = request;
      const event = request.event as Partial<ApiEvent> | undefined;
      const method = event?.requestContext?.http?.method;
      const path = event?.requestContext?.http?.path;
      const routeKey = method === undefined ? undefined : `${method} ${path ?? ''}`;
      request.response = responseFor(request.error, requestIdOf(event, context), routeKey);
    },
  };
}
