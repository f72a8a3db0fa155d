import type { AuthConfig, DashboardConfig, LocalUser } from '../config.ts';

/**
 * Who is signed in: the JWT the API verifies (locally signed by the embedded runtime, on AWS the
 * Cognito ID token), kept in sessionStorage for this tab only, and its claims as the API reads
 * them (functions/contract.ts CLAIMS: sub, cognito:groups, custom:org).
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

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a token, read (not verified: the API verifies it on every request). */
export function sessionOf(token: string): Session | undefined {
  try {
    const payload = JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as Record<string, unknown>;
    const groups = payload['cognito:groups'];
    const user = payload['sub'];
    const org = payload['custom:org'];
    const exp = payload['exp'];
    if (typeof user !== 'string' || typeof org !== 'string' || typeof exp !== 'number') return undefined;
    return { token, user, org, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [], expires: exp };
  } catch {
    return undefined;
  }
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
  /** A token that came back to the page (Cognito's redirect), if any. */
  returned(): Session | undefined;
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
      returned: () => undefined,
    };
  }
  return {
    kind: 'cognito',
    users: async () => [],
    async signIn() {
      const url = new URL('/oauth2/authorize', auth.domain);
      url.search = new URLSearchParams({ response_type: 'token', client_id: auth.clientId, redirect_uri: auth.redirectUri, scope: 'openid' }).toString();
      location.assign(url.toString());
      return undefined;
    },
    returned() {
      const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
      const token = fragment.get('id_token');
      if (token === null) return undefined;
      history.replaceState(null, '', location.pathname);
      return keep(token);
    },
  };
}
