import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascal, resourcePrefix, type Stage } from './config.ts';

export interface MerzimMonitoringProps {
  readonly stage: Stage;
  readonly key: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** By rule id. */
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  /** By name: alarmed as soon as one message waits. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

const PERIOD = Duration.minutes(5);

/**
 * The alarms, all sent to one encrypted SNS topic (`merzim-<stage>-alarms`), e-mailed to
 * `alarmEmail` when the context gives one:
 * - each state machine: an execution failed, an execution timed out;
 * - each function: an error, a throttle;
 * - each dead-letter queue: a message is waiting.
 * Every alarm fires when its metric is above 0 in a 5-minute period (the first occurrence);
 * no data is no alarm.
 */
export class MerzimMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: MerzimMonitoringProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.stage);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${prefix}-alarms`,
      displayName: `Merzim ${props.stage}: alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(props.removalPolicy);
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);

    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, name: string, description: string, metric: cloudwatch.IMetric): void => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: `Merzim ${props.stage}: ${description}`,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      alarms.push(created);
    };

    for (const [ruleId, machine] of Object.entries(props.stateMachines)) {
      const id = `Machine${pascal(ruleId)}`;
      alarm(`${id}Failed`, `${ruleId}-executions-failed`, `an execution of ${ruleId} failed; the reconciler restarts it, find why in the state machine's log group`, machine.metricFailed({ period: PERIOD, statistic: 'Sum' }));
      alarm(`${id}TimedOut`, `${ruleId}-executions-timed-out`, `an execution of ${ruleId} timed out`, machine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }));
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const id = `Function${pascal(name)}`;
      alarm(`${id}Errors`, `${name}-errors`, `the ${name} function failed`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }));
      alarm(`${id}Throttles`, `${name}-throttles`, `the ${name} function was throttled`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }));
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `Queue${pascal(name)}`,
        `${name}-waiting`,
        `a message waits in the dead-letter queue ${name}: read it, fix the cause, redrive it`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      );
    }
    this.alarms = alarms;
  }
}
