import type { Role } from '../shared/base/index.ts';

/**
 * The arithmetic of the yearly bill, apart from the measuring (bench/cost.ts): what the running
 * system was counted doing, times the volumes a year, times AWS's unit prices, gives dollars by
 * service. Pure, so that test/bench/bill.test.ts can check it without running anything.
 */

/** What AWS bills, counted: per lifecycle, per morning mail, per schedule run, or a year. */
export interface Counts {
  /** Step Functions Standard state transitions. */
  readonly transitions: number;
  readonly invocations: number;
  /** Lambda duration times memory. */
  readonly gbSeconds: number;
  readonly wru: number;
  readonly rru: number;
  /** Mails SES sends. */
  readonly mails: number;
  /** EventBridge Pipes requests (after filtering). */
  readonly pipeRequests: number;
  /** EventBridge Scheduler invocations. */
  readonly scheduled: number;
}

export const COUNTED = ['transitions', 'invocations', 'gbSeconds', 'wru', 'rru', 'mails', 'pipeRequests', 'scheduled'] as const satisfies readonly (keyof Counts)[];

export const NONE: Counts = { transitions: 0, invocations: 0, gbSeconds: 0, wru: 0, rru: 0, mails: 0, pipeRequests: 0, scheduled: 0 };

/** a + factor × b, field by field. */
export function plus(a: Counts, b: Partial<Counts>, factor = 1): Counts {
  const sum = { ...a } as Record<keyof Counts, number>;
  for (const field of COUNTED) sum[field] += factor * (b[field] ?? 0);
  return sum;
}

export function times(a: Partial<Counts>, factor: number): Counts {
  return plus(NONE, a, factor);
}

/** Unit prices in US dollars. */
export interface Prices {
  readonly stepFunctionsPerTransition: number;
  readonly lambdaPerRequest: number;
  readonly lambdaPerGbSecondArm: number;
  readonly dynamoPerWru: number;
  readonly dynamoPerRru: number;
  readonly sesPerMail: number;
  readonly pipesPerRequest: number;
  readonly schedulerPerInvocation: number;
}

export interface PriceSource {
  /** The page the price was read from, and when. */
  readonly url: string;
  readonly read: string;
  /** For which region the page gives it. */
  readonly region: string;
  readonly note?: string;
}

const READ = '2026-11-30';

/**
 * Unit prices, each read from a stored copy of its page on 2026-11-30 (this machine has no
 * network: the copies are those the project's search tool keeps). Merzim would run in
 * eu-central-1 (Frankfurt); where the page read gives only us-east-1, the source says so.
 */
export const PRICES: Prices = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  // Halved on 1 November 2024 (from $1.25 and $0.25 in us-east-1, the figures used before).
  dynamoPerWru: 0.625 / 1_000_000,
  dynamoPerRru: 0.125 / 1_000_000,
  sesPerMail: 0.1 / 1000,
  pipesPerRequest: 0.4 / 1_000_000,
  schedulerPerInvocation: 1 / 1_000_000,
};

export const PRICE_SOURCES: Readonly<Record<keyof Prices, PriceSource>> = {
  stepFunctionsPerTransition: {
    url: 'https://aws.amazon.com/step-functions/pricing/',
    read: READ,
    region: 'eu-central-1: the page\'s table gives Europe (Frankfurt) $0.0250 per 1,000 state transitions',
  },
  lambdaPerRequest: {
    url: 'https://aws.amazon.com/lambda/pricing/',
    read: READ,
    region: 'us-east-1 only',
    note: 'the stored copy of the AWS page has the request model but not the figures; $0.20 per 1M requests, "consistent across regions and architectures", from https://unanswered.io/guide/aws-lambda-pricing-after-free-tier (read the same day)',
  },
  lambdaPerGbSecondArm: {
    url: 'https://aws.amazon.com/lambda/pricing/',
    read: READ,
    region: 'us-east-1 only',
    note: 'Arm, first duration tier: the figure is from https://git.mcrn.ar/mariano/lambda_local_runner/src/branch/main/docs/lambdas-md/lambda-13-cost.md (read the same day); the AWS page\'s examples are "based on price in US East (N. Virginia)"',
  },
  dynamoPerWru: {
    url: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: READ,
    region: 'us-east-1 only',
    note: 'the stored AWS page defines the units but its price table did not survive; $0.625 per million WRU "after the 50% reduction implemented in late 2024" (US East) from https://airbyte.com/data-engineering-resources/dynamodb-pricing (read the same day). Frankfurt was not found: it is not assumed equal',
  },
  dynamoPerRru: {
    url: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: READ,
    region: 'us-east-1 only',
    note: '$0.125 per million RRU (US East, after November 2024), same source as the WRU price',
  },
  sesPerMail: {
    url: 'https://aws.amazon.com/ses/pricing/',
    read: READ,
    region: 'us-east-1 only',
    note: 'à la carte, $0.0001 per outbound recipient, as read from the AWS Price List API (us-east-1, 2026-07-22) by https://raw.githubusercontent.com/api-evangelist/amazon-ses/refs/heads/main/plans/amazon-ses-plans-pricing.yml; since 2026-07-21 a new account defaults to the Essentials plan at $0.00016 a mail (à la carte stays the default for accounts that sent since 2025-06-01)',
  },
  pipesPerRequest: {
    url: 'https://aws.amazon.com/eventbridge/pricing/',
    read: READ,
    region: 'us-east-1 only',
    note: 'the stored AWS page bills "each 64 KB chunk" as one; the Pipes figure, $0.40 per million requests after filtering, no free tier, is from https://cloudburn.io/blog/amazon-eventbridge-pricing (us-east-1, March 2026, "consistent across most commercial regions")',
  },
  schedulerPerInvocation: {
    url: 'https://aws.amazon.com/eventbridge/pricing/',
    read: READ,
    region: 'us-east-1 only',
    note: '$1.00 per million scheduled invocations after 14 million free a month, from the AWS price list copy https://huggingface.co/datasets/labofsahil/aws-pricing-dataset (AWSEvents.csv, effective 2024-10-01)',
  },
};

/**
 * Free tiers the pages state as permanent (not the 12-month offers), a year (12 × the monthly
 * allowance: the load is even over the year). Left out of the bill, shown beside it.
 */
export const PERMANENT_FREE_A_YEAR: Partial<Counts> = {
  // "does not automatically expire at the end of your 12 month AWS Free Tier term" (Step Functions page).
  transitions: 12 * 4_000,
  // 1M requests and 400,000 GB-s a month, "do not expire" (the Lambda sources above).
  invocations: 12 * 1_000_000,
  gbSeconds: 12 * 400_000,
  // The price list's first tier: $0 for the first 14 million scheduled invocations a month.
  scheduled: 12 * 14_000_000,
};

export interface Bill {
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly dynamodb: number;
  readonly ses: number;
  readonly pipes: number;
  readonly scheduler: number;
  readonly total: number;
}

/** Dollars by service for `counts` (a year's), less `free` (a year's free allowance) when given. */
export function billOf(counts: Counts, prices: Prices = PRICES, free: Partial<Counts> = {}): Bill {
  const billed = (field: keyof Counts): number => Math.max(0, counts[field] - (free[field] ?? 0));
  const bill = {
    stepFunctions: billed('transitions') * prices.stepFunctionsPerTransition,
    lambda: billed('invocations') * prices.lambdaPerRequest + billed('gbSeconds') * prices.lambdaPerGbSecondArm,
    dynamodb: billed('wru') * prices.dynamoPerWru + billed('rru') * prices.dynamoPerRru,
    ses: billed('mails') * prices.sesPerMail,
    pipes: billed('pipeRequests') * prices.pipesPerRequest,
    scheduler: billed('scheduled') * prices.schedulerPerInvocation,
  };
  return { ...bill, total: Object.values(bill).reduce((sum, dollars) => sum + dollars, 0) };
}

/** One rule's lifecycle counted without and with the closing act, and how many a year. */
export interface LifecycleCounts {
  readonly perYear: number;
  /** The share closed by the act. */
  readonly acted: number;
  readonly none: Counts;
  readonly act: Counts;
}

/** A year of lifecycles: each rule's mix of the two paths, times its volume. */
export function lifecyclesAYear(lifecycles: readonly LifecycleCounts[]): Counts {
  return lifecycles.reduce((sum, { perYear, acted, none, act }) => plus(plus(sum, none, perYear * (1 - acted)), act, perYear * acted), NONE);
}

/**
 * Morning mails a year to `recipients` people of one kind over `days` working days, when `demand`
 * person-mornings a year would each have been a mail of its own (a lifecycle measured alone):
 * falling on the days at random (Poisson, λ per person per day), a person gets a mail on a day
 * with probability 1 − e^(−λ), however many notices it carries.
 */
export function morningMails(demand: number, recipients: number, days: number): number {
  if (demand <= 0) return 0;
  const lambda = demand / (recipients * days);
  return recipients * days * (1 - Math.exp(-lambda));
}

/** What the people of one kind would get from a year of lifecycles, each measured alone. */
export interface MorningDemand {
  readonly role: Role;
  /** Person-mornings a year with something to tell (each lifecycle's morning mails, times its volume). */
  readonly demand: number;
  /** People of this kind in the country. */
  readonly recipients: number;
}

/** Everything that makes a year: the lifecycles, the morning mail, the schedules. */
export interface BillModel {
  readonly lifecycles: readonly LifecycleCounts[];
  readonly morning: {
    readonly demand: readonly MorningDemand[];
    readonly workingDays: number;
    /** Queued notices a year the morning mails carry (or withdraw). */
    readonly notices: number;
    /** The morning job's own use per mail it sends and per notice it carries, the mail itself apart. */
    readonly perMail: Partial<Counts>;
    readonly perNotice: Partial<Counts>;
  };
  /** The schedules' own runs a year (their invocations, reads, writes, the Scheduler's invocations). */
  readonly schedules: Counts;
}

export function morningMailsAYear(morning: BillModel['morning']): number {
  return morning.demand.reduce((sum, kind) => sum + morningMails(kind.demand, kind.recipients, morning.workingDays), 0);
}

/** The year's counts: lifecycles + the morning mails (each one SES mail and the job's use) + the schedules. */
export function yearlyCounts(model: BillModel): Counts {
  const mails = morningMailsAYear(model.morning);
  const morning = plus(plus(times(model.morning.perMail, mails), model.morning.perNotice, model.morning.notices), { mails });
  return plus(plus(lifecyclesAYear(model.lifecycles), morning), model.schedules);
}

export function yearlyBill(model: BillModel, prices: Prices = PRICES, free: Partial<Counts> = {}): Bill {
  return billOf(yearlyCounts(model), prices, free);
}

/**
 * The morning job's use split into a part per mail and a part per notice: least squares without
 * intercept over its runs (each run's use above an empty run's, its mails, its notices). A part
 * that would come out negative is held at zero and the other fitted alone.
 */
export function perMailAndNotice(runs: readonly { readonly mails: number; readonly notices: number; readonly use: number }[]): { perMail: number; perNotice: number } {
  const sum = (f: (run: (typeof runs)[number]) => number): number => runs.reduce((total, run) => total + f(run), 0);
  const mm = sum((run) => run.mails * run.mails);
  const nn = sum((run) => run.notices * run.notices);
  const mn = sum((run) => run.mails * run.notices);
  const my = sum((run) => run.mails * run.use);
  const ny = sum((run) => run.notices * run.use);
  const alone = (xx: number, xy: number): number => (xx > 0 ? Math.max(0, xy / xx) : 0);
  const det = mm * nn - mn * mn;
  if (Math.abs(det) > 1e-9 * Math.max(1, mm * nn)) {
    const perMail = (my * nn - ny * mn) / det;
    const perNotice = (ny * mm - my * mn) / det;
    if (perMail >= 0 && perNotice >= 0) return { perMail, perNotice };
    if (perMail < 0) return { perMail: 0, perNotice: alone(nn, ny) };
    return { perMail: alone(mm, my), perNotice: 0 };
  }
  return { perMail: alone(mm, my), perNotice: 0 };
}
