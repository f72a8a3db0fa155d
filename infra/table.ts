import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../functions/contract.ts';

export interface MerzimTableProps {
  /** DESTROY for dev, RETAIN for prod. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The one table (ARCHITECTURE.md, "Data"): keys, indexes and TTL exactly as `TABLE` in the
 * contract. A plain `AWS::DynamoDB::Table`, so the embedded runtime can hand its properties to
 * DynamoDB Local's CreateTable as they are.
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
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.removalPolicy === RemovalPolicy.RETAIN },
      removalPolicy: props.removalPolicy,
    });

    for (const [indexName, keys] of Object.entries(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: string(keys.partitionKey),
        sortKey: string(keys.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
