/**
 * What the dashboard reads from `config.json` next to its page: where the API is and how people
 * sign in. The local system serves a config of its own (local/system/dashboard.ts, `localConfig`);
 * a deployment (S3 + CloudFront, infra/dashboard.ts) writes one with the Cognito hosted UI.
 */
export type AuthConfig =
  /** The embedded runtime: a page lists the demo directory and the local API signs a token. */
  | { readonly kind: 'local'; readonly usersUrl: string; readonly signInUrl: string }
  /**
   * AWS: the Cognito hosted UI of the stack's user pool, by the authorization-code flow with PKCE
   * (web/src/oauth.ts): the code comes back to `redirectUri` and is traded at `<domain>/oauth2/token`
   * for the ID token, the JWT the API's authorizer verifies. `userClaim` names the user
   * (`cognito:username` unless the deployment maps another claim).
   */
  | { readonly kind: 'cognito'; readonly domain: string; readonly clientId: string; readonly redirectUri: string; readonly userClaim?: string };

export interface DashboardConfig {
  /** The API's base URL without a trailing slash; '' is the page's own origin. */
  readonly apiUrl: string;
  readonly auth: AuthConfig;
  /**
   * Where the local system tells its clock (a virtual or sped-up clock is not the browser's);
   * absent in AWS, where the browser's clock is the time.
   */
  readonly clockUrl?: string;
}

/** The config the local system serves. */
export function localConfig(): DashboardConfig {
  return { apiUrl: '', auth: { kind: 'local', usersUrl: '/local/users', signInUrl: '/local/sign-in' }, clockUrl: '/local/clock' };
}

/** A demo user the local sign-in page lists. */
export interface LocalUser {
  readonly user: string;
  readonly role: string;
  readonly org: string;
  readonly orgNames: { readonly kk: string; readonly ru: string; readonly en: string };
}
