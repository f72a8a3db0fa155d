import { randomUUID } from 'node:crypto';
import { createContractTable } from '../support/contract-table.ts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { planOf } from '../../shared/obligations/index.ts';
import { type Rule, findRule } from '../../shared/rules/index.ts';
import { ENV } from '../../contract/index.ts';
import { SesMail } from '../../functions/adapters/ses-mail.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { tableStore } from '../support/store.ts';
import { type RunningService, localClientConfig, startSesLocal } from '../../local/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';

export const region = 'eu-central-1';
export const MAIL_FROM = 'merzim@merzim.demo.kz';
export const STATE_MACHINE_PREFIX = `arn:aws:states:${region}:000000000000:stateMachine:merzim-test-`;

/** The functions' environment, pointing nowhere real; the tests build their clients explicitly. */
export function setFunctionEnv(): void {
  process.env[ENV.table] = 'unused';
  process.env[ENV.mailFrom] = MAIL_FROM;
  process.env[ENV.stateMachinePrefix] = STATE_MACHINE_PREFIX;
  process.env[ENV.stage] = 'test';
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
}

/** A fresh table with the contract's keys and indexes, and a Store on it. */
export async function freshStore(endpoint: string): Promise<{ store: Store; documents: DynamoDBDocumentClient; table: string; close(): void }> {
  const table = `merzim-${randomUUID()}`;
  await createContractTable(endpoint, table, region);
  const { store, documents, close } = tableStore(endpoint, table, region);
  return { store, documents, table, close };
}

/** The demo directory (West Kazakhstan region, two districts, no real people) into a store. */
export async function loadDemoDirectory(store: Store): Promise<void> {
  const directory = readDirectory();
  await Promise.all(directory.organisations.map((organisation) => store.directory.putOrganisation(organisation)));
  await Promise.all(directory.members.map((member) => store.directory.putMember(member)));
}

export interface SentMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

/** One local SES for the test file, its mailbox emptied before each test that asks. */
export function sharedSesLocal(): { endpoint(): string; mail(): SesMail; sent(): Promise<SentMail[]>; clear(): Promise<void> } {
  let ses: RunningService | undefined;
  let client: SESv2Client | undefined;
  beforeAll(async () => {
    ses = await startSesLocal();
    client = new SESv2Client(localClientConfig(ses.endpoint, region));
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await ses?.stop();
  });
  const endpoint = (): string => {
    if (ses === undefined) throw new Error('the local SES is not running');
    return ses.endpoint;
  };
  return {
    endpoint,
    mail() {
      if (client === undefined) throw new Error('the local SES is not running');
      return new SesMail(client, MAIL_FROM);
    },
    async sent() {
      const response = await fetch(`${endpoint()}/store`);
      const { emails } = (await response.json()) as { emails: SentMail[] };
      return emails;
    },
    async clear() {
      await fetch(`${endpoint()}/clear-store`, { method: 'POST' });
    },
  };
}

/** An obligation as the API would open it, planned on Kazakhstan's calendar. */
export function obligation(fields: Partial<Obligation> & Pick<Obligation, 'id' | 'rule' | 'org'> & { startText: string; at?: number }): Obligation {
  const { startText, at: given, ...rest } = fields;
  const rule = findRule(fields.rule);
  const start = parseInstant(startText);
  const at = given ?? start;
  const base = {
    caseRef: `KDN-${fields.id.toUpperCase()}`,
    status: 'open' as const,
    revision: 1,
    cycle: 1,
    createdAt: at,
    createdBy: 'merzim',
    updatedAt: at,
    version: 1,
    ...rest,
    start,
  };
  const plan = planOf(rule, base, kazakhstan());
  return { ...base, ruleVersion: rule.version, plan, dueAt: plan.dueAt };
}

export async function open(store: Store, ...obligations: Obligation[]): Promise<void> {
  for (const item of obligations) await store.obligations.openObligations([{ obligation: item, events: [] }]);
}

/**
 * Each test on a fresh table holding the demo directory, with an empty local mailbox: `use` is
 * given each test's store before the test (and before hooks registered after this call) runs.
 */
export function demoStoreEachTest(use: (store: Store) => void): { readonly ses: ReturnType<typeof sharedSesLocal> } {
  setFunctionEnv();
  const dynamodb = sharedDynamoDbLocal();
  const ses = sharedSesLocal();
  let current: Awaited<ReturnType<typeof freshStore>> | undefined;
  beforeEach(async () => {
    current = await freshStore(dynamodb.endpoint());
    await loadDemoDirectory(current.store);
    await ses.clear();
    use(current.store);
  });
  afterEach(() => current?.close());
  return { ses };
}

/**
 * A rule of the catalog with every slot marked urgent: its notices take deliverMilestone's
 * send-now branch, for tests of that branch and of the outbox under it. The catalog's own
 * urgent slots, and the morning mail for the others, are tested in morning.test.ts.
 */
export function sentAtOnce(rule: Rule): Rule {
  const urgent = { reason: 'test: sent at its instant' };
  return {
    ...rule,
    reminders: rule.reminders.map((reminder) => ({ ...reminder, urgent })),
    onDue: { ...rule.onDue, urgent },
    escalation: rule.escalation.map((step) => ({ ...step, urgent })),
  };
}
