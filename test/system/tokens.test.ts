import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterAll, expect, test } from 'vitest';
import { CLAIMS } from '../../contract/index.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, apiGatewayClaims, loadOrCreateKeys, localTokens, signToken, subjectOf, verifyToken } from '../../local/system/tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'merzim-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the key pair is made once, kept with the private key readable by its owner only', async () => {
  const token = await signToken(dir, { user: 'aigerim.inspector', groups: ['inspector'], org: 'zko-uralsk-police-dv' });
  expect(statSync(join(dir, 'private.jwk.json')).mode & 0o777).toBe(0o600);
  // A second load reads the same keys: a token signed before still verifies.
  const claims = await verifyToken(dir, token);
  expect(claims).toMatchObject({
    [CLAIMS.user]: 'aigerim.inspector',
    token_use: 'id',
    [CLAIMS.groups]: ['inspector'],
    [CLAIMS.org]: 'zko-uralsk-police-dv',
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
  });
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(12 * 3600);
  // As Cognito's: `sub` is a UUID, never the username, and stays the same for the same user.
  expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(claims.sub).toBe(subjectOf('aigerim.inspector'));
  expect(claims).not.toHaveProperty('nonce');
  const withNonce = await verifyToken(dir, await signToken(dir, { user: 'admin', groups: ['admin'], org: 'zko', nonce: 'n-123' }));
  expect(withNonce).toMatchObject({ [CLAIMS.user]: 'admin', nonce: 'n-123' });
});

test('expired, foreign and tampered tokens are refused', async () => {
  const tokens = localTokens(await loadOrCreateKeys(dir));
  const expired = await tokens.sign({ user: 'admin', groups: ['admin'], org: 'zko', expiresIn: -10 });
  await expect(tokens.verify(expired)).rejects.toThrow(/exp/);
  const stranger = await generateKeyPair('ES256');
  const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setSubject('x').sign(stranger.privateKey);
  await expect(tokens.verify(foreign)).rejects.toThrow();
  const good = await tokens.sign({ user: 'admin', groups: ['admin'], org: 'zko' });
  const [header, , signature] = good.split('.');
  const forged = `${header ?? ''}.${Buffer.from(JSON.stringify({ ...decodeJwt(good), [CLAIMS.groups]: ['regional-head'] })).toString('base64url')}.${signature ?? ''}`;
  await expect(tokens.verify(forged)).rejects.toThrow();
});

test('claims reach a function as API Gateway passes them: strings, a list flattened to [a b]', async () => {
  const tokens = localTokens(await loadOrCreateKeys(dir));
  const claims = apiGatewayClaims(await tokens.verify(await tokens.sign({ user: 'dana.secretary', groups: ['commission-secretary', 'admin'], org: 'zko-uralsk-kdn' })));
  expect(claims).toMatchObject({ [CLAIMS.user]: 'dana.secretary', 'cognito:groups': '[commission-secretary admin]', 'custom:org': 'zko-uralsk-kdn' });
  expect(typeof claims.exp).toBe('string');
  expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
});
