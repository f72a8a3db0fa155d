import { pathToFileURL } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaHandler } from '../handlers.ts';
import type { FunctionDescription, StackDescription, StateMachineDescription, TableDescription } from './stack.ts';

/**
 * Deploys a stack on the embedded runtime: its tables on DynamoDB Local, its functions' bundles
 * in this process, its state machines on the local Step Functions service.
 */

export class DeployError extends Error {
  override readonly name = 'DeployError';
}

/** Creates the table if missing; on kept data adds the indexes and the TTL the template gained. */
export async function deployTable(client: DynamoDBClient, table: TableDescription): Promise<void> {
  const payPerRequest = { BillingMode: 'PAY_PER_REQUEST' as const };
  let existing;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: table.name }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing === undefined) {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        KeySchema: [...table.keySchema],
        AttributeDefinitions: [...table.attributes],
        ...payPerRequest,
        ...(table.globalIndexes.length === 0
          ? {}
          : { GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({ ...index, KeySchema: [...index.KeySchema], Projection: projection(index.Projection) })) }),
        ...(table.localIndexes.length === 0
          ? {}
          : { LocalSecondaryIndexes: table.localIndexes.map((index) => ({ ...index, KeySchema: [...index.KeySchema], Projection: projection(index.Projection) })) }),
        ...(table.streamViewType === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }),
      }),
    );
  } else {
    if (table.streamViewType !== undefined && existing.StreamSpecification?.StreamEnabled !== true) {
      await client.send(new UpdateTableCommand({ TableName: table.name, StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }));
    }
    const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of table.globalIndexes.filter((candidate) => !have.has(candidate.IndexName))) {
      const names = new Set(index.KeySchema.map((key) => key.AttributeName));
      await client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: table.attributes.filter((attribute) => names.has(attribute.AttributeName)),
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: [...index.KeySchema], Projection: projection(index.Projection) } }],
        }),
      );
    }
  }
  if (table.ttlAttribute !== undefined) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }));
    }
  }
}

function projection(raw: { readonly ProjectionType?: string; readonly NonKeyAttributes?: readonly string[] }) {
  return {
    ProjectionType: (raw.ProjectionType ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
    ...(raw.NonKeyAttributes === undefined ? {} : { NonKeyAttributes: [...raw.NonKeyAttributes] }),
  };
}

/**
 * The environment the functions share. The contract gives every function the same one: two
 * functions that disagree on a variable are a defect of the stack, reported here.
 */
export function sharedEnvironment(functions: readonly FunctionDescription[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const from: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      const seen = merged[key];
      if (seen === undefined) {
        merged[key] = value;
        from[key] = fn.name;
      } else if (seen !== value) {
        conflicts.push(`${key} is "${seen}" for ${from[key] ?? '?'} but "${value}" for ${fn.name}`);
      }
    }
  }
  if (conflicts.length > 0) {
    throw new DeployError(`the functions run in one process and must share one environment, but ${conflicts.join('; ')}`);
  }
  return merged;
}

/** Imports a function's bundle and returns the handler it exports. */
export async function importHandler(fn: FunctionDescription): Promise<LambdaHandler> {
  const module = (await import(pathToFileURL(fn.entry).href)) as Record<string, unknown> & { default?: Record<string, unknown> };
  const handler = module[fn.exportName] ?? module.default?.[fn.exportName];
  if (typeof handler !== 'function') throw new DeployError(`${fn.entry} does not export "${fn.exportName}" (function ${fn.name})`);
  return handler as LambdaHandler;
}

export async function deployStateMachine(sfn: SFNClient, machine: StateMachineDescription, account: string): Promise<string> {
  try {
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: machine.name, definition: machine.definition, roleArn: `arn:aws:iam::${account}:role/merzim-local` }),
    );
    return created.stateMachineArn ?? '';
  } catch (error) {
    if (error instanceof Error && error.name === 'StateMachineAlreadyExists') {
      throw new DeployError(
        `the state machine ${machine.name} kept from an earlier start differs from the synthesized one, and the local Step Functions ` +
          'service cannot update a state machine: start with --fresh (or delete the data folder) to run the new definition',
      );
    }
    throw error;
  }
}

export async function deployStack(
  stack: StackDescription,
  clients: { readonly dynamodb: DynamoDBClient; readonly sfn: SFNClient },
  account: string,
): Promise<void> {
  for (const table of stack.tables) await deployTable(clients.dynamodb, table);
  for (const machine of stack.stateMachines) await deployStateMachine(clients.sfn, machine, account);
}
