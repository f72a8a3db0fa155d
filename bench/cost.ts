import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { DescribeExecutionCommand, type HistoryEvent, SFNClient, paginateGetExecutionHistory, paginateListExecutions } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { Executions } from '../functions/adapters/executions.ts';
import { Store } from '../functions/adapters/store/index.ts';
import { type AppContext, STORE_OPTIONS, SYSTEM } from '../functions/app/context.ts';
import { openObligations } from '../functions/app/obligations.ts';
import { ENV, executionArn, executionName, stateMachineArn } from '../contract/index.ts';
import type { Person } from '../local/system/client.ts';
import { type Role, RoleSchema, localDateOf } from '../shared/base/index.ts';
import { kazakhstan } from '../shared/calendar/index.ts';
import { OpenObligationRequestSchema } from '../shared/model/index.ts';
import { localClientConfig } from '../local/aws.ts';
import { VirtualClock } from '../local/clock.ts';
import { defaultDataDir } from '../local/system/index.ts';
import { parseScheduleExpression, scheduleInput } from '../local/system/schedules.ts';
import type { ScheduleDescription } from '../local/system/stack.ts';
import { STACK_NAME } from '../local/system/synth.ts';
import {
  type BillModel,
  COUNTED,
  type Counts,
  type LifecycleCounts,
  type MorningDemand,
  NONE,
  PERMANENT_FREE_A_YEAR,
  PRICES,
  PRICE_SOURCES,
  billOf,
  lifecyclesAYear,
  morningMailsAYear,
  perMailAndNotice,
  plus,
  times,
  yearlyCounts,
} from './bill.ts';
import { type Section, type Row, fmt } from './stats.ts';
import { startBenchSystem } from './system.ts';

/**
 * What Merzim costs in AWS a year at national volume. Everything it does is counted on the whole
 * app running on a virtual clock: one lifecycle of each rule at a time, without and with its
 * closing act (state transitions from GetExecutionHistory, Lambda invocations and their time,
 * DynamoDB units through a proxy that asks for ReturnConsumedCapacity, mails sent at once, the
 * morning mail run at each 09:30 the clock passes, its mails and what it carried); then each
 * schedule's own run. Only the volumes a year, the directory's size and the unit prices are
 * written here; bench/bill.ts turns the counts into dollars.
 */

export { PRICES } from './bill.ts';

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


/**
 * The people who get morning mails, by role, in the whole country: a lifecycle measured alone
 * mails the demo directory's one person of each role; at national volume each person's notices
 * of a morning share one mail. ⚠ where assumed (../shared/domain/LEGAL.md §4 has the police figures).
 */
export const RECIPIENTS: Readonly<Record<Role, { readonly people: number; readonly basis: string }>> = {
  inspector: { people: 991 * 3, basis: '⚠ 3 inspectors share the orders, checks and warnings of each of the 991 specialised police units (LEGAL §4)' },
  'unit-head': { people: 991, basis: '991 specialised police units (LEGAL §4), one head each' },
  'regional-head': { people: 20, basis: '20 regional police departments (17 regions, 3 cities: the 1,011 reporting units less 991)' },
  'committee-head': { people: 1, basis: 'the Administrative Police Committee' },
  'akimat-department': { people: 220, basis: '⚠ ~220 district and city departments of employment and social programmes' },
  'akimat-department-head': { people: 220, basis: '⚠ one head for each of the ~220 departments' },
  'deputy-akim': { people: 220, basis: '⚠ one deputy akim over each department' },
  'commission-secretary': { people: 200, basis: '⚠ ~200 commissions on minors\' affairs (the volumes\' own assumption)' },
  'commission-chair': { people: 200, basis: '⚠ one chair for each of the ~200 commissions' },
  addressee: { people: 2_000, basis: '⚠ ~200 commissions × ~10 bodies each writes to (schools, hospitals, offices)' },
  'addressee-head': { people: 2_000, basis: '⚠ one head for each of the ~2,000 bodies' },
  'shelter-head': { people: 60, basis: '⚠ ~60 crisis centres' },
};

/**
 * Organisations in the national directory, against the demo's: the schedules that walk the
 * directory (WALKS_THE_DIRECTORY) read and work in proportion. The sum of the kinds above: police
 * units, regional departments and the committee, akimat departments, commissions, bodies, centres.
 */
export const NATIONAL_ORGANISATIONS = 991 + 20 + 1 + 220 + 200 + 2_000 + 60;
/**
 * The schedules whose run reads every organisation (functions/app/digest.ts `digestsAt` reads each
 * one's members; functions/app/snapshot.ts one query per unit; provisioning checks every police
 * unit): their run on an empty system is scaled by NATIONAL_ORGANISATIONS / the demo's count. The
 * reconciler reads the live obligations instead, and is scaled by those.
 */
export const WALKS_THE_DIRECTORY: readonly string[] = ['digest', 'snapshot', 'provision'];

/** The year the schedules' occurrences and the working days are counted in. */
const YEAR = { from: '2026-01-01', to: '2026-12-31' } as const;

/** Live obligations opened to measure what the schedules do per live obligation. */
const LIVE_PROBE = 10;

type Tally = { -readonly [K in keyof Counts]: number } & { tasks: number; executions: number };
const tally = (): Tally => ({ ...NONE, tasks: 0, executions: 0 });
const countsOf = (from: Tally): Counts => Object.fromEntries(COUNTED.map((field) => [field, from[field]])) as unknown as Counts;
const minus = (a: Tally, b: Partial<Counts>): Counts => plus(countsOf(a), b, -1);

/** What the morning mail's function answers (functions/app/morning.ts MorningSummary). */
const MorningSummarySchema = z.looseObject({ dayOff: z.boolean(), sent: z.number(), people: z.number(), notices: z.number(), withdrawn: z.number() });
const MailboxSchema = z.looseObject({ emails: z.array(z.looseObject({ messageId: z.string(), destination: z.looseObject({ to: z.array(z.string()) }) })) });

/** One run of the morning mail: what it sent, to whom, what it carried, and its own use. */
interface MorningRun {
  readonly dayOff: boolean;
  readonly mails: number;
  readonly notices: number;
  readonly roles: readonly Role[];
  readonly use: Tally;
}

/** One path of one lifecycle, counted. */
interface Path {
  /** Everything but the morning runs: the opening, the Tasks, the act, the mails sent at once. */
  readonly counts: Counts;
  readonly tasks: number;
  readonly executions: number;
  /** Morning mails the lifecycle got alone, by the recipient's role, and the notices they carried. */
  readonly morningMails: Readonly<Partial<Record<Role, number>>>;
  readonly notices: number;
  /** The morning runs' use above an empty run's. */
  readonly morningUse: Counts;
  readonly runs: readonly MorningRun[];
  /** Days from the opening to the act, or to the end of the execution. */
  readonly liveDays: number;
  readonly status: string;
}

interface ObligationView {
  readonly id: string;
  readonly rule: string;
  readonly dueAt: string;
  readonly status: string;
}

const mix = (lifecycle: Lifecycle, none: number, act: number): number => lifecycle.perYear * ((1 - lifecycle.acted) * none + lifecycle.acted * act);

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * A proxy in front of DynamoDB Local for the functions' clients: it asks for
 * ReturnConsumedCapacity=TOTAL on every read and write and adds up what DynamoDB Local answers.
 */
async function capacityProxy(upstream: string, usage: () => Tally): Promise<{ url: string; close: () => void }> {
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


export async function measureCost(): Promise<Section> {
  const clock = new VirtualClock('2026-03-09T10:00:00+05:00');
  const bench = await startBenchSystem(clock);
  const { system, api, apiAs } = bench;
  const sfn = new SFNClient(localClientConfig(system.runtime.endpoints.sfn, system.runtime.region));
  let current = tally();
  const proxy = await capacityProxy(system.runtime.endpoints.dynamodb, () => current);
  // The functions make their clients on first use, from the standard variable: none has run yet.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;

  // Lambda invocations and their duration, by wrapping every registered handler.
  const template = JSON.parse(readFileSync(join(defaultDataDir, 'cdk.out', `${STACK_NAME}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type?: string; Properties?: { MemorySize?: number } }>;
  };
  // A stream-driven start (EventBridge Pipes from the table's stream to StartExecution) bills a request per execution it starts.
  const pipes = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Pipes::Pipe').length;
  const memoryMb = new Map(system.stack.functions.map((fn) => [fn.name, template.Resources[fn.logicalId]?.Properties?.MemorySize ?? 128]));
  const roleOfFunction = new Map(system.stack.functions.map((fn) => [fn.name, fn.role ?? fn.name]));
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
  const store = new Store(bench.documents, system.table, STORE_OPTIONS);
  /**
   * Only Merzim opens a quarterly report (the provision function, for every police unit): here
   * the open use case itself opens the one measured, as the provision function does, and its
   * invocation is counted as one.
   */
  const context: AppContext = {
    store,
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
  // The mail viewer's store holds every mail of the run with its body: the measure asks only for
  // those stamped since its last look (`since`, in whole seconds) and drops the ones it has seen.
  const seenMails = new Set<string>();
  let lookedAtS = 0;
  const newMails = async (): Promise<{ destination: { to: string[] } }[]> => {
    const askedS = Math.floor(Date.now() / 1000);
    const { emails } = MailboxSchema.parse(await (await fetch(`${system.mailViewerUrl}/store?since=${lookedAtS}`)).json());
    lookedAtS = askedS;
    const fresh = emails.filter((mail) => !seenMails.has(mail.messageId));
    for (const mail of fresh) seenMails.add(mail.messageId);
    return fresh;
  };
  /** Mails sent in the run so far. */
  const mailCount = async (): Promise<number> => {
    await newMails();
    return seenMails.size;
  };
  const history = async (arn: string): Promise<HistoryEvent[]> => {
    const events: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory({ client: sfn }, { executionArn: arn })) events.push(...(page.events ?? []));
    return events;
  };
  const executionsOf = async (rule: string, id: string): Promise<number> => {
    let count = 0;
    for await (const page of paginateListExecutions({ client: sfn }, { stateMachineArn: stateMachineArn(prefix, rule) }))
      count += (page.executions ?? []).filter((execution) => execution.name?.startsWith(`${id}-`) === true).length;
    return count;
  };

  // Whom a mail went to: the directory's roles by address (the demo directory; a person with several roles counts under his first).
  const roleByEmail = new Map<string, Role>();
  const organisations = await store.directory.organisations();
  for (const organisation of organisations) for (const member of await store.directory.members(organisation.org)) if (!roleByEmail.has(member.email)) roleByEmail.set(member.email, RoleSchema.parse(member.role));
  const unknownRecipients = new Set<string>();
  const roleOf = (email: string): Role | undefined => {
    const role = roleByEmail.get(email);
    if (role === undefined) unknownRecipients.add(email);
    return role;
  };

  // The schedules, as the template has them.
  const schedules = system.stack.schedules.filter((schedule) => schedule.enabled);
  const roleOfSchedule = (schedule: ScheduleDescription): string => roleOfFunction.get(schedule.functionName) ?? schedule.functionName;
  const digest = schedules.find((schedule) => roleOfSchedule(schedule) === 'digest');
  if (digest === undefined) throw new Error('no morning mail schedule in the template');
  const nextMorning = parseScheduleExpression(digest.expression, digest.timezone);

  const morningRun = async (at: number): Promise<MorningRun> => {
    await clock.settle();
    const outer = current;
    const use = tally();
    current = use;
    await newMails();
    let summary: z.infer<typeof MorningSummarySchema>;
    try {
      summary = MorningSummarySchema.parse(await system.invoke(digest.functionName, scheduleInput(digest.input, at)));
      // Each mail's Send event, settled by mail-events, is part of sending it.
      await system.flushMailEvents();
      await clock.settle();
    } finally {
      current = outer;
    }
    const sent = await newMails();
    const roles = sent.flatMap((mail) => mail.destination.to.map(roleOf)).filter((role): role is Role => role !== undefined);
    return { dayOff: summary.dayOff, mails: sent.length, notices: summary.notices + summary.withdrawn, roles, use };
  };
  let morningDone = clock.now();
  const walkCalendar = kazakhstan();
  /**
   * Moves the clock to `target`, running the morning mail at each of its instants on the way; on a
   * day off only when `daysOff` (such a run reads the calendar and stops: measured once, empty).
   */
  const walkTo = async (target: number, runs: MorningRun[], daysOff = false): Promise<void> => {
    for (let at = nextMorning(morningDone); at !== undefined && at <= target; at = nextMorning(at)) {
      if (!daysOff && !walkCalendar.isWorkingDay(localDateOf(at))) {
        morningDone = at;
        continue;
      }
      await clock.advanceTo(at);
      runs.push(await morningRun(at));
      morningDone = at;
    }
    await clock.advanceTo(target);
  };
  /** Runs the morning mail until a working morning has run (the one that carries what is queued). */
  const toWorkingMorning = async (runs: MorningRun[]): Promise<void> => {
    for (let at = nextMorning(morningDone); at !== undefined; at = nextMorning(at)) {
      const before = runs.length;
      await walkTo(at, runs);
      if (runs.length > before && runs.at(-1)?.dayOff === false) return;
    }
  };

  // An empty morning (nothing live, nothing queued), on working days and days off: the part of a run no lifecycle causes.
  const emptyRuns: MorningRun[] = [];
  while (emptyRuns.filter((run) => !run.dayOff).length < 3 || !emptyRuns.some((run) => run.dayOff)) await walkTo(nextMorning(morningDone) ?? clock.now(), emptyRuns, true);
  const meanUse = (runs: readonly MorningRun[]): Counts => times(runs.reduce((sum, run) => plus(sum, countsOf(run.use)), NONE), 1 / Math.max(1, runs.length));
  const emptyWorking = meanUse(emptyRuns.filter((run) => !run.dayOff));
  const emptyDayOff = meanUse(emptyRuns.filter((run) => run.dayOff));

  const day = 86_400_000;
  const runOne = async (lifecycle: Lifecycle, withAct: boolean): Promise<Path> => {
    const startAt = Math.ceil(clock.now() / day) * day + 5 * 3_600_000; // 10:00 in Kazakhstan, the next day
    await clock.advanceTo(startAt);
    morningDone = startAt;
    const usage = tally();
    current = usage;
    const runs: MorningRun[] = [];
    const mailsBefore = await mailCount();
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
    // The timers start from the table's stream, after the answer: let the clock's work settle.
    await clock.settle();
    const arns = opened.obligations.map((obligation) => arnOf(obligation.rule, obligation.id));
    const running = async (): Promise<boolean> =>
      (await Promise.all(arns.map(async (executionArn) => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING'))).some(Boolean);
    let liveUntil: number | undefined;
    if (withAct) {
      await walkTo(Date.parse(main.dueAt) - 3_600_000, runs);
      await apiAs(lifecycle.actBy, 'POST', `/obligations/${main.id}/events`, lifecycle.act);
      liveUntil = clock.now();
    }
    for (let days = 0; (await running()) && days < 420; days++) await walkTo(clock.now() + day, runs);
    if (await running()) throw new Error(`${lifecycle.rule}: the first execution still runs after 60 weeks`);
    liveUntil ??= clock.now();
    // What the last Tasks queued goes out the next working morning.
    await toWorkingMorning(runs);
    const status = (await sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(main.rule, main.id) }))).status ?? '?';
    for (const arn of arns) {
      const events = await history(arn);
      usage.transitions += events.filter((event) => event.type?.endsWith('StateEntered')).length;
      usage.tasks += events.filter((event) => event.type === 'LambdaFunctionScheduled' || event.type === 'TaskScheduled').length;
    }
    for (const obligation of opened.obligations) usage.executions += await executionsOf(obligation.rule, obligation.id);
    const morningMailCount = runs.reduce((sum, run) => sum + run.mails, 0);
    usage.mails = (await mailCount()) - mailsBefore - morningMailCount;
    usage.pipeRequests = pipes > 0 ? usage.executions : 0;
    const morningMails: Partial<Record<Role, number>> = {};
    for (const run of runs) for (const role of run.roles) morningMails[role] = (morningMails[role] ?? 0) + 1;
    const morningUse = runs.reduce((sum, run) => plus(sum, minus(run.use, run.dayOff ? emptyDayOff : emptyWorking)), NONE);
    const path: Path = {
      counts: countsOf(usage),
      tasks: usage.tasks,
      executions: usage.executions,
      morningMails,
      notices: runs.reduce((sum, run) => sum + run.notices, 0),
      morningUse,
      runs,
      liveDays: (liveUntil - startAt) / day,
      status,
    };
    // Next cycles and companions still open are cancelled outside the count, and the morning after withdraws what they queued.
    current = tally();
    for (const { id } of opened.obligations) {
      const { obligation } = await api<{ obligation: ObligationView }>('GET', `/obligations/${id}`);
      if (obligation.status === 'open' || obligation.status === 'overdue') await api('POST', `/obligations/${id}/events`, cancel);
    }
    await clock.settle();
    await toWorkingMorning([]);
    return path;
  };

  /** One run of a schedule at the clock's instant, counted on its own. */
  const scheduleRun = async (schedule: ScheduleDescription): Promise<Counts> => {
    await clock.settle();
    const outer = current;
    const use = tally();
    current = use;
    try {
      await system.invoke(schedule.functionName, scheduleInput(schedule.input, clock.now()));
      await system.flushMailEvents();
      await clock.settle();
    } finally {
      current = outer;
    }
    return countsOf(use);
  };

  try {
    // A path no lifecycle takes at these volumes (an order nobody cancels) weighs nothing: it is not walked.
    const measured: Record<string, { none: Path; act: Path; actWalked: boolean }> = {};
    for (const lifecycle of LIFECYCLES) {
      const none = await runOne(lifecycle, false);
      measured[lifecycle.rule] = lifecycle.acted > 0 ? { none, act: await runOne(lifecycle, true), actWalked: true } : { none, act: none, actWalked: false };
    }

    // The schedules' own runs: on an empty system, then with live obligations, for what each live one adds.
    const probed = schedules.filter((schedule) => !['digest', 'provision'].includes(roleOfSchedule(schedule)));
    const idle = new Map<string, Counts>();
    for (const schedule of probed) idle.set(schedule.name, await scheduleRun(schedule));
    const probeIds: string[] = [];
    for (let i = 0; i < LIVE_PROBE; i++) {
      const opened = await api<{ obligations: ObligationView[] }>('POST', '/obligations', { rule: 'protective-order', caseRef: `BENCH-live-${i}`, start: new Date(clock.now()).toISOString(), ...police });
      probeIds.push(...opened.obligations.map((obligation) => obligation.id));
    }
    await clock.settle();
    const perLive = new Map<string, Counts>();
    // What a live obligation adds, never less than nothing (a run's time differs from the last by noise).
    const atLeastNone = (counts: Counts): Counts => Object.fromEntries(COUNTED.map((field) => [field, Math.max(0, counts[field])])) as unknown as Counts;
    for (const schedule of probed) perLive.set(schedule.name, atLeastNone(times(plus(await scheduleRun(schedule), idle.get(schedule.name) ?? NONE, -1), 1 / probeIds.length)));
    for (const id of probeIds) await api('POST', `/obligations/${id}/events`, cancel);
    await clock.settle();
    // Provisioning's first run of the day may open the quarter's reports (counted in unit-quarterly-report); the second is every other day's.
    const provision = schedules.find((schedule) => roleOfSchedule(schedule) === 'provision');
    if (provision !== undefined) {
      await scheduleRun(provision);
      idle.set(provision.name, await scheduleRun(provision));
    }

    const calendar = kazakhstan();
    const workingDays = calendar.countWorkingDays(YEAR.from, YEAR.to);
    const yearFrom = Date.parse(`${YEAR.from}T00:00:00+05:00`);
    const yearTo = Date.parse(`${YEAR.to}T24:00:00+05:00`);
    const occurrences = (schedule: ScheduleDescription): number[] => {
      const next = parseScheduleExpression(schedule.expression, schedule.timezone);
      const list: number[] = [];
      for (let at = next(yearFrom - 1); at !== undefined && at < yearTo; at = next(at)) list.push(at);
      return list;
    };
    const directoryScale = NATIONAL_ORGANISATIONS / organisations.length;
    const scaled = (counts: Counts, factor: number): Counts => ({ ...counts, gbSeconds: counts.gbSeconds * factor, wru: counts.wru * factor, rru: counts.rru * factor });

    // Live obligations at any moment, nationally (Little's law): openings a year × days live / 365.
    const nationalLive = LIFECYCLES.reduce((sum, lifecycle) => {
      const paths = measured[lifecycle.rule];
      return paths === undefined ? sum : sum + mix(lifecycle, paths.none.liveDays, paths.act.liveDays) / 365;
    }, 0);

    const scheduleRows: Row[] = [];
    let schedulesAYear = NONE;
    for (const schedule of schedules) {
      const role = roleOfSchedule(schedule);
      const at = occurrences(schedule);
      const factor = WALKS_THE_DIRECTORY.includes(role) ? directoryScale : 1;
      let year: Counts;
      if (role === 'digest') {
        const working = at.filter((instant) => calendar.isWorkingDay(localDateOf(instant))).length;
        year = plus(times(scaled(emptyWorking, factor), working), emptyDayOff, at.length - working);
      } else {
        year = plus(times(scaled(idle.get(schedule.name) ?? NONE, factor), at.length), perLive.get(schedule.name) ?? NONE, at.length * nationalLive);
      }
      year = plus(year, { scheduled: at.length });
      schedulesAYear = plus(schedulesAYear, year);
      const bill = billOf(year);
      scheduleRows.push({
        figure: `schedule ${schedule.name} (${role}, ${schedule.expression}): runs a year`,
        value: `${at.length.toLocaleString('en-US')}`,
        ratio: `$${fmt(bill.total)}/yr: ${fmt(year.invocations)} λ, ${fmt(year.wru)} WRU, ${fmt(year.rru)} RRU${factor === 1 ? '' : `, its empty run × ${fmt(factor)} (directory)`}${perLive.has(schedule.name) ? ` + ${fmt(perLive.get(schedule.name)?.rru ?? 0)} RRU per live obligation × ${fmt(nationalLive)} live` : ''}`,
      });
    }

    // The morning job's use per mail and per notice, above an empty morning, from every working morning it ran.
    const working = Object.values(measured).flatMap(({ none, act, actWalked }) => [...none.runs, ...(actWalked ? act.runs : [])]).filter((run) => !run.dayOff && (run.mails > 0 || run.notices > 0));
    const perMail: Partial<Record<keyof Counts, number>> = {};
    const perNotice: Partial<Record<keyof Counts, number>> = {};
    for (const field of ['invocations', 'gbSeconds', 'wru', 'rru'] as const) {
      const fit = perMailAndNotice(working.map((run) => ({ mails: run.mails, notices: run.notices, use: minus(run.use, emptyWorking)[field] })));
      perMail[field] = fit.perMail;
      perNotice[field] = fit.perNotice;
    }
    const demand: MorningDemand[] = (Object.keys(RECIPIENTS) as Role[]).map((role) => ({
      role,
      recipients: RECIPIENTS[role].people,
      demand: LIFECYCLES.reduce((sum, lifecycle) => {
        const paths = measured[lifecycle.rule];
        return paths === undefined ? sum : sum + mix(lifecycle, paths.none.morningMails[role] ?? 0, paths.act.morningMails[role] ?? 0);
      }, 0),
    }));
    const lifecycles: LifecycleCounts[] = LIFECYCLES.flatMap((lifecycle) => {
      const paths = measured[lifecycle.rule];
      return paths === undefined ? [] : [{ perYear: lifecycle.perYear, acted: lifecycle.acted, none: paths.none.counts, act: paths.act.counts }];
    });
    const notices = LIFECYCLES.reduce((sum, lifecycle) => {
      const paths = measured[lifecycle.rule];
      return paths === undefined ? sum : sum + mix(lifecycle, paths.none.notices, paths.act.notices);
    }, 0);
    const model: BillModel = { lifecycles, morning: { demand, workingDays, notices, perMail, perNotice }, schedules: schedulesAYear };
    const year = yearlyCounts(model);
    const bill = billOf(year);
    const free = billOf(year, PRICES, PERMANENT_FREE_A_YEAR);
    const morningMails = morningMailsAYear(model.morning);
    const atOnce = lifecyclesAYear(lifecycles).mails;
    const alone = demand.reduce((sum, kind) => sum + kind.demand, 0);

    const rows: Row[] = [];
    const describe = (path: Path): string =>
      `${path.counts.transitions} tr, ${path.counts.invocations} λ, ${fmt(path.counts.wru)} WRU, ${fmt(path.counts.rru)} RRU, ${path.counts.mails} mails at once, ${path.notices} queued → ${Object.values(path.morningMails).reduce((a, b) => a + b, 0)} morning mails alone${pipes > 0 ? `, ${path.counts.pipeRequests} pipe req.` : ''}, ${fmt(path.liveDays)} d live`;
    for (const lifecycle of LIFECYCLES) {
      const paths = measured[lifecycle.rule];
      if (paths === undefined) continue;
      rows.push({
        figure: `${lifecycle.rule}: no act | act 1 h before the deadline`,
        value: `${describe(paths.none)} | ${paths.actWalked ? describe(paths.act) : 'not walked (0% acted)'}`,
        ratio: `$${fmt(billOf(lifecyclesAYear([{ perYear: lifecycle.perYear, acted: lifecycle.acted, none: paths.none.counts, act: paths.act.counts }])).total)}/yr without its morning mails, at ${lifecycle.perYear.toLocaleString('en-US')}, ${Math.round(lifecycle.acted * 100)}% acted`,
      });
    }
    const share = (dollars: number): string => `${fmt((100 * dollars) / bill.total)}% of the total`;
    rows.push(
      { figure: 'morning mails a year (each person\'s notices of a morning in one mail)', value: fmt(morningMails), ratio: `${fmt(alone)} person-mornings measured alone × volumes, over ${workingDays} working days; ${fmt(notices)} queued notices carried or withdrawn` },
      {
        figure: 'morning job per mail | per notice (above an empty morning)',
        value: `${fmt(perMail.wru ?? 0)} WRU, ${fmt(perMail.rru ?? 0)} RRU, ${fmt(perMail.invocations ?? 0)} λ | ${fmt(perNotice.wru ?? 0)} WRU, ${fmt(perNotice.rru ?? 0)} RRU`,
        ratio: `fitted over ${working.length} working mornings; an empty working morning: ${fmt(emptyWorking.rru)} RRU, ${fmt(emptyWorking.wru)} WRU on ${organisations.length} organisations`,
      },
      ...scheduleRows,
      {
        figure: 'mails a year: at once | morning mails (notices and digests)',
        value: `${fmt(atOnce)} | ${fmt(morningMails)}`,
        ratio: `${fmt(notices / Math.max(1, morningMails))} queued notices per morning mail; at most ${fmt(Object.values(RECIPIENTS).reduce((sum, kind) => sum + kind.people, 0) * workingDays)} (everyone, every working day)`,
      },
      { figure: 'yearly bill: Step Functions Standard', value: `$${fmt(bill.stepFunctions)}`, ratio: `${share(bill.stepFunctions)}; ${fmt(year.transitions)} transitions` },
      { figure: 'yearly bill: Lambda (arm64, requests + GB-s)', value: `$${fmt(bill.lambda)}`, ratio: `${share(bill.lambda)}; ${fmt(year.invocations)} invocations, ${fmt(year.gbSeconds)} GB-s` },
      { figure: 'yearly bill: DynamoDB on demand', value: `$${fmt(bill.dynamodb)}`, ratio: `${share(bill.dynamodb)}; ${fmt(year.wru)} WRU, ${fmt(year.rru)} RRU` },
      { figure: 'yearly bill: SES (at once + morning mails)', value: `$${fmt(bill.ses)}`, ratio: `${share(bill.ses)}; ${fmt(year.mails)} mails` },
      { figure: 'yearly bill: EventBridge Pipes', value: `$${fmt(bill.pipes)}`, ratio: pipes > 0 ? `${share(bill.pipes)}; ${fmt(year.pipeRequests)} requests` : 'no pipe in the template' },
      { figure: 'yearly bill: EventBridge Scheduler', value: `$${fmt(bill.scheduler)}`, ratio: `${fmt(year.scheduled)} invocations` },
      { figure: 'yearly bill: total', value: `$${fmt(bill.total)}`, ratio: bill.total <= 100 ? `within $100 by $${fmt(100 - bill.total)}` : `$${fmt(bill.total - 100)} over $100` },
      { figure: 'yearly bill less the permanent free tiers', value: `$${fmt(free.total)}`, ratio: `Step Functions $${fmt(free.stepFunctions)}, Lambda $${fmt(free.lambda)}, Scheduler $${fmt(free.scheduler)}` },
    );
    const ms = [...durations].map(([role, list]) => `${role} ${fmt(list.reduce((a, b) => a + b, 0) / list.length)} ms`).join(', ');
    return {
      title: 'Cost: one lifecycle of each rule (tr = state transitions, λ = Lambda invocations), the morning mail and the schedules, and the yearly AWS bill at national volume',
      rows,
      notes: [
        'Transitions are the *StateEntered events of the first execution (`<id>-r1`) of every obligation the opening made (GetExecutionHistory on the local service); an act stops the execution, so the act path ends there. Recurring rules: one cycle. protective-order includes its companion first offender check.',
        'Lambda invocations count every handler call in the lifecycle (the API requests to open and to record the act included, each mail\'s Send event settled by mail-events), their time as measured here, billed at the function\'s memory from the template.',
        `Mean handler time measured here (a local CPU talking to DynamoDB Local, an upper bound for AWS; load average ${loadavg().map((load) => fmt(load)).join(' / ')} at the end): ${ms}. The Lambda line's GB-s grow with the machine's load; the other lines do not depend on it.`,
        'DynamoDB units are what DynamoDB Local reports (ReturnConsumedCapacity=TOTAL, asked for by a proxy in front of the functions\' clients); the local Step Functions service\'s own table is not counted (AWS does not bill it).',
        'Mails at once: those a lifecycle\'s Tasks and acts sent themselves (urgent milestones, notices of acts). Queued: the reminders and escalations its Tasks queued, which the morning mail (the template\'s digest schedule, run by this measure at every one of its instants the clock passes, and at the next working morning after the execution ends) carried or withdrew. Alone, a lifecycle\'s morning mails are one per person per morning; at national volume each person\'s notices of a morning share one: per role, P × D × (1 − e^(−λ)), λ = person-mornings a year / (P × D), P the people of that role in the country, D the working days of 2026 by the calendar, days drawn at random (bench/bill.ts morningMails).',
        'The morning job\'s own use (reads, writes, the Send events\' invocations) is fitted per mail and per notice over the working mornings it ran (least squares, above an empty working morning); its empty run, one invocation a day, is the digest schedule\'s. An empty working morning reads the whole directory: it is scaled from the demo\'s organisations to NATIONAL_ORGANISATIONS, as are the other schedules that walk the directory; the reconciler\'s and the snapshot\'s use per live obligation is measured with live protective orders open, times the live obligations at any moment (Little\'s law: openings a year × days live, measured, / 365).',
        ...(unknownRecipients.size > 0 ? [`⚠ ${unknownRecipients.size} recipient addresses not in the directory were left out of the morning mail's count.`] : []),
        ...(Object.keys(PRICES) as (keyof typeof PRICES)[]).map((key) => {
          const source = PRICE_SOURCES[key];
          return `Price ${key}: ${PRICES[key].toPrecision(4)} $ — ${source.url}, read ${source.read}, ${source.region}${source.note === undefined ? '' : `; ${source.note}`}`;
        }),
        'Free tiers: the bill counts none. The permanent ones the pages state (Step Functions 4,000 transitions a month; Lambda 1M requests and 400,000 GB-s a month; Scheduler 14M invocations a month) are shown less in the last row. Left out altogether: the 12-month offers (SES\'s former 3,000 mails a month, withdrawn for new accounts on 2026-07-21 for $200 of credits; DynamoDB\'s 25 GB), and SES\'s 62,000 a month sent from EC2 (Merzim sends from Lambda).',
        'Not counted: API Gateway, Cognito, CloudWatch Logs, DynamoDB storage and backups, DynamoDB Streams reads (a pipe\'s GetRecords), data transfer, the Step Functions API calls (DescribeExecution, StartExecution: not billed).',
        ...(Object.keys(RECIPIENTS) as Role[]).map((role) => `  people, ${role}: ${RECIPIENTS[role].people.toLocaleString('en-US')} — ${RECIPIENTS[role].basis}`),
        'Volumes a year (LEGAL.md §4; ⚠ assumed):',
        ...LIFECYCLES.map((lifecycle) => `  ${lifecycle.rule}: ${lifecycle.perYear.toLocaleString('en-US')}, ${Math.round(lifecycle.acted * 100)}% acted — ${lifecycle.basis}`),
      ],
      data: {
        prices: PRICES,
        sources: PRICE_SOURCES,
        volumes: LIFECYCLES,
        recipients: RECIPIENTS,
        measured: Object.fromEntries(
          Object.entries(measured).map(([rule, { none, act, actWalked }]) => [
            rule,
            Object.fromEntries(
              Object.entries(actWalked ? { none, act } : { none }).map(([name, path]) => [name, { ...path, runs: path.runs.filter((run) => run.mails > 0 || run.notices > 0).map(({ use, ...run }) => ({ ...run, use: countsOf(use) })) }]),
            ),
          ]),
        ),
        morning: { emptyWorking, emptyDayOff, perMail, perNotice, demand, morningMails, notices, workingDays },
        schedules: { idle: Object.fromEntries(idle), perLive: Object.fromEntries(perLive), nationalLive, directoryScale, year: schedulesAYear },
        pipes,
        year,
        bill,
        billLessFreeTiers: free,
      },
    };
  } finally {
    proxy.close();
    sfn.destroy();
    await bench.stop();
  }
}
