import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Obligation, ObligationEvent } from '../../../shared/model/index.ts';
import { ENV } from '../../../contract/index.ts';
import { documentClient } from '../aws/dynamodb.ts';
import { requiredEnv } from '../env.ts';
import { CalendarRepository } from './calendar.ts';
import { DirectoryRepository } from './directory.ts';
import { IdempotencyRepository } from './idempotency.ts';
import { StaleObligationError } from './errors.ts';
import { type NeedsTimer, ObligationRepository, TRANSACTION_ITEMS } from './obligations.ts';
import { OutboxRepository } from './outbox.ts';
import type { NewNoticeRecord } from './records.ts';
import { SnapshotRepository } from './snapshots.ts';
import { type Table, conditionFailed } from './table.ts';

/** What the application tells the store: whether an obligation still needs a timer (the live index). */
export interface StoreOptions {
  readonly needsTimer: NeedsTimer;
}

/**
 * The one table (ARCHITECTURE.md, Data), by aggregate: obligations with their audit trail, the
 * outbox, the organisation directory, calendar overrides, weekly snapshots and idempotency
 * records. Work lists are index queries; nothing here scans.
 */
export class Store {
  readonly obligations: ObligationRepository;
  readonly outbox: OutboxRepository;
  readonly directory: DirectoryRepository;
  readonly calendar: CalendarRepository;
  readonly snapshots: SnapshotRepository;
  readonly idempotency: IdempotencyRepository;
  /**
   * Saves an obligation with its new events (as ObligationRepository.saveObligation: throws
   * StaleObligationError over another version) and queues notices in the morning mail's queue
   * (as OutboxRepository.queueNotice), all in one transaction: what a milestone's Task records.
   * A notice there already (a retried step, a timer restarted on the same plan) cancels the
   * transaction on its own condition; it is then written again without those, which are
   * `skipped`. Too many for one transaction: the obligation first, then each notice.
   * (A property, not a method: a Store spread into a test's double keeps it.)
   */
  readonly saveWithQueued: (
    next: Obligation,
    expectedVersion: number,
    events: readonly ObligationEvent[],
    notices: readonly NewNoticeRecord[],
  ) => Promise<{ queued: NewNoticeRecord[]; skipped: NewNoticeRecord[] }>;

  constructor(documents: DynamoDBDocumentClient, table: string, options: StoreOptions) {
    const on = { documents, name: table };
    this.obligations = new ObligationRepository(on, options.needsTimer);
    this.outbox = new OutboxRepository(on);
    this.directory = new DirectoryRepository(on);
    this.calendar = new CalendarRepository(on);
    this.snapshots = new SnapshotRepository(on);
    this.idempotency = new IdempotencyRepository(on);
    this.saveWithQueued = (next, expectedVersion, events, notices) => saveWithQueued(on, this.obligations, this.outbox, next, expectedVersion, events, notices);
  }

  static fromEnv(options: StoreOptions): Store {
    return new Store(documentClient(), requiredEnv(ENV.table), options);
  }
}

async function saveWithQueued(
  table: Table,
  obligations: ObligationRepository,
  outbox: OutboxRepository,
  next: Obligation,
  expectedVersion: number,
  events: readonly ObligationEvent[],
  notices: readonly NewNoticeRecord[],
): Promise<{ queued: NewNoticeRecord[]; skipped: NewNoticeRecord[] }> {
  const saved = obligations.savedItems(next, expectedVersion, events);
  if (saved.length + notices.length > TRANSACTION_ITEMS) {
    await obligations.saveObligation(next, expectedVersion, events);
    const outcomes = await Promise.all(notices.map(async (notice) => ({ notice, queued: await outbox.queueNotice(notice) })));
    return { queued: outcomes.filter((one) => one.queued).map((one) => one.notice), skipped: outcomes.filter((one) => !one.queued).map((one) => one.notice) };
  }
  let pending = [...notices];
  const skipped: NewNoticeRecord[] = [];
  for (;;) {
    try {
      await table.documents.send(new TransactWriteCommand({ TransactItems: [...saved, ...pending.map((notice) => ({ Put: outbox.queuedPut(notice) }))] }));
      return { queued: pending, skipped };
    } catch (error) {
      if (conditionFailed(error, 0)) throw new StaleObligationError(`obligation ${next.id} changed since version ${expectedVersion}`);
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const there = pending.filter((_, index) => reasons[saved.length + index]?.Code === 'ConditionalCheckFailed');
      // Cancelled for another reason (a conflict): the caller's retry settles it.
      if (there.length === 0) throw error;
      skipped.push(...there);
      pending = pending.filter((notice) => !there.includes(notice));
    }
  }
}
