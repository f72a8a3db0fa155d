import { afterAll, beforeAll } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { type ApiAnswer, type ObligationView, SystemClient } from '../../local/system/client.ts';
import { type TokenRequest, startLocalSystem } from '../../local/system/index.ts';

export { type Mail, type ObligationView, recipients } from '../../local/system/client.ts';

/**
 * A scenario runs the whole application as `npm start` does (the synthesized assembly on the
 * embedded runtime) on a virtual clock, and talks to it as its users do (SystemClient).
 * One system per file, started at `start` (the functions' modules, and so their AWS clients, live
 * once per process: a second system in the same file would find them pointing at the first).
 * Schedules are off unless named.
 */
export function scenario(start: string, options: { schedules?: readonly string[]; provision?: boolean } = {}): () => SystemClient {
  let current: SystemClient | undefined;
  beforeAll(async () => {
    const clock = new VirtualClock(start);
    const system = await startLocalSystem({ clock, schedules: options.schedules ?? [], provision: options.provision ?? false, log: () => {} });
    current = new SystemClient(system, clock);
  }, 240_000);
  afterAll(async () => {
    await current?.system.stop();
  }, 60_000);
  return () => {
    if (current === undefined) throw new Error('the scenario has not started');
    return current;
  };
}

/**
 * People of the demo directory whom PEOPLE (local/system/client.ts) leaves out, for acts in units
 * the usual cast does not reach: each unit's business is its own (functions/api/scope.ts).
 */
export const MORE_PEOPLE = {
  /** The Burlin district's department of employment and social programmes. */
  burlinSss: { user: 'madina.sss', groups: ['akimat-department'], org: 'zko-burlin-akimat-sss' },
} as const satisfies Record<string, TokenRequest>;

/** A request as `who`, with a token the local system signs, as SystemClient.api does for PEOPLE. */
export async function apiAs<T = Record<string, unknown>>(client: SystemClient, who: TokenRequest, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const token = await client.system.signToken(who);
  const response = await fetch(`${client.system.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
}

/** Opens obligations as `who`; fails the test unless the API says 201. */
export async function openAs(client: SystemClient, who: TokenRequest, request: Record<string, unknown>): Promise<ObligationView[]> {
  const answer = await apiAs<{ obligations: ObligationView[] }>(client, who, 'POST', '/obligations', request);
  if (answer.status !== 201) throw new Error(`POST /obligations → ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.obligations;
}

/** Records an act as `who`; fails the test unless the API says 200. */
export async function recordAs(client: SystemClient, who: TokenRequest, id: string, act: Record<string, unknown>): Promise<ObligationView> {
  const answer = await apiAs<{ obligation: ObligationView }>(client, who, 'POST', `/obligations/${id}/events`, act);
  if (answer.status !== 200) throw new Error(`POST /obligations/${id}/events → ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.obligation;
}
