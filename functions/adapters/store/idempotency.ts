import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyKey } from './keys.ts';
import { type IdempotencyRecord, IdempotencyRecordSchema } from './records.ts';
import type { Table } from './table.ts';

/**
 * The Put of an idempotency record, written only if the key was never used: it goes in the first
 * transaction of the openings it names (ObligationRepository.openObligations).
 */
export function idempotencyPut(table: Table, record: IdempotencyRecord & { readonly expiresAt: number }) {
  return { Put: { TableName: table.name, Item: { ...idempotencyKey(record.key), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** What each Idempotency-Key was used for. */
export class IdempotencyRepository {
  constructor(private readonly table: Table) {}

  async idempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: idempotencyKey(key), ConsistentRead: true }));
    return Item === undefined ? undefined : IdempotencyRecordSchema.parse(Item);
  }
}
