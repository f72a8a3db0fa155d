import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_START_FILTER } from '../contract/index.ts';
import { type Stage, resourcePrefix } from './config.ts';

export interface TimerStartProps {
  readonly stage: Stage;
  readonly table: dynamodb.Table;
  readonly key: kms.IKey;
  /** The `start` function. */
  readonly start: lambda.IFunction;
  /** Where a batch goes when its retries are spent: a person looks; the reconciler starts its timers meanwhile. */
  readonly deadLetters: sqs.IQueue;
}

/**
 * The table's stream → an EventBridge Pipe → the `start` function, which starts the timer of each
 * new revision (functions/app/start.ts). Why a function and not the Pipe's Step Functions target:
 * that target (PipeTargetStateMachineParameters) takes only an invocation type; StartExecution
 * gets a generated name, so a record delivered twice would start two timers. The function names
 * each execution `<id>-r<revision>` (Executions.start): starting stays idempotent. The Pipe's
 * filter (STREAM_START_FILTER) lets only obligations that need a timer through; the function
 * tells a new revision from any other write by the old image.
 */
export class TimerStart extends Construct {
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: TimerStartProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (streamArn === undefined) throw new Error('the table has no stream');
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: `Merzim ${props.stage}: the pipe from the table's stream to the start function`,
    });
    // Each grant spelled out: only these actions, only on these resources.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [streamArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.key.keyArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.start.functionArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetters.queueArn] }));
    const queueKey = props.deadLetters.encryptionMasterKey;
    if (queueKey !== undefined && queueKey.keyArn !== props.key.keyArn) {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queueKey.keyArn] }));
    } else role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [props.key.keyArn] }));

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      name: `${resourcePrefix(props.stage)}-timer-start`,
      description: `Merzim ${props.stage}: each new revision of an obligation starts its timer`,
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'LATEST',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 1,
          maximumRetryAttempts: 20,
          deadLetterConfig: { arn: props.deadLetters.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(STREAM_START_FILTER) }] },
      },
      target: props.start.functionArn,
      targetParameters: { lambdaFunctionParameters: { invocationType: 'REQUEST_RESPONSE' } },
    });
    this.pipe.node.addDependency(role);
  }
}
