import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { VirtualClock, localClientConfig } from '../../local/index.ts';
import { type LocalSystem, startLocalSystem } from '../../local/system/index.ts';
import { loadDirectory, readDirectory } from '../../local/system/directory.ts';
import { echoCalls, fixtureAssembly } from './support.ts';

// Real services (DynamoDB Local is a Java program) can be slow to start on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'merzim-system-'));
const clock = new VirtualClock('2026-03-19T00:00:00Z');
const lines: string[] = [];
let system: LocalSystem<VirtualClock>;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  system = await startLocalSystem({ clock, dataDir, assemblyDir: fixtureAssembly, synth: false, log: (line) => lines.push(line) });
  dynamodb = new DynamoDBClient(localClientConfig(system.runtime.endpoints.dynamodb));
});
afterAll(async () => {
  dynamodb?.destroy();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the template's table is there with its index and TTL, and the demo directory in it", async () => {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'DataTableFDBAD0F2' }));
  expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byOrg']);
  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'DataTableFDBAD0F2' }));
  expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const organisations = await documents.send(new QueryCommand({ TableName: system.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DIR' } }));
  expect(organisations.Items).toHaveLength(readDirectory().organisations.length);
  const member = await documents.send(new GetCommand({ TableName: system.table, Key: { pk: 'ORG#zko-uralsk-police-dv', sk: 'MEMBER#aigerim.inspector' } }));
  expect(member.Item).toMatchObject({ user: 'aigerim.inspector', role: 'inspector' });
});

test('loading the directory again adds nothing and keeps a change made since', async () => {
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const key = { pk: 'ORG#zko-uralsk-police-dv', sk: 'MEMBER#aigerim.inspector' };
  const { Item } = await documents.send(new GetCommand({ TableName: system.table, Key: key }));
  await documents.send(new PutCommand({ TableName: system.table, Item: { ...Item, email: 'changed@police.demo.kz' } }));
  expect(await loadDirectory(dynamodb, system.table, readDirectory())).toBe(0);
  expect((await documents.send(new GetCommand({ TableName: system.table, Key: key }))).Item?.email).toBe('changed@police.demo.kz');
});

test('a state machine of the template runs the bundle in-process, with the shared environment', async () => {
  const sfn = new SFNClient(localClientConfig(system.runtime.endpoints.sfn));
  try {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-central-1:000000000000:stateMachine:merzim-dev-sss-decision', name: 'OBL-1-r1', input: '{"obligationId":"OBL-1"}' }),
    );
    await clock.settle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}')).toEqual({ echoed: { obligationId: 'OBL-1' } });
    expect(echoCalls().at(-1)).toMatchObject({ functionName: 'DigestFn9A8B7C6D', env: { TABLE_NAME: 'DataTableFDBAD0F2', STAGE: 'dev' } });
  } finally {
    sfn.destroy();
  }
});

test("the digest schedule fires at 08:00 Astana time on the runtime's clock, with its scheduled time", async () => {
  const before = echoCalls().length;
  await clock.advanceTo('2026-03-19T02:59:59Z');
  expect(echoCalls()).toHaveLength(before);
  await clock.advanceTo('2026-03-20T03:00:00Z');
  expect(echoCalls().slice(before).map((call) => call.event)).toEqual([{ scheduledAt: '2026-03-19T03:00:00Z' }, { scheduledAt: '2026-03-20T03:00:00Z' }]);
});

test('the API serves the routes of the template with a token signed by the system', async () => {
  expect((await fetch(`${system.apiUrl}/obligations/OBL-1/events`, { method: 'POST' })).status).toBe(401);
  const token = await system.signToken({ user: 'dana.secretary', groups: ['commission-secretary'], org: 'zko-uralsk-kdn' });
  const response = await fetch(`${system.apiUrl}/obligations/OBL-1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
  expect(response.status).toBe(200);
  const event = (await response.json()) as { pathParameters: unknown; requestContext: { timeEpoch: number; authorizer: { jwt: { claims: Record<string, string> } } } };
  expect(event.pathParameters).toEqual({ id: 'OBL-1' });
  expect(event.requestContext.timeEpoch).toBe(clock.now());
  expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ 'cognito:username': 'dana.secretary', token_use: 'id', 'cognito:groups': '[commission-secretary]', 'custom:org': 'zko-uralsk-kdn' });
  expect((await fetch(`${system.apiUrl}/openapi.json`)).status).toBe(200);
});

test('functions can be invoked by their role in the contract', async () => {
  expect(await system.invoke('digest', { hello: 1 })).toEqual({ echoed: { hello: 1 } });
  await expect(system.invoke('provision')).rejects.toThrow(/no function "provision"/);
});
