import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { Executions } from '../../functions/adapters/executions.ts';
import { tableStore } from '../support/store.ts';
import { RATE_LIMITS_ENV } from '../../functions/api/limits.ts';
import type { AppContext } from '../../functions/app/context.ts';
import { openObligations } from '../../functions/app/obligations.ts';
import { ENV } from '../../contract/index.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { OpenObligationRequestSchema } from '../../shared/model/index.ts';
import { localClientConfig } from '../../local/aws.ts';
import { recordFigures } from '../support/figures.ts';
import { type ObligationView, scenario } from '../scenarios/harness.ts';

/**
 * Idempotency-Key on POST /obligations, through the running local system over real HTTP: a
 * client that sends the same opening 100 times at once (a retry storm, a double click, a proxy
 * replaying) gets one obligation and one timer, and every one of its 100 answers is a success
 * naming that obligation: 201 for the request that opened it, 200 with `idempotent-replayed:
 * true` for the others (Stripe-style: a duplicate that arrives while the first is still being
 * written waits for the first's result instead of being refused). The same key with another
 * body is refused (409, naming the header) and writes nothing.
 */

vi.setConfig({ testTimeout: 180_000 });

const COPIES = 100;
// A hundred copies at once from one token are over the per-user limit of openings (functions/api/limits.ts),
// which would answer most of them 429; this file is about what the copies that get through write.
process.env[RATE_LIMITS_ENV] = 'off';

describe('Idempotency-Key: the same opening sent 100 times at once', () => {
  const run = scenario('2026-03-19T15:30:00+05:00');
  let sfn: SFNClient | undefined;
  let table: ReturnType<typeof tableStore> | undefined;
  afterAll(() => {
    sfn?.destroy();
    table?.close();
  });
  const sfnClient = (): SFNClient => (sfn ??= new SFNClient(localClientConfig(run().system.runtime.endpoints.sfn, run().system.runtime.region)));
  const documents = (): DynamoDBDocumentClient => (table ??= tableStore(run().system.runtime.endpoints.dynamodb, run().system.table, run().system.runtime.region)).documents;

  /** Every execution the local Step Functions service holds, over every state machine, by name. */
  async function executionNames(): Promise<string[]> {
    const names: string[] = [];
    const { stateMachines = [] } = await sfnClient().send(new ListStateMachinesCommand({}));
    for (const machine of stateMachines) {
      let nextToken: string | undefined;
      do {
        const page = await sfnClient().send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, maxResults: 1000, nextToken }));
        names.push(...(page.executions ?? []).map((execution) => execution.name ?? ''));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    }
    return names;
  }

  /** The obligation items the table holds for a case reference (a test may scan; the app never does). */
  async function obligationItemsOf(caseRef: string): Promise<{ id: string }[]> {
    const items: { id: string }[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new ScanCommand({
          TableName: run().system.table,
          FilterExpression: 'sk = :meta AND caseRef = :ref',
          ExpressionAttributeValues: { ':meta': 'META', ':ref': caseRef },
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as { id: string }[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items;
  }

  const listed = async (caseRef: string): Promise<string[]> => {
    const answer = await run().api<{ obligations: ObligationView[] }>('sss', 'GET', '/obligations?org=zko-uralsk-akimat-sss&limit=100');
    expect(answer.status).toBe(200);
    return answer.body.obligations.filter((obligation) => obligation.caseRef === caseRef).map((obligation) => obligation.id);
  };

  const opening = { rule: 'sss-decision', caseRef: 'SSS-2026/777', org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20:00+05:00' };
  const key = 'sss-2026-777-open';
  let openedId = '';

  it('100 concurrent requests: one obligation, one execution, 100 successes naming it', async () => {
    const before = await executionNames();
    const answers = await Promise.all(
      Array.from({ length: COPIES }, () => run().api<{ obligations: ObligationView[]; message?: string }>('sss', 'POST', '/obligations', opening, { 'Idempotency-Key': key })),
    );
    await run().clock.settle();

    const failures = answers.filter((answer) => answer.status < 200 || answer.status > 299);
    const firsts = answers.filter((answer) => answer.status === 201);
    const replays = answers.filter((answer) => answer.status === 200);
    const namedIds = new Set(answers.flatMap((answer) => (answer.body.obligations ?? []).map((obligation) => obligation.id)));
    const items = await obligationItemsOf(opening.caseRef);
    const started = (await executionNames()).filter((name) => !before.includes(name));

    recordFigures('idempotency', {
      requests: answers.length,
      'obligations created': { value: items.length, expected: '= 1' },
      'executions started': { value: started.length, expected: '= 1' },
      'non-2xx answers': { value: failures.length, expected: '0' },
    });

    expect(
      failures.map((answer) => `${answer.status} ${answer.body.message ?? ''}`),
      'every answer is a success',
    ).toEqual([]);
    expect(firsts).toHaveLength(1);
    expect(replays).toHaveLength(COPIES - 1);
    expect(replays.every((answer) => answer.headers.get('idempotent-replayed') === 'true')).toBe(true);
    expect(firsts[0]?.headers.get('idempotent-replayed')).toBeNull();
    expect(namedIds.size).toBe(1);
    expect(answers.every((answer) => answer.body.obligations.length === 1)).toBe(true);
    openedId = [...namedIds][0] ?? '';
    expect(items.map((item) => item.id)).toEqual([openedId]);
    expect(await listed(opening.caseRef)).toEqual([openedId]);
    expect(started).toEqual([`${openedId}-r1`]);
    // Every answer shows the obligation as the first one did.
    const first = firsts[0]?.body.obligations[0];
    for (const answer of replays) expect(answer.body.obligations[0]).toMatchObject({ id: openedId, caseRef: opening.caseRef, dueAt: first?.dueAt, revision: 1 });
  });

  it('a later retry with the same key is answered the same, and starts nothing', async () => {
    const before = await executionNames();
    const again = await run().api<{ obligations: ObligationView[] }>('sss', 'POST', '/obligations', opening, { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body.obligations.map((obligation) => obligation.id)).toEqual([openedId]);
    expect(await executionNames()).toEqual(before);
  });

  it('the same key with another body: 409 naming Idempotency-Key, nothing written, nothing started', async () => {
    const before = await executionNames();
    const other = { ...opening, caseRef: 'SSS-2026/778' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => run().api<{ message: string }>('sss', 'POST', '/obligations', other, { 'Idempotency-Key': key })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(409);
      expect(answer.body.message).toMatch(/Idempotency-Key/);
    }
    expect(await obligationItemsOf(other.caseRef)).toEqual([]);
    expect(await listed(other.caseRef)).toEqual([]);
    expect(await executionNames()).toEqual(before);
  });

  /**
   * On DynamoDB, of two transactions writing the same idempotency record at once one may be
   * cancelled with TransactionConflict instead of failing its condition. DynamoDB Local does not
   * answer so (it runs them one after another), so the conflict is given here as DynamoDB would:
   * the table client cancels the first transactions with TransactionConflict. The opening (the
   * application's, on the system's own table and Step Functions) must still end with every copy
   * answered with the one obligation.
   */
  it('copies whose transaction DynamoDB cancels with TransactionConflict wait for the first and answer the same', async () => {
    const before = await executionNames();
    const { store, documents: documentClient, close } = tableStore(run().system.runtime.endpoints.dynamodb, run().system.table, run().system.runtime.region);
    onTestFinished(close);
    const send = documentClient.send.bind(documentClient) as (command: unknown) => Promise<unknown>;
    let conflicts = 12;
    (documentClient as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof TransactWriteCommand && conflicts > 0) {
        conflicts -= 1;
        const reasons = (command.input.TransactItems ?? []).map((_, index) => ({ Code: index === 0 ? 'TransactionConflict' : 'None' }));
        throw new TransactionCanceledException({ message: 'Transaction cancelled, please refer cancellation reasons for specific reasons', $metadata: {}, CancellationReasons: reasons });
      }
      return send(command);
    };
    const prefix = process.env[ENV.stateMachinePrefix];
    if (prefix === undefined) throw new Error('the system has not started');
    const context: AppContext = {
      store,
      executions: new Executions(sfnClient(), prefix),
      mail: { send: () => Promise.reject(new Error('an opening sends no mail')) },
      now: () => run().clock.now(),
      calendar: async () => kazakhstan(await store.calendar.calendarOverrides()),
    };
    const request = OpenObligationRequestSchema.parse({ ...opening, caseRef: 'SSS-2026/780' });
    const caller = { user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => openObligations(context, caller, request, 'sss-2026-780-open')));
    await run().clock.settle();

    const failed = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String(outcome.reason));
    expect(conflicts, 'every injected conflict was met').toBe(0);
    expect(failed).toEqual([]);
    const answered = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const ids = new Set(answered.flatMap((opened) => opened.obligations.map((obligation) => obligation.id)));
    expect(ids.size).toBe(1);
    expect(answered.filter((opened) => !opened.replayed)).toHaveLength(1);
    const items = await obligationItemsOf(request.caseRef);
    expect(items.map((item) => item.id)).toEqual([...ids]);
    const started = (await executionNames()).filter((name) => !before.includes(name));
    expect(started).toEqual([...ids].map((id) => `${id}-r1`));
    recordFigures('idempotency', {
      'copies after TransactionConflict': answered.length + failed.length,
      'obligations created after TransactionConflict': { value: items.length, expected: '= 1' },
      'failed copies after TransactionConflict': { value: failed.length, expected: '0' },
    });
    documentClient.destroy();
  });

  it('the key is the caller’s own: another person with the same key opens their own obligation', async () => {
    const burlin = { ...opening, caseRef: 'SSS-2026/779', org: 'zko-burlin-akimat-sss' };
    const answer = await run().api<{ obligations: ObligationView[] }>('burlinSss', 'POST', '/obligations', burlin, { 'Idempotency-Key': key });
    expect(answer.status).toBe(201);
    expect(answer.body.obligations[0]?.id).not.toBe(openedId);
    expect(await obligationItemsOf(burlin.caseRef)).toHaveLength(1);
  });
});
