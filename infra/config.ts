import type { Node } from 'constructs';

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
  /** Origins the HTTP API answers CORS preflights for. */
  readonly corsOrigins: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `merzim-<stage>`: the prefix of every physical name (state machines, functions, schedules, API, user pool). */
export function resourcePrefix(stage: Stage): string {
  return `merzim-${stage}`;
}

export function parseStage(value: unknown): Stage {
  const stage = value ?? 'dev';
  if (typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)) {
    return stage as Stage;
  }
  throw new ConfigError(`context "stage" must be one of ${STAGES.join(', ')}, got ${JSON.stringify(value)} (pass -c stage=dev or -c stage=prod)`);
}

/** Reads and checks the context: `stage` (dev|prod, default dev), `mailFrom`, `mailIdentity`, `corsOrigins`. */
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

  const origins: unknown = node.tryGetContext('corsOrigins') ?? ['*'];
  const corsOrigins = typeof origins === 'string' ? origins.split(',').map((origin) => origin.trim()) : origins;
  if (!Array.isArray(corsOrigins) || corsOrigins.length === 0 || !corsOrigins.every((origin) => typeof origin === 'string' && origin !== '')) {
    throw new ConfigError(`context "corsOrigins" must be a list of origins (or a comma-separated string), got ${JSON.stringify(origins)}`);
  }

  return { stage, mailFrom, mailIdentity, corsOrigins: corsOrigins as string[] };
}

/** `sss-decision` → `SssDecision`, `akimat-department` → `AkimatDepartment`: construct ids. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
