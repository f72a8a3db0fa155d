/** How long the outbox keeps what it sent: the table's TTL (`TABLE.ttl`) reads these, in epoch seconds. */

const DAY_S = 86_400;
/** A notice is kept a year after its milestone (epoch seconds, as DynamoDB's TTL reads it). */
export function noticeExpiresAt(milestoneAt: number): number {
  return Math.floor(milestoneAt / 1000) + 365 * DAY_S;
}
/** A digest is kept 30 days after it was claimed. */
export function digestExpiresAt(claimedAt: number): number {
  return Math.floor(claimedAt / 1000) + 30 * DAY_S;
}
