import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { JWTPayload } from 'jose';
import type { Clock } from '../clock.ts';
import type { LambdaContext, LambdaHandler } from '../handlers.ts';
import { type DashboardHost, type DashboardOptions, dashboardHost } from './dashboard.ts';
import { headerValue, send } from './http.ts';
import type { RouteDescription } from './stack.ts';
import { apiGatewayClaims } from './tokens.ts';

/**
 * The HTTP API of the template on a loopback port, as API Gateway (HTTP API, payload format 2.0)
 * would serve it: the route is matched, a JWT route's Bearer token verified, the function
 * called in-process with the same event, and its result written back as API Gateway maps it.
 */
export interface ApiServerOptions {
  readonly routes: readonly RouteDescription[];
  /** The function a route invokes, by name; undefined answers 500 like a missing integration. */
  readonly resolve: (functionName: string) => LambdaHandler | undefined;
  readonly verify: (token: string) => Promise<JWTPayload>;
  readonly clock: Pick<Clock, 'now'>;
  readonly port?: number;
  readonly region?: string;
  readonly account?: string;
  /** Milliseconds a function may take (API Gateway's integration timeout: 30 s). */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** The dashboard (web/) and its local sign-in (./dashboard.ts), on the same port; neither is served unless given. */
  readonly dashboard?: DashboardOptions;
}

export interface RunningApi {
  readonly url: string;
  stop(): Promise<void>;
}

interface CompiledRoute {
  readonly route: RouteDescription;
  readonly method: string;
  readonly pattern: RegExp | undefined;
  readonly names: readonly string[];
  /** Higher first: literal segments beat parameters, a greedy parameter comes last. */
  readonly rank: number;
}

const API_ID = 'local';

/** API Gateway's HTTP API takes a request body of at most 10 MB (a hard quota); beyond it, 413. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/**
 * A Lambda function is invoked synchronously with at most 6 MB (6,291,456 bytes) of event: a
 * larger request never reaches the function. It is answered 413 here, the function's limit
 * being the request's in effect.
 */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024 + 100;
const TOO_LARGE = { message: 'Request Entity Too Large' };

export function compileRoutes(routes: readonly RouteDescription[]): CompiledRoute[] {
  return routes
    .map((route): CompiledRoute => {
      if (route.routeKey === '$default') return { route, method: 'ANY', pattern: undefined, names: [], rank: -1 };
      const [method = '', path = ''] = route.routeKey.split(' ');
      const names: string[] = [];
      let literal = 0;
      let greedy = false;
      const source = path
        .split('/')
        .map((segment) => {
          const parameter = /^\{([^}+]+)(\+?)\}$/.exec(segment);
          if (parameter === null) {
            literal++;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          names.push(parameter[1] ?? '');
          if (parameter[2] === '+') {
            greedy = true;
            return '(.+)';
          }
          return '([^/]+)';
        })
        .join('/');
      return { route, method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, rank: literal * 10 - (greedy ? 5 : 0) - names.length };
    })
    .sort((a, b) => b.rank - a.rank || (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0));
}

export function matchRoute(
  compiled: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: RouteDescription; pathParameters: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.method !== 'ANY' && candidate.method !== method) continue;
    if (candidate.pattern === undefined) return { route: candidate.route, pathParameters: {} };
    const match = candidate.pattern.exec(path);
    if (match === null) continue;
    const pathParameters: Record<string, string> = {};
    candidate.names.forEach((name, index) => {
      pathParameters[name] = safeDecode(match[index + 1] ?? '');
    });
    return { route: candidate.route, pathParameters };
  }
  return undefined;
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApi> {
  const compiled = compileRoutes(options.routes);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let listeningPort = 0;
  const dashboard: DashboardHost | undefined = options.dashboard === undefined ? undefined : dashboardHost({ ...options.dashboard, clock: options.clock, port: () => listeningPort });
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`merzim api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    if (body === undefined) return send(response, 413, TOO_LARGE);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const rawPath = url.pathname;
    const method = (request.method ?? 'GET').toUpperCase();
    if (dashboard !== undefined && (await dashboard(request, method, rawPath, body, response))) return;
    const matched = matchRoute(compiled, method, rawPath);
    if (matched === undefined) return send(response, 404, { message: 'Not Found' });
    const { route, pathParameters } = matched;

    let claims: Record<string, string> | undefined;
    if (route.auth === 'JWT') {
      const header = headerValue(request.headers.authorization);
      const token = header?.replace(/^Bearer\s+/i, '').trim();
      if (token === undefined || token === '') return send(response, 401, { message: 'Unauthorized' });
      try {
        claims = apiGatewayClaims(await options.verify(token));
      } catch {
        return send(response, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
    }

    const handler = options.resolve(route.functionName);
    if (handler === undefined) {
      log(`merzim api: no function "${route.functionName}" for ${route.routeKey}`);
      return send(response, 500, { message: 'Internal Server Error' });
    }
    const requestId = randomUUID();
    const event = buildEvent(request, { body, rawPath, url, route, pathParameters, claims, requestId, now: options.clock.now() });
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_INVOKE_PAYLOAD_BYTES) return send(response, 413, TOO_LARGE, { 'apigw-requestid': requestId });
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const context: LambdaContext = {
      functionName: route.functionName,
      invokedFunctionArn: `arn:aws:lambda:${options.region ?? 'eu-central-1'}:${options.account ?? '000000000000'}:function:${route.functionName}`,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timeout');
    let result: unknown;
    try {
      result = await Promise.race([
        handler(event, context),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), timeoutMs);
        }),
      ]);
    } catch (error) {
      log(`merzim api: ${route.routeKey} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return send(response, 500, { message: 'Internal Server Error' }, { 'apigw-requestid': requestId });
    } finally {
      clearTimeout(timer);
    }
    if (result === timedOut) return send(response, 503, { message: 'Service Unavailable' }, { 'apigw-requestid': requestId });
    writeResult(response, result, requestId);
  }

  // A request Node cannot read (a request line and headers over its 16 KB, a malformed line)
  // gets a JSON answer like API Gateway's, not a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, text] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ message: text });
    socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  // Node closes an idle kept-alive connection after 5 s, and a client on a loaded machine may send
  // its next request on it in the same instant and read ECONNRESET: keep idle connections a minute.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('the API server has no address');
  listeningPort = address.port;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => closeServer(server),
  };
}

interface EventParts {
  readonly body: Buffer;
  readonly rawPath: string;
  readonly url: URL;
  readonly route: RouteDescription;
  readonly pathParameters: Record<string, string>;
  readonly claims: Record<string, string> | undefined;
  readonly requestId: string;
  readonly now: number;
}

/** The API Gateway HTTP API event, payload format 2.0. */
export function buildEvent(request: IncomingMessage, parts: EventParts): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = headers.cookie?.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie !== '');
  const query: Record<string, string> = {};
  for (const [name, value] of parts.url.searchParams) {
    // An own property whatever the name (`__proto__` too), as in the JSON event API Gateway sends.
    Object.defineProperty(query, name, { value: Object.hasOwn(query, name) ? `${query[name] ?? ''},${value}` : value, enumerable: true, writable: true, configurable: true });
  }
  const rawQueryString = parts.url.search.replace(/^\?/, '');
  const text = parts.body.length > 0 && isText(headers['content-type']) ? decodeUtf8(parts.body) : undefined;
  const method = (request.method ?? 'GET').toUpperCase();
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    version: '2.0',
    routeKey: parts.route.routeKey,
    rawPath: parts.rawPath,
    rawQueryString,
    ...(cookies === undefined || cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    ...(Object.keys(parts.pathParameters).length === 0 ? {} : { pathParameters: parts.pathParameters }),
    requestContext: {
      accountId: 'anonymous',
      apiId: API_ID,
      ...(parts.claims === undefined ? {} : { authorizer: { jwt: { claims: parts.claims, scopes: null } } }),
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: (headers.host ?? '127.0.0.1').split('.')[0],
      http: {
        method,
        path: parts.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: parts.requestId,
      routeKey: parts.route.routeKey,
      stage: '$default',
      time: clfTime(parts.now),
      timeEpoch: parts.now,
    },
    ...(parts.body.length === 0
      ? { isBase64Encoded: false }
      : text === undefined
        ? { body: parts.body.toString('base64'), isBase64Encoded: true }
        : { body: text, isBase64Encoded: false }),
  };
}

/** What API Gateway makes of a payload 2.0 result. */
export function writeResult(response: ServerResponse, result: unknown, requestId: string): void {
  const structured = result !== null && typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    // No statusCode: API Gateway answers 200 with the result as JSON.
    const body = result === undefined ? '' : typeof result === 'string' ? result : JSON.stringify(result);
    response.writeHead(200, { 'content-type': 'application/json', 'apigw-requestid': requestId });
    response.end(body);
    return;
  }
  const shaped = result as {
    statusCode: number;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    cookies?: string[];
    body?: string;
    isBase64Encoded?: boolean;
  };
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(shaped.multiValueHeaders ?? {})) headers[name.toLowerCase()] = value.map(String).join(',');
  for (const [name, value] of Object.entries(shaped.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (shaped.cookies !== undefined && shaped.cookies.length > 0) headers['set-cookie'] = shaped.cookies;
  const body = shaped.body === undefined ? '' : shaped.isBase64Encoded === true ? Buffer.from(shaped.body, 'base64') : String(shaped.body);
  response.writeHead(Number(shaped.statusCode), headers);
  response.end(body);
}

/** The body, or undefined when it is over `limit` bytes (the rest is read and dropped, so that the client hears the answer). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Text content types reach the function as text; anything else base64-encoded, like API Gateway. */
function isText(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded|yaml|graphql))/i.test(contentType.trim());
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    // A byte-order mark stays: API Gateway passes the body as it came.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `19/Mar/2026:10:20:00 +0000`, the form of `requestContext.time`. */
function clfTime(instant: number): string {
  const date = new Date(instant);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTH_NAMES[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
