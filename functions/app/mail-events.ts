import * as z from 'zod';
import { type ObligationEvent, auditEntry } from '../../shared/model/index.ts';
import { SYSTEM_USER } from '../../shared/base/index.ts';
import { logger } from '../adapters/log.ts';
import { NOTICE_HEADER } from '../adapters/mail.ts';
import { type Store, conditionFailed } from '../adapters/store/index.ts';

/**
 * SES's events for the mail Merzim sent, as the configuration set publishes them to SNS and SNS
 * hands them to the `mail-events` function. A Send event marks the notice the message carried
 * (its NOTICE_HEADER) `sent`: the sender may have died between SES taking the message and writing
 * so, and this is how a restart knows not to send it again. A bounce or a complaint marks the
 * notice `bounced` or `complained` and records `notice-bounced` in the obligation's audit trail,
 * with the milestone, the role told and the kind, never the address. Deliveries and other events
 * are counted and let be.
 */

/** SES's event (configuration-set event publishing; an identity notification has `notificationType` instead). */
export const SesMailEventSchema = z
  .object({
    eventType: z.string().optional(),
    notificationType: z.string().optional(),
    mail: z.object({
      messageId: z.string().min(1),
      timestamp: z.string().optional(),
      destination: z.array(z.string()).optional(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    }),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), timestamp: z.string().optional() }).optional(),
    complaint: z.object({ complaintFeedbackType: z.string().optional(), timestamp: z.string().optional() }).optional(),
  })
  .refine((event) => (event.eventType ?? event.notificationType) !== undefined, 'an SES event has an eventType');
export type SesMailEvent = z.infer<typeof SesMailEventSchema>;

/** The SNS event: records whose message is SES's event as JSON text. */
export const SnsEventSchema = z.object({
  Records: z.array(
    z.object({
      Sns: z.object({ MessageId: z.string().optional(), Message: z.string() }),
    }),
  ),
});

export interface MailEventsSummary {
  readonly records: number;
  readonly bounced: number;
  readonly complained: number;
  /** Send events that settled a notice nobody had marked sent yet (its sender died, or is slow). */
  readonly confirmed: number;
  /** Bounces and complaints seen before (SES and SNS may deliver an event twice). */
  readonly repeated: number;
  /** Messages Merzim has no notice for (sent before the mapping existed, or expired). */
  readonly unknown: number;
  /** Deliveries, opens, sends of mail that carries no notice…: nothing to do. */
  readonly ignored: number;
  /** Records that are not SES events. */
  readonly invalid: number;
}

export interface MailEventsDeps {
  readonly store: Store;
  readonly now: () => number;
}

export async function handleMailEvents(deps: MailEventsDeps, input: unknown): Promise<MailEventsSummary> {
  const { Records } = SnsEventSchema.parse(input);
  const counts = { records: Records.length, bounced: 0, complained: 0, confirmed: 0, repeated: 0, unknown: 0, ignored: 0, invalid: 0 };
  for (const record of Records) {
    const event = parseMessage(record.Sns.Message);
    if (event === undefined) {
      counts.invalid += 1;
      logger.warn('mail-events: not an SES event', { snsMessageId: record.Sns.MessageId });
      continue;
    }
    const type = event.eventType ?? event.notificationType;
    const messageId = event.mail.messageId;
    if (type === 'Send') {
      const address = event.mail.headers?.find((header) => header.name.toLowerCase() === NOTICE_HEADER.toLowerCase())?.value;
      if (address === undefined) {
        counts.ignored += 1;
        continue;
      }
      const sentAt = Date.parse(event.mail.timestamp ?? '');
      if (await deps.store.outbox.markNoticeSentByAddress(address, messageId, Number.isNaN(sentAt) ? deps.now() : sentAt)) counts.confirmed += 1;
      else counts.repeated += 1;
      continue;
    }
    if (type !== 'Bounce' && type !== 'Complaint') {
      counts.ignored += 1;
      logger.debug('mail-events: ignored', { eventType: type, messageId });
      continue;
    }
    const notice = await deps.store.outbox.noticeByMessageId(messageId);
    if (notice === undefined) {
      counts.unknown += 1;
      logger.warn('mail-events: no notice for this message', { eventType: type, messageId });
      continue;
    }
    const status = type === 'Bounce' ? 'bounced' : 'complained';
    const kind = type === 'Bounce' ? (event.bounce?.bounceType ?? 'undetermined').toLowerCase() : 'complaint';
    const fields = { eventType: type, messageId, obligationId: notice.obligationId, milestone: notice.milestone, role: notice.role, kind };
    // The audit entry first, under a key the event itself decides (its instant, the notice), so
    // that a retry after a failure finds it written; then the notice's status. A digest's outbox
    // item belongs to no obligation: its status is all there is to change.
    const obligation = await deps.store.obligations.getObligation(notice.obligationId);
    if (obligation !== undefined) {
      const happened = Date.parse(event.bounce?.timestamp ?? event.complaint?.timestamp ?? '');
      const at = Number.isNaN(happened) ? deps.now() : happened;
      // The bounce belongs to the revision whose notice it was.
      await appendOnce(
        deps.store,
        auditEntry({ ...obligation, revision: notice.revision }, 'notice-bounced', {
          at,
          recordedAt: at,
          by: SYSTEM_USER,
          seq: seqOf(`${kind}\u0000${notice.milestone}\u0000${notice.milestoneAt}\u0000${notice.recipient}`),
          details: { milestone: notice.milestone, role: notice.role, kind },
        }),
      );
    }
    if (!(await deps.store.outbox.markNoticeUndelivered(notice, status))) {
      counts.repeated += 1;
      logger.info('mail-events: seen before', fields);
      continue;
    }
    counts[status] += 1;
    logger.info('mail-events: notice marked', { ...fields, status, audited: obligation !== undefined });
  }
  return counts;
}

function parseMessage(message: string): SesMailEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = SesMailEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Bounce entries take sequence numbers 500000…899999, apart from the entries written with a version (version × 10). */
function seqOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 500_000 + (hash % 400_000);
}

async function appendOnce(store: Store, event: ObligationEvent): Promise<void> {
  try {
    await store.obligations.appendEvent(event);
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}
