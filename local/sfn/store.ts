import { ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { HistoryEvent } from './history.ts';

/**
 * The Step Functions service's memory, in DynamoDB Local: state machines, executions, their
 * history and their parked waits. Every change that could race a stop or a second wake-up is
 * conditional, so an execution moves on exactly once.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  readonly name: string;
  readonly arn: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly type: 'STANDARD';
  readonly creationDate: number;
}

export interface ParkedWait {
  /** The Wait state parked in, or the state whose retry is parked. */
  readonly wait: string;
  /** The wait's effective input (after InputPath), or the retried state's raw input, as JSON. */
  readonly input: string;
  readonly wakeAt: number;
  /**
   * `wait`: a Wait state; `retry`: a failed state waiting out its retry's backoff; `timeout`:
   * either would outlast the execution's deadline, so it wakes at the deadline to time it out.
   */
  readonly reason: 'wait' | 'retry' | 'timeout';
  /** Of a parked retry: when the state was entered, and the retries each retrier has made. */
  readonly retry?: { readonly enteredAt: number; readonly counts: readonly number[] };
  /** The key of this parking in the index of parked executions. */
  readonly key: string;
}

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: number;
  readonly stopDate?: number;
  /** When it times out: its TimeoutSeconds or a year after its start (absent in older data). */
  readonly deadline?: number;
  /** Events written so far; the next one gets this + 1 as its id. */
  readonly eventCount: number;
  /**
   * History chunks written so far (one per run, stop or timeout). Every change of a running
   * execution adds one, so it doubles as the version that makes writes optimistic.
   */
  readonly chunks: number;
  /** Where a running execution waits; absent while a run is under way (or was cut short). */
  readonly parked?: ParkedWait;
}

/** How a run (or a stop) ends: the execution closes, parks, or is already closed elsewhere. */
export type Transition =
  | { readonly kind: 'park'; readonly parked: ParkedWait }
  | { readonly kind: 'close'; readonly status: Exclude<ExecutionStatus, 'RUNNING'>; readonly stopDate: number; readonly output?: string; readonly error?: string; readonly cause?: string };

const PARKED_INDEX = 'parked';
const PARKED_PARTITION = 'PARKED';

export class SfnStore {
  readonly #client: DynamoDBClient;
  readonly #db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly table = 'merzim-local-stepfunctions',
  ) {
    this.#client = client;
    this.#db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Creates the table on first use; data from an earlier run stays. */
  async ensureTable(): Promise<void> {
    try {
      await this.#client.send(new DescribeTableCommand({ TableName: this.table }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await this.#client.send(
      new CreateTableCommand({
        TableName: this.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'parkPk', AttributeType: 'S' },
          { AttributeName: 'parkSk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: PARKED_INDEX,
            KeySchema: [
              { AttributeName: 'parkPk', KeyType: 'HASH' },
              { AttributeName: 'parkSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  }

  /** Saves a new state machine, or returns the one already saved under its name. */
  async putStateMachine(record: StateMachineRecord): Promise<StateMachineRecord> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'SM', sk: record.name, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.getStateMachine(record.name);
      if (existing === undefined) throw error;
      return existing;
    }
  }

  async getStateMachine(name: string): Promise<StateMachineRecord | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.table, Key: { pk: 'SM', sk: name } }));
    return Item === undefined ? undefined : (strip(Item) as unknown as StateMachineRecord);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    const items = await this.#queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SM' } });
    return items.map((item) => strip(item) as unknown as StateMachineRecord);
  }

  /** Saves a new execution, or returns the one already saved under its name. */
  async createExecution(record: ExecutionRecord): Promise<{ created: boolean; record: ExecutionRecord }> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...executionKey(record.stateMachineName, record.name), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, record };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.getExecution(record.stateMachineName, record.name);
      if (existing === undefined) throw error;
      return { created: false, record: existing };
    }
  }

  async getExecution(machine: string, name: string): Promise<ExecutionRecord | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.table, Key: executionKey(machine, name), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toExecution(Item);
  }

  async listExecutions(machine: string): Promise<ExecutionRecord[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `EX#${machine}` },
    });
    return items.map(toExecution);
  }

  /** Every parked execution, for scheduling its wake-up when the service starts. */
  async listParked(): Promise<ExecutionRecord[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      IndexName: PARKED_INDEX,
      KeyConditionExpression: 'parkPk = :pk',
      ExpressionAttributeValues: { ':pk': PARKED_PARTITION },
    });
    return items.map(toExecution);
  }

  /** Closed executions that stopped at or before `before`: past their retention. */
  async listClosedBefore(before: number): Promise<ExecutionRecord[]> {
    const items = await this.#scanAll({
      TableName: this.table,
      FilterExpression: 'begins_with(pk, :ex) AND #status <> :running AND stopDate <= :before',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':ex': 'EX#', ':running': 'RUNNING', ':before': before },
    });
    return items.map(toExecution);
  }

  /**
   * Forgets a closed execution and its history, as AWS does when its retention ends. The record
   * goes only if it is still the one read (a start may have reused the name meanwhile).
   */
  async deleteExecution(execution: ExecutionRecord): Promise<void> {
    await this.#deleteHistory(execution.executionArn);
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: executionKey(execution.stateMachineName, execution.name),
          ConditionExpression: '#status = :status AND chunks = :chunks',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': execution.status, ':chunks': execution.chunks },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Saves a new execution in place of `expired`, a closed one past its retention under the same
   * name (AWS lets a name be used again then). False if someone replaced it first.
   */
  async replaceExecution(expired: ExecutionRecord, record: ExecutionRecord): Promise<boolean> {
    await this.#deleteHistory(expired.executionArn);
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...executionKey(record.stateMachineName, record.name), ...record },
          ConditionExpression: '#status = :status AND chunks = :chunks',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': expired.status, ':chunks': expired.chunks },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async #deleteHistory(executionArn: string): Promise<void> {
    const chunks = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `H#${executionArn}` },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    for (let i = 0; i < chunks.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = chunks.slice(i, i + 25).map((chunk) => ({ DeleteRequest: { Key: { pk: chunk['pk'], sk: chunk['sk'] } } }));
      // DynamoDB may leave some of a batch for later; send those again until none is left.
      while (requests !== undefined && requests.length > 0) {
        const answer = await this.#db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = answer.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }

  /** Running executions that are not parked: a run was under way when the service stopped. */
  async listInterrupted(): Promise<ExecutionRecord[]> {
    const items = await this.#scanAll({
      TableName: this.table,
      FilterExpression: 'begins_with(pk, :ex) AND #status = :running AND attribute_not_exists(parked)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':ex': 'EX#', ':running': 'RUNNING' },
      ConsistentRead: true,
    });
    return items.map(toExecution);
  }

  /**
   * Writes history and where the execution goes next, atomically, if nothing moved it since
   * `execution` was read. False otherwise: of a stop and a run racing each other, or of two
   * runs from one parking, only one moves the execution on.
   */
  async commit(execution: ExecutionRecord, events: readonly HistoryEvent[], next: Transition): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':running': 'RUNNING', ':chunks': execution.chunks, ':n': events.length, ':one': 1 };
    const condition = '#status = :running AND chunks = :chunks';
    let update = 'SET eventCount = eventCount + :n, chunks = chunks + :one';
    if (next.kind === 'park') {
      update += ', parked = :parked, parkPk = :parkPk, parkSk = :parkSk';
      values[':parked'] = next.parked;
      values[':parkPk'] = PARKED_PARTITION;
      values[':parkSk'] = next.parked.key;
    } else {
      update += ', #status = :status, stopDate = :stopDate';
      values[':status'] = next.status;
      values[':stopDate'] = next.stopDate;
      for (const field of ['output', 'error', 'cause'] as const) {
        const value = next[field];
        if (value !== undefined) {
          names[`#${field}`] = field;
          values[`:${field}`] = value;
          update += `, #${field} = :${field}`;
        }
      }
      update += ' REMOVE parked, parkPk, parkSk';
    }
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: executionKey(execution.stateMachineName, execution.name),
                UpdateExpression: update,
                ConditionExpression: condition,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: `H#${execution.executionArn}`, sk: String(execution.chunks).padStart(8, '0'), events },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  /** The execution's whole history, oldest first. */
  async history(executionArn: string): Promise<HistoryEvent[]> {
    const chunks = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `H#${executionArn}` },
      ConsistentRead: true,
    });
    return chunks.flatMap((chunk) => chunk['events'] as HistoryEvent[]);
  }

  #queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return this.#allPages((start) => this.#db.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
  }

  #scanAll(input: ScanCommandInput): Promise<Record<string, unknown>[]> {
    return this.#allPages((start) => this.#db.send(new ScanCommand({ ...input, ExclusiveStartKey: start })));
  }

  /** Every item of a query or scan, page after page. */
  async #allPages(page: (start: Record<string, unknown> | undefined) => Promise<{ Items?: Record<string, unknown>[] | undefined; LastEvaluatedKey?: Record<string, unknown> | undefined }>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const answer = await page(start);
      items.push(...(answer.Items ?? []));
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }
}

function executionKey(machine: string, name: string): { pk: string; sk: string } {
  return { pk: `EX#${machine}`, sk: name };
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, parkPk: _parkPk, parkSk: _parkSk, ...rest } = item;
  return rest;
}

function toExecution(item: Record<string, unknown>): ExecutionRecord {
  return strip(item) as unknown as ExecutionRecord;
}
