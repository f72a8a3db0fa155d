import { createHash, randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { kk } from '../../web/i18n/kk.ts';
import { scenario } from '../scenarios/harness.ts';
import { browser, newPage, pageErrors, shot } from './browser.ts';

/** How long a state may take to show on a loaded machine: a bound, not a wait. */
const SETTLED = { timeout: 20_000 };

/**
 * Issue 17, finding 6, in headless Chromium: the dashboard signs in as it does on AWS, by the
 * authorization-code flow with PKCE against the embedded runtime's stand-in for Cognito's hosted
 * UI (`/oauth2/authorize`, `/oauth2/token`, local/system/sign-in.ts), its config.json switched to
 * `cognito`. A code or a token that another page hands in is refused: no login CSRF.
 */
describe('sign-in by the authorization-code flow with PKCE', () => {
  const run = scenario('2026-03-19T10:00:00+05:00');
  const chromium = browser();
  const url = () => run().system.apiUrl;
  const redirectUri = () => `${url()}/dashboard/`;

  /** The page's config as a deployment writes it (infra/dashboard.ts), pointing at the local hosted UI. */
  async function asOnAws(target: Page | BrowserContext): Promise<void> {
    await target.route('**/dashboard/config.json', (route) =>
      route.fulfill({ json: { apiUrl: '', auth: { kind: 'cognito', domain: url(), clientId: 'merzim', redirectUri: redirectUri() }, clockUrl: '/local/clock' } }),
    );
  }

  it('a secretary signs in on the hosted UI and lands on her work; the code leaves the address bar', async () => {
    const page = await newPage(chromium(), { language: 'kk' });
    await asOnAws(page);
    await page.goto(`${url()}/`);
    await page.locator('button[data-action="sign-in"]').click();
    await page.waitForURL(/\/oauth2\/authorize\?/);
    const asked = new URL(page.url()).searchParams;
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: shot('sign-in-hosted-ui') });

    const traded = page.waitForResponse((response) => response.url().endsWith('/oauth2/token'));
    await page.locator('button[value="dana.secretary"]').click();
    const answer = await traded;
    expect(answer.status()).toBe(200);
    const { id_token: token } = (await answer.json()) as { id_token: string };
    expect(decodeJwt(token)).toMatchObject({ 'cognito:username': 'dana.secretary', token_use: 'id', nonce: asked.get('nonce') });

    await page.locator('.identity[data-user="dana.secretary"]').waitFor(SETTLED);
    await page.locator('main:not([aria-busy])').waitFor(SETTLED);
    expect(new URL(page.url()).search).toBe('');
    // The pending sign-in is used up; the session holds the ID token.
    expect(await page.evaluate<string | null>("sessionStorage.getItem('merzim.sign-in')")).toBeNull();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('merzim.token')")).toBe(token);
    await page.screenshot({ path: shot('sign-in-code-flow') });
    await page.context().close();
  });

  it('a code another page obtained (login CSRF) is not taken, nor traded', async () => {
    // The attacker signs in as himself and stops at the redirect, keeping the code.
    const attacker = await newPage(chromium(), { language: 'kk' });
    await asOnAws(attacker);
    let planted: string | undefined;
    // (A route sees the form's POST, not the redirect it answers: the redirect is read and not followed.)
    await attacker.route('**/oauth2/authorize', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      planted = response.headers()['location'];
      return route.fulfill({ contentType: 'text/plain', body: 'kept' });
    });
    await attacker.goto(`${url()}/`);
    await attacker.locator('button[data-action="sign-in"]').click();
    await attacker.locator('button[value="asel.inspector"]').click();
    await expect.poll(() => planted, SETTLED).toBeDefined();
    await attacker.context().close();

    // The victim opens the link: her tab never started a sign-in.
    const victim = await newPage(chromium(), { language: 'kk' });
    await asOnAws(victim);
    const traded: string[] = [];
    victim.on('request', (request) => {
      if (request.url().includes('/oauth2/token')) traded.push(request.url());
    });
    await victim.goto(planted ?? '');
    await expect.poll(() => victim.locator('#status').textContent(), SETTLED).toContain(kk.signInRefused);
    expect(await victim.locator('.identity').count()).toBe(0);
    expect(await victim.locator('button[data-action="sign-in"]').isVisible()).toBe(true);
    expect(traded).toEqual([]);
    expect(new URL(victim.url()).search).toBe('');
    await victim.screenshot({ path: shot('sign-in-refused') });
    await victim.context().close();
  });

  it('an ID token in the fragment (the implicit flow’s #id_token=) is never kept', async () => {
    const token = await run().system.signToken({ user: 'berik.regional-head', groups: ['regional-head'], org: 'zko-police' });
    const page = await newPage(chromium(), { language: 'kk' });
    await asOnAws(page);
    await page.goto(`${url()}/dashboard/#id_token=${token}&token_type=Bearer&expires_in=3600`);
    await expect.poll(() => page.locator('#status').textContent(), SETTLED).toContain(kk.signInRefused);
    expect(await page.locator('.identity').count()).toBe(0);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('merzim.token')")).toBeNull();
    expect(page.url()).not.toContain(token);
    await page.context().close();
  });

  it('the token endpoint trades a code once, for its redirect_uri and the verifier of its challenge', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = { response_type: 'code', client_id: 'merzim', redirect_uri: redirectUri(), scope: 'openid', state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const codeFor = async (user: string): Promise<string> => {
      const response = await fetch(`${url()}/oauth2/authorize`, { method: 'POST', headers: form, body: new URLSearchParams({ ...authorize, user }), redirect: 'manual' });
      expect(response.status).toBe(302);
      const back = new URL(response.headers.get('location') ?? '');
      expect(back.origin + back.pathname).toBe(redirectUri());
      expect(back.searchParams.get('state')).toBe('st');
      return back.searchParams.get('code') ?? '';
    };
    const trade = (code: string, change: Record<string, string> = {}) =>
      fetch(`${url()}/oauth2/token`, {
        method: 'POST',
        headers: form,
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'merzim', code, redirect_uri: redirectUri(), code_verifier: verifier, ...change }),
      });

    expect((await trade(await codeFor('aliya.sss'), { code_verifier: randomBytes(32).toString('base64url') })).status).toBe(400);
    expect((await trade(await codeFor('aliya.sss'), { redirect_uri: 'https://attacker.example/' })).status).toBe(400);
    expect((await trade(await codeFor('aliya.sss'), { code_verifier: challenge })).status).toBe(400);
    const code = await codeFor('aliya.sss');
    const good = await trade(code);
    expect(good.status).toBe(200);
    expect(decodeJwt(((await good.json()) as { id_token: string }).id_token)).toMatchObject({ 'cognito:username': 'aliya.sss', nonce: 'nn', aud: 'merzim' });
    expect((await trade(code)).status).toBe(400);

    // The implicit flow and a request without PKCE are not served.
    for (const change of [{ response_type: 'token' }, { code_challenge_method: 'plain' }, { code_challenge: '' }, { redirect_uri: 'https://attacker.example/' }, { state: '' }]) {
      const query = new URLSearchParams({ ...authorize, ...change });
      expect({ change, status: (await fetch(`${url()}/oauth2/authorize?${query}`)).status }).toEqual({ change, status: 400 });
    }
    // The token endpoint takes a form only, from this machine's pages.
    expect((await fetch(`${url()}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'code=x' })).status).toBe(415);
    expect((await fetch(`${url()}/oauth2/token`, { method: 'POST', headers: { ...form, origin: 'https://attacker.example' }, body: 'code=x' })).status).toBe(403);
  });

  it('leaves no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
