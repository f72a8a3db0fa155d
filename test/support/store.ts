import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Store } from '../../functions/adapters/store/index.ts';
import { STORE_OPTIONS } from '../../functions/app/context.ts';
import { localClientConfig } from '../../local/index.ts';

/** A Store on a document client a test made (one that fails on purpose), told what the application decides. */
export function storeWith(documents: DynamoDBDocumentClient, table: string): Store {
  return new Store(documents, table, STORE_OPTIONS);
}

/**
 * A Store on a table of a local DynamoDB, with its document client built as the functions build
 * theirs (functions/adapters/aws/dynamodb.ts: undefined values left out): to seed a table and to look at
 * what a request wrote. `close` destroys the client.
 */
export function tableStore(endpoint: string, table: string, region = 'eu-central-1'): { store: Store; documents: DynamoDBDocumentClient; client: DynamoDBClient; close(): void } {
  const client = new DynamoDBClient(localClientConfig(endpoint, region));
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { store: storeWith(documents, table), documents, client, close: () => client.destroy() };
}
