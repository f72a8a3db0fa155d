import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lendClock } from '../../functions/adapters/clock.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { RATE_LIMITS_ENV } from '../../functions/api/limits.ts';
import type { ApiRoute } from '../../functions/api/http.ts';
import { documentedResponse } from '../../functions/api/openapi.ts';
import { API_ROUTES, CLAIMS } from '../../contract/index.ts';
import type { Member, Organisation, OrganisationKind } from '../../shared/base/index.ts';
import { createContractTable } from '../support/contract-table.ts';
import { tableStore } from '../support/store.ts';

/** Helpers for running the `api` function in-process, as API Gateway would call it. */

export const region = 'eu-central-1';
export const STATE_MACHINE_ARN_PREFIX = `arn:aws:states:${region}:000000000000:stateMachine:merzim-test-`;

/** The table of the contract (see test/support/contract-table.ts). */
export async function createTable(endpoint: string, name: string): Promise<void> {
  await createContractTable(endpoint, name, region);
}

export interface SfnCall {
  readonly action: string;
  readonly input: Record<string, unknown>;
}

export interface RecordingSfn {
  readonly endpoint: string;
  readonly calls: SfnCall[];
  /** Execution names started, and whether each was stopped since. */
  readonly executions: Map<string, { readonly input: string; stopped: boolean }>;
  stop(): Promise<void>;
}

/**
 * A stand-in for Step Functions that speaks just enough of its API (AWS JSON 1.0) for the api
 * function: StartExecution (idempotent on the same name and input, ExecutionAlreadyExists
 * otherwise) and StopExecution (ExecutionDoesNotExist for an unknown one). It records every call.
 */
export async function startRecordingSfn(): Promise<RecordingSfn> {
  const calls: SfnCall[] = [];
  const executions = new Map<string, { input: string; stopped: boolean }>();
  const answer = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(body));
  };
  const fault = (response: ServerResponse, type: string, message: string): void => answer(response, 400, { __type: `com.amazonaws.swf.service.v2.model#${type}`, message });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ action, input });
      const now = Date.now() / 1000;
      if (action === 'StartExecution') {
        const machine = String(input.stateMachineArn);
        const arn = `${machine.replace(':stateMachine:', ':execution:')}:${String(input.name)}`;
        const known = executions.get(arn);
        if (known !== undefined && known.input !== input.input) return fault(response, 'ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
        if (known === undefined) executions.set(arn, { input: String(input.input), stopped: false });
        return answer(response, 200, { executionArn: arn, startDate: now });
      }
      if (action === 'StopExecution') {
        const known = executions.get(String(input.executionArn));
        if (known === undefined) return fault(response, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${String(input.executionArn)}'`);
        known.stopped = true;
        return answer(response, 200, { stopDate: now });
      }
      return fault(response, 'UnknownOperationException', `not served by the test stand-in: ${action}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    calls,
    executions,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}

export interface Who {
  readonly user: string;
  readonly org: string;
  readonly groups: readonly string[];
}

export interface RequestParts {
  readonly body?: unknown;
  /** A raw body, sent as it is (malformed JSON…). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** The signed-in caller; `null` for a request without a token. */
  readonly as?: Who | null;
  /** How the groups claim arrives: flattened `[a b]` as API Gateway passes it (default), or as is. */
  readonly groupsAs?: 'flattened' | 'array' | 'string';
}

const compiled = API_ROUTES.map(({ route }) => {
  const [method = '', path = ''] = route.split(' ');
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
  // Literal routes first, as API Gateway prefers the most specific one.
  return { route, method, pattern, names, literal: !path.includes('{') };
}).sort((a, b) => Number(b.literal) - Number(a.literal));

/** An API Gateway HTTP API event (payload format 2.0), with the claims a JWT authorizer passes. */
export function apiEvent(method: string, target: string, parts: RequestParts = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const url = new URL(target, 'https://api.example.test');
  const path = url.pathname;
  const matched = compiled.find((candidate) => candidate.method === method && candidate.pattern.test(path));
  const pathParameters: Record<string, string> = {};
  if (matched !== undefined) {
    const values = matched.pattern.exec(path) ?? [];
    matched.names.forEach((name, index) => {
      pathParameters[name] = decodeURIComponent(values[index + 1] ?? '');
    });
  }
  const query = { ...Object.fromEntries(url.searchParams), ...parts.query };
  const hasBody = parts.body !== undefined || parts.rawBody !== undefined;
  const headers: Record<string, string> = {
    host: 'api.example.test',
    ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
    ...parts.headers,
  };
  const who = parts.as === undefined ? ADMIN : parts.as;
  const groups = who === null ? '' : parts.groupsAs === 'array' ? [...who.groups] : parts.groupsAs === 'string' ? who.groups.join(' ') : `[${who.groups.join(' ')}]`;
  const claims = who === null ? undefined : { [CLAIMS.user]: who.user, [CLAIMS.org]: who.org, [CLAIMS.groups]: groups, token_use: 'id' };
  const requestId = randomUUID();
  const queryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: matched?.route ?? '$default',
    rawPath: path,
    rawQueryString: queryString,
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(matched !== undefined && matched.names.length > 0 ? { pathParameters } : {}),
    ...(hasBody ? { body: parts.rawBody ?? JSON.stringify(parts.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey: matched?.route ?? '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims === undefined ? {} : { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }),
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const ADMIN: Who = { user: 'admin.one', org: 'kz-mvd', groups: ['admin'] };

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'merzim-test-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:merzim-test-api`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/merzim-test-api',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers freely
  readonly body: any;
}

export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<unknown>;

/**
 * Calls the handler and reads its answer as API Gateway would. Every answer is checked against
 * the OpenAPI document (functions/api/openapi.ts): its status is one the operation lists, its
 * media type the one it names, and its JSON body parses with the schema the document was made
 * from and has no property the document leaves out. A test whose answer the document does not
 * describe fails here, whatever it asserts.
 */
export async function call(handler: ApiHandler, method: string, target: string, parts: RequestParts = {}): Promise<Answer> {
  const event = apiEvent(method, target, parts);
  const result = (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const answer = { status: result.statusCode ?? 200, headers, body: result.body === undefined || result.body === '' ? undefined : JSON.parse(result.body) };
  if (event.routeKey !== '$default') checkAgainstDocument(event.routeKey as ApiRoute, answer);
  return answer;
}

export class UndocumentedAnswerError extends Error {
  override readonly name = 'UndocumentedAnswerError';
}

/** Throws UndocumentedAnswerError unless the OpenAPI document describes this answer of `route`. */
export function checkAgainstDocument(route: ApiRoute, answer: Answer): void {
  const documented = documentedResponse(route, answer.status);
  const said = `${route} → ${answer.status}`;
  if (documented === undefined) throw new UndocumentedAnswerError(`${said}: the OpenAPI document lists no such status`);
  if (documented.schema === undefined) {
    if (answer.body !== undefined) throw new UndocumentedAnswerError(`${said}: the document says no body, the API sent one`);
    return;
  }
  const type = (answer.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== documented.mediaType) throw new UndocumentedAnswerError(`${said}: content type ${JSON.stringify(type)}, the document says ${documented.mediaType}`);
  if (documented.mediaType !== 'application/json') return;
  const parsed = documented.schema.safeParse(answer.body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);
    throw new UndocumentedAnswerError(`${said}: the body is not what the document says: ${issues.join('; ')}`);
  }
  const extra = undocumentedPaths(answer.body, parsed.data);
  if (extra.length > 0) throw new UndocumentedAnswerError(`${said}: properties the document leaves out: ${extra.slice(0, 5).join(', ')}`);
}

/** Where `sent` has a property that `parsed` (the schema's output, unknown keys stripped) lost. */
function undocumentedPaths(sent: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((item, index) => undocumentedPaths(item, parsed[index], `${at}[${index}]`));
  if (sent === null || typeof sent !== 'object' || parsed === null || typeof parsed !== 'object' || Array.isArray(sent)) return [];
  return Object.entries(sent).flatMap(([key, value]) =>
    Object.hasOwn(parsed, key) ? undocumentedPaths(value, (parsed as Record<string, unknown>)[key], `${at}.${key}`) : [`${at}.${key}`],
  );
}

/**
 * What the api function needs to run in-process: a fresh table on DynamoDB Local, a recording
 * Step Functions, and the environment pointing at both.
 */
export async function startApiEnvironment(dynamodbEndpoint: string, tablePrefix: string): Promise<{ sfn: RecordingSfn; table: string }> {
  const sfn = await startRecordingSfn();
  const table = `${tablePrefix}-${randomUUID()}`;
  await createTable(dynamodbEndpoint, table);
  Object.assign(process.env, {
    TABLE_NAME: table,
    STATE_MACHINE_ARN_PREFIX,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    // The tests seed hundreds of obligations through the API with one token; the limits have their own test (test/security/insider.test.ts).
    [RATE_LIMITS_ENV]: 'off',
    // A key of the test's own, as the stack's secret would be (functions/api/cursor.ts).
    CURSOR_KEY: randomUUID(),
  });
  return { sfn, table };
}

export interface ApiEnvironment {
  readonly sfn: RecordingSfn;
  readonly table: string;
  /** The store on the table: to seed it further and to look at what a request wrote. */
  readonly store: Store;
  readonly documents: DynamoDBDocumentClient;
  /** Takes the clock back, closes the store's client and stops the recording Step Functions. */
  close(): Promise<void>;
}

/**
 * A test file's api function, set up as every API suite sets it up: the environment of
 * startApiEnvironment, the store on its table with the directory a test names put in it, and the
 * test's "now" lent to the function as the embedded runtime lends its clock.
 */
export async function apiEnvironment(
  dynamodbEndpoint: string,
  tablePrefix: string,
  setting: { readonly organisations?: readonly Organisation[]; readonly members?: readonly Member[]; readonly now: () => number },
): Promise<ApiEnvironment> {
  const { sfn, table } = await startApiEnvironment(dynamodbEndpoint, tablePrefix);
  const { store, documents, close } = tableStore(dynamodbEndpoint, table, region);
  const { organisations = [], members = [] } = setting;
  await Promise.all([...organisations.map((organisation) => store.directory.putOrganisation(organisation)), ...members.map((member) => store.directory.putMember(member))]);
  lendClock(setting.now);
  return {
    sfn,
    table,
    store,
    documents,
    close: async () => {
      lendClock(undefined);
      close();
      await sfn.stop();
    },
  };
}


/**
 * Puts a unit of its own into the directory (a test's fresh unit, so that lists do not see each
 * other's): nothing is opened for a unit outside the directory, and only for the kinds a rule names.
 */
export async function registerUnit(store: Store, org: string, kind: OrganisationKind, parent?: string): Promise<string> {
  await store.directory.putOrganisation({ org, kind, names: { kk: org, ru: org, en: org }, ...(parent === undefined ? {} : { parent }) });
  return org;
}
