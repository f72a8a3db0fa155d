import type { Node } from 'constructs';
import { CLAIMS } from '../contract/index.ts';

/** The stages Merzim deploys. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** What the stack is built from: read once from the CDK context, checked, then passed down. */
export interface MerzimConfig {
  readonly stage: Stage;
  /** The sender of every e-mail (`MAIL_FROM`). */
  readonly mailFrom: string;
  /** The SES identity the functions may send as: the sender's domain unless context `mailIdentity` says otherwise. */
  readonly mailIdentity: string;
  /**
   * Origins the HTTP API answers CORS preflights for besides the dashboard's own (its CloudFront
   * origin, always added): none unless context `corsOrigins` names some. Never `*`: any page could
   * then call the API with a token it got hold of.
   */
  readonly corsOrigins: readonly string[];
  /**
   * The ID token's claim that names the caller (context `userClaim`): `cognito:username`, the
   * work identity of the directory and the audit trail, unless a federated pool maps another.
   */
  readonly userClaim: string;
  /** Create the SES identity in this stack (context `createMailIdentity=true`), else refer to an existing one by ARN. */
  readonly createMailIdentity: boolean;
  /** Where alarms are e-mailed (context `alarmEmail`); none when not given. */
  readonly alarmEmail?: string;
  /** How long logs are kept, in days (context `logRetentionDays`): 90 in dev, 365 in prod unless given. */
  readonly logRetentionDays: number;
  /** Run the cdk-nag AwsSolutions checks on synthesis (context `nag`, default true). */
  readonly nag: boolean;
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const DEFAULT_LOG_RETENTION_DAYS: Readonly<Record<Stage, number>> = { dev: 90, prod: 365 };

/** A context flag: a boolean, or the strings `true`/`false` the CLI's `-c` passes. */
function flag(node: Node, name: string, fallback: boolean): boolean {
  const value: unknown = node.tryGetContext(name);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(`context "${name}" must be true or false, got ${JSON.stringify(value)}`);
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `merzim-<stage>`: the prefix of every physical name (state machines, functions, schedules, API, user pool). */
export function resourcePrefix(stage: Stage): string {
  return `merzim-${stage}`;
}

/** The SES configuration set of a stage, `merzim-<stage>`: named in the functions' environment as a plain string. */
export function mailConfigurationSetName(stage: Stage): string {
  return resourcePrefix(stage);
}

export function parseStage(value: unknown): Stage {
  const stage = value ?? 'dev';
  if (typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)) {
    return stage as Stage;
  }
  throw new ConfigError(`context "stage" must be one of ${STAGES.join(', ')}, got ${JSON.stringify(value)} (pass -c stage=dev or -c stage=prod)`);
}

/**
 * Reads and checks the context: `stage` (dev|prod, default dev), `mailFrom`, `mailIdentity`,
 * `createMailIdentity`, `corsOrigins`, `userClaim`, `alarmEmail`, `logRetentionDays`, `nag`.
 */
export function readConfig(node: Node): MerzimConfig {
  const stage = parseStage(node.tryGetContext('stage'));

  const mailFrom: unknown = node.tryGetContext('mailFrom') ?? 'merzim@example.kz';
  if (typeof mailFrom !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(mailFrom)) {
    throw new ConfigError(`context "mailFrom" must be an e-mail address, got ${JSON.stringify(mailFrom)}`);
  }
  const mailIdentity: unknown = node.tryGetContext('mailIdentity') ?? mailFrom.slice(mailFrom.indexOf('@') + 1);
  if (typeof mailIdentity !== 'string' || mailIdentity === '' || /\s/.test(mailIdentity)) {
    throw new ConfigError(`context "mailIdentity" must be an SES identity (a domain or an address), got ${JSON.stringify(mailIdentity)}`);
  }

  const origins: unknown = node.tryGetContext('corsOrigins') ?? [];
  const corsOrigins = typeof origins === 'string' ? origins.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '') : origins;
  if (!Array.isArray(corsOrigins) || !corsOrigins.every((origin) => typeof origin === 'string' && isOrigin(origin))) {
    throw new ConfigError(
      `context "corsOrigins" must be a list of https origins (or a comma-separated string), never "*"; the dashboard's origin is always added. Got ${JSON.stringify(origins)}`,
    );
  }

  const userClaim: unknown = node.tryGetContext('userClaim') ?? CLAIMS.user;
  if (typeof userClaim !== 'string' || !/^[A-Za-z][\w:.-]{0,127}$/.test(userClaim) || userClaim === 'sub') {
    throw new ConfigError(`context "userClaim" must name an ID token claim that holds the username (not "sub", Cognito's UUID), got ${JSON.stringify(userClaim)}`);
  }

  const alarmEmail: unknown = node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))) {
    throw new ConfigError(`context "alarmEmail" must be an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }

  const retention: unknown = node.tryGetContext('logRetentionDays') ?? DEFAULT_LOG_RETENTION_DAYS[stage];
  const logRetentionDays = typeof retention === 'string' && /^\d+$/.test(retention) ? Number(retention) : retention;
  if (typeof logRetentionDays !== 'number' || !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new ConfigError(`context "logRetentionDays" must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${JSON.stringify(retention)}`);
  }

  return {
    stage,
    mailFrom,
    mailIdentity,
    corsOrigins: corsOrigins as string[],
    userClaim,
    createMailIdentity: flag(node, 'createMailIdentity', false),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    logRetentionDays,
    nag: flag(node, 'nag', true),
  };
}

/** `https://host[:port]`, nothing after it (a CORS origin); `http://` only for localhost. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
    return secure && url.origin === value;
  } catch {
    return false;
  }
}

/** `sss-decision` → `SssDecision`, `akimat-department` → `AkimatDepartment`: construct ids. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
