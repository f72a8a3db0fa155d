import { type IncomingMessage, type Server, type ServerResponse, createServer, request as forward } from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { lendClock } from '../../functions/adapters/clock.ts';
import { handler } from '../../functions/handlers/api.ts';
import { ENV } from '../../contract/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { tableStore } from '../support/store.ts';
import { ADMIN, type RecordingSfn, call, registerUnit, startApiEnvironment } from './support.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/**
 * Issue 20: what one POST /obligations costs on its own path, where the table's stream starts the
 * timers (TIMER_START=stream, as the stack sets it). Every DynamoDB call the api function makes
 * goes through a proxy that notes its operation; Step Functions is the recording stand-in.
 */
const dynamodb = sharedDynamoDbLocal();
let sfn: RecordingSfn;
let store: Store;
let closeStore: (() => void) | undefined;
let proxy: Server | undefined;
const operations: string[] = [];

/** What a query reads: its partition (`:pk`), or none. */
const queriedPartitions: string[] = [];

/** A loopback proxy in front of DynamoDB Local that notes each request's operation (X-Amz-Target), and a query's partition. */
async function countingProxy(upstream: string): Promise<string> {
  const target = new URL(upstream);
  proxy = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      operations.push(operation);
      if (operation === 'Query') {
        const input = JSON.parse(body.toString('utf8')) as { ExpressionAttributeValues?: Record<string, { S?: string }> };
        queriedPartitions.push(input.ExpressionAttributeValues?.[':pk']?.S ?? '');
      }
      const onward = forward({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } }, (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      });
      onward.on('error', () => outgoing.destroy());
      onward.end(body);
    });
  });
  const server = proxy;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return `http://127.0.0.1:${address.port}`;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

beforeAll(async () => {
  const endpoint = await countingProxy(dynamodb.endpoint());
  let table: string;
  ({ sfn, table } = await startApiEnvironment(endpoint, 'merzim-one-write'));
  process.env[ENV.timerStart] = 'stream';
  ({ store, close: closeStore } = tableStore(dynamodb.endpoint(), table));
  lendClock(() => parseInstant('2026-03-19T16:00:00+05:00'));
});

afterAll(async () => {
  lendClock(undefined);
  delete process.env[ENV.timerStart];
  closeStore?.();
  await sfn?.stop();
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => proxy?.close(() => resolve()) ?? resolve());
});

/** The DynamoDB operations and Step Functions calls one request makes. */
async function costOf(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; dynamodb: string[]; queried: string[]; sfn: string[] }> {
  const [dynamodbBefore, queriedBefore, sfnBefore] = [operations.length, queriedPartitions.length, sfn.calls.length];
  const answer = await call(handler, 'POST', '/obligations', { as: ADMIN, body, headers });
  return {
    status: answer.status,
    dynamodb: operations.slice(dynamodbBefore),
    queried: queriedPartitions.slice(queriedBefore),
    sfn: sfn.calls.slice(sfnBefore).map((made) => made.action),
  };
}

describe('POST /obligations where the stream starts the timers', () => {
  test('one obligation, no Idempotency-Key: one conditional PutItem, no Step Functions call; the plan in the answer', async () => {
    const org = await registerUnit(store, 'one-write-sss', 'akimat-department');
    const body = { rule: 'sss-decision', caseRef: 'СВ-2026/0901', org, start: '2026-03-19T15:20+05:00' };
    // The first request of a function reads the calendar's overrides; later ones only their version.
    const first = await costOf(body);
    expect(first.status).toBe(201);
    expect(first.queried).toContain('CAL#KZ');
    const cost = await costOf({ ...body, caseRef: 'СВ-2026/0902' });
    expect(cost.status).toBe(201);
    expect(cost.dynamodb.filter((operation) => WRITES.has(operation))).toEqual(['PutItem']);
    // The calendar's overrides are not read again: their version is (one GetItem).
    expect(cost.queried.filter((partition) => partition.startsWith('CAL#'))).toEqual([]);
    expect(cost.dynamodb).toContain('GetItem');
    expect(cost.sfn).toEqual([]);
  });

  test('with an Idempotency-Key: the obligation and the key\'s record in one transaction, no Step Functions call', async () => {
    const org = await registerUnit(store, 'one-write-sss-keyed', 'akimat-department');
    const cost = await costOf({ rule: 'sss-decision', caseRef: 'СВ-2026/0903', org, start: '2026-03-19T15:20+05:00' }, { 'Idempotency-Key': 'one-write-0903' });
    expect(cost.status).toBe(201);
    expect(cost.dynamodb.filter((operation) => WRITES.has(operation))).toEqual(['TransactWriteItems']);
    expect(cost.sfn).toEqual([]);
  });

  test('the opening entry written within the obligation\'s item heads its audit trail, recorded as before', async () => {
    const org = await registerUnit(store, 'one-write-trail', 'akimat-department');
    const answer = await call(handler, 'POST', '/obligations', { as: ADMIN, body: { rule: 'sss-decision', caseRef: 'СВ-2026/0904', org, start: '2026-03-19T15:20+05:00' } });
    const id = String(answer.body.obligations[0].id);
    expect(await store.obligations.events(id)).toEqual([
      {
        obligationId: id,
        seq: 0,
        type: 'opened',
        at: parseInstant('2026-03-19T15:20+05:00'),
        recordedAt: parseInstant('2026-03-19T16:00:00+05:00'),
        by: ADMIN.user,
        revision: 1,
        cycle: 1,
        details: { dueAt: new Date(parseInstant('2026-03-27T18:30:00+05:00')).toISOString() },
      },
    ]);
    // Recorded from an instant on: the opening is left out when it was recorded before it.
    expect(await store.obligations.events(id, parseInstant('2026-03-19T16:00:01+05:00'))).toEqual([]);
  });
});
