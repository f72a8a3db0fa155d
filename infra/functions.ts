import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CLAIMS, ENV, FUNCTIONS, TABLE, type FunctionName } from '../contract/index.ts';
import { mailConfigurationSetName, pascal, resourcePrefix, type Stage } from './config.ts';
import type { DeadLetters } from './dead-letters.ts';
import { acknowledge } from './nag.ts';
import { BUNDLE, aliasArguments, routeOnlyCommands, routeOnlyOf } from './bundling.ts';

/** The project root: esbuild runs here, with the project's tsconfig and lock file. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const API_TIMEOUT = Duration.seconds(10);
const STEP_TIMEOUT = Duration.seconds(30);
const BATCH_TIMEOUT = Duration.minutes(5);

/** Memory and timeout of each function: the API answers people, steps run inside executions, batches run on schedules, mail-events on SES's events. */
const SIZING: Readonly<Record<FunctionName, { readonly memorySize: number; readonly timeout: Duration }>> = {
  api: { memorySize: 512, timeout: API_TIMEOUT },
  timer: { memorySize: 256, timeout: STEP_TIMEOUT },
  notify: { memorySize: 256, timeout: STEP_TIMEOUT },
  escalate: { memorySize: 256, timeout: STEP_TIMEOUT },
  digest: { memorySize: 256, timeout: BATCH_TIMEOUT },
  reconcile: { memorySize: 256, timeout: BATCH_TIMEOUT },
  provision: { memorySize: 256, timeout: BATCH_TIMEOUT },
  'mail-events': { memorySize: 256, timeout: STEP_TIMEOUT },
  snapshot: { memorySize: 256, timeout: BATCH_TIMEOUT },
  start: { memorySize: 256, timeout: STEP_TIMEOUT },
};

/**
 * Who sends mail (the api tells of a hand-over or a breach found at once, functions/app/act-notices.ts),
 * and who starts, reads and stops executions.
 */
const SENDS_MAIL: readonly FunctionName[] = ['api', 'notify', 'escalate', 'digest'];
const DRIVES_EXECUTIONS: readonly FunctionName[] = ['api', 'timer', 'reconcile', 'provision'];
/** Starts executions and does nothing else with them: the table's stream's target. */
const STARTS_EXECUTIONS: readonly FunctionName[] = ['start'];
/**
 * Invoked asynchronously (EventBridge Scheduler, SNS): a failure is retried twice by Lambda, then
 * goes to the failed-invocations queue. The others answer their caller (API Gateway, Step
 * Functions), which sees the error and retries or reports it.
 */
export const INVOKED_ASYNCHRONOUSLY: readonly FunctionName[] = ['digest', 'reconcile', 'provision', 'mail-events', 'snapshot'];

/**
 * What the functions do with the table: items and the indexes' queries, single and
 * transactional writes (TransactWriteItems needs the per-item actions). No Scan: work lists are
 * index queries (ARCHITECTURE.md, "Data").
 */
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** What DynamoDB needs of the caller to use a table encrypted with a customer-managed key. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

export interface MerzimFunctionsProps {
  readonly stage: Stage;
  readonly table: dynamodb.Table;
  /** The key the table (and the dead-letter queues) are encrypted with. */
  readonly key: kms.IKey;
  /** `MAIL_FROM`. */
  readonly mailFrom: string;
  /** The SES identity (domain or address) `ses:SendEmail` is granted on. */
  readonly mailIdentity: string;
  /** Where failed asynchronous invocations go. */
  readonly deadLetters: DeadLetters;
  /** How long each function's log group keeps its logs. */
  readonly logRetention: logs.RetentionDays;
  /** DESTROY for dev, RETAIN for prod (the log groups). */
  readonly removalPolicy: RemovalPolicy;
  /** The dashboard's address (`https://…/`): mails link to an obligation's page there. */
  readonly dashboardUrl?: string;
  /** The ID token claim that names the caller (the api function reads it): `cognito:username` unless given. */
  readonly userClaim?: string;
}

/**
 * The functions of the contract, one `NodejsFunction` per `functions/handlers/<name>.ts`,
 * bundled locally by esbuild as ESM (`index.mjs`). All of them get the same environment. Each
 * has a role of its own holding only its grants (no managed policy), a log group of its own
 * with a retention, and JSON logs (application INFO, system WARN).
 */
export class MerzimFunctions extends Construct {
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;
  readonly logGroups: Readonly<Record<FunctionName, logs.LogGroup>>;
  /** The environment every function receives (names from `ENV`, plus NODE_OPTIONS). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: MerzimFunctionsProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.stage);

    // Built from pseudo parameters, not from the state machines: the machines invoke these
    // functions, so referring to them here would be a dependency cycle.
    const statesArn = (resource: string): string => `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const stateMachinePrefix = statesArn(`stateMachine:${prefix}-`);

    // The key work-list cursors are sealed with (functions/api/cursor.ts): 64 random characters
    // Secrets Manager generates at deploy, under the stack's key, resolved into the environment by
    // CloudFormation (a dynamic reference: the template holds only the secret's name). Anyone who
    // may read the functions' configuration may read it; it protects cursors, not data.
    const cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      secretName: `${prefix}-cursor-key`,
      description: `Merzim ${props.stage}: the key work-list cursors are sealed with`,
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      cursorKey,
      'AwsSolutions-SMG4',
      'The cursor key seals work-list cursors (a place in a list, valid for one caller and query); it grants no access. Rotating it only sends lists back to their first page: ' +
        'it is rotated by changing the secret and deploying, which CloudFormation resolves into the environment, with no rotation function to run.',
    );

    this.environment = {
      [ENV.table]: props.table.tableName,
      [ENV.cursorKey]: cursorKey.secretValue.unsafeUnwrap(),
      [ENV.stateMachinePrefix]: stateMachinePrefix,
      [ENV.mailFrom]: props.mailFrom,
      [ENV.stage]: props.stage,
      // A plain string, not a reference to the configuration set: the embedded runtime reads it as is.
      [ENV.mailConfigurationSet]: mailConfigurationSetName(props.stage),
      [ENV.service]: 'merzim',
      ...(props.dashboardUrl === undefined ? {} : { [ENV.dashboardUrl]: props.dashboardUrl }),
      [ENV.userClaim]: props.userClaim ?? CLAIMS.user,
      // The table's stream starts the timers (infra/timer-start.ts): the API writes only.
      [ENV.timerStart]: 'stream',
      NODE_OPTIONS: '--enable-source-maps',
    };

    const byName = {} as Record<FunctionName, NodejsFunction>;
    const logGroups = {} as Record<FunctionName, logs.LogGroup>;
    for (const name of FUNCTIONS) {
      const logGroup = new logs.LogGroup(this, `${pascal(name)}Logs`, {
        logGroupName: `/merzim/${props.stage}/functions/${name}`,
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
      const role = new iam.Role(this, `${pascal(name)}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Merzim ${props.stage}: the ${name} function`,
      });
      logGroup.grantWrite(role);
      const asynchronous = INVOKED_ASYNCHRONOUSLY.includes(name);
      byName[name] = new NodejsFunction(this, pascal(name), {
        functionName: `${prefix}-${name}`,
        description: `Merzim ${props.stage}: ${name}`,
        entry: path.join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        ...SIZING[name],
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
        systemLogLevelV2: lambda.SystemLogLevel.WARN,
        ...(asynchronous ? { onFailure: props.deadLetters.onFailure(), retryAttempts: 2, maxEventAge: Duration.hours(6) } : {}),
        environment: { ...this.environment },
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        bundling: {
          format: OutputFormat.ESM,
          target: BUNDLE.target,
          mainFields: [...BUNDLE.mainFields],
          banner: BUNDLE.banner,
          minify: BUNDLE.minify,
          sourceMap: true,
          sourcesContent: false,
          externalModules: [...BUNDLE.externalModules, ...routeOnlyOf(name)],
          esbuildArgs: aliasArguments(),
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir, outputDir) => routeOnlyCommands(name, inputDir, outputDir),
          },
          forceDockerBundling: false,
          tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
          logLevel: LogLevel.ERROR,
          // Local bundling runs esbuild through `npx --no-install`: keep npm's own warnings out of the synth output.
          environment: { npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
        },
      });
      logGroups[name] = logGroup;
      acknowledge(
        byName[name],
        'AwsSolutions-L1',
        'Node.js 22 is the runtime the project targets (esbuild target node22, the contract of issue 5); nodejs22.x is supported by Lambda until 2027-04-30. Moving to Node.js 24 is its own change, tested on its own.',
      );
    }
    this.byName = byName;
    this.logGroups = logGroups;

    // SES authorizes SendEmail on the identity and, when the message names one, on the configuration set.
    const sesArn = (resource: string): string => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const sendMail = new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [sesArn(`identity/${props.mailIdentity}`), sesArn(`configuration-set/${mailConfigurationSetName(props.stage)}`)],
    });
    const startExecutions = new iam.PolicyStatement({
      actions: ['states:StartExecution'],
      resources: [statesArn(`stateMachine:${prefix}-*`)],
    });
    const readAndStopExecutions = new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [statesArn(`execution:${prefix}-*:*`)],
    });

    // The table and each of its indexes by name: no `index/*`.
    const tableArns = [props.table.tableArn, ...Object.keys(TABLE.indexes).map((index) => `${props.table.tableArn}/index/${index}`)];
    const executionsReason =
      'Functions and state machines refer to each other (the machines invoke the functions), so the functions name the machines by the stage prefix ' +
      'merzim-<stage>-, which only this stack uses; executions are named per obligation and revision (<obligationId>-r<revision>) at run time, so ' +
      'DescribeExecution/StopExecution cannot name them in advance. Actions are exactly StartExecution, DescribeExecution and StopExecution.';

    for (const name of FUNCTIONS) {
      const fn = byName[name];
      iam.Grant.addToPrincipal({ grantee: fn, actions: TABLE_ACTIONS, resourceArns: tableArns });
      props.key.grant(fn, ...TABLE_KEY_ACTIONS);
      if (SENDS_MAIL.includes(name)) fn.addToRolePolicy(sendMail);
      if (DRIVES_EXECUTIONS.includes(name)) {
        fn.addToRolePolicy(startExecutions);
        fn.addToRolePolicy(readAndStopExecutions);
        const role = fn.role!;
        acknowledge(role, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${prefix}-*]`, executionsReason);
        acknowledge(role, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${prefix}-*:*]`, executionsReason);
      }
      if (STARTS_EXECUTIONS.includes(name)) {
        fn.addToRolePolicy(startExecutions);
        acknowledge(fn.role!, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${prefix}-*]`, executionsReason);
      }
    }
  }
}
