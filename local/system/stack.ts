import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../../contract/index.ts';
import { lambdaFunctionName } from '../handlers.ts';
import { type CfnTemplate, TemplateError, TemplateResolver, type ResolverOptions } from './template.ts';

/**
 * What the embedded runtime runs, read from a synthesized template: the tables, the functions
 * and their bundles, the state machines, the HTTP API's routes and the schedules.
 */
export interface StackDescription {
  readonly tables: readonly TableDescription[];
  readonly functions: readonly FunctionDescription[];
  readonly stateMachines: readonly StateMachineDescription[];
  readonly routes: readonly RouteDescription[];
  readonly schedules: readonly ScheduleDescription[];
  /** EventBridge Pipes from a table's stream to a function. */
  readonly pipes: readonly PipeDescription[];
}

/** A Pipe from a table's stream to a function, as the embedded runtime runs it (local/streams.ts). */
export interface PipeDescription {
  readonly name: string;
  /** The table whose stream it reads. */
  readonly table: string;
  readonly functionName: string;
  readonly batchSize: number;
  /** Its filter's patterns (EventBridge patterns): a record passes when one matches; none, all pass. */
  readonly patterns: readonly unknown[];
}

export interface KeyElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

export interface TableDescription {
  readonly logicalId: string;
  readonly name: string;
  readonly keySchema: readonly KeyElement[];
  readonly attributes: readonly { readonly AttributeName: string; readonly AttributeType: 'S' | 'N' | 'B' }[];
  readonly globalIndexes: readonly IndexDescription[];
  readonly localIndexes: readonly IndexDescription[];
  readonly ttlAttribute?: string;
  /** The stream's view type, when the table has a stream. */
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
}

export interface IndexDescription {
  readonly IndexName: string;
  readonly KeySchema: readonly KeyElement[];
  readonly Projection: { readonly ProjectionType?: string; readonly NonKeyAttributes?: readonly string[] };
}

export interface FunctionDescription {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Which function of the contract this is, when it can be told. */
  readonly role?: FunctionName;
  /** The bundle's entry file (absolute) and the export that is the handler. */
  readonly entry: string;
  readonly exportName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface StateMachineDescription {
  readonly logicalId: string;
  readonly name: string;
  readonly definition: string;
}

export interface RouteDescription {
  readonly routeKey: string;
  readonly auth: 'JWT' | 'NONE';
  /** The function the route's integration invokes. */
  readonly functionName: string;
}

export interface ScheduleDescription {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly enabled: boolean;
  readonly functionName: string;
  /** The target's input, `<aws.scheduler.scheduled-time>` not yet substituted. */
  readonly input?: string;
}

export function readTemplate(path: string): CfnTemplate {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate;
  } catch (error) {
    throw new TemplateError(`cannot read the template ${path}: ${(error as Error).message}`);
  }
}

/** Reads the stack. `assemblyDir` is where the asset paths of the functions are relative to. */
export function describeStack(template: CfnTemplate, assemblyDir: string, options: ResolverOptions = {}): StackDescription {
  const resolver = new TemplateResolver(template, options);
  return {
    tables: tables(resolver),
    functions: functions(resolver, assemblyDir),
    stateMachines: stateMachines(resolver),
    routes: routes(resolver),
    schedules: schedules(resolver),
    pipes: pipes(resolver),
  };
}

function tables(resolver: TemplateResolver): TableDescription[] {
  return [...resolver.resourcesOfType('AWS::DynamoDB::Table'), ...resolver.resourcesOfType('AWS::DynamoDB::GlobalTable')].map((logicalId) => {
    const properties = resolver.properties(logicalId) as {
      KeySchema: KeyElement[];
      AttributeDefinitions: TableDescription['attributes'];
      GlobalSecondaryIndexes?: IndexDescription[];
      LocalSecondaryIndexes?: IndexDescription[];
      TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean };
      StreamSpecification?: { StreamViewType?: TableDescription['streamViewType'] };
    };
    const ttl = properties.TimeToLiveSpecification;
    const index = (raw: IndexDescription): IndexDescription => ({
      IndexName: raw.IndexName,
      KeySchema: raw.KeySchema,
      Projection: raw.Projection ?? { ProjectionType: 'ALL' },
    });
    return {
      logicalId,
      name: resolver.physicalName(logicalId),
      keySchema: properties.KeySchema,
      attributes: properties.AttributeDefinitions,
      globalIndexes: (properties.GlobalSecondaryIndexes ?? []).map(index),
      localIndexes: (properties.LocalSecondaryIndexes ?? []).map(index),
      ...(ttl?.AttributeName !== undefined && ttl.Enabled !== false ? { ttlAttribute: ttl.AttributeName } : {}),
      ...(properties.StreamSpecification?.StreamViewType === undefined ? {} : { streamViewType: properties.StreamSpecification.StreamViewType }),
    };
  });
}

function functions(resolver: TemplateResolver, assemblyDir: string): FunctionDescription[] {
  // Only the contract's functions: CDK's own (the dashboard's BucketDeployment, in Python) do not run here.
  return resolver.resourcesOfType('AWS::Lambda::Function').flatMap((logicalId) => {
    const resource = resolver.resource(logicalId);
    const name = resolver.physicalName(logicalId);
    const role = contractRole(name, logicalId, resource.Metadata?.['aws:cdk:path']);
    if (role === undefined) return [];
    const properties = resolver.properties(logicalId) as {
      Handler?: string;
      Environment?: { Variables?: Record<string, unknown> };
      Timeout?: number;
    };
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') {
      throw new TemplateError(
        `function ${logicalId} has no "aws:asset:path" metadata: synthesize with the context "aws:cdk:enable-asset-metadata": true`,
      );
    }
    const handler = properties.Handler ?? 'index.handler';
    const dot = handler.lastIndexOf('.');
    const file = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    const folder = resolve(assemblyDir, assetPath);
    const entry = ['.mjs', '.js', '.cjs'].map((extension) => join(folder, `${file}${extension}`)).find((candidate) => existsSync(candidate));
    if (entry === undefined) throw new TemplateError(`function ${logicalId}: no ${file}.mjs or ${file}.js in ${folder}`);
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(properties.Environment?.Variables ?? {})) environment[key] = String(value);
    return {
      logicalId,
      name,
      arn: resolver.getAtt(logicalId, 'Arn'),
      role,
      entry,
      exportName,
      environment,
      timeoutMs: (properties.Timeout ?? 3) * 1000,
    };
  });
}

/**
 * Which function of the contract a Lambda resource is: by its name (`merzim-dev-api`, `api`),
 * else by its construct id (`Merzim-dev/Api/Resource`), else by its logical id (`ApiFunction1234`).
 */
export function contractRole(name: string, logicalId: string, cdkPath: unknown): FunctionName | undefined {
  const plain = (text: string): string => text.toLowerCase().replace(/[^a-z]/g, '');
  const byName = FUNCTIONS.find((candidate) => name === candidate || name.endsWith(`-${candidate}`));
  if (byName !== undefined) return byName;
  if (typeof cdkPath === 'string') {
    const segments = cdkPath.split('/').map(plain);
    const byPath = FUNCTIONS.find((candidate) => segments.some((segment) => segment === candidate || segment === `${candidate}function` || segment === `${candidate}handler`));
    if (byPath !== undefined) return byPath;
  }
  const id = plain(logicalId);
  return FUNCTIONS.find((candidate) => id.startsWith(candidate));
}

function stateMachines(resolver: TemplateResolver): StateMachineDescription[] {
  return resolver.resourcesOfType('AWS::StepFunctions::StateMachine').map((logicalId) => {
    const properties = resolver.properties(logicalId) as {
      DefinitionString?: string;
      Definition?: unknown;
      DefinitionSubstitutions?: Record<string, unknown>;
    };
    let definition = properties.DefinitionString ?? (properties.Definition === undefined ? undefined : JSON.stringify(properties.Definition));
    if (typeof definition !== 'string') throw new TemplateError(`state machine ${logicalId} has no definition`);
    for (const [key, value] of Object.entries(properties.DefinitionSubstitutions ?? {})) {
      definition = definition.replaceAll(`\${${key}}`, String(value));
    }
    return { logicalId, name: resolver.physicalName(logicalId), definition };
  });
}

function routes(resolver: TemplateResolver): RouteDescription[] {
  const integrations = new Map(
    resolver.resourcesOfType('AWS::ApiGatewayV2::Integration').map((logicalId) => {
      const properties = resolver.properties(logicalId) as { IntegrationUri?: string; IntegrationType?: string; PayloadFormatVersion?: string };
      return [logicalId, properties] as const;
    }),
  );
  return resolver.resourcesOfType('AWS::ApiGatewayV2::Route').map((logicalId) => {
    const properties = resolver.properties(logicalId) as { RouteKey: string; Target?: string; AuthorizationType?: string };
    const target = properties.Target ?? '';
    const integration = integrations.get(target.replace(/^integrations\//, ''));
    if (integration?.IntegrationUri === undefined) throw new TemplateError(`route "${properties.RouteKey}" has no Lambda integration`);
    if (integration.PayloadFormatVersion !== undefined && integration.PayloadFormatVersion !== '2.0') {
      throw new TemplateError(`route "${properties.RouteKey}": payload format ${integration.PayloadFormatVersion}, the local API speaks 2.0 only`);
    }
    // A Lambda proxy integration names the function's ARN, or API Gateway's invocation path around it.
    const uri = integration.IntegrationUri.replace(/^arn:aws:apigateway:[^:]*:lambda:path\/[^/]+\/functions\//, '').replace(/\/invocations$/, '');
    const auth = properties.AuthorizationType ?? 'NONE';
    if (auth !== 'JWT' && auth !== 'NONE') throw new TemplateError(`route "${properties.RouteKey}": authorization ${auth} is not served locally`);
    return { routeKey: properties.RouteKey, auth, functionName: lambdaFunctionName(uri) };
  });
}

function schedules(resolver: TemplateResolver): ScheduleDescription[] {
  return resolver.resourcesOfType('AWS::Scheduler::Schedule').map((logicalId) => {
    const properties = resolver.properties(logicalId) as {
      ScheduleExpression: string;
      ScheduleExpressionTimezone?: string;
      State?: string;
      Target: { Arn: string; Input?: string };
    };
    let functionName = lambdaFunctionName(properties.Target.Arn);
    let input = properties.Target.Input;
    // The universal target: Lambda's Invoke with the function and its payload in the input.
    if (properties.Target.Arn === 'arn:aws:scheduler:::aws-sdk:lambda:invoke') {
      const invoke = JSON.parse(input ?? '{}') as { FunctionName?: string; Payload?: unknown };
      functionName = lambdaFunctionName(String(invoke.FunctionName));
      input = invoke.Payload === undefined ? undefined : typeof invoke.Payload === 'string' ? invoke.Payload : JSON.stringify(invoke.Payload);
    }
    return {
      name: resolver.physicalName(logicalId),
      expression: properties.ScheduleExpression,
      timezone: properties.ScheduleExpressionTimezone ?? 'UTC',
      enabled: properties.State !== 'DISABLED',
      functionName,
      ...(input === undefined ? {} : { input }),
    };
  });
}

function pipes(resolver: TemplateResolver): PipeDescription[] {
  return resolver.resourcesOfType('AWS::Pipes::Pipe').map((logicalId) => {
    const properties = resolver.properties(logicalId) as {
      Name?: string;
      Source: string;
      Target: string;
      SourceParameters?: {
        DynamoDBStreamParameters?: { BatchSize?: number };
        FilterCriteria?: { Filters?: { Pattern?: string }[] };
      };
    };
    // arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
    const table = /:table\/([^/]+)\/stream\//.exec(properties.Source)?.[1];
    if (table === undefined) throw new TemplateError(`pipe ${logicalId}: its source is not a DynamoDB stream: ${properties.Source}`);
    return {
      name: properties.Name ?? logicalId,
      table,
      functionName: lambdaFunctionName(properties.Target),
      batchSize: properties.SourceParameters?.DynamoDBStreamParameters?.BatchSize ?? 100,
      patterns: (properties.SourceParameters?.FilterCriteria?.Filters ?? []).flatMap((filter) => (filter.Pattern === undefined ? [] : [JSON.parse(filter.Pattern) as unknown])),
    };
  });
}
