import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { resourcePrefix, type Stage } from './config.ts';

export interface DeadLettersProps {
  readonly stage: Stage;
  readonly key: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Where what could not be delivered waits for a person: two SQS queues, encrypted with the
 * stack's key, TLS only, kept 14 days (SQS's longest), each watched by an alarm.
 * - `failedInvocations`: the on-failure destination of the asynchronously invoked functions
 *   (the scheduled batches and `mail-events`), with the event, the error and the attempts.
 * - `failedSchedules`: what EventBridge Scheduler could not hand to its target at all.
 */
export class DeadLetters extends Construct {
  readonly failedInvocations: sqs.Queue;
  readonly failedSchedules: sqs.Queue;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    this.key = props.key;
    const queue = (queueId: string, name: string): sqs.Queue => {
      const created = new sqs.Queue(this, queueId, {
        queueName: `${resourcePrefix(props.stage)}-${name}`,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        dataKeyReuse: Duration.hours(1),
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: props.removalPolicy,
      });
      acknowledge(created, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue: a person reads and redrives its messages; a DLQ of a DLQ would only move them.');
      return created;
    };
    this.failedInvocations = queue('FailedInvocations', 'failed-invocations');
    this.failedSchedules = queue('FailedSchedules', 'failed-schedules');
  }

  /** The on-failure destination of an asynchronously invoked function: the failed-invocations queue. */
  onFailure(): lambda.IDestination {
    return new QueueDestination(this.failedInvocations, this.key);
  }

  /** Lets a principal (a schedule's role) put messages on an encrypted queue: SendMessage, and a data key. */
  grantSend(grantee: iam.IGrantable, queue: sqs.IQueue): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}

/**
 * An SQS on-failure destination granting exactly what sending needs (`sqs:SendMessage` on the
 * queue, `kms:GenerateDataKey`/`kms:Decrypt` on its key); CDK's `SqsDestination` grants the
 * whole `grantSendMessages` set, `kms:ReEncrypt*` and `kms:GenerateDataKey*` included.
 */
class QueueDestination implements lambda.IDestination {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [this.queue.queueArn] });
    this.key.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    return { destination: this.queue.queueArn };
  }
}
