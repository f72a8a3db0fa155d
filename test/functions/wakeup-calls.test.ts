import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { Executions } from '../../functions/adapters/executions.ts';
import { SesMail } from '../../functions/adapters/ses-mail.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import type { AppContext } from '../../functions/app/context.ts';
import { runMilestoneStep } from '../../functions/handlers/milestone.ts';
import { localClientConfig } from '../../local/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { storeWith } from '../support/store.ts';
import { MAIL_FROM, STATE_MACHINE_PREFIX, freshStore, loadDemoDirectory, obligation, open, region, setFunctionEnv, sharedSesLocal } from './support.ts';

/**
 * What one wake-up costs: the calls a milestone's Task makes to DynamoDB and SES, counted by a
 * middleware on the clients it is given, as the handler makes them (runMilestoneStep). A wake-up
 * is CPU-bound on each call it makes, so the count is what keeps 10,000 reminders at one instant
 * near the engine's floor (bench/timers.ts).
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
setFunctionEnv();
const dynamodb = sharedDynamoDbLocal();
const ses = sharedSesLocal();

interface Call {
  readonly client: 'dynamodb' | 'ses' | 'sfn';
  readonly command: string;
  /** The partition keys the call names (its Key, Item or key condition), in order. */
  readonly partitions: readonly string[];
}

let calls: Call[] = [];
let store: Store;
let mail: SesMail;
let sfn: SFNClient;
let closers: (() => void)[] = [];

/** A middleware that notes every call a client sends, before anything else handles it. */
function noting(name: Call['client']) {
  return <Input extends object, Output extends object>(next: (args: { input: Input }) => Promise<Output>, context: { commandName?: string }) =>
    async (args: { input: Input }): Promise<Output> => {
      calls.push({ client: name, command: context.commandName ?? '?', partitions: partitionsOf(args.input) });
      return next(args);
    };
}
const NOTING = { step: 'initialize', name: 'countCalls' } as const;

function partitionsOf(input: unknown): string[] {
  const text = JSON.stringify(input) ?? '';
  return [...text.matchAll(/"pk":(?:\{"S":)?"([^"]+)"/g), ...text.matchAll(/":pk":(?:\{"S":)?"([^"]+)"/g)].map((match) => match[1] ?? '');
}

beforeEach(async () => {
  const fresh = await freshStore(dynamodb.endpoint());
  await loadDemoDirectory(fresh.store);
  fresh.close();
  const client = new DynamoDBClient(localClientConfig(dynamodb.endpoint(), region));
  client.middlewareStack.add(noting('dynamodb'), NOTING);
  store = storeWith(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), fresh.table);
  const sesClient = new SESv2Client(localClientConfig(ses.endpoint(), region));
  sesClient.middlewareStack.add(noting('ses'), NOTING);
  mail = new SesMail(sesClient, MAIL_FROM);
  // No Task of a milestone starts an execution: any call here would be counted, and fail.
  sfn = new SFNClient(localClientConfig('http://127.0.0.1:9', region));
  sfn.middlewareStack.add(noting('sfn'), NOTING);
  closers = [() => client.destroy(), () => sesClient.destroy(), () => sfn.destroy()];
  await ses.clear();
});
afterEach(() => {
  for (const close of closers) close();
});

function contextAt(at: number): AppContext {
  return { store, executions: new Executions(sfn, STATE_MACHINE_PREFIX, () => at), mail, now: () => at, calendar: async () => kazakhstan() };
}

function instantOf(item: Obligation, milestone: string): number {
  const found = item.plan.milestones.find((candidate) => candidate.id === milestone);
  if (found === undefined) throw new Error(`no ${milestone} in ${item.id}`);
  return found.at;
}

/** One wake-up: the Task at its milestone's instant, with the calls it made. */
async function wake(item: Obligation, milestone: string, revision = item.revision) {
  calls = [];
  const at = instantOf(item, milestone);
  const result = await runMilestoneStep(contextAt(at), mail, { obligationId: item.id, revision, milestone });
  return { result, calls: [...calls] };
}

const decision = obligation({ id: 'sss-count', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-16T10:00' });

describe('the calls one wake-up makes', () => {
  test('a reminder for the morning mail: one read of the obligation, one of the unit\'s members, one write; no mail', async () => {
    await open(store, decision);
    const { result, calls: made } = await wake(decision, 'reminder-1');
    expect(result).toEqual({ done: 'told' });
    // Three calls, none avoidable: the obligation is read (its plan, status, revision and
    // version: the execution's input has only the instants), the directory says who holds the
    // role now (read on every wake-up, so that a change made through the API counts at once),
    // and one transaction writes the new version (conditional on the version read: a stale run
    // or a concurrent act cancels it), the `reminded` entry and the queued notice. The trail is
    // not read (the obligation was last written before the milestone); the unit's name is not
    // read (the morning mail writes the text); SES is not called (the morning job sends).
    expect(made.map(({ client, command }) => `${client} ${command}`)).toEqual(['dynamodb GetItemCommand', 'dynamodb QueryCommand', 'dynamodb TransactWriteItemsCommand']);
    expect(made[0]?.partitions).toEqual([`OBL#${decision.id}`]);
    expect(made[1]?.partitions).toEqual(['ORG#zko-uralsk-akimat-sss']);

    // What it wrote is what the morning mail and the timeline read.
    const queued = await store.outbox.queuedNotices();
    expect(queued.map(({ obligationId, milestone, recipient, status }) => ({ obligationId, milestone, recipient, status }))).toEqual([
      { obligationId: decision.id, milestone: 'reminder-1', recipient: 'aliya.sss', status: 'queued' },
    ]);
    const trail = await store.obligations.events(decision.id);
    expect(trail.map(({ type, details }) => ({ type, milestone: details?.['milestone'], notify: details?.['notify'] }))).toEqual([
      { type: 'reminded', milestone: 'reminder-1', notify: 'akimat-department' },
    ]);
    expect((await store.obligations.getObligation(decision.id))?.version).toBe(decision.version + 1);
    expect(await ses.sent()).toEqual([]);
  });

  test('the same wake-up retried: it finds the entry, reads the trail, queues nothing twice', async () => {
    await open(store, decision);
    await wake(decision, 'reminder-1');
    const { result, calls: made } = await wake(decision, 'reminder-1');
    expect(result).toEqual({ done: 'told' });
    expect(made.filter(({ command }) => command === 'QueryCommand').flatMap(({ partitions }) => partitions)).toContain(`OBL#${decision.id}`);
    expect(made.some(({ command }) => command === 'TransactWriteItemsCommand')).toBe(false);
    expect(await store.outbox.queuedNotices()).toHaveLength(1);
    expect((await store.obligations.events(decision.id)).filter((entry) => entry.type === 'reminded')).toHaveLength(1);
  });

  test('a superseded run ends after one read', async () => {
    await open(store, decision);
    calls = [];
    await expect(runMilestoneStep(contextAt(instantOf(decision, 'reminder-1')), mail, { obligationId: decision.id, revision: decision.revision - 1, milestone: 'reminder-1' })).rejects.toMatchObject({
      name: 'Merzim.Superseded',
    });
    expect(calls.map(({ command }) => command)).toEqual(['GetItemCommand']);
    expect(await store.outbox.queuedNotices()).toEqual([]);
  });

  test('the machine\'s last Task: its escalation queued and the timer finished in the same one write', async () => {
    const rule = findRule(decision.rule);
    const last = rule.escalation.at(-1);
    expect(last?.notify).toEqual(['deputy-akim']);
    await open(store, decision);
    const milestone = decision.plan.milestones.at(-1)?.id ?? '';
    expect(milestone).toMatch(/^escalation-2/);
    const { result, calls: made } = await wake(decision, milestone);
    expect(result).toEqual({ done: 'told' });
    // On the obligation's partition: its read and the one transaction; the rest are the
    // directory's reads up the hierarchy to the deputy akim (members and unit, per level).
    const own = made.filter(({ partitions }) => partitions.includes(`OBL#${decision.id}`));
    expect(own.map(({ command }) => command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(made.filter(({ partitions }) => !partitions.includes(`OBL#${decision.id}`)).every(({ partitions }) => partitions.every((pk) => pk === 'DIR' || pk.startsWith('ORG#')))).toBe(true);
    expect(made.every(({ client }) => client === 'dynamodb')).toBe(true);
    const stored = await store.obligations.getObligation(decision.id);
    expect(stored?.timer).toMatchObject({ revision: decision.revision, finished: true });
    expect((await store.outbox.queuedNotices()).map(({ recipient }) => recipient)).toEqual(['marat.deputy-akim']);
  });
});
