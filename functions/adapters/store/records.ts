import * as z from 'zod';
import { DeadlineSchema, type Obligation, ObligationSchema, PlanStoredSchema, deadlineOf } from '../../../shared/model/index.ts';
import { LISTED_ATTRIBUTES, TABLE } from '../../../contract/index.ts';

/**
 * What the table's items hold beside their keys, each read back through its schema. The
 * obligation and its events have theirs in shared/model; the directory's in shared/base.
 */

export const IdempotencyRecordSchema = z.object({
  key: z.string(),
  requestHash: z.string(),
  obligationIds: z.array(z.string()),
  createdAt: z.number(),
});
export type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>;

/**
 * One notice to one recipient at one milestone instant of an obligation: the outbox's unit. It
 * keeps who was told and the subject, never the text (LEGAL.md §5), and nothing beside these
 * fields: it is written and read through this schema. `pending` while an attempt sends it (or,
 * after a crash, until SES's Send event or the claim's age settles whether it went), `sent`,
 * `failed` (the dead-letter list until a retry sends it), then `bounced` or `complained`.
 */
export const NoticeRecordSchema = z.strictObject({
  obligationId: z.string(),
  revision: z.number().int(),
  milestone: z.string(),
  /** When the milestone fell: a plan that moves it tells again, a restart of the same plan does not. */
  milestoneAt: z.number(),
  recipient: z.string(),
  email: z.string(),
  role: z.string(),
  subject: z.string(),
  status: z.enum(['queued', 'withdrawn', 'pending', 'sent', 'failed', 'bounced', 'complained']),
  claimedAt: z.number(),
  /**
   * A queued notice: the address (noticeAddress) of the morning mail that carries it, written
   * before that mail is sent; it is `sent` once that mail went.
   */
  mail: z.string().optional(),
  /** Why a queued notice was not sent: its obligation closed, or its plan moved the milestone, before the morning. */
  withdrawnBecause: z.enum(['closed', 'replanned']).optional(),
  /**
   * A queued notice's occasion: the cycle and the plan (of `revision`) its milestone fell in. A
   * recurring obligation may be on its next cycle by the morning; the notice is judged, and
   * told, as of the cycle it belongs to. The plan leaves the record once it is sent or withdrawn.
   */
  cycle: z.number().int().optional(),
  plan: PlanStoredSchema.optional(),
  /** A queued notice of a late timer: the milestones whose notices it replaces (functions/app/late.ts). */
  replaces: z.array(z.string()).optional(),
  /** Attempts made to send it, this one included. */
  attempts: z.number().int().optional(),
  /** Why the last attempt failed: the error's name and HTTP status, never the message's content. */
  lastError: z.string().optional(),
  sentAt: z.number().optional(),
  messageId: z.string().optional(),
  /** When the table's TTL may drop the item (epoch seconds): see noticeExpiresAt, digestExpiresAt. */
  expiresAt: z.number().int().optional(),
});
export type NoticeRecord = z.infer<typeof NoticeRecordSchema>;
/** A notice as it is claimed: with its expiry, always. */
export type NewNoticeRecord = NoticeRecord & { readonly expiresAt: number };

/** Where a sent message's notice is: SES's MessageId → the outbox item (bounces and complaints come by MessageId). */
export const MessageRecordSchema = z.object({
  messageId: z.string(),
  obligationId: z.string(),
  /** The notice's sort key under `OBL#<obligationId>`. */
  noticeKey: z.string(),
  expiresAt: z.number().int().optional(),
});
export type MessageRecord = z.infer<typeof MessageRecordSchema>;

/**
 * A role that a milestone sought at a unit and nobody in the directory held: the unit is on the
 * administrator's list of directory gaps until someone fills it. One item per (unit, role): the
 * last obligation and milestone it was missed at, and when it was first and last missed.
 */
export const DirectoryGapSchema = z.strictObject({
  org: z.string(),
  role: z.string(),
  obligationId: z.string(),
  milestone: z.string(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type DirectoryGap = z.infer<typeof DirectoryGapSchema>;

/**
 * The counts of one unit at the end of a week, per rule: what the heads' trend reads, so that a
 * week two years ago costs what last week does (issue 19). Counts only: no obligation, no case.
 */
export const SnapshotSchema = z.strictObject({
  org: z.string(),
  /** The Sunday the week ends on (24:00, +05:00). */
  weekEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  takenAt: z.number(),
  /** By rule id: open (not yet due) and overdue at the week's end. */
  counts: z.record(z.string(), z.strictObject({ open: z.number().int().min(0), overdue: z.number().int().min(0) })),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;


type ListedField = Exclude<(typeof LISTED_ATTRIBUTES)[number], typeof TABLE.deadline>;
const LISTED_FIELDS = Object.fromEntries(LISTED_ATTRIBUTES.filter((name) => name !== TABLE.deadline).map((name) => [name, true])) as { [K in ListedField]: true };

/**
 * An obligation as the work-list indexes hold it (LISTED_ATTRIBUTES): its fields but the plan and
 * what only its own page shows, with what the lists show of the plan (`deadline`).
 */
export const ListedObligationSchema = ObligationSchema.pick(LISTED_FIELDS).extend({ deadline: DeadlineSchema });
export type ListedObligation = z.infer<typeof ListedObligationSchema>;

/**
 * The listed obligation an index item holds, read through its schema: only the listed attributes,
 * whatever else an index copies (one created before the projection changed copies every
 * attribute; its plan then gives the deadline). Undefined for an item written before the store
 * kept `deadline`, whose index copy holds no plan: the caller reads the obligation itself.
 */
export function listedOf(item: Record<string, unknown>): ListedObligation | undefined {
  const record = Object.fromEntries(LISTED_ATTRIBUTES.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
  if (record[TABLE.deadline] === undefined) {
    const plan = PlanStoredSchema.safeParse(item['plan']);
    if (!plan.success) return undefined;
    record[TABLE.deadline] = deadlineOf(plan.data);
  }
  return ListedObligationSchema.parse(record);
}

/** An obligation as the lists hold it. */
export function listedObligation(obligation: Obligation): ListedObligation {
  const listed = new Set<string>(LISTED_ATTRIBUTES);
  return { ...Object.fromEntries(Object.entries(obligation).filter(([name]) => listed.has(name))), deadline: deadlineOf(obligation.plan) } as ListedObligation;
}
