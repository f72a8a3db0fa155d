import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE, projectionOf } from '../../contract/index.ts';
import { localClientConfig } from '../../local/index.ts';

/** Creates the contract's table on DynamoDB Local: pk/sk, its indexes with their projections, string keys. */
export async function createContractTable(endpoint: string, name: string, region = 'eu-central-1'): Promise<void> {
  const client = new DynamoDBClient(localClientConfig(endpoint, region));
  const indexes = Object.entries(TABLE.indexes);
  const keys = [TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap(([, index]) => [index.partitionKey, index.sortKey])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map(([indexName, index]) => ({
          IndexName: indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(index.projection),
        })),
      }),
    );
  } finally {
    client.destroy();
  }
}
