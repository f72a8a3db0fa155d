import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { VirtualClock } from '../../local/index.ts';
import type { LambdaContext } from '../../local/handlers.ts';
import { type RunningApi, startApiServer } from '../../local/system/api.ts';
import type { RouteDescription } from '../../local/system/stack.ts';
import { type Tokens, loadOrCreateKeys, localTokens } from '../../local/system/tokens.ts';

const routes: RouteDescription[] = [
  { routeKey: 'POST /obligations/{id}/events', auth: 'JWT', functionName: 'echo' },
  { routeKey: 'GET /obligations/{id}', auth: 'JWT', functionName: 'echo' },
  { routeKey: 'GET /obligations/search', auth: 'JWT', functionName: 'echo' },
  { routeKey: 'GET /openapi.json', auth: 'NONE', functionName: 'echo' },
  { routeKey: 'GET /plain', auth: 'NONE', functionName: 'plain' },
  { routeKey: 'GET /boom', auth: 'NONE', functionName: 'boom' },
  { routeKey: 'GET /missing', auth: 'NONE', functionName: 'nobody' },
];

const dir = mkdtempSync(join(tmpdir(), 'merzim-api-'));
const clock = new VirtualClock('2026-03-19T10:20:00Z');
const contexts: LambdaContext[] = [];
let api: RunningApi;
let tokens: Tokens;

beforeAll(async () => {
  tokens = localTokens(await loadOrCreateKeys(dir));
  api = await startApiServer({
    routes,
    clock,
    verify: (token) => tokens.verify(token),
    log: () => {},
    resolve: (name) =>
      ({
        echo: async (event: unknown, context: LambdaContext) => {
          contexts.push(context);
          return { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes' }, cookies: ['a=1', 'b=2'], body: JSON.stringify(event) };
        },
        plain: async () => ({ hello: 'world' }),
        boom: async () => {
          throw new Error('boom');
        },
      })[name],
  });
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = async (): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await tokens.sign({ user: 'aigerim.inspector', groups: ['inspector', 'unit-head'], org: 'zko-uralsk-police-dv' })}`,
});

test('a JWT route without a token, or with a bad one, answers 401 like API Gateway', async () => {
  const missing = await fetch(`${api.url}/obligations/OBL-1`);
  expect(missing.status).toBe(401);
  expect(await missing.json()).toEqual({ message: 'Unauthorized' });
  const bad = await fetch(`${api.url}/obligations/OBL-1`, { headers: { authorization: 'Bearer not.a.token' } });
  expect(bad.status).toBe(401);
  expect(contexts).toHaveLength(0);
});

test('an unknown route or method answers 404', async () => {
  for (const response of [await fetch(`${api.url}/nowhere`), await fetch(`${api.url}/openapi.json`, { method: 'DELETE' })]) {
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  }
});

test('the event is payload 2.0: path parameters, query, lower-cased headers, body, claims as strings, the clock', async () => {
  const response = await fetch(`${api.url}/obligations/OBL%2042/events?x=1&x=2&y=z`, {
    method: 'POST',
    headers: { ...(await bearer()), 'Content-Type': 'application/json', 'X-Custom': 'Yes', cookie: 'c=1; d=2' },
    body: JSON.stringify({ act: 'decided' }),
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-echo')).toBe('yes');
  expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  const event = (await response.json()) as Record<string, any>;
  expect(event).toMatchObject({
    version: '2.0',
    routeKey: 'POST /obligations/{id}/events',
    rawPath: '/obligations/OBL%2042/events',
    rawQueryString: 'x=1&x=2&y=z',
    queryStringParameters: { x: '1,2', y: 'z' },
    pathParameters: { id: 'OBL 42' },
    cookies: ['c=1', 'd=2'],
    body: '{"act":"decided"}',
    isBase64Encoded: false,
    requestContext: {
      routeKey: 'POST /obligations/{id}/events',
      stage: '$default',
      timeEpoch: Date.parse('2026-03-19T10:20:00Z'),
      time: '19/Mar/2026:10:20:00 +0000',
      http: { method: 'POST', path: '/obligations/OBL%2042/events', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: { 'cognito:username': 'aigerim.inspector', 'cognito:groups': '[inspector unit-head]', 'custom:org': 'zko-uralsk-police-dv' }, scopes: null } },
    },
  });
  expect(event.headers['x-custom']).toBe('Yes');
  expect(event.headers['content-type']).toBe('application/json');
  expect(typeof event.requestContext.requestId).toBe('string');
  expect(contexts.at(-1)?.invokedFunctionArn).toBe('arn:aws:lambda:eu-central-1:000000000000:function:echo');
});

test('a literal route beats a parameter; an open route needs no token and carries no authorizer', async () => {
  const search = (await (await fetch(`${api.url}/obligations/search`, { headers: await bearer() })).json()) as Record<string, any>;
  expect(search.routeKey).toBe('GET /obligations/search');
  const open = (await (await fetch(`${api.url}/openapi.json`)).json()) as Record<string, any>;
  expect(open.routeKey).toBe('GET /openapi.json');
  expect(open.requestContext.authorizer).toBeUndefined();
  expect(open.pathParameters).toBeUndefined();
  expect(open.body).toBeUndefined();
});

test('a binary body arrives base64-encoded', async () => {
  const bytes = Buffer.from([0, 255, 1, 2]);
  const event = (await (
    await fetch(`${api.url}/obligations/OBL-1/events`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/octet-stream' }, body: bytes })
  ).json()) as Record<string, any>;
  expect(event).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
});

test('a result without statusCode is 200 JSON; a failing or missing function is 500', async () => {
  const plain = await fetch(`${api.url}/plain`);
  expect(plain.status).toBe(200);
  expect(plain.headers.get('content-type')).toBe('application/json');
  expect(await plain.json()).toEqual({ hello: 'world' });
  for (const path of ['/boom', '/missing']) {
    const failed = await fetch(`${api.url}${path}`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
  }
});
