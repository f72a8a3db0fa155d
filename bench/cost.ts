import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeExecutionCommand, type HistoryEvent, SFNClient, paginateGetExecutionHistory } from '@aws-sdk/client-sfn';
import { Executions } from '../functions/adapters/executions.ts';
import { Store } from '../functions/adapters/store/index.ts';
import { type AppContext, STORE_OPTIONS, SYSTEM } from '../functions/app/context.ts';
import { openObligations } from '../functions/app/obligations.ts';
import { ENV, executionArn, executionName, stateMachineArn } from '../contract/index.ts';
import type { Person } from '../local/system/client.ts';
import { kazakhstan } from '../shared/calendar/index.ts';
import { OpenObligationRequestSchema } from '../shared/model/index.ts';
import { localClientConfig } from '../local/aws.ts';
import { VirtualClock } from '../local/clock.ts';
import { defaultDataDir } from '../local/system/index.ts';
import { STACK_NAME } from '../local/system/synth.ts';
import { type Section, type Row, fmt } from './stats.ts';
import { startBenchSystem } from './system.ts';

/**
 * What one lifecycle of each rule costs in AWS: state transitions counted from execution
 * histories, Lambda invocations and their time, DynamoDB capacity units and mails, measured while
 * the whole app runs one lifecycle at a time on a virtual clock; then the yearly bill at national
 * volume.
 */

/** Unit prices used, as given in issue 8. */
export const PRICES = {
  region: 'eu-central-1 (assumed equal to the figures given in issue 8)',
  date: '2026-11-22',
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  dynamoPerWru: 1.25 / 1_000_000,
  dynamoPerRru: 0.25 / 1_000_000,
  sesPerMail: 0.1 / 1000,
} as const;

interface Lifecycle {
  readonly rule: string;
  /** The request that opens it (start and caseRef are added). */
  readonly request: Readonly<Record<string, unknown>>;
  /**
   * Who opens it: the administrator through the API, or Merzim itself (a quarterly report, which
   * the provision function opens with the open use case; counted as one invocation).
   */
  readonly openedBy?: 'system';
  /** The act that closes the obligation (or this cycle), and who records it: the party the catalog names. */
  readonly act: Readonly<Record<string, unknown>>;
  readonly actBy: Person;
  /** Openings (or cycles) a year, and the share closed by the act before the deadline. */
  readonly perYear: number;
  readonly acted: number;
  readonly basis: string;
}

const police = { org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector' };
const school = { org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn' };
const cancel = { act: 'cancelled', reason: 'benchmark: cancelled' };

/** National volumes (../shared/domain/LEGAL.md §4 where it has a figure; ⚠ where assumed). */
export const LIFECYCLES: readonly Lifecycle[] = [
  { rule: 'protective-order', request: police, act: cancel, actBy: 'admin', perYear: 70_000, acted: 0, basis: '~70,000 orders (2025), LEGAL §4; each runs its 30 × 24 h to expiry; the opening includes the first offender check' },
  { rule: 'offender-check', request: police, act: { act: 'checked' }, actBy: 'inspector', perYear: 280_000, acted: 0.9, basis: '⚠ 4 further weekly checks per order (the first counts with the order); 90% checked in time' },
  { rule: 'special-requirements', request: { ...police, count: 3 }, act: cancel, actBy: 'admin', perYear: 16_000, acted: 0, basis: '~16,000 a year, LEGAL §4; 3 months, run to expiry' },
  { rule: 'official-warning', request: police, act: cancel, actBy: 'admin', perYear: 30_000, acted: 0, basis: '⚠ assumed 30,000 (no national figure); run to expiry' },
  { rule: 'sss-decision', request: { org: 'zko-uralsk-akimat-sss' }, act: { act: 'decided' }, actBy: 'sss', perYear: 10_000, acted: 0.9, basis: '⚠ assumed 10,000 conclusions a year; 90% decided in time' },
  { rule: 'kdn-placement-reply', request: school, act: { act: 'replied' }, actBy: 'secretary', perYear: 20_000, acted: 0.8, basis: '⚠ ~200 commissions × 25 placement decisions × 4 addressees; 80% reply in time' },
  { rule: 'submission-reply', request: school, act: { act: 'replied' }, actBy: 'secretary', perYear: 4_000, acted: 0.8, basis: '⚠ ~200 commissions × 20 submissions; 80% reply in time' },
  { rule: 'submission-measure', request: { ...school, dueDateInDays: 20 }, act: { act: 'reported' }, actBy: 'secretary', perYear: 8_000, acted: 0.8, basis: '⚠ 2 measures per submission' },
  {
    rule: 'unit-quarterly-report',
    request: { org: 'zko-uralsk-police-dv', variant: 'district', issuedBy: 'zko-police' },
    openedBy: 'system',
    act: { act: 'reported' },
    actBy: 'unitHead',
    perYear: 4_044,
    acted: 0.95,
    basis: '991 police units + 20 regions (LEGAL §4) × 4 quarters; 95% on time',
  },
  { rule: 'action-plan-item', request: { ...school, variant: 'monthly' }, act: { act: 'reported' }, actBy: 'secretary', perYear: 38_400, acted: 0.8, basis: '⚠ 20 regional plans × 40 items × 4 addressees × 12 monthly cycles; 80% on time' },
  { rule: 'shelter-absence', request: { org: 'zko-uralsk-crisis-centre' }, act: { act: 'resident-returned' }, actBy: 'shelterHead', perYear: 2_000, acted: 0.5, basis: '⚠ assumed 2,000 absences; half return within 3 × 24 h' },
];

interface Usage {
  transitions: number;
  tasks: number;
  invocations: number;
  gbSeconds: number;
  wru: number;
  rru: number;
  /** Mails sent at once: urgent milestones and notices of acts. */
  mails: number;
  /** Reminders and escalations queued for the morning mail: each was one mail of its own before it. */
  queued: number;
}
const zero = (): Usage => ({ transitions: 0, tasks: 0, invocations: 0, gbSeconds: 0, wru: 0, rru: 0, mails: 0, queued: 0 });

/**
 * Who receives the queued notices of a rule, for the morning mail's count: the units that share
 * one morning mail a day (the inspector's and the head's notices of one police unit are counted
 * as one unit's). ⚠ where assumed.
 */
export const RECEIVING_UNITS: Readonly<Record<string, { readonly group: string; readonly units: number; readonly basis: string }>> = {
  police: { group: 'police', units: 1_011, basis: '991 police units + 20 regional departments (LEGAL §4)' },
  akimat: { group: 'akimat', units: 220, basis: '⚠ ~220 district and city akimat departments of social services' },
  addressees: { group: 'addressees', units: 2_000, basis: '⚠ ~200 commissions × ~10 bodies each writes to (schools, hospitals, offices)' },
  shelters: { group: 'shelters', units: 60, basis: '⚠ ~60 crisis centres' },
};
const RULE_UNITS: Readonly<Record<string, keyof typeof RECEIVING_UNITS>> = {
  'protective-order': 'police',
  'offender-check': 'police',
  'special-requirements': 'police',
  'official-warning': 'police',
  'unit-quarterly-report': 'police',
  'sss-decision': 'akimat',
  'kdn-placement-reply': 'addressees',
  'submission-reply': 'addressees',
  'submission-measure': 'addressees',
  'action-plan-item': 'addressees',
  'shelter-absence': 'shelters',
};

/**
 * Morning mails a year for `notices` queued notices a year over `units` units and `days` working
 * days, each unit's notices of a day in one mail: with notices falling on the days at random
 * (Poisson, λ per unit per day), a unit gets a mail on a day with probability 1 − e^(−λ).
 */
export function morningMails(notices: number, units: number, days: number): number {
  const lambda = notices / (units * days);
  return units * days * (1 - Math.exp(-lambda));
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * A proxy in front of DynamoDB Local for the functions' clients: it asks for
 * ReturnConsumedCapacity=TOTAL on every read and write and adds up what DynamoDB Local answers.
 */
async function capacityProxy(upstream: string, usage: () => Usage): Promise<{ url: string; close: () => void }> {
  const target = new URL(upstream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body = Buffer.concat(chunks);
      if (READS.has(operation) || WRITES.has(operation)) body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), ReturnConsumedCapacity: 'TOTAL' }));
      const forward = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host, 'content-length': String(body.length) } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            try {
              const consumed = (JSON.parse(text.toString('utf8')) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
              const units = [consumed ?? []].flat().reduce((sum, item) => sum + (item.CapacityUnits ?? 0), 0);
              if (READS.has(operation)) usage().rru += units;
              if (WRITES.has(operation)) usage().wru += units;
            } catch {
              // not JSON: nothing to count
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(text);
          });
        },
      );
      forward.on('error', (error) => res.destroy(error));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

interface ObligationView {
  readonly id: string;
  readonly rule: string;
  readonly dueAt: string;
  readonly status: string;
}

export async function measureCost(): Promise<Section> {
  const clock = new VirtualClock('2025-01-13T10:00:00+05:00');
  const bench = await startBenchSystem(clock);
  const { system, api, apiAs } = bench;
  const sfn = new SFNClient(localClientConfig(system.runtime.endpoints.sfn, system.runtime.region));
  let current = zero();
  const proxy = await capacityProxy(system.runtime.endpoints.dynamodb, () => current);
  // The functions make their clients on first use, from the standard variable: none has run yet.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;

  // Lambda invocations and their duration, by wrapping every registered handler.
  const template = JSON.parse(readFileSync(join(defaultDataDir, 'cdk.out', `${STACK_NAME}.template.json`), 'utf8')) as {
    Resources: Record<string, { Properties?: { MemorySize?: number } }>;
  };
  const memoryMb = new Map(system.stack.functions.map((fn) => [fn.name, template.Resources[fn.logicalId]?.Properties?.MemorySize ?? 128]));
  const handlers = system.runtime.handlers;
  const durations = new Map<string, number[]>();
  for (const fn of system.stack.functions) {
    const inner = handlers.resolve(fn.name)?.handler;
    if (inner === undefined) continue;
    handlers.register(fn.name, async (event, context) => {
      const started = performance.now();
      try {
        return await inner(event, context);
      } finally {
        const ms = Math.ceil(performance.now() - started);
        current.invocations += 1;
        current.gbSeconds += (ms / 1000) * ((memoryMb.get(fn.name) ?? 128) / 1024);
        durations.set(fn.role ?? fn.name, [...(durations.get(fn.role ?? fn.name) ?? []), ms]);
      }
    });
  }
  const prefix = process.env[ENV.stateMachinePrefix] ?? '';
  /**
   * Only Merzim opens a quarterly report (the provision function, for every police unit): here
   * the open use case itself opens the one measured, as the provision function does, and its
   * invocation is counted as one.
   */
  const context: AppContext = {
    store: new Store(bench.documents, system.table, STORE_OPTIONS),
    executions: new Executions(sfn, prefix, () => clock.now()),
    // Opening sends no mail at once: a send here would be a bug.
    mail: { send: () => Promise.reject(new Error('opening sends no mail')) },
    now: () => clock.now(),
    calendar: async () => kazakhstan(),
  };
  const openAsMerzim = async (opening: Record<string, unknown>): Promise<{ obligations: ObligationView[] }> => {
    const { obligations } = await openObligations(context, SYSTEM, OpenObligationRequestSchema.parse(opening));
    current.invocations += 1;
    return { obligations: obligations.map((obligation) => ({ id: obligation.id, rule: obligation.rule, dueAt: new Date(obligation.dueAt).toISOString(), status: obligation.status })) };
  };
  const arnOf = (rule: string, id: string): string => executionArn(stateMachineArn(prefix, rule), executionName(id, 1));
  const mailCount = async (): Promise<number> => ((await (await fetch(`${system.mailViewerUrl}/store`)).json()) as { emails: unknown[] }).emails.length;
  const history = async (arn: string): Promise<HistoryEvent[]> => {
    const events: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory({ client: sfn }, { executionArn: arn })) events.push(...(page.events ?? []));
    return events;
  };

  const runOne = async (lifecycle: Lifecycle, withAct: boolean): Promise<Usage & { status: string; days: number }> => {
    current = zero();
    const mailsBefore = await mailCount();
    const day = 86_400_000;
    const startAt = Math.ceil(clock.now() / day) * day + 5 * 3_600_000; // 10:00 in Kazakhstan, the next day
    await clock.advanceTo(startAt);
    const { dueDateInDays, ...request } = lifecycle.request as { dueDateInDays?: number };
    const opening = {
      rule: lifecycle.rule,
      caseRef: `BENCH-${lifecycle.rule}-${withAct ? 'act' : 'none'}`,
      start: new Date(startAt).toISOString(),
      ...request,
      ...(dueDateInDays === undefined ? {} : { dueDate: new Date(startAt + dueDateInDays * day).toISOString().slice(0, 10) }),
    };
    const opened = lifecycle.openedBy === 'system' ? await openAsMerzim(opening) : await api<{ obligations: ObligationView[] }>('POST', '/obligations', opening);
    const main = opened.obligations.find((obligation) => obligation.rule === lifecycle.rule) ?? opened.obligations[0];
    if (main === undefined) throw new Error(`${lifecycle.rule}: nothing opened`);
    if (withAct) {
      await clock.advanceTo(Date.parse(main.dueAt) - 3_600_000);
      await apiAs(lifecycle.actBy, 'POST', `/obligations/${main.id}/events`, lifecycle.act);
    }
    const arns = opened.obligations.map((obligation) => arnOf(obligation.rule, obligation.id));
    const running = async (): Promise<boolean> =>
      (await Promise.all(arns.map(async (executionArn) => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING'))).some(Boolean);
    for (let week = 0; (await running()) && week < 60; week++) await clock.advanceBy(7 * day);
    if (await running()) throw new Error(`${lifecycle.rule}: the first execution still runs after 60 weeks`);
    const status = (await sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(main.rule, main.id) }))).status ?? '?';
    for (const arn of arns) {
      const events = await history(arn);
      current.transitions += events.filter((event) => event.type?.endsWith('StateEntered')).length;
      current.tasks += events.filter((event) => event.type === 'LambdaFunctionScheduled' || event.type === 'TaskScheduled').length;
    }
    current.mails = (await mailCount()) - mailsBefore;
    // No morning run here (the bench runs no schedules): what the Tasks queued stays queued.
    for (const obligation of opened.obligations) {
      const { notices } = await api<{ notices: { status: string }[] }>('GET', `/obligations/${obligation.id}`);
      current.queued += notices.filter((notice) => notice.status === 'queued').length;
    }
    const usage = { ...current, status, days: (clock.now() - startAt) / day };
    // Next cycles and companions still open are cancelled outside the count.
    current = zero();
    const ids = new Set(opened.obligations.map((obligation) => obligation.id));
    for (const id of ids) {
      const { obligation } = await api<{ obligation: ObligationView }>('GET', `/obligations/${id}`);
      if (obligation.status === 'open' || obligation.status === 'overdue') await api('POST', `/obligations/${id}/events`, cancel);
    }
    await clock.settle();
    return usage;
  };

  try {
    const rows: Row[] = [];
    const measured: Record<string, { none: Usage; act: Usage }> = {};
    let total = 0;
    const bill = { stepFunctions: 0, lambda: 0, dynamodb: 0, ses: 0 };
    let atOnce = 0;
    const queuedByGroup = new Map<string, number>();
    for (const lifecycle of LIFECYCLES) {
      const none = await runOne(lifecycle, false);
      const act = await runOne(lifecycle, true);
      measured[lifecycle.rule] = { none, act };
      const yearly = (field: keyof Usage): number => lifecycle.perYear * ((1 - lifecycle.acted) * none[field] + lifecycle.acted * act[field]);
      const cost = {
        stepFunctions: yearly('transitions') * PRICES.stepFunctionsPerTransition,
        lambda: yearly('invocations') * PRICES.lambdaPerRequest + yearly('gbSeconds') * PRICES.lambdaPerGbSecondArm,
        dynamodb: yearly('wru') * PRICES.dynamoPerWru + yearly('rru') * PRICES.dynamoPerRru,
        ses: yearly('mails') * PRICES.sesPerMail,
      };
      atOnce += yearly('mails');
      const group = RULE_UNITS[lifecycle.rule] ?? 'addressees';
      queuedByGroup.set(group, (queuedByGroup.get(group) ?? 0) + yearly('queued'));
      const sum = cost.stepFunctions + cost.lambda + cost.dynamodb + cost.ses;
      total += sum;
      for (const key of Object.keys(bill) as (keyof typeof bill)[]) bill[key] += cost[key];
      const describe = (usage: Usage): string => `${usage.transitions} tr, ${usage.invocations} λ, ${fmt(usage.wru)} WRU, ${fmt(usage.rru)} RRU, ${usage.mails} mails, ${usage.queued} queued`;
      rows.push({
        figure: `${lifecycle.rule}: no act | act 1 h before the deadline`,
        value: `${describe(none)} | ${describe(act)}`,
        ratio: `$${fmt(sum)}/yr at ${lifecycle.perYear.toLocaleString('en-US')}, ${Math.round(lifecycle.acted * 100)}% acted`,
      });
    }
    // Mails per year: before, each reminder and escalation was a mail; now the queued ones go in
    // one morning mail per unit per working day (digests, merged into them, are not counted in either).
    const calendar = kazakhstan();
    const workingDays = calendar.countWorkingDays('2026-01-01', '2026-12-31');
    const queuedTotal = [...queuedByGroup.values()].reduce((sum, count) => sum + count, 0);
    const morningTotal = [...queuedByGroup].reduce((sum, [group, count]) => sum + morningMails(count, RECEIVING_UNITS[group]?.units ?? 1, workingDays), 0);
    // The morning mails are mails SES bills too; the lifecycles above counted only those sent at once.
    bill.ses += morningTotal * PRICES.sesPerMail;
    total += morningTotal * PRICES.sesPerMail;
    rows.push(
      { figure: 'yearly bill: Step Functions Standard', value: `$${fmt(bill.stepFunctions)}`, ratio: `${fmt((100 * bill.stepFunctions) / total)}% of the total` },
      { figure: 'yearly bill: Lambda (arm64, requests + GB-s)', value: `$${fmt(bill.lambda)}`, ratio: `${fmt((100 * bill.lambda) / total)}% of the total` },
      { figure: 'yearly bill: DynamoDB on demand', value: `$${fmt(bill.dynamodb)}`, ratio: `${fmt((100 * bill.dynamodb) / total)}% of the total` },
      { figure: 'yearly bill: SES (at once + morning mails)', value: `$${fmt(bill.ses)}`, ratio: `${fmt((100 * bill.ses) / total)}% of the total` },
      { figure: 'yearly bill: total', value: `$${fmt(total)}` },
    );
    const before = atOnce + queuedTotal;
    const after = atOnce + morningTotal;
    rows.push(
      { figure: 'mails per year: per-notice (before the morning mail)', value: fmt(before), ratio: `${fmt(atOnce)} at once + ${fmt(queuedTotal)} reminders and escalations` },
      { figure: 'mails per year: morning mail (after)', value: fmt(after), ratio: `${fmt(atOnce)} at once + ${fmt(morningTotal)} morning mails over ${workingDays} working days` },
      { figure: 'mails per year: per-notice vs morning mail', value: `${fmt(before)} → ${fmt(after)}`, ratio: `${fmt(before / after)}× fewer` },
    );
    const ms = [...durations].map(([role, list]) => `${role} ${fmt(list.reduce((a, b) => a + b, 0) / list.length)} ms`).join(', ');
    return {
      title: 'Cost: one lifecycle of each rule (tr = state transitions, λ = Lambda invocations) and the yearly AWS bill at national volume',
      rows,
      notes: [
        'Transitions are the *StateEntered events of the first execution (`<id>-r1`) of every obligation the opening made (GetExecutionHistory on the local service); an act stops the execution, so the act path ends there. Recurring rules: one cycle. protective-order includes its companion first offender check.',
        'Lambda invocations count every handler call in the lifecycle (the API requests to open and to record the act included), their time as measured here, billed at the function\'s memory from the template.',
        `Mean handler time measured here (a local CPU talking to DynamoDB Local, an upper bound for AWS): ${ms}.`,
        'DynamoDB units are what DynamoDB Local reports (ReturnConsumedCapacity=TOTAL, asked for by a proxy in front of the functions\' clients); the local Step Functions service\'s own table is not counted (AWS does not bill it).',
        `Prices used (${PRICES.region}, written ${PRICES.date}, not checked online: this machine has no network): Step Functions Standard $0.025 per 1,000 transitions; Lambda arm64 $0.0000133334 per GB-s and $0.20 per 1M requests; DynamoDB on demand $1.25 per million WRU and $0.25 per million RRU; SES $0.10 per 1,000 mails. Not counted: API Gateway, Cognito, CloudWatch Logs, EventBridge Scheduler, DynamoDB storage and backups, data transfer, the free tiers.`,
        'Mails per year: "at once" are the mails the lifecycles sent (urgent milestones, notices of acts); "queued" are the reminders and escalations their Tasks put in the morning mail\'s queue, each a mail of its own before. Morning mails: per group of receiving units, U × D × (1 − e^(−λ)), λ = queued notices / (U × D), D the working days of 2026 by the calendar — a unit\'s notices of a day in one mail, days drawn at random; a unit\'s people are counted as one (an upper bound per person is the unit\'s count times its recipients). The heads\' digests are in the morning mail too and counted in neither figure.',
        ...Object.values(RECEIVING_UNITS).map((units) => `  receiving units, ${units.group}: ${units.units.toLocaleString('en-US')} — ${units.basis}`),
        'Volumes a year (LEGAL.md §4; ⚠ assumed):',
        ...LIFECYCLES.map((lifecycle) => `  ${lifecycle.rule}: ${lifecycle.perYear.toLocaleString('en-US')}, ${Math.round(lifecycle.acted * 100)}% acted — ${lifecycle.basis}`),
      ],
      data: { prices: PRICES, volumes: LIFECYCLES, measured, bill: { ...bill, total }, mailsPerYear: { before, after, atOnce, queued: queuedTotal, morning: morningTotal, workingDays, units: RECEIVING_UNITS } },
    };
  } finally {
    proxy.close();
    sfn.destroy();
    await bench.stop();
  }
}
