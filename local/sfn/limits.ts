/**
 * AWS Step Functions' quotas for Standard workflows that the local service holds, so that what
 * runs here runs there (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The longest a Standard execution runs: "1 year". AWS does not say which year; 365 days is the
 * shorter reading, so an execution that ends here ends there too.
 */
export const MAX_EXECUTION_MS = 365 * DAY_MS;

/** How long AWS keeps a closed execution (and its history) readable. */
export const DEFAULT_RETENTION_DAYS = 90;

/** The largest `Seconds` of a Wait, and of what its `SecondsPath` may select. */
export const MAX_WAIT_SECONDS = 99_999_999;

export function retentionMs(days: number): number {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`the retention must be a positive number of days, not ${String(days)}`);
  return days * DAY_MS;
}
