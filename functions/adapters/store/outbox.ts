import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { noticeExpiresAt } from './expiry.ts';
import {
  type Key,
  type NoticePlace,
  NOTICE_LIST,
  cursorAfter,
  failedNoticeEntry,
  isNoticeKey,
  messageKey,
  noticeKey,
  noticeKeyAt,
  noticeKeyOf,
  noticeListCondition,
  noticesCondition,
  queuedNoticeAttributes,
  startAfter,
} from './keys.ts';
import { type MessageRecord, MessageRecordSchema, type NewNoticeRecord, type NoticeRecord, NoticeRecordSchema } from './records.ts';
import { type Table, conditionFailed, queryAll, recordOf } from './table.ts';

/**
 * How long a claim of a notice that neither reached `sent` nor `failed` stays in doubt: the sender
 * may have died after SES took the message. SES's Send event (seconds, in AWS) settles it within
 * this time; after it, nobody sent it and it is sent again.
 */
export const NOTICE_IN_DOUBT_MS = 5 * 60_000;
/** Conditional updates of queued notices in flight at once. */
const QUEUE_WRITERS = 16;

/** What a claim found: the right to send, a notice sent already, or one another attempt may have sent. */
export type NoticeClaim = 'claimed' | 'sent' | 'in-doubt';

/**
 * The outbox: one notice to one recipient at one milestone instant (ARCHITECTURE.md, Data), its
 * claim, its outcome, the dead-letter list and the morning mail's queue (TABLE.noticeLists).
 */
export class OutboxRepository {
  constructor(private readonly table: Table) {}

  /**
   * Claims the right to send one notice: when it was never claimed, failed before, or was claimed
   * longer than NOTICE_IN_DOUBT_MS ago without an outcome. A retried or repeated step never sends
   * what went out; one that meets a fresh claim learns the notice is in doubt and comes back later.
   */
  async claimNotice(notice: NewNoticeRecord): Promise<NoticeClaim> {
    const { attempts: _attempts, lastError: _lastError, sentAt: _sentAt, messageId: _messageId, ...fields } = NoticeRecordSchema.parse(notice);
    const names: Record<string, string> = { '#status': 'status', '#failedPk': NOTICE_LIST.partitionKey, '#failedSk': NOTICE_LIST.sortKey };
    const values: Record<string, unknown> = { ':pending': 'pending', ':failed': 'failed', ':stale': notice.claimedAt - NOTICE_IN_DOUBT_MS, ':zero': 0, ':one': 1 };
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: noticeKey(notice),
          // The attempts go on counting over claims; the failed list forgets a notice being sent again.
          UpdateExpression: `SET ${sets.join(', ')}, attempts = if_not_exists(attempts, :zero) + :one REMOVE #failedPk, #failedSk, lastError`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :pending AND claimedAt < :stale)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (conditionFailed(error)) return error.Item?.status?.S === 'pending' ? 'in-doubt' : 'sent';
      throw error;
    }
  }

  /**
   * The notice went out: its status and SES's MessageId, and beside it the MessageId's way back
   * to the notice (`MSG#<messageId>`), kept as long as the notice, for bounces and complaints.
   * False when it was marked already (by SES's Send event, or an earlier call).
   */
  async markNoticeSent(notice: NoticePlace & Pick<NoticeRecord, 'expiresAt'>, messageId: string, sentAt: number): Promise<boolean> {
    return this.#markSent(notice.obligationId, noticeKey(notice), messageId, sentAt, notice.expiresAt ?? noticeExpiresAt(notice.milestoneAt));
  }

  /** As markNoticeSent, for a notice known by its address (NOTICE_HEADER): what SES's Send event gives. */
  async markNoticeSentByAddress(address: string, messageId: string, sentAt: number): Promise<boolean> {
    const at = noticeKeyAt(address);
    if (at === undefined || !isNoticeKey(at.key)) return false;
    const notice = await this.#notice(at.key);
    if (notice === undefined) return false;
    if (notice.status !== 'pending' && notice.status !== 'failed') return false;
    return this.#markSent(at.obligationId, at.key, messageId, sentAt, notice.expiresAt ?? noticeExpiresAt(notice.milestoneAt));
  }

  async #markSent(obligationId: string, key: Key, messageId: string, sentAt: number, expiresAt: number): Promise<boolean> {
    const record: MessageRecord = { messageId, obligationId, noticeKey: key.sk, expiresAt };
    try {
      await this.table.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.name,
                Key: key,
                UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at REMOVE #failedPk, #failedSk',
                ConditionExpression: '#status IN (:pending, :failed)',
                ExpressionAttributeNames: { '#status': 'status', '#failedPk': NOTICE_LIST.partitionKey, '#failedSk': NOTICE_LIST.sortKey },
                ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':at': sentAt, ':pending': 'pending', ':failed': 'failed' },
              },
            },
            { Put: { TableName: this.table.name, Item: { ...messageKey(messageId), ...record } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
  }

  /**
   * The attempt could not send the notice (SES refused, or answered with an error): `failed`, with
   * why, in the dead-letter list until a later attempt sends it. Only the attempt that holds the
   * claim may say so.
   */
  async markNoticeFailed(notice: NoticeRecord, reason: string): Promise<void> {
    const entry = failedNoticeEntry(notice);
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: noticeKey(notice),
          UpdateExpression: 'SET #status = :failed, lastError = :reason, #failedPk = :list, #failedSk = :order',
          ConditionExpression: '#status = :pending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status', '#failedPk': NOTICE_LIST.partitionKey, '#failedSk': NOTICE_LIST.sortKey },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':failed': 'failed',
            ':claimedAt': notice.claimedAt,
            ':reason': reason,
            ':list': entry.partition,
            ':order': entry.sort,
          },
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  /**
   * Puts a notice in its recipient's morning mail queue, once: a repeated or retried step finds it
   * there (or sent, or withdrawn) and writes nothing. True when this call queued it.
   */
  async queueNotice(notice: NewNoticeRecord): Promise<boolean> {
    try {
      await this.table.documents.send(new PutCommand(this.queuedPut(notice)));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /**
   * The write of queueNotice, for a transaction that records the milestone with it
   * (Store.saveWithQueued): it fails on its condition when the notice is there already.
   */
  queuedPut(notice: NewNoticeRecord) {
    const record = NoticeRecordSchema.parse({ ...notice, status: 'queued' });
    return { TableName: this.table.name, Item: { ...noticeKey(notice), ...record, ...queuedNoticeAttributes(notice) }, ConditionExpression: 'attribute_not_exists(pk)' };
  }

  /** Every notice in the morning mail's queue, by recipient then milestone. */
  async queuedNotices(): Promise<NoticeRecord[]> {
    const items = await queryAll(this.table, noticeListCondition('queued'));
    return items.map((item) => NoticeRecordSchema.parse(recordOf(item)));
  }

  /** One notice by its address (noticeAddress); undefined when there is none. */
  async noticeByAddress(address: string): Promise<NoticeRecord | undefined> {
    const at = noticeKeyAt(address);
    return at === undefined ? undefined : this.#notice(at.key);
  }

  /**
   * Writes on queued notices the morning mail that will carry them, before it is sent, in
   * batches. Each write holds only if the notice is still queued and carried by the mail it was
   * read with (none, or one that never went): a notice another run took meanwhile is left to it.
   */
  async assignQueuedNotices(notices: readonly NoticeRecord[], mail: string): Promise<void> {
    await this.#updateEach(notices, (notice) => ({
      UpdateExpression: 'SET #mail = :mail',
      ConditionExpression: notice.mail === undefined ? '#status = :queued AND attribute_not_exists(#mail)' : '#status = :queued AND #mail = :old',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail' },
      ExpressionAttributeValues: { ':queued': 'queued', ':mail': mail, ...(notice.mail === undefined ? {} : { ':old': notice.mail }) },
    }));
  }

  /** The morning mail that carried them went: the notices are sent, with its MessageId, and leave the queue; in batches. */
  async markQueuedSent(notices: readonly NoticeRecord[], mail: string, messageId: string | undefined, sentAt: number): Promise<void> {
    await this.#updateEach(notices, () => ({
      UpdateExpression: `SET #status = :sent, sentAt = :at${messageId === undefined ? '' : ', messageId = :id'} REMOVE #queuePk, #queueSk, #plan`,
      ConditionExpression: '#status = :queued AND #mail = :mail',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail', '#queuePk': NOTICE_LIST.partitionKey, '#queueSk': NOTICE_LIST.sortKey, '#plan': 'plan' },
      ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt, ':queued': 'queued', ':mail': mail, ...(messageId === undefined ? {} : { ':id': messageId }) },
    }));
  }

  /** Queued notices nobody needs any more leave the queue unsent, with why; in batches. */
  async withdrawQueued(notices: readonly NoticeRecord[], because: 'closed' | 'replanned'): Promise<void> {
    await this.#updateEach(notices, (notice) => ({
      UpdateExpression: 'SET #status = :withdrawn, withdrawnBecause = :because REMOVE #queuePk, #queueSk, #plan',
      ConditionExpression: notice.mail === undefined ? '#status = :queued AND attribute_not_exists(#mail)' : '#status = :queued AND #mail = :old',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail', '#queuePk': NOTICE_LIST.partitionKey, '#queueSk': NOTICE_LIST.sortKey, '#plan': 'plan' },
      ExpressionAttributeValues: { ':queued': 'queued', ':withdrawn': 'withdrawn', ':because': because, ...(notice.mail === undefined ? {} : { ':old': notice.mail }) },
    }));
  }

  /**
   * Conditional updates of queued notices, QUEUE_WRITERS at a time, each on its own: a failed
   * condition means that notice is someone else's. Not transactions: the notices do not depend on
   * each other, and a transactional write costs twice the write units (and DynamoDB Local's
   * transactions much more CPU).
   */
  async #updateEach(
    notices: readonly NoticeRecord[],
    update: (notice: NoticeRecord) => {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<void> {
    let next = 0;
    const writer = async (): Promise<void> => {
      for (let index = next++; index < notices.length; index = next++) {
        const notice = notices[index];
        if (notice === undefined) continue;
        try {
          await this.table.documents.send(new UpdateCommand({ TableName: this.table.name, Key: noticeKey(notice), ...update(notice) }));
        } catch (error) {
          if (!conditionFailed(error)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(QUEUE_WRITERS, notices.length) }, writer));
  }

  /** The dead-letter list: notices whose last attempt failed, oldest milestone first. */
  async failedNotices(limit = 100, cursor?: string): Promise<{ items: NoticeRecord[]; cursor?: string }> {
    const { Items = [], LastEvaluatedKey } = await this.table.documents.send(
      new QueryCommand({ TableName: this.table.name, ...noticeListCondition('failed'), Limit: limit, ...startAfter(cursor) }),
    );
    return {
      items: Items.map((item) => NoticeRecordSchema.parse(recordOf(item))),
      ...cursorAfter(LastEvaluatedKey),
    };
  }

  /** The notice a message was sent for, by SES's MessageId; undefined when none is known. */
  async noticeByMessageId(messageId: string): Promise<NoticeRecord | undefined> {
    const { Item: mapping } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: messageKey(messageId) }));
    if (mapping === undefined) return undefined;
    const { obligationId, noticeKey: sk } = MessageRecordSchema.parse(mapping);
    return this.#notice(noticeKeyOf(obligationId, sk));
  }

  /**
   * A sent notice bounced or drew a complaint. False when it had that status already (SES may
   * deliver an event more than once), so that the caller records it once.
   */
  async markNoticeUndelivered(notice: NoticeRecord, status: 'bounced' | 'complained'): Promise<boolean> {
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: noticeKey(notice),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async notices(obligationId: string): Promise<NoticeRecord[]> {
    const items = await queryAll(this.table, noticesCondition(obligationId));
    return items.map((item) => NoticeRecordSchema.parse(recordOf(item)));
  }

  /** One notice by its key, read consistently; undefined when there is none. */
  async #notice(key: Key): Promise<NoticeRecord | undefined> {
    const { Item } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
    return Item === undefined ? undefined : NoticeRecordSchema.parse(recordOf(Item));
  }
}
