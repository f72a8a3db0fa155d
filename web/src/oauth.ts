import type { AuthConfig } from '../config.ts';

/**
 * Sign-in on the Cognito hosted UI by the authorization-code flow with PKCE (RFC 7636, S256),
 * as a public client (no secret in a page): before leaving, the page makes a `state`, a `nonce`
 * and a code verifier and keeps them in sessionStorage (this tab only); on return it takes the
 * code only with the `state` it made, trades it at `/oauth2/token` with the verifier, and keeps
 * the ID token only if its `nonce` is the one it made. A code or a token that another page hands
 * in (login CSRF) is refused, and the implicit flow's `#id_token=` is never read.
 *
 * Plain functions of a Storage, WebCrypto and fetch: test/web/oauth.test.ts runs them in Node.
 */

export type CognitoAuth = Extract<AuthConfig, { kind: 'cognito' }>;

/** What the page keeps while the person is on the hosted UI. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

export const PENDING_KEY = 'merzim.sign-in';

/** What the flow needs of sessionStorage (a Map-backed one in Node's tests). */
export interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** 32 random bytes, base64url: 43 characters, the verifier's and the state's length. */
export function randomText(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `BASE64URL(SHA-256(verifier))`, the S256 code challenge. */
export async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The hosted UI's authorize URL for a new sign-in; its state, nonce and verifier are kept in `storage`. */
export async function authorizeUrl(auth: CognitoAuth, storage: TabStorage): Promise<string> {
  const pending: PendingSignIn = { state: randomText(), nonce: randomText(), verifier: randomText() };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** What came back to the page. */
export type Returned =
  /** Nothing of a sign-in in the URL. */
  | { readonly kind: 'none' }
  /** A sign-in this tab did not start, a wrong state, an error of the hosted UI, or a token in the fragment. */
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'code'; readonly code: string; readonly pending: PendingSignIn };

/**
 * Reads a return from the hosted UI in `url` (`?code=&state=`, `?error=`), and any token in the
 * fragment. The pending sign-in is used up either way: a state is good for one return only.
 */
export function returnedTo(url: URL, storage: TabStorage): Returned {
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  if (fragment.has('id_token') || fragment.has('access_token')) return { kind: 'refused', why: 'a token in the URL (the implicit flow is not used)' };
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (code === null && error === null) return { kind: 'none' };
  const stored = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const pending = parsePending(stored);
  if (pending === undefined) return { kind: 'refused', why: 'a sign-in this page did not start' };
  if (url.searchParams.get('state') !== pending.state) return { kind: 'refused', why: 'the state does not match' };
  if (error !== null) return { kind: 'refused', why: `the sign-in service answered ${error}` };
  if (code === null || code === '') return { kind: 'refused', why: 'no code' };
  return { kind: 'code', code, pending };
}

function parsePending(text: string | null): PendingSignIn | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PendingSignIn>;
    return typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.verifier === 'string'
      ? { state: value.state, nonce: value.nonce, verifier: value.verifier }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Trades the code for tokens at the hosted UI's token endpoint and returns the ID token, after
 * checking that it was made for this sign-in (its `nonce`), for this client (`aud`), and is an
 * ID token. Its signature is the API's to verify, on every request.
 */
export async function redeem(auth: CognitoAuth, code: string, pending: PendingSignIn, fetcher: typeof fetch = fetch): Promise<string> {
  const response = await fetcher(new URL('/oauth2/token', auth.domain).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: auth.redirectUri, code_verifier: pending.verifier }).toString(),
  });
  if (!response.ok) throw new Error(`the sign-in service refused the code (${response.status})`);
  const idToken = ((await response.json()) as { id_token?: unknown }).id_token;
  if (typeof idToken !== 'string') throw new Error('the sign-in service gave no ID token');
  const claims = claimsOf(idToken);
  if (claims === undefined) throw new Error('the ID token cannot be read');
  if (claims['nonce'] !== pending.nonce) throw new Error('the ID token was not made for this sign-in (nonce)');
  const audience = claims['aud'];
  if (audience !== auth.clientId && !(Array.isArray(audience) && audience.includes(auth.clientId))) throw new Error('the ID token is for another client');
  if (claims['token_use'] !== 'id') throw new Error('not an ID token');
  return idToken;
}

/** A JWT's claims, read without verifying. */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
