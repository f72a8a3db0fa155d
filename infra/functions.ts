import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV, FUNCTIONS, type FunctionName } from '../functions/contract.ts';
import { pascal, resourcePrefix, type Stage } from './config.ts';

/** The project root: esbuild runs here, with the project's tsconfig and lock file. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const API_TIMEOUT = Duration.seconds(10);
const STEP_TIMEOUT = Duration.seconds(30);
const BATCH_TIMEOUT = Duration.minutes(5);

/** Memory and timeout of each function: the API answers people, steps run inside executions, the rest are scheduled batches. */
const SIZING: Readonly<Record<FunctionName, { readonly memorySize: number; readonly timeout: Duration }>> = {
  api: { memorySize: 512, timeout: API_TIMEOUT },
  timer: { memorySize: 256, timeout: STEP_TIMEOUT },
  notify: { memorySize: 256, timeout: STEP_TIMEOUT },
  escalate: { memorySize: 256, timeout: STEP_TIMEOUT },
  digest: { memorySize: 256, timeout: BATCH_TIMEOUT },
  reconcile: { memorySize: 256, timeout: BATCH_TIMEOUT },
  provision: { memorySize: 256, timeout: BATCH_TIMEOUT },
  'mail-events': { memorySize: 256, timeout: STEP_TIMEOUT },
};

/** Who sends mail, and who starts, reads and stops executions. */
const SENDS_MAIL: readonly FunctionName[] = ['notify', 'escalate', 'digest'];
const DRIVES_EXECUTIONS: readonly FunctionName[] = ['api', 'timer', 'reconcile', 'provision'];

export interface MerzimFunctionsProps {
  readonly stage: Stage;
  readonly table: dynamodb.Table;
  /** `MAIL_FROM`. */
  readonly mailFrom: string;
  /** The SES identity (domain or address) `ses:SendEmail` is granted on. */
  readonly mailIdentity: string;
}

/**
 * The seven functions of the contract, one `NodejsFunction` per `functions/handlers/<name>.ts`,
 * bundled locally by esbuild as ESM (`index.mjs`). All of them get the same environment.
 */
export class MerzimFunctions extends Construct {
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;
  /** The environment every function receives (names from `ENV`, plus NODE_OPTIONS). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: MerzimFunctionsProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.stage);

    // Built from pseudo parameters, not from the state machines: the machines invoke these
    // functions, so referring to them here would be a dependency cycle.
    const statesArn = (resource: string): string => `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const stateMachinePrefix = statesArn(`stateMachine:${prefix}-`);

    this.environment = {
      [ENV.table]: props.table.tableName,
      [ENV.stateMachinePrefix]: stateMachinePrefix,
      [ENV.mailFrom]: props.mailFrom,
      [ENV.stage]: props.stage,
      // Set once the stack has an SES configuration set (bounces and complaints); empty: none.
      [ENV.mailConfigurationSet]: '',
      [ENV.service]: 'merzim',
      NODE_OPTIONS: '--enable-source-maps',
    };

    const byName = {} as Record<FunctionName, NodejsFunction>;
    for (const name of FUNCTIONS) {
      byName[name] = new NodejsFunction(this, pascal(name), {
        functionName: `${prefix}-${name}`,
        description: `Merzim ${props.stage}: ${name}`,
        entry: path.join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        ...SIZING[name],
        environment: { ...this.environment },
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          // esbuild's ESM output has no `require`; CommonJS dependencies still call it.
          banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
          minify: true,
          sourceMap: true,
          sourcesContent: false,
          externalModules: ['@aws-sdk/*'],
          forceDockerBundling: false,
          tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
          logLevel: LogLevel.ERROR,
          // Local bundling runs esbuild through `npx --no-install`: keep npm's own warnings out of the synth output.
          environment: { npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
        },
      });
    }
    this.byName = byName;

    const sendMail = new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [`arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${props.mailIdentity}`],
    });
    const startExecutions = new iam.PolicyStatement({
      actions: ['states:StartExecution'],
      resources: [statesArn(`stateMachine:${prefix}-*`)],
    });
    const readAndStopExecutions = new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [statesArn(`execution:${prefix}-*:*`)],
    });

    for (const name of FUNCTIONS) {
      const fn = byName[name];
      props.table.grantReadWriteData(fn);
      if (SENDS_MAIL.includes(name)) fn.addToRolePolicy(sendMail);
      if (DRIVES_EXECUTIONS.includes(name)) {
        fn.addToRolePolicy(startExecutions);
        fn.addToRolePolicy(readAndStopExecutions);
      }
    }
  }
}
