import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../contract/index.ts';
import { documentClient } from '../aws/dynamodb.ts';
import { requiredEnv } from '../env.ts';
import { CalendarRepository } from './calendar.ts';
import { DirectoryRepository } from './directory.ts';
import { IdempotencyRepository } from './idempotency.ts';
import { type NeedsTimer, ObligationRepository } from './obligations.ts';
import { OutboxRepository } from './outbox.ts';
import { SnapshotRepository } from './snapshots.ts';

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

  constructor(documents: DynamoDBDocumentClient, table: string, options: StoreOptions) {
    const on = { documents, name: table };
    this.obligations = new ObligationRepository(on, options.needsTimer);
    this.outbox = new OutboxRepository(on);
    this.directory = new DirectoryRepository(on);
    this.calendar = new CalendarRepository(on);
    this.snapshots = new SnapshotRepository(on);
    this.idempotency = new IdempotencyRepository(on);
  }

  static fromEnv(options: StoreOptions): Store {
    return new Store(documentClient(), requiredEnv(ENV.table), options);
  }
}
