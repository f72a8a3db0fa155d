import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UnauthorizedError } from '../../functions/api/errors.ts';
import { type ApiEvent, callerOf } from '../../functions/api/http.ts';
import { CLAIMS, ENV } from '../../contract/index.ts';
import { MerzimApi } from '../../infra/api.ts';
import { ConfigError, readConfig } from '../../infra/config.ts';
import { VirtualClock } from '../../local/index.ts';
import { type RunningApi, startApiServer } from '../../local/system/api.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type TokenKeys, type Tokens, loadOrCreateKeys, localTokens } from '../../local/system/tokens.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * Issue 17, findings 6 and 7, as an attacker tried them: the embedded runtime's sign-in reached
 * from another site's page (DNS rebinding, a cross-site form, a `text/plain` fetch), tokens its
 * verifier should not take, and the sign-in on AWS (see also test/web/sign-in.test.ts and
 * test/infra/dashboard.test.ts).
 */

const dir = mkdtempSync(join(tmpdir(), 'merzim-sign-in-'));
const clock = new VirtualClock('2026-03-19T10:20:00Z');
let api: RunningApi;
let port: number;
let keys: TokenKeys;
let tokens: Tokens;

beforeAll(async () => {
  keys = await loadOrCreateKeys(dir);
  tokens = localTokens(keys);
  api = await startApiServer({
    routes: [{ routeKey: 'GET /me', auth: 'JWT', functionName: 'me' }],
    clock,
    verify: (token) => tokens.verify(token),
    log: () => {},
    resolve: (name) => (name === 'me' ? async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) }) : undefined),
    dashboard: { sign: (request) => tokens.sign(request), directory: readDirectory() },
  });
  port = Number(new URL(api.url).port);
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A request with the headers a browser page would send, `Host` included (fetch may not set it). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const SIGN_IN = JSON.stringify({ user: 'berik.regional-head' });

describe('finding 7: the embedded runtime answers its own pages only', () => {
  test('POST /local/sign-in from a rebound DNS name, another origin, a form or text/plain is refused; a token is given to none of them', async () => {
    const own = `127.0.0.1:${port}`;
    const refused: [string, Record<string, string>, number][] = [
      ['DNS rebinding: a foreign Host', { host: `attacker.example:${port}`, 'content-type': 'application/json' }, 403],
      ['a rebinding name without the port', { host: 'attacker.example', 'content-type': 'application/json' }, 403],
      ['loopback, another port', { host: `127.0.0.1:${port + 1}`, 'content-type': 'application/json' }, 403],
      ['a 127.x address that is not 127.0.0.1', { host: `127.1.2.3:${port}`, 'content-type': 'application/json' }, 403],
      ['another site’s page', { host: own, origin: 'https://attacker.example', 'content-type': 'application/json' }, 403],
      ['a sandboxed frame (Origin null)', { host: own, origin: 'null', 'content-type': 'application/json' }, 403],
      ['loopback under another name (Origin ≠ Host)', { host: own, origin: `http://localhost:${port}`, 'content-type': 'application/json' }, 403],
      ['text/plain (no CORS preflight)', { host: own, origin: `http://${own}`, 'content-type': 'text/plain' }, 415],
      ['a cross-site form', { host: own, 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['no content type', { host: own }, 415],
    ];
    let tokensGiven = 0;
    for (const [what, headers, status] of refused) {
      const answer = await raw('POST', '/local/sign-in', headers, SIGN_IN);
      if (answer.body.includes('token')) tokensGiven++;
      expect({ what, status: answer.status }).toEqual({ what, status });
    }
    recordFigures('sign-in', {
      'foreign requests to /local/sign-in': { value: refused.length, expected: '> 0' },
      'tokens given to them': { value: tokensGiven, expected: '0' },
    });
    expect(tokensGiven).toBe(0);
    for (const host of [own, `localhost:${port}`, `[::1]:${port}`]) {
      for (const origin of [undefined, `http://${host}`]) {
        const answer = await raw('POST', '/local/sign-in', { host, ...(origin === undefined ? {} : { origin }), 'content-type': 'application/json; charset=utf-8' }, SIGN_IN);
        expect({ host, origin, status: answer.status }).toEqual({ host, origin, status: 200 });
        expect(decodeJwt((JSON.parse(answer.body) as { token: string }).token)).toMatchObject({ [CLAIMS.user]: 'berik.regional-head' });
      }
    }
  });

  test('the users list and the clock answer a loopback Host only', async () => {
    for (const path of ['/local/users', '/local/clock']) {
      expect((await raw('GET', path, { host: `attacker.example:${port}` })).status).toBe(403);
      expect((await raw('GET', path, { host: `127.0.0.1:${port}`, origin: 'https://attacker.example' })).status).toBe(403);
      expect((await raw('GET', path, { host: `localhost:${port}` })).status).toBe(200);
    }
  });

  test('the verifier refuses a token with no exp, an iat ahead, or one that is not an ID token; the API answers 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { [CLAIMS.user]: 'admin', [CLAIMS.groups]: ['admin'], [CLAIMS.org]: 'zko', token_use: 'id' };
    const sign = (payload: Record<string, unknown>, change: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
      change(new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE)).sign(keys.privateKey);
    const bad: [string, string][] = [
      ['no exp', await sign(claims, (jwt) => jwt.setIssuedAt(now))],
      ['no iat', await sign(claims, (jwt) => jwt.setExpirationTime(now + 3600))],
      ['iat a year ahead', await sign(claims, (jwt) => jwt.setIssuedAt(now + 365 * 86_400).setExpirationTime(now + 366 * 86_400))],
      ['iat a minute ahead', await sign(claims, (jwt) => jwt.setIssuedAt(now + 60).setExpirationTime(now + 3600))],
      ['an access token', await sign({ ...claims, token_use: 'access' }, (jwt) => jwt.setIssuedAt(now).setExpirationTime(now + 3600))],
      ['no token_use', await sign({ [CLAIMS.user]: 'admin', [CLAIMS.groups]: ['admin'], [CLAIMS.org]: 'zko' }, (jwt) => jwt.setIssuedAt(now).setExpirationTime(now + 3600))],
    ];
    const accepted: string[] = [];
    for (const [what, token] of bad) {
      await expect(tokens.verify(token), what).rejects.toThrow();
      if ((await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } })).status !== 401) accepted.push(what);
    }
    recordFigures('sign-in', { 'local tokens without exp, iat ahead or not an ID token, accepted': { value: accepted.length, expected: '0' } });
    expect(accepted).toEqual([]);
    // A clock a few seconds apart is not an attack.
    const skewed = await sign(claims, (jwt) => jwt.setIssuedAt(now + 5).setExpirationTime(now + 3600));
    expect((await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${skewed}` } })).status).toBe(200);
    expect((await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${await tokens.sign({ user: 'admin', groups: ['admin'], org: 'zko' })}` } })).status).toBe(200);
  });
});

describe('finding 6: sign-in as AWS does it', () => {
  test('the app client offers the authorization-code flow only, as a public client; no implicit grant', () => {
    const stack = new Stack(new App(), 'SignIn');
    const handler = lambda.Function.fromFunctionArn(stack, 'ApiFunction', 'arn:aws:lambda:eu-central-1:000000000000:function:merzim-dev-api');
    new MerzimApi(stack, 'Api', { stage: 'dev', handler, corsOrigins: ['https://d111.cloudfront.net'], removalPolicy: RemovalPolicy.DESTROY, logRetention: logs.RetentionDays.ONE_DAY, dashboardUrl: 'https://d111.cloudfront.net/' });
    const clients = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPoolClient')).map((client) => (client as { Properties: Record<string, unknown> }).Properties);
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'], GenerateSecret: false, CallbackURLs: ['https://d111.cloudfront.net/'] });
  }, 120_000);

  test('CORS admits the dashboard’s origin by default, never any origin', () => {
    const config = (context: Record<string, unknown>) => readConfig(new App({ context }).node);
    // The stack adds the dashboard's CloudFront origin to these (infra/merzim-stack.ts): by default it is the only one.
    expect(config({}).corsOrigins).toEqual([]);
    expect(config({ corsOrigins: 'https://merzim.gov.kz, https://admin.merzim.gov.kz' }).corsOrigins).toEqual(['https://merzim.gov.kz', 'https://admin.merzim.gov.kz']);
    for (const origins of ['*', ['*'], 'https://merzim.gov.kz,*', 'http://merzim.gov.kz', 'https://merzim.gov.kz/dashboard', 'null']) {
      expect(() => config({ corsOrigins: origins }), JSON.stringify(origins)).toThrow(ConfigError);
    }
  });

  test('the caller is the Cognito username of an ID token, not its sub; another claim only when mapped', () => {
    // An ID token as Cognito issues it, as API Gateway's authorizer passes its claims.
    const cognito = { sub: '7d1f3c2e-91b4-4a8e-b2f0-3c5d6e7f8a9b', 'cognito:username': 'aliya.sss', 'cognito:groups': '[akimat-department]', 'custom:org': 'zko-uralsk-akimat-sss', token_use: 'id' };
    const event = (claims: Record<string, string>) => ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as unknown as ApiEvent;
    // The author of every audit entry and the key of "my assignments" is this user.
    expect(callerOf(event(cognito), {})).toEqual({ user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] });
    expect(callerOf(event({ ...cognito, 'custom:staff_id': 'kz-sss-0042' }), { [ENV.userClaim]: 'custom:staff_id' }).user).toBe('kz-sss-0042');
    // An access token of the same client passes API Gateway's authorizer but names nobody here.
    expect(() => callerOf(event({ ...cognito, token_use: 'access' }), {})).toThrow(UnauthorizedError);
    const { 'cognito:username': _username, ...onlySub } = cognito;
    expect(() => callerOf(event(onlySub), {})).toThrow(UnauthorizedError);
  });
});
