import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RATE_LIMITS_ENV } from '../functions/api/limits.ts';
import { localClientConfig } from '../local/aws.ts';
import type { Clock } from '../local/clock.ts';
import { PEOPLE, type Person } from '../local/system/client.ts';
import { type LocalSystem, startLocalSystem } from '../local/system/index.ts';

/**
 * The whole app as `npm start` runs it (startLocalSystem), on the assembly the runner
 * synthesized, in memory, without schedules or provisioning, quiet. One per process: the
 * functions' bundles, and so their AWS clients, live once per process.
 */
export interface BenchSystem<C extends Clock> {
  readonly system: LocalSystem<C>;
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  /** Calls the HTTP API as the demo administrator; throws unless the status is `expect`. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expect?: number): Promise<T>;
  /** The same as a person of the demo directory (an act is recorded by the party the catalog names). */
  apiAs<T = Record<string, unknown>>(person: Person, method: string, path: string, body?: unknown, expect?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchSystem<C extends Clock>(clock: C): Promise<BenchSystem<C>> {
  // A benchmark opens thousands with one token: it measures the system, not the per-user limits.
  process.env[RATE_LIMITS_ENV] = 'off';
  const system = await startLocalSystem({ clock, synth: false, schedules: false, provision: false, log: () => {} });
  const dynamodb = new DynamoDBClient(localClientConfig(system.runtime.endpoints.dynamodb, system.runtime.region));
  const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const tokens = new Map<Person, string>();
  const apiAs = async <T>(person: Person, method: string, path: string, body?: unknown, expect = method === 'POST' && path === '/obligations' ? 201 : 200): Promise<T> => {
    let token = tokens.get(person);
    if (token === undefined) {
      token = await system.signToken(PEOPLE[person]);
      tokens.set(person, token);
    }
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expect) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    system,
    dynamodb,
    documents,
    api: (method, path, body, expect) => apiAs('admin', method, path, body, expect),
    apiAs,
    async stop() {
      dynamodb.destroy();
      await system.stop();
    },
  };
}
