import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { resourcePrefix, type Stage } from './config.ts';

export interface MerzimKeyProps {
  readonly stage: Stage;
  /** DESTROY for dev (after KMS's 7-day waiting period), RETAIN for prod. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The stack's customer-managed key, rotated yearly: it encrypts the table, the dead-letter
 * queues and the SNS topics. CloudWatch (alarms) and SES (bounces and complaints) publish to
 * encrypted topics, so the key policy lets those two services, from this account only, make
 * and read data keys.
 */
export class MerzimKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: MerzimKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${resourcePrefix(props.stage)}`,
      description: `Merzim ${props.stage}: the table, the dead-letter queues and the topics`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(props.stage === 'prod' ? 30 : 7),
      removalPolicy: props.removalPolicy,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'ses.amazonaws.com']) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `PublishToEncryptedTopicsFrom${service.split('.')[0]!.toUpperCase()}`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
    }
  }
}
