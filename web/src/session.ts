import type { AuthConfig, DashboardConfig, LocalUser } from '../config.ts';
import { authorizeUrl, claimsOf, redeem, returnedTo } from './oauth.ts';

/**
 * Who is signed in: the JWT the API verifies (locally signed by the embedded runtime, on AWS the
 * Cognito ID token), kept in sessionStorage for this tab only, and its claims as the API reads
 * them (contract/index.ts CLAIMS: cognito:username, cognito:groups, custom:org).
 */
export interface Session {
  readonly token: string;
  readonly user: string;
  readonly org: string;
  readonly groups: readonly string[];
  /** Seconds since the epoch. */
  readonly expires: number;
}

const KEY = 'merzim.token';

/** The claim that names the user: the deployment's `userClaim`, else Cognito's username. */
let userClaim = 'cognito:username';

/** The claims of a token, read (not verified: the API verifies it on every request). */
export function sessionOf(token: string): Session | undefined {
  const payload = claimsOf(token);
  if (payload === undefined) return undefined;
  const groups = payload['cognito:groups'];
  const user = payload[userClaim];
  const org = payload['custom:org'];
  const exp = payload['exp'];
  if (typeof user !== 'string' || typeof org !== 'string' || typeof exp !== 'number') return undefined;
  return { token, user, org, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [], expires: exp };
}

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (token === null) return undefined;
  const session = sessionOf(token);
  if (session === undefined || session.expires * 1000 <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
  return session;
}

export function keep(token: string): Session | undefined {
  const session = sessionOf(token);
  if (session !== undefined) sessionStorage.setItem(KEY, token);
  return session;
}

export function forget(): void {
  sessionStorage.removeItem(KEY);
}

/** The way people sign in: the seam between the local system and the Cognito hosted UI. */
export interface SignInProvider {
  readonly kind: AuthConfig['kind'];
  /** The demo users to choose from (local only). */
  users(): Promise<readonly LocalUser[]>;
  /** Local: a token for the chosen user. Cognito: leaves the page for the hosted UI. */
  signIn(user?: string): Promise<Session | undefined>;
  /**
   * A sign-in that came back to the page (Cognito's redirect with a code), if any: the session,
   * or why it was refused. The URL is cleaned of the code either way.
   */
  returned(): Promise<Session | { readonly refused: string } | undefined>;
}

export function signInProvider(config: DashboardConfig): SignInProvider {
  const auth = config.auth;
  if (auth.kind === 'local') {
    return {
      kind: 'local',
      async users() {
        const response = await fetch(auth.usersUrl);
        if (!response.ok) throw new Error(`${auth.usersUrl}: ${response.status}`);
        return ((await response.json()) as { users: LocalUser[] }).users;
      },
      async signIn(user) {
        const response = await fetch(auth.signInUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
        if (!response.ok) throw new Error(`${auth.signInUrl}: ${response.status}`);
        return keep(((await response.json()) as { token: string }).token);
      },
      returned: async () => undefined,
    };
  }
  if (auth.userClaim !== undefined) userClaim = auth.userClaim;
  return {
    kind: 'cognito',
    users: async () => [],
    async signIn() {
      location.assign(await authorizeUrl(auth, sessionStorage));
      return undefined;
    },
    async returned() {
      const returned = returnedTo(new URL(location.href), sessionStorage);
      if (returned.kind === 'none') return undefined;
      // The code (or a planted token) leaves the address bar and the history at once.
      history.replaceState(null, '', location.pathname);
      if (returned.kind === 'refused') return { refused: returned.why };
      try {
        const session = keep(await redeem(auth, returned.code, returned.pending));
        return session ?? { refused: 'the ID token lacks the user or the unit' };
      } catch (error) {
        return { refused: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
