import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, type JWK, type JWTPayload, SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { CLAIMS } from '../../contract/index.ts';

/**
 * The embedded runtime's stand-in for Cognito: an ES256 key pair of its own, made once and kept
 * in `.local/keys/`, that signs tokens shaped as Cognito's ID tokens: the claims the API reads
 * (CLAIMS of the contract: `cognito:username`, `cognito:groups`, `custom:org`), `token_use=id`,
 * `sub` a UUID that is not the username (as in Cognito), `iat`, `exp`, `auth_time`, and `nonce`
 * when the sign-in asked for one.
 */
export const LOCAL_ISSUER = 'merzim-local';
export const LOCAL_AUDIENCE = 'merzim';
const ALGORITHM = 'ES256';
const PRIVATE_FILE = 'private.jwk.json';
const PUBLIC_FILE = 'public.jwk.json';

export interface TokenRequest {
  readonly user: string;
  readonly groups: readonly string[];
  readonly org: string;
  /** A jose duration (`'12h'`) or seconds; 12 hours unless given. */
  readonly expiresIn?: string | number;
  /** The `nonce` of the authorization request (the code flow), echoed in the ID token. */
  readonly nonce?: string;
}

/**
 * How far a token's `iat` may be ahead of this machine's clock: the signer is this process, so a
 * few seconds cover rounding; a token "issued" later than that was not issued here.
 */
export const IAT_SKEW_SECONDS = 30;

export interface TokenKeys {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export interface Tokens {
  sign(request: TokenRequest): Promise<string>;
  /** The token's claims, or a rejection when it is not one of ours, expired or malformed. */
  verify(token: string): Promise<JWTPayload>;
}

/** Reads the key pair from `dir`, making it on first use (the private key readable by its owner only). */
export async function loadOrCreateKeys(dir: string): Promise<TokenKeys> {
  const privatePath = join(dir, PRIVATE_FILE);
  const publicPath = join(dir, PUBLIC_FILE);
  try {
    return await importKeys(readFileSync(privatePath, 'utf8'), readFileSync(publicPath, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = `merzim-local-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg: ALGORITHM, use: 'sig' };
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALGORITHM, use: 'sig' };
  try {
    // `wx`: if another process made the keys meanwhile, theirs win and are read below.
    writeFileSync(privatePath, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicPath, `${JSON.stringify(publicJwk, null, 2)}\n`, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return importKeys(readFileSync(privatePath, 'utf8'), readFileSync(publicPath, 'utf8'));
}

async function importKeys(privateText: string, publicText: string): Promise<TokenKeys> {
  const privateJwk = JSON.parse(privateText) as JWK;
  const publicJwk = JSON.parse(publicText) as JWK;
  return {
    privateKey: (await importJWK(privateJwk, ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
  };
}

export function localTokens(keys: TokenKeys): Tokens {
  return {
    async sign({ user, groups, org, expiresIn = '12h', nonce }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        [CLAIMS.user]: user,
        [CLAIMS.groups]: [...groups],
        [CLAIMS.org]: org,
        token_use: 'id',
        auth_time: now,
        ...(nonce === undefined ? {} : { nonce }),
      })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(subjectOf(user))
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
        .sign(keys.privateKey);
    },
    async verify(token) {
      // As API Gateway's authorizer and Cognito's ID tokens: a token that never expires, was
      // "issued" in the future, or is not an ID token (an access token carries no custom:org) is refused.
      const { payload } = await jwtVerify(token, keys.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        requiredClaims: ['exp', 'iat'],
      });
      if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + IAT_SKEW_SECONDS) throw new Error('the token\'s "iat" is in the future');
      if (payload['token_use'] !== 'id') throw new Error('the token is not an ID token ("token_use" is not "id")');
      return payload;
    },
  };
}

/** A UUID made from the username: stable, like Cognito's `sub`, and like it never the username itself. */
export function subjectOf(user: string): string {
  const hex = createHash('sha256').update(`merzim-local-sub:${user}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Signs one token with the keys in `dir` (made if missing). */
export async function signToken(dir: string, request: TokenRequest): Promise<string> {
  return localTokens(await loadOrCreateKeys(dir)).sign(request);
}

/** Verifies one token against the keys in `dir`. */
export async function verifyToken(dir: string, token: string): Promise<JWTPayload> {
  return localTokens(await loadOrCreateKeys(dir)).verify(token);
}

/**
 * The claims as API Gateway's JWT authorizer hands them to the function: every value a string,
 * a list flattened to `[a b]`, an object as JSON.
 */
export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) claims[key] = `[${value.map(String).join(' ')}]`;
    else if (value !== null && typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}
