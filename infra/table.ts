import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE, projectionOf } from '../contract/index.ts';

export interface MerzimTableProps {
  /** DESTROY for dev, RETAIN for prod. */
  readonly removalPolicy: RemovalPolicy;
  /** The stack's customer-managed key: encryption at rest. */
  readonly key: kms.IKey;
  /** Deletion protection (prod). */
  readonly deletionProtection: boolean;
}

/**
 * The one table (ARCHITECTURE.md, "Data"): keys, indexes (with what each copies) and TTL exactly
 * as `TABLE` in the contract (the TTL removes the outbox's expired items), encrypted with the stack's key, with
 * point-in-time recovery, and deletion protection in prod. A plain `AWS::DynamoDB::Table`, so
 * the embedded runtime can hand its keys and indexes to DynamoDB Local's CreateTable as they are.
 */
export class MerzimTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: MerzimTableProps) {
    super(scope, id);
    const string = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(TABLE.partitionKey),
      sortKey: string(TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttl,
      // Read by the Pipe that starts the timers (infra/timer-start.ts).
      stream: dynamodb.StreamViewType[TABLE.stream],
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    // Each index copies what its readers take (TABLE.indexes): the lists never carry the plan.
    for (const [indexName, index] of Object.entries(TABLE.indexes)) {
      const { ProjectionType, NonKeyAttributes } = projectionOf(index.projection);
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        projectionType: dynamodb.ProjectionType[ProjectionType],
        ...(NonKeyAttributes === undefined ? {} : { nonKeyAttributes: NonKeyAttributes }),
      });
    }
  }
}
