import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV } from '../../contract/index.ts';

/**
 * The AWS clients, made once per container. Which endpoint each reaches comes from the standard
 * variables (AWS_ENDPOINT_URL_DYNAMODB, …): the same code runs in AWS and on the embedded runtime.
 */
let clients: { documents: DynamoDBDocumentClient; ses: SESv2Client; sfn: SFNClient } | undefined;

export function awsClients() {
  clients ??= {
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    ses: new SESv2Client({}),
    sfn: new SFNClient({}),
  };
  return clients;
}

export function requiredEnv(name: (typeof ENV)[keyof typeof ENV]): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`the function's environment lacks ${name}`);
  return value;
}
