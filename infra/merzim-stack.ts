import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { catalog } from '../shared/rules/catalog.ts';
import { TimerStateMachine } from '../workflows/timer-state-machine.ts';
import { MerzimApi } from './api.ts';
import { pascal, resourcePrefix, type MerzimConfig } from './config.ts';
import { MerzimFunctions } from './functions.ts';
import { MerzimSchedules } from './schedules.ts';
import { MerzimTable } from './table.ts';

export interface MerzimStackProps extends StackProps {
  readonly config: MerzimConfig;
}

/** Merzim in one stack: table, functions, one state machine per rule, the API, the schedules. */
export class MerzimStack extends Stack {
  readonly table: MerzimTable;
  readonly functions: MerzimFunctions;
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  readonly api: MerzimApi;
  readonly schedules: MerzimSchedules;

  constructor(scope: Construct, id: string, props: MerzimStackProps) {
    super(scope, id, props);
    const { stage, mailFrom, mailIdentity, corsOrigins } = props.config;
    const removalPolicy = stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    Tags.of(this).add('project', 'merzim');
    Tags.of(this).add('stage', stage);

    // 1. The one table.
    this.table = new MerzimTable(this, 'Data', { removalPolicy });

    // 2. The seven functions, all with the same environment.
    this.functions = new MerzimFunctions(this, 'Functions', { stage, table: this.table.table, mailFrom, mailIdentity });
    const { timer, notify, escalate } = this.functions.byName;

    // 3. One state machine per rule of the catalog, named merzim-<stage>-<rule id>.
    const stateMachines: Record<string, sfn.StateMachine> = {};
    for (const rule of catalog) {
      const machine = new TimerStateMachine(this, `Timer${pascal(rule.id)}`, {
        rule,
        stateMachineName: `${resourcePrefix(stage)}-${rule.id}`,
        functions: { timer, notify, escalate },
      });
      stateMachines[rule.id] = machine.stateMachine;
    }
    this.stateMachines = stateMachines;

    // 4. The HTTP API behind Cognito.
    this.api = new MerzimApi(this, 'Api', { stage, handler: this.functions.byName.api, corsOrigins, removalPolicy });

    // 5. The digest, the reconciler and provisioning, on EventBridge Scheduler.
    this.schedules = new MerzimSchedules(this, 'Schedules', { stage, functions: this.functions.byName });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.userPoolClient.userPoolClientId });
  }
}
