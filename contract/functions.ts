/** The functions, by the entry file under functions/handlers/ that exports `handler`. */
export const FUNCTIONS = ['api', 'timer', 'notify', 'escalate', 'digest', 'reconcile', 'provision', 'mail-events', 'snapshot', 'start'] as const;
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
  /**
   * `stream`: the table's stream starts each new revision's timer (the `start` function, fed by
   * the table's stream: an EventBridge Pipe on AWS, local/streams.ts here), and the API writes
   * only. Unset: whoever writes a new revision starts its timer (a function run without the stream).
   */
  timerStart: 'TIMER_START',
} as const;
