import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { PENDING_KEY, type PendingSignIn, type TabStorage, authorizeUrl, challengeOf, redeem, returnedTo } from '../../web/src/oauth.ts';

/**
 * The dashboard's code flow (web/src/oauth.ts) in Node, with its real WebCrypto: the PKCE
 * challenge, the state, nonce and verifier it keeps, and what it refuses on return. The flow in
 * a browser against the local hosted UI is test/web/sign-in.test.ts.
 */

/** sessionStorage as the page has it, one per tab. */
class MemoryStorage implements TabStorage {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

const AUTH = { kind: 'cognito', domain: 'https://merzim-prod-1.auth.eu-central-1.amazoncognito.com', clientId: 'client-123', redirectUri: 'https://d111.cloudfront.net/' } as const;

async function idToken(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({ 'cognito:username': 'aliya.sss', 'custom:org': 'zko-uralsk-akimat-sss', token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

describe('the code flow with PKCE, state and nonce', () => {
  it('makes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('asks the hosted UI for a code with a fresh state, nonce and S256 challenge, and keeps them for this tab', async () => {
    const storage = new MemoryStorage();
    const url = new URL(await authorizeUrl(AUTH, storage));
    expect(url.origin + url.pathname).toBe(`${AUTH.domain}/oauth2/authorize`);
    const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? '') as PendingSignIn;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: AUTH.clientId,
      redirect_uri: AUTH.redirectUri,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await challengeOf(pending.verifier),
      code_challenge_method: 'S256',
    });
    // 32 random bytes each (43 base64url characters), and never the same twice.
    for (const value of [pending.state, pending.nonce, pending.verifier]) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([pending.state, pending.nonce, pending.verifier]).size).toBe(3);
    const again = new MemoryStorage();
    await authorizeUrl(AUTH, again);
    expect((JSON.parse(again.getItem(PENDING_KEY) ?? '') as PendingSignIn).state).not.toBe(pending.state);
    // The verifier never leaves the page before the token request.
    expect(url.toString()).not.toContain(pending.verifier);
  });

  it('takes a code back only with the state it made, once; refuses a code it did not ask for and any token in the fragment', async () => {
    const storage = new MemoryStorage();
    await authorizeUrl(AUTH, storage);
    const { state } = JSON.parse(storage.getItem(PENDING_KEY) ?? '') as PendingSignIn;
    const back = (query: string) => new URL(`${AUTH.redirectUri}${query}`);

    expect(returnedTo(back(''), storage)).toEqual({ kind: 'none' });
    expect(returnedTo(back(`?code=abc&state=${state}`), storage)).toMatchObject({ kind: 'code', code: 'abc', pending: { state } });
    // Used up: the same return a second time is not taken.
    expect(returnedTo(back(`?code=abc&state=${state}`), storage)).toMatchObject({ kind: 'refused', why: expect.stringContaining('did not start') });

    await authorizeUrl(AUTH, storage);
    expect(returnedTo(back('?code=attackers-code&state=attackers-state'), storage)).toMatchObject({ kind: 'refused', why: expect.stringContaining('state') });
    // A fresh tab that never started a sign-in: the login CSRF link.
    expect(returnedTo(back(`?code=abc&state=${state}`), new MemoryStorage())).toMatchObject({ kind: 'refused' });
    const token = await idToken({ aud: AUTH.clientId });
    expect(returnedTo(back(`#id_token=${token}&token_type=Bearer`), storage)).toMatchObject({ kind: 'refused', why: expect.stringContaining('implicit') });
    expect(returnedTo(back(`#access_token=${token}`), storage)).toMatchObject({ kind: 'refused' });
  });

  it('trades the code with its verifier and keeps the ID token only with its nonce, for this client', async () => {
    const pending: PendingSignIn = { state: 's'.repeat(43), nonce: 'n'.repeat(43), verifier: 'v'.repeat(43) };
    const sent: { url: string; body: string }[] = [];
    const answering = (id_token: string): typeof fetch =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        sent.push({ url: String(url), body: String(init?.body) });
        return new Response(JSON.stringify({ id_token, access_token: 'a', token_type: 'Bearer' }), { status: 200 });
      }) as typeof fetch;

    const good = await idToken({ aud: AUTH.clientId, nonce: pending.nonce });
    expect(await redeem(AUTH, 'the-code', pending, answering(good))).toBe(good);
    expect(sent[0]?.url).toBe(`${AUTH.domain}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: AUTH.clientId,
      code: 'the-code',
      redirect_uri: AUTH.redirectUri,
      code_verifier: pending.verifier,
    });

    await expect(redeem(AUTH, 'c', pending, answering(await idToken({ aud: AUTH.clientId, nonce: 'another sign-in' })))).rejects.toThrow(/nonce/);
    await expect(redeem(AUTH, 'c', pending, answering(await idToken({ aud: AUTH.clientId })))).rejects.toThrow(/nonce/);
    await expect(redeem(AUTH, 'c', pending, answering(await idToken({ aud: 'another-client', nonce: pending.nonce })))).rejects.toThrow(/client/);
    await expect(redeem(AUTH, 'c', pending, answering(await idToken({ aud: AUTH.clientId, nonce: pending.nonce, token_use: 'access' })))).rejects.toThrow(/ID token/);
    const refusing = (async () => new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })) as typeof fetch;
    await expect(redeem(AUTH, 'c', pending, refusing)).rejects.toThrow(/refused the code \(400\)/);
  });
});
