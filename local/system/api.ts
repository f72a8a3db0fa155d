import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { JWTPayload } from 'jose';
import { GROUPS } from '../../contract/index.ts';
import type { Directory } from '../../shared/base/directory.ts';
import type { Clock } from '../clock.ts';
import type { LambdaContext, LambdaHandler } from '../handlers.ts';
import type { RouteDescription } from './stack.ts';
import { LOCAL_AUDIENCE, type TokenRequest, apiGatewayClaims } from './tokens.ts';

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
  /** The dashboard (web/) and its local sign-in; neither is served unless given. */
  readonly dashboard?: DashboardOptions;
}

/**
 * Local only, never part of the template: the dashboard's files at `/dashboard/` (bundled from
 * web/ on first request and again each time the page itself is asked for), a config that points
 * it at this API, the demo directory's users at `GET /local/users`, a token for one of them at
 * `POST /local/sign-in {"user"}` (Cognito's hosted UI does this in AWS), the system's clock
 * at `GET /local/clock` (it may be virtual or sped up), and Cognito's `/oauth2/authorize` and
 * `/oauth2/token` for the code flow with PKCE (`localHostedUi`).
 */
export interface DashboardOptions {
  readonly sign: (request: TokenRequest) => Promise<string>;
  /** Whose members may sign in: those whose role is a group of the contract. */
  readonly directory?: Directory;
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
    if (options.dashboard !== undefined && (await serveDashboard(options.dashboard, request, method, rawPath, body, response))) return;
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

  let hostedUi: ReturnType<typeof localHostedUi> | undefined;
  let listeningPort = 0;
  const serverPort = (): number => listeningPort;

  let dashboardFiles: Promise<Map<string, { contentType: string; body: Uint8Array }>> | undefined;
  async function serveDashboard(dashboard: DashboardOptions, request: IncomingMessage, method: string, path: string, body: Buffer, response: ServerResponse): Promise<boolean> {
    if ((method === 'GET' || method === 'HEAD') && (path === '/' || path === '/dashboard')) {
      response.writeHead(302, { location: '/dashboard/' });
      response.end();
      return true;
    }
    if ((method === 'GET' || method === 'HEAD') && path.startsWith('/dashboard/')) {
      const name = path.slice('/dashboard/'.length) || 'index.html';
      if (name === 'config.json') {
        const { localConfig } = await import('../../web/config.ts');
        send(response, 200, localConfig(), { 'cache-control': 'no-store' });
        return true;
      }
      if (dashboardFiles === undefined || name === 'index.html') {
        const previous = dashboardFiles;
        dashboardFiles = import('../../web/build.ts').then(({ buildDashboard }) => buildDashboard());
        // A failed rebuild keeps serving the last good bundle.
        if (previous !== undefined) dashboardFiles = dashboardFiles.catch(() => previous);
      }
      const file = (await dashboardFiles).get(name);
      if (file === undefined) {
        send(response, 404, { message: 'Not Found' });
        return true;
      }
      response.writeHead(200, {
        'content-type': file.contentType,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      });
      response.end(method === 'HEAD' ? undefined : file.body);
      return true;
    }
    const oauth = path === '/oauth2/authorize' || path === '/oauth2/token';
    if (path.startsWith('/local/') || oauth) {
      const reading = method === 'GET' || method === 'HEAD';
      const refused = refuseForeign(request, serverPort(), reading ? undefined : oauth ? 'application/x-www-form-urlencoded' : 'application/json');
      if (refused !== undefined) {
        send(response, refused.status, { message: refused.message });
        return true;
      }
    }
    const members = (dashboard.directory?.members ?? []).filter((member) => (GROUPS as readonly string[]).includes(member.role));
    if (oauth) {
      hostedUi ??= localHostedUi(dashboard);
      await hostedUi.serve(request, method, path, body, response, members);
      return true;
    }
    if (method === 'GET' && path === '/local/users') {
      const names = new Map((dashboard.directory?.organisations ?? []).map((organisation) => [organisation.org, organisation.names]));
      send(response, 200, {
        users: members.map((member) => ({ user: member.user, role: member.role, org: member.org, orgNames: names.get(member.org) ?? { kk: member.org, ru: member.org, en: member.org } })),
      });
      return true;
    }
    if (method === 'POST' && path === '/local/sign-in') {
      let user: unknown;
      try {
        user = (JSON.parse(body.toString('utf8')) as { user?: unknown }).user;
      } catch {
        user = undefined;
      }
      if (typeof user !== 'string') {
        send(response, 400, { message: 'give {"user": "<a user of the demo directory>"}' });
        return true;
      }
      const member = members.find((candidate) => candidate.user === user);
      if (member === undefined) {
        send(response, 404, { message: `no user ${user} who may sign in (a member of the directory whose role is one of ${GROUPS.join(', ')})` });
        return true;
      }
      send(response, 200, { token: await dashboard.sign({ user: member.user, groups: [member.role], org: member.org }) }, { 'cache-control': 'no-store' });
      return true;
    }
    if (method === 'GET' && path === '/local/clock') {
      send(response, 200, { now: options.clock.now() }, { 'cache-control': 'no-store' });
      return true;
    }
    return false;
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

/** A member of the directory who may sign in. */
type SigningMember = Directory['members'][number];

/** An authorization code the local hosted UI gave and has not yet seen traded. */
interface IssuedCode {
  readonly member: SigningMember;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string | undefined;
  readonly expires: number;
}

/** Cognito's authorization codes are good for five minutes, once. */
const CODE_LIFETIME_MS = 5 * 60_000;

/**
 * Cognito's hosted UI as the embedded runtime plays it, for the dashboard's code flow
 * (web/src/oauth.ts): `GET /oauth2/authorize` checks the request (a code, client `merzim`, the
 * dashboard's own URL as `redirect_uri`, an S256 challenge, a state) and shows the demo users as
 * a form; choosing one posts back and is redirected to `redirect_uri?code=&state=`;
 * `POST /oauth2/token` trades a code once, within five minutes, for the same `redirect_uri` and
 * the verifier whose SHA-256 is the challenge, for an ID token with the request's nonce. Unlike
 * Cognito, no password, and no access or refresh token (the dashboard uses the ID token only).
 */
function localHostedUi(dashboard: DashboardOptions) {
  const codes = new Map<string, IssuedCode>();

  function authorizeRequest(params: URLSearchParams, host: string): { ok: true; redirectUri: string; state: string } | { ok: false; error: string } {
    if (params.get('response_type') !== 'code') return { ok: false, error: 'unsupported_response_type: only the authorization-code flow' };
    if (params.get('client_id') !== LOCAL_AUDIENCE) return { ok: false, error: `invalid client_id: the local app client is ${LOCAL_AUDIENCE}` };
    const redirectUri = params.get('redirect_uri') ?? '';
    if (redirectUri !== `http://${host}/dashboard/`) return { ok: false, error: `redirect_uri must be this dashboard, http://${host}/dashboard/` };
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) {
      return { ok: false, error: 'a PKCE code_challenge with code_challenge_method S256 is required' };
    }
    const state = params.get('state') ?? '';
    if (state === '') return { ok: false, error: 'a state is required' };
    return { ok: true, redirectUri, state };
  }

  return {
    async serve(request: IncomingMessage, method: string, path: string, body: Buffer, response: ServerResponse, members: readonly SigningMember[]): Promise<void> {
      const host = headerValue(request.headers.host) ?? '';
      if (path === '/oauth2/authorize' && method === 'GET') {
        const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
        const checked = authorizeRequest(params, host);
        if (!checked.ok) {
          send(response, 400, { error: checked.error });
          return;
        }
        const hidden = [...params].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
        const buttons = members.map((member) => `<li><button name="user" value="${escapeHtml(member.user)}">${escapeHtml(member.user)} · ${escapeHtml(member.role)} · ${escapeHtml(member.org)}</button></li>`).join('');
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        });
        response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merzim local sign-in</title></head><body><h1>Local sign-in (Cognito's hosted UI on AWS)</h1><form method="post" action="/oauth2/authorize">${hidden}<ul>${buttons}</ul></form></body></html>`);
        return;
      }
      if (path === '/oauth2/authorize' && method === 'POST') {
        const params = new URLSearchParams(body.toString('utf8'));
        const checked = authorizeRequest(params, host);
        if (!checked.ok) {
          send(response, 400, { error: checked.error });
          return;
        }
        const member = members.find((candidate) => candidate.user === params.get('user'));
        if (member === undefined) {
          send(response, 400, { error: 'choose a user of the directory' });
          return;
        }
        const code = randomBytes(32).toString('base64url');
        const nonce = params.get('nonce') ?? undefined;
        codes.set(code, { member, redirectUri: checked.redirectUri, challenge: params.get('code_challenge') ?? '', nonce, expires: Date.now() + CODE_LIFETIME_MS });
        const back = new URL(checked.redirectUri);
        back.search = new URLSearchParams({ code, state: checked.state }).toString();
        response.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
        response.end();
        return;
      }
      if (path === '/oauth2/token' && method === 'POST') {
        const params = new URLSearchParams(body.toString('utf8'));
        const code = params.get('code') ?? '';
        const issued = codes.get(code);
        // Used once, whatever the outcome: a code tried with a wrong verifier is gone.
        codes.delete(code);
        const verifier = params.get('code_verifier') ?? '';
        if (
          params.get('grant_type') !== 'authorization_code' ||
          params.get('client_id') !== LOCAL_AUDIENCE ||
          issued === undefined ||
          issued.expires < Date.now() ||
          params.get('redirect_uri') !== issued.redirectUri ||
          !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
          createHash('sha256').update(verifier).digest('base64url') !== issued.challenge
        ) {
          send(response, 400, { error: 'invalid_grant' }, { 'cache-control': 'no-store' });
          return;
        }
        const { member, nonce } = issued;
        const idToken = await dashboard.sign({ user: member.user, groups: [member.role], org: member.org, ...(nonce === undefined ? {} : { nonce }) });
        send(response, 200, { id_token: idToken, token_type: 'Bearer', expires_in: 12 * 3600 }, { 'cache-control': 'no-store' });
        return;
      }
      send(response, 405, { message: 'Method Not Allowed' });
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Why a request to the local sign-in (`/local/*`, `/oauth2/*`) is refused, if it is: it hands out
 * tokens of anyone in the directory, so it answers this machine's own pages only. A `Host` that
 * is not loopback with this server's port is a page that rebound its DNS name to 127.0.0.1 (403);
 * an `Origin` other than the server's own is another site's page (403); a body of another type
 * than `contentType` could be a cross-site form or a `text/plain` fetch, which need no CORS
 * preflight (415).
 */
export function refuseForeign(
  request: Pick<IncomingMessage, 'headers'>,
  port: number,
  contentType: string | undefined,
): { status: 403 | 415; message: string } | undefined {
  const host = headerValue(request.headers.host)?.toLowerCase() ?? '';
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})$/.exec(host);
  if (loopback === null || Number(loopback[2]) !== port) return { status: 403, message: `the local sign-in answers only to localhost:${port} (Host ${JSON.stringify(host)})` };
  const origin = headerValue(request.headers.origin);
  if (origin !== undefined && origin !== `http://${host}`) return { status: 403, message: `the local sign-in answers only to its own pages (Origin ${JSON.stringify(origin)})` };
  if (contentType !== undefined) {
    const given = (headerValue(request.headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase();
    if (given !== contentType) return { status: 415, message: `send ${contentType}` };
  }
  return undefined;
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

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
