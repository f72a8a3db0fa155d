import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { catalog } from '../shared/rules/index.ts';
import { TimerStateMachine } from '../workflows/timer-state-machine.ts';
import { buildDashboardSync } from '../web/build.ts';
import { MerzimApi } from './api.ts';
import { pascal, resourcePrefix, type MerzimConfig } from './config.ts';
import { MerzimDashboard } from './dashboard.ts';
import { DeadLetters } from './dead-letters.ts';
import { MerzimFunctions } from './functions.ts';
import { MerzimKey } from './key.ts';
import { MerzimMail } from './mail.ts';
import { MerzimMonitoring } from './monitoring.ts';
import { acknowledge, acknowledgeAll, invokeVersionsFinding } from './nag.ts';
import { MerzimSchedules } from './schedules.ts';
import { MerzimTable } from './table.ts';
import { TimerStart } from './timer-start.ts';

export interface MerzimStackProps extends StackProps {
  readonly config: MerzimConfig;
}

/**
 * Merzim in one stack: the key, the table, the dead-letter queues, the functions, one state
 * machine per rule, the dashboard (S3 + CloudFront), the API, the schedules, mail (SES) and the alarms.
 */
export class MerzimStack extends Stack {
  readonly key: MerzimKey;
  readonly table: MerzimTable;
  readonly deadLetters: DeadLetters;
  readonly functions: MerzimFunctions;
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  readonly api: MerzimApi;
  readonly dashboard: MerzimDashboard;
  readonly schedules: MerzimSchedules;
  readonly mail: MerzimMail;
  readonly monitoring: MerzimMonitoring;

  constructor(scope: Construct, id: string, props: MerzimStackProps) {
    super(scope, id, props);
    const { stage, mailFrom, mailIdentity, corsOrigins } = props.config;
    const removalPolicy = stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = props.config.logRetentionDays as logs.RetentionDays;
    Tags.of(this).add('project', 'merzim');
    Tags.of(this).add('stage', stage);

    // 1. The key, the one table, the dead-letter queues.
    this.key = new MerzimKey(this, 'Key', { stage, removalPolicy });
    const key = this.key.key;
    this.table = new MerzimTable(this, 'Data', { removalPolicy, key, deletionProtection: stage === 'prod' });
    this.deadLetters = new DeadLetters(this, 'DeadLetters', { stage, key, removalPolicy });

    // 2. The dashboard's hosting (S3 + CloudFront) first: the functions' mails link to it. Then the
    //    functions of the contract, all with the same environment.
    this.dashboard = new MerzimDashboard(this, 'Dashboard', { stage, files: buildDashboardSync(), logRetentionDays: props.config.logRetentionDays });
    this.functions = new MerzimFunctions(this, 'Functions', {
      stage,
      table: this.table.table,
      key,
      mailFrom,
      mailIdentity,
      deadLetters: this.deadLetters,
      logRetention,
      removalPolicy,
      dashboardUrl: this.dashboard.url,
      userClaim: props.config.userClaim,
    });
    const { timer, notify, escalate } = this.functions.byName;
    // The timers start from the table's stream, off the API's path (issue 20).
    new TimerStart(this, 'TimerStart', { stage, table: this.table.table, key, start: this.functions.byName.start, deadLetters: this.deadLetters.failedInvocations });

    // 3. One state machine per rule of the catalog, named merzim-<stage>-<rule id>, logging
    //    errors (never execution data: inputs name cases) to one log group.
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      // Step Functions delivers logs as "vended logs": this prefix keeps the log group's resource policy small.
      logGroupName: `/aws/vendedlogs/states/${resourcePrefix(stage)}`,
      retention: logRetention,
      removalPolicy,
    });
    const stateMachines: Record<string, sfn.StateMachine> = {};
    for (const rule of catalog) {
      const machine = new TimerStateMachine(this, `Timer${pascal(rule.id)}`, {
        rule,
        stateMachineName: `${resourcePrefix(stage)}-${rule.id}`,
        functions: { timer, notify, escalate },
        logs: { destination: executionLogs, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      });
      stateMachines[rule.id] = machine.stateMachine;
      this.acknowledgeStateMachine(machine, [timer, notify, escalate]);
    }
    this.stateMachines = stateMachines;

    // 4. The HTTP API behind Cognito, whose CORS and hosted-UI callback name the dashboard's
    //    distribution, then the dashboard's files and config.json.
    this.api = new MerzimApi(this, 'Api', {
      stage,
      handler: this.functions.byName.api,
      // The dashboard's own origin always; others only when the context names them (never '*').
      corsOrigins: [...corsOrigins, this.dashboard.origin],
      removalPolicy,
      logRetention,
      dashboardUrl: this.dashboard.url,
    });
    this.dashboard.deploy({
      apiUrl: this.api.httpApi.apiEndpoint,
      hostedUiUrl: this.api.hostedUi!.baseUrl(),
      clientId: this.api.userPoolClient.userPoolClientId,
      userClaim: props.config.userClaim,
    });

    // 5. The digest, the reconciler and provisioning, on EventBridge Scheduler.
    this.schedules = new MerzimSchedules(this, 'Schedules', { stage, functions: this.functions.byName, deadLetters: this.deadLetters });

    // 6. Mail: the configuration set, the identity, bounces and complaints to mail-events.
    this.mail = new MerzimMail(this, 'Mail', {
      stage,
      mailIdentity,
      createMailIdentity: props.config.createMailIdentity,
      handler: this.functions.byName['mail-events'],
      key,
      removalPolicy,
    });

    // 7. The alarms.
    this.monitoring = new MerzimMonitoring(this, 'Monitoring', {
      stage,
      key,
      removalPolicy,
      ...(props.config.alarmEmail === undefined ? {} : { alarmEmail: props.config.alarmEmail }),
      functions: this.functions.byName,
      stateMachines,
      deadLetterQueues: { 'failed-invocations': this.deadLetters.failedInvocations, 'failed-schedules': this.deadLetters.failedSchedules },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'MailConfigurationSet', { value: this.mail.configurationSet.configurationSetName });
  }

  /** The findings on a state machine's role that CDK's own grants make, each with its reason. */
  private acknowledgeStateMachine(machine: TimerStateMachine, functions: readonly lambda.IFunction[]): void {
    acknowledge(
      machine,
      'AwsSolutions-SF1',
      'Executions log at level ERROR without execution data by decision of issue 5: inputs and outputs name cases and deadlines, and the audit trail in ' +
        'DynamoDB (not execution history) is the record of what happened; ALL would copy every state transition of months-long executions to the logs.',
    );
    acknowledge(
      machine,
      'AwsSolutions-SF2',
      'No X-Ray: an execution waits days to months between steps, so a trace says nothing a log line does not; the functions log in JSON.',
    );
    acknowledge(
      machine,
      'AwsSolutions-IAM5[Resource::*]',
      'The CloudWatch Logs log-delivery actions that CDK grants for execution logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, ' +
        'DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) support no resource-level permissions.',
    );
    acknowledgeAll(
      machine,
      functions.map(invokeVersionsFinding),
      'CDK grants lambda:InvokeFunction on the function and on its versions and aliases (<function ARN>:*): the same three functions (timer, notify, escalate), nothing else.',
    );
  }
}
