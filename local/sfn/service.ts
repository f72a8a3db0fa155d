import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../aws.ts';
import type { Clock } from '../clock.ts';
import type { HandlerRegistry } from '../handlers.ts';
import type { RunningService } from '../dynamodb.ts';
import type { Partition } from './arn.ts';
import { Executions } from './executions.ts';
import { listen } from './server.ts';
import { SfnStore } from './store.ts';

export interface SfnServiceOptions {
  /** DynamoDB Local, where executions and parked waits are kept. */
  readonly dynamodbEndpoint: string;
  readonly clock: Clock;
  readonly handlers: HandlerRegistry;
  readonly partition: Partition;
  /** The table the service keeps its state in; tests sharing one DynamoDB Local use their own. */
  readonly table?: string;
  /** How many runs of the interpreter go on at once (DEFAULT_CONCURRENT_RUNS unless given). */
  readonly concurrentRuns?: number;
  /** How long a closed execution stays readable, in days: 90 unless given, as on AWS. */
  readonly retentionDays?: number;
}

/**
 * Starts the local Step Functions service: its table in DynamoDB Local, then every wait a
 * previous service parked, then the API on a free loopback port.
 */
export async function startSfnService(options: SfnServiceOptions): Promise<RunningService> {
  const client = new DynamoDBClient(localClientConfig(options.dynamodbEndpoint, options.partition.region));
  const store = new SfnStore(client, options.table);
  await store.ensureTable();
  const executions = new Executions({
    store,
    clock: options.clock,
    handlers: options.handlers,
    partition: options.partition,
    ...(options.concurrentRuns === undefined ? {} : { concurrentRuns: options.concurrentRuns }),
    ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
  });
  await executions.recover();
  const { server, endpoint } = await listen(executions);
  return {
    endpoint,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await executions.close();
      client.destroy();
    },
  };
}
