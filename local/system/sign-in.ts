import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GROUPS } from '../../contract/index.ts';
import type { Directory } from '../../shared/base/index.ts';
import { headerValue, send } from './http.ts';
import { LOCAL_AUDIENCE, type TokenRequest } from './tokens.ts';

/**
 * The local sign-in, what Cognito does in AWS: the demo directory's users at `GET /local/users`,
 * a token for one of them at `POST /local/sign-in {"user"}`, and Cognito's `/oauth2/authorize`
 * and `/oauth2/token` for the dashboard's code flow with PKCE (`localHostedUi`). Local only,
 * never part of the template. Every `/local/` path answers this machine's own pages only
 * (`refuseForeign`).
 */
export interface SignInOptions {
  readonly sign: (request: TokenRequest) => Promise<string>;
  /** Whose members may sign in: those whose role is a group of the contract. */
  readonly directory?: Directory;
  /** The port the server listens on, once it does. */
  readonly port: () => number;
}

export interface LocalSignIn {
  /** Answers a request of the sign-in, or of another `/local/` path that `refuseForeign` refuses; false for anything else. */
  serve(request: IncomingMessage, method: string, path: string, body: Buffer, response: ServerResponse): Promise<boolean>;
}

export function localSignIn(options: SignInOptions): LocalSignIn {
  let hostedUi: ReturnType<typeof localHostedUi> | undefined;
  return {
    async serve(request, method, path, body, response) {
      const oauth = path === '/oauth2/authorize' || path === '/oauth2/token';
      if (path.startsWith('/local/') || oauth) {
        const reading = method === 'GET' || method === 'HEAD';
        const refused = refuseForeign(request, options.port(), reading ? undefined : oauth ? 'application/x-www-form-urlencoded' : 'application/json');
        if (refused !== undefined) {
          send(response, refused.status, { message: refused.message });
          return true;
        }
      }
      const members = (options.directory?.members ?? []).filter((member) => (GROUPS as readonly string[]).includes(member.role));
      if (oauth) {
        hostedUi ??= localHostedUi(options);
        await hostedUi.serve(request, method, path, body, response, members);
        return true;
      }
      if (method === 'GET' && path === '/local/users') {
        const names = new Map((options.directory?.organisations ?? []).map((organisation) => [organisation.org, organisation.names]));
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
        send(response, 200, { token: await options.sign({ user: member.user, groups: [member.role], org: member.org }) }, { 'cache-control': 'no-store' });
        return true;
      }
      return false;
    },
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
function localHostedUi(options: Pick<SignInOptions, 'sign'>) {
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
        const idToken = await options.sign({ user: member.user, groups: [member.role], org: member.org, ...(nonce === undefined ? {} : { nonce }) });
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

