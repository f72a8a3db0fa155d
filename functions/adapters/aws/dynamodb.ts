import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The table's document client, made once per container. One module per AWS client: a function
 * loads only the SDK clients it uses, which is most of its cold start. The endpoint comes from the
 * standard variables (AWS_ENDPOINT_URL_DYNAMODB): the same code runs in AWS and on the embedded runtime.
 */
let documents: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return documents;
}
