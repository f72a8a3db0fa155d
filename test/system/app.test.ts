import { join } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { VirtualClock } from '../../local/index.ts';
import { type LocalSystem, defaultDataDir, startLocalSystem } from '../../local/system/index.ts';
import { FUNCTIONS } from '../../contract/index.ts';

// Synthesizing the real app bundles the functions with esbuild; DynamoDB Local is Java.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 180_000 });

// Under the working tree, so the bundles find @aws-sdk/* (left external) in node_modules.
const assemblyDir = join(defaultDataDir, 'cdk.out-test');
const clock = new VirtualClock('2026-03-19T04:00:00Z');
const log: string[] = [];
let system: LocalSystem<VirtualClock> | undefined;

beforeAll(async () => {
  system = await startLocalSystem({ clock, assemblyDir, schedules: false, log: (line) => log.push(line) });
});
afterAll(async () => {
  await system?.stop();
});

test('the synthesized app runs here: its functions, state machines and routes are deployed', () => {
  const stack = system!.stack;
  expect(stack.functions.map((fn) => fn.role).sort()).toEqual([...FUNCTIONS].sort());
  expect(stack.stateMachines.map((machine) => machine.name)).toContain('merzim-dev-sss-decision');
  expect(stack.routes.map((route) => route.routeKey)).toContain('GET /openapi.json');
  expect(stack.schedules.map((schedule) => schedule.expression).sort()).toEqual(['cron(30 0 ? * MON *)', 'cron(30 9 * * ? *)', 'cron(5 0 * * ? *)', 'rate(1 hour)']);
});

test('GET /openapi.json answers without a token, GET /rules wants one, through the local API', async () => {
  const openapi = await fetch(`${system!.apiUrl}/openapi.json`);
  expect(openapi.status).toBe(200);
  expect(await openapi.json()).toHaveProperty('openapi');
  const rules = await fetch(`${system!.apiUrl}/rules`);
  expect(rules.status).toBe(401);
  expect(await rules.json()).toEqual({ message: 'Unauthorized' });
  const token = await system!.signToken({ user: 'aigerim.inspector', groups: ['inspector'], org: 'zko-uralsk-police-dv' });
  expect((await fetch(`${system!.apiUrl}/rules`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
});
