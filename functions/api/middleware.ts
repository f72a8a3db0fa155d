import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { RefusedError } from '../../shared/base/index.ts';
import { ObligationIdSchema } from '../../shared/model/index.ts';
import { errorKind, logger } from '../adapters/log.ts';
import { type ApiEvent, type ApiResponse, json } from './http.ts';

/**
 * Errors to HTTP answers. A refusal (shared/base/errors.ts) is answered with its own status,
 * answer and headers; anything else is a defect: 500 with the request id, and one error line in
 * the log with the error (never the body).
 * Every request, answered or failed, ends with one access line: route, status, duration.
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
  if (error instanceof RefusedError) return json(error.status, error.answer, { ...error.headers });
  if (isMiddyHttpError(error)) {
    if (error.cause?.package === '@middy/http-json-body-parser') {
      if (error.message === 'Unsupported Media Type') {
        const message = 'send the body as JSON, with content-type: application/json';
        return json(415, { message, issues: [{ path: 'content-type', message }] });
      }
      const message = error.cause.data === undefined || error.cause.data === '' ? 'the request needs a JSON body' : 'the body is not valid JSON';
      return json(400, { message, issues: [{ path: 'body', message }] });
    }
    if (error.statusCode === 404) return json(404, { message: `no such route: ${routeKey ?? ''}`.trim() });
    if (error.statusCode < 500) return json(error.statusCode, { message: error.message });
  }
  logger.error('api: unhandled error', {
    requestId,
    ...(routeKey === undefined ? {} : { route: routeKey }),
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { kind: typeof error },
  });
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

/** The route as API Gateway matched it (`GET /obligations/{id}`), else the method and path. */
function routeOf(event: Partial<ApiEvent> | undefined): string | undefined {
  const key = event?.routeKey ?? event?.requestContext?.routeKey;
  if (key !== undefined && key !== '$default') return key;
  const method = event?.requestContext?.http?.method;
  return method === undefined ? undefined : `${method} ${event?.requestContext?.http?.path ?? ''}`;
}

/**
 * One line per request, after the answer is made (also when it is an error's): the route, the
 * status, the duration, the request id and the obligation the path names. Nothing from the body,
 * the query or the headers.
 */
export function accessLog(): MiddlewareObj<APIGatewayProxyEventV2, ApiResponse> {
  const started = new WeakMap<object, number>();
  const write = (request: { event: unknown; context: Context; response: ApiResponse | null | undefined; error?: unknown }): void => {
    const event = request.event as Partial<ApiEvent> | undefined;
    const status = request.response?.statusCode ?? 500;
    const start = started.get(request) ?? Date.now();
    // Only a well-formed id: the path is the caller's to fill with anything.
    const given = event?.pathParameters?.['id'];
    const id = given !== undefined && ObligationIdSchema.safeParse(given).success ? given : undefined;
    logger.info('api: request', {
      route: routeOf(event),
      status,
      durationMs: Date.now() - start,
      requestId: requestIdOf(event, request.context),
      ...(id === undefined ? {} : { obligationId: id }),
      ...(request.error === undefined || request.error === null ? {} : { error: errorKind(request.error) }),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
    },
    after: (request) => write(request),
    onError: (request) => write(request),
  };
}
