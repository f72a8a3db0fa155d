/**
 * What the parts of Merzim agree on: the state machines (workflows/), the functions
 * (functions/), the CDK stack (infra/) and the embedded runtime (local/). Change a name here and
 * every side follows, or the type checker says where it does not.
 */

/**
 * The input every execution of a timer state machine starts with: which revision of which
 * obligation, which segment of it, and the instant of every `Wait` (the machine has no planning
 * step: a new plan is a new revision, and so a new execution with new instants).
 */
export interface TimerExecutionInput {
  readonly obligationId: string;
  readonly revision: number;
  /** 1, then 2, 3… when a plan longer than a segment runs as a chain of executions. */
  readonly segment: number;
  /**
   * One `Wait` timestamp per slot of the rule (`timerSlots`), keyed by the slot's `key`, in the
   * `YYYY-MM-DDTHH:MM:SSZ` form `TimestampPath` takes; `next_period` too for a rule that recurs
   * on the calendar (shared/rules/slots.ts `slotTimes`). None lies past the segment's end
   * (`SEGMENT_SPAN_MS`): a milestone further off is waited for up to the end of the segment, and
   * its Task hands over to the next segment.
   */
  readonly at: Readonly<Record<string, string>>;
}

/**
 * One execution per segment of a revision of an obligation: a new plan is a new name, a retry the
 * same, so a retried start never starts two. Segment 1 keeps the name it always had.
 */
export function executionName(obligationId: string, revision: number, segment = 1): string {
  return segment === 1 ? `${obligationId}-r${revision}` : `${obligationId}-r${revision}-s${segment}`;
}

/** The state machine of a rule is named `<prefix><rule id>`, e.g. `merzim-dev-sss-decision`. */
export function stateMachineArn(prefix: string, ruleId: string): string {
  return `${prefix}${ruleId}`;
}

/** `arn:aws:states:<region>:<account>:execution:<machine name>:<execution name>`. */
export function executionArn(stateMachine: string, name: string): string {
  return `${stateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * What ends a Task otherwise than by going on to the next state: the function throws an error of
 * one of these names, and the Task's `Catch` takes the machine where it says (a `Choice` after
 * every Task would cost a state transition per milestone):
 * - `closed`: the obligation is closed (decided, replied, cancelled…): the machine ends;
 * - `superseded`: a newer revision runs in its own execution (extension, corrected start,
 *   calendar change): the machine ends;
 * - `cycleClosed`: this cycle of a calendar-recurring rule is done: wait for the next period;
 * - `notYet`: the milestone lies past the end of this segment: the next segment waits for it.
 * A Task's `Retry` never retries these: they are answers, not failures.
 */
export const TIMER_SIGNALS = {
  closed: 'Merzim.ObligationClosed',
  superseded: 'Merzim.Superseded',
  cycleClosed: 'Merzim.CycleClosed',
  notYet: 'Merzim.NotYetDue',
} as const;
export type TimerSignal = keyof typeof TIMER_SIGNALS;

/** Payloads of the `timer` function: open the next cycle of a recurring rule, or start the next segment. */
export type TimerStepEvent =
  | { readonly step: 'next-cycle'; readonly obligationId: string; readonly revision: number }
  | { readonly step: 'next-segment'; readonly obligationId: string; readonly revision: number; readonly segment: number };

/** Payload of the `notify` (reminder, due, expiry) and `escalate` functions. */
export interface MilestoneStepEvent {
  readonly obligationId: string;
  readonly revision: number;
  /** A milestone id of the plan: `reminder-1`, `due`, `escalation-2-1`. */
  readonly milestone: string;
}

/**
 * What a Task's function answers when the machine goes on: what it did, for the execution's
 * history (the state machine discards it: the next state reads the execution's input).
 */
export interface StepResult {
  readonly done: 'told' | 'skipped' | 'next-cycle-opened' | 'next-segment-started' | 'finished';
}

/** The functions, by the entry file under functions/handlers/ that exports `handler`. */
export const FUNCTIONS = ['api', 'timer', 'notify', 'escalate', 'digest', 'reconcile', 'provision', 'mail-events', 'snapshot'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** The environment every function receives (the same for all of them). */
export const ENV = {
  table: 'TABLE_NAME',
  /** `arn:aws:states:<region>:<account>:stateMachine:merzim-<stage>-` */
  stateMachinePrefix: 'STATE_MACHINE_ARN_PREFIX',
  mailFrom: 'MAIL_FROM',
  /** The SES configuration set whose bounce and complaint events reach `mail-events`. */
  mailConfigurationSet: 'MAIL_CONFIGURATION_SET',
  stage: 'STAGE',
  /** Powertools Logger's service name. */
  service: 'POWERTOOLS_SERVICE_NAME',
  /**
   * The dashboard's address (`https://…/`): a mail links to the obligation at `<it>#/o/<id>`.
   * Unset or not an http(s) URL: mails go without the link.
   */
  dashboardUrl: 'DASHBOARD_URL',
  /**
   * The secret work-list cursors are sealed with (functions/api/cursor.ts): on AWS a generated
   * Secrets Manager secret, resolved at deploy; locally a key kept in the data directory.
   */
  cursorKey: 'CURSOR_KEY',
  /** The claim that names the caller, when not CLAIMS.user (`cognito:username`). */
  userClaim: 'USER_CLAIM',
} as const;

/** The table: keys `pk`/`sk`, five indexes (two outbox lists in one of them), TTL on `expiresAt`. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'expiresAt',
  indexes: {
    /** Obligations of an organisation unit in a state, by due instant. */
    byOrg: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Obligations of an assignee in a state, by due instant. */
    byAssignee: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Obligations a commission (or another issuer) is waiting on, in a state, by due instant. */
    byIssuer: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Every obligation of one case reference, open or closed, by due instant: the case view. */
    byCase: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Sparse: obligations that still need a timer, in a few shards, for the reconciler. */
    live: { partitionKey: 'livePk', sortKey: 'liveSk' },
  },
  /**
   * The outbox's two lists, each one partition of the `byOrg` index that holds no organisation's
   * obligations: `failed`, the dead-letter list (notices whose last attempt failed, oldest
   * milestone first); `queued`, the morning mail's queue (by recipient, then milestone).
   */
  noticeLists: { index: 'byOrg', failed: 'NOTICES#failed', queued: 'NOTICES#queued' },
} as const;

/**
 * Schedules, in Astana time (UTC+05:00 throughout Kazakhstan since 2024-03-01). The embedded
 * runtime reads them from the synthesized template like everything else.
 */
export const SCHEDULES = {
  /**
   * The morning mail (functions/app/morning.ts): after the catalog's 09:00 milestones of the day
   * and their Tasks' retries (TASK_RETRY, at most 15 minutes), so that a reminder on the last day
   * is in that day's mail, not the next.
   */
  digest: { function: 'digest', cron: { minute: '30', hour: '9' } },
  reconcile: { function: 'reconcile', rate: { hours: 1 } },
  provision: { function: 'provision', cron: { minute: '5', hour: '0' } },
  /** Monday 00:30: the counts of the week that ended at Sunday 24:00 (issue 19, the heads' trend). */
  snapshot: { function: 'snapshot', cron: { minute: '30', hour: '0', weekDay: 'MON' } },
} as const;
export const SCHEDULE_TIME_ZONE = 'Asia/Almaty';

/**
 * The HTTP API's routes (API Gateway HTTP API, payload format 2.0), all served by the `api`
 * function. `auth: false` routes need no token.
 */
export const API_ROUTES = [
  { route: 'POST /obligations', auth: true },
  { route: 'GET /obligations', auth: true },
  { route: 'GET /obligations/{id}', auth: true },
  { route: 'POST /obligations/{id}/events', auth: true },
  /** Every obligation of one case reference the caller can see (the dashboard's case view). */
  { route: 'GET /cases', auth: true },
  /** What POST /obligations would open, with its plans, after the same checks: nothing is written. */
  { route: 'POST /plans/preview', auth: true },
  { route: 'GET /rules', auth: true },
  { route: 'GET /rules/{id}', auth: true },
  { route: 'GET /calendar/{year}', auth: true },
  { route: 'GET /calendar/overrides', auth: true },
  { route: 'PUT /calendar/overrides/{date}', auth: true },
  { route: 'DELETE /calendar/overrides/{date}', auth: true },
  { route: 'GET /organisations', auth: true },
  { route: 'PUT /organisations/{org}', auth: true },
  { route: 'PUT /organisations/{org}/members/{user}', auth: true },
  { route: 'POST /action-plans', auth: true },
  /** The caller's due dates as an iCalendar file (the dashboard downloads it with its token). */
  { route: 'GET /me/calendar.ics', auth: true },
  /** The dead-letter list: notices SES did not take after every retry (admin). */
  { route: 'GET /notices/failed', auth: true },
  /** Units where a milestone found nobody holding the role it was to tell (admin). */
  { route: 'GET /directory/gaps', auth: true },
  { route: 'GET /openapi.json', auth: false },
  /** The quarterly service note's figures of a unit and the units under it, as JSON, CSV or XLSX (issue 19). */
  { route: 'GET /reports/quarterly', auth: true },
  /** A commission's submissions unanswered past their month: the art. 479 list, as JSON, CSV or XLSX. */
  { route: 'GET /reports/unanswered-submissions', auth: true },
  /** The weekly counts per unit and rule, read from the snapshots (never recomputed). */
  { route: 'GET /reports/trend', auth: true },
] as const;

/**
 * The claims the API reads from a verified token, as API Gateway's JWT authorizer passes them
 * (`requestContext.authorizer.jwt.claims`; a list claim arrives flattened as `[a b]`). Cognito
 * issues them in AWS; the embedded runtime signs the same claims with a key of its own.
 *
 * The user is the Cognito username (`cognito:username` of the ID token), the work identity the
 * directory, the audit trail and docs/DEPLOY.md name (`aigerim.inspector`); Cognito's `sub` is a
 * UUID that matches nobody in the directory. A deployment that names people by another claim
 * (a mapped attribute of a federated pool) sets `USER_CLAIM` (ENV.userClaim; CDK context `userClaim`).
 */
export const CLAIMS = { user: 'cognito:username', groups: 'cognito:groups', org: 'custom:org' } as const;

/** The groups a token may carry: the roles people sign in with, and the administrator. */
export const GROUPS = [
  'akimat-department',
  'akimat-department-head',
  'inspector',
  'unit-head',
  'commission-secretary',
  'commission-chair',
  'regional-head',
  'shelter-head',
  'admin',
] as const;
export type Group = (typeof GROUPS)[number];
