import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, type QueryCommandInput, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../contract/index.ts';
import { OPENED_ENTRY } from './keys.ts';

/** What every repository works on: the document client and the one table's name. */
export interface Table {
  readonly documents: DynamoDBDocumentClient;
  readonly name: string;
}

/** The table's own attributes (keys, index keys, the lists' copy of a plan): part of an item, never of the record it holds. */
const TABLE_ATTRIBUTES = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  TABLE.deadline,
  ...Object.values(TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  // An obligation's opening entry rides on its item, but belongs to the audit trail.
  OPENED_ENTRY,
]);

/** The record an item holds: what its strict schema then checks, so that nothing else is read back as data. */
export function recordOf(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !TABLE_ATTRIBUTES.has(name)));
}

/** Every item a query finds, page after page. */
export async function queryAll(table: Table, input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: table.documents }, { TableName: table.name, ...input })) items.push(...(page.Items ?? []));
  return items;
}

/**
 * Whether a write failed on its condition: a single write (Put, Update) with its
 * ConditionalCheckFailedException, which holds the old item when the write asked for it; a
 * transaction cancelled because the condition of its item `at` failed (`'any'`: of any item).
 */
export function conditionFailed(error: unknown): error is ConditionalCheckFailedException;
export function conditionFailed(error: unknown, at: number | 'any'): error is TransactionCanceledException;
export function conditionFailed(error: unknown, at?: number | 'any'): boolean {
  if (at === undefined) return error instanceof ConditionalCheckFailedException;
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  return at === 'any' ? reasons.some((reason) => reason.Code === 'ConditionalCheckFailed') : reasons[at]?.Code === 'ConditionalCheckFailed';
}
