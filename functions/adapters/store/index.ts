/**
 * The store: the one DynamoDB table, one repository per aggregate. keys.ts makes every key and
 * index attribute; records.ts holds the schemas of what the items hold beside their keys.
 */
export { Store, type StoreOptions } from './store.ts';
export { type ListQuery, type NeedsTimer, type Opening, ObligationRepository, TRANSACTION_ITEMS, chunksOf, itemsOf, obligationOfImage } from './obligations.ts';
export { NOTICE_IN_DOUBT_MS, type NoticeClaim, OutboxRepository } from './outbox.ts';
export { DirectoryRepository } from './directory.ts';
export { CalendarRepository } from './calendar.ts';
export { SnapshotRepository } from './snapshots.ts';
export { IdempotencyRepository } from './idempotency.ts';
export { CursorInvalidError, IdempotencyKeyBusyError, IdempotencyKeyUsedError, ObligationExistsError, StaleObligationError } from './errors.ts';
export * from './records.ts';
export { digestExpiresAt, noticeExpiresAt } from './expiry.ts';
export { LIVE_SHARDS, type ListBy, eventKey, indexAttributes, listPlaceOf, memberKey, noticeAddress, obligationKey, organisationKey, shardOf } from './keys.ts';
export { conditionFailed } from './table.ts';
