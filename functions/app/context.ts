import { type WorkingDayCalendar, kazakhstan } from '../../shared/calendar/index.ts';
import type { Executions } from '../adapters/executions.ts';
import type { Mail, MailMessage } from '../adapters/mail.ts';
import { Store, type StoreOptions } from '../adapters/store/index.ts';
import { needsTimer } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { now } from '../adapters/clock.ts';
import { SYSTEM_USER } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { ENV } from '../../contract/index.ts';

/** What the application's operations need: the table, the timers, the mail, the clock and the calendar. */
export interface AppContext {
  readonly store: Store;
  readonly executions: Timers;
  /** What cannot wait for a milestone goes out at once: a case handed over, a breach found (functions/app/act-notices.ts). */
  readonly mail: Mail;
  readonly now: () => number;
  /** Kazakhstan's calendar with the administrator's overrides as they stand now. */
  calendar(): Promise<WorkingDayCalendar>;
  /**
   * True where the table's stream starts each new revision's timer (ENV.timerStart, the `start`
   * function): then an opening or an act writes, and starts nothing on its request's path.
   */
  readonly timersFromStream?: boolean;
}

/**
 * Starts the timers of new revisions an operation wrote, unless the table's stream starts them
 * (`start`, functions/app/start.ts): either way the execution is named by the obligation and its
 * revision, so a start that happens twice starts one timer.
 */
export async function startNewTimers(context: Pick<AppContext, 'executions' | 'timersFromStream'>, obligations: readonly Obligation[]): Promise<void> {
  if (context.timersFromStream === true) return;
  await Promise.all(obligations.map((obligation) => context.executions.start(obligation)));
}

/** The timers as the application uses them: started, stopped, asked after. */
export type Timers = Pick<Executions, 'start' | 'stop' | 'status'>;

/**
 * What the application tells the store: an obligation that still needs a timer (its rule's
 * lifecycle says so) is written into the reconciler's live index.
 */
export const STORE_OPTIONS: StoreOptions = { needsTimer: (obligation) => needsTimer(findRule(obligation.rule), obligation) };

/** The store on the table the environment names, told what the application decides. */
export function storeFromEnv(): Store {
  return Store.fromEnv(STORE_OPTIONS);
}

/**
 * Kazakhstan's calendar with the overrides as they stand: their version read on every call, the
 * overrides read and the calendar built again only when it moved.
 */
export function calendarOf(store: Store): () => Promise<WorkingDayCalendar> {
  // Building the calendar takes milliseconds of CPU, reading every override a query: both are
  // kept, and each call reads only the overrides' version (one small item, read strongly), so
  // an override recorded a moment ago is planned on at once (issue 20).
  let built: { readonly version: number; readonly calendar: WorkingDayCalendar } | undefined;
  return async () => {
    const version = await store.calendar.calendarVersion();
    if (built?.version !== version) built = { version, calendar: kazakhstan(await store.calendar.calendarOverrides()) };
    return built.calendar;
  };
}

/**
 * The context of the functions that may start a timer or send a notice. The Step Functions and
 * SES clients are loaded on first use, not when the function starts: most API requests, and most
 * hours of the reconciler, use neither, and loading an SDK client is most of a cold start.
 */
export function contextFromEnv(): AppContext {
  const store = storeFromEnv();
  return { store, executions: lazyTimers(), mail: lazyMail(), now, timersFromStream: process.env[ENV.timerStart] === 'stream', calendar: calendarOf(store) };
}

function lazyTimers(): Timers {
  let made: Promise<Executions> | undefined;
  const executions = (): Promise<Executions> => (made ??= import('../adapters/executions.ts').then(({ Executions }) => Executions.fromEnv()));
  return {
    start: async (obligation) => (await executions()).start(obligation),
    stop: async (obligation, revision, cause) => (await executions()).stop(obligation, revision, cause),
    status: async (obligation, revision) => (await executions()).status(obligation, revision),
  };
}

function lazyMail(): Mail {
  let made: Promise<Mail> | undefined;
  const mail = (): Promise<Mail> => (made ??= import('../adapters/ses-mail.ts').then(({ SesMail }) => SesMail.fromEnv()));
  return { send: async (message: MailMessage) => (await mail()).send(message) };
}

/** Who is calling: from the verified token of an API request, or Merzim itself. */
export interface Caller {
  readonly user: string;
  readonly groups: readonly string[];
  readonly org: string;
}

export const SYSTEM: Caller = { user: SYSTEM_USER, groups: [], org: SYSTEM_USER };
