import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from '../../shared/base/index.ts';
import type { Clock } from '../clock.ts';
import { send } from './http.ts';
import { localSignIn } from './sign-in.ts';
import type { TokenRequest } from './tokens.ts';

/**
 * Local only, never part of the template: the dashboard's files at `/dashboard/` (bundled from
 * web/ on first request and again each time the page itself is asked for), a config that points
 * it at this API, the system's clock at `GET /local/clock` (it may be virtual or sped up), and
 * the local sign-in (./sign-in.ts: the demo directory's users, a token for one of them, Cognito's
 * hosted UI). In AWS, S3 and CloudFront serve the files and Cognito signs people in.
 */
export interface DashboardOptions {
  readonly sign: (request: TokenRequest) => Promise<string>;
  /** Whose members may sign in: those whose role is a group of the contract. */
  readonly directory?: Directory;
}

/** Answers a request of the dashboard's host; false for anything else, which goes to the API. */
export type DashboardHost = (request: IncomingMessage, method: string, path: string, body: Buffer, response: ServerResponse) => Promise<boolean>;

export function dashboardHost(options: DashboardOptions & { readonly clock: Pick<Clock, 'now'>; readonly port: () => number }): DashboardHost {
  const signIn = localSignIn({ sign: options.sign, ...(options.directory === undefined ? {} : { directory: options.directory }), port: options.port });
  let dashboardFiles: Promise<Map<string, { contentType: string; body: Uint8Array }>> | undefined;
  return async (request, method, path, body, response) => {
    if ((method === 'GET' || method === 'HEAD') && (path === '/' || path === '/dashboard')) {
      response.writeHead(302, { location: '/dashboard/' });
      response.end();
      return true;
    }
    if ((method === 'GET' || method === 'HEAD') && path.startsWith('/dashboard/')) {
      const name = path.slice('/dashboard/'.length) || 'index.html';
      if (name === 'config.json') {
        const { localConfig } = await import('../../web/config.ts');
        send(response, 200, localConfig(), { 'cache-control': 'no-store' });
        return true;
      }
      if (dashboardFiles === undefined || name === 'index.html') {
        const previous = dashboardFiles;
        dashboardFiles = import('../../web/build.ts').then(({ buildDashboard }) => buildDashboard());
        // A failed rebuild keeps serving the last good bundle.
        if (previous !== undefined) dashboardFiles = dashboardFiles.catch(() => previous);
      }
      const file = (await dashboardFiles).get(name);
      if (file === undefined) {
        send(response, 404, { message: 'Not Found' });
        return true;
      }
      response.writeHead(200, {
        'content-type': file.contentType,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      });
      response.end(method === 'HEAD' ? undefined : file.body);
      return true;
    }
    // The sign-in refuses a `/local/` request from another page, whatever path it asks: the clock's too.
    if (await signIn.serve(request, method, path, body, response)) return true;
    if (method === 'GET' && path === '/local/clock') {
      send(response, 200, { now: options.clock.now() }, { 'cache-control': 'no-store' });
      return true;
    }
    return false;
  };
}
