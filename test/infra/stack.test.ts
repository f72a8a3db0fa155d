import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, ENV, FUNCTIONS, GROUPS, SCHEDULE_TIME_ZONE, LISTED_ATTRIBUTES, SCHEDULES, TABLE } from '../../contract/index.ts';
import { buildApp } from '../../infra/app.ts';
import { ConfigError } from '../../infra/config.ts';
import { catalog } from '../../shared/rules/index.ts';

// Synthesizing bundles the seven functions with esbuild: a few seconds, more on a slow machine.
const SYNTH_TIMEOUT = 180_000;

const outdirs: string[] = [];
let stackNames: string[] = [];
function synthesize(context: Record<string, unknown>): Template {
  const app = buildApp({ outdir: outdirFor('synth'), context });
  const stacks = app.node.children.filter((child): child is Stack => child instanceof Stack);
  expect(stacks).toHaveLength(1);
  stackNames = [...stackNames, stacks[0]!.stackName];
  return Template.fromStack(stacks[0]!);
}

type Resources = Record<string, { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

/** The one Lambda function not of the contract: CDK's BucketDeployment of the dashboard (infra/dashboard.ts), and its role. */
const BUCKET_DEPLOYMENT = /^CustomCDKBucketDeployment/;

/** The functions of the contract: every Lambda function but CDK's BucketDeployment. */
function contractFunctions(template: Template): Resources {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Lambda::Function') as Resources).filter(([id]) => !BUCKET_DEPLOYMENT.test(id)));
}

let dev: Template;
let prod: Template;

beforeAll(() => {
  dev = synthesize({ stage: 'dev' });
  // The prod stack's checks need no bundles: CDK's own switch leaves bundling out for it.
  prod = synthesize({
    stage: 'prod',
    mailFrom: 'noreply@merzim.gov.kz',
    alarmEmail: 'duty@merzim.gov.kz',
    createMailIdentity: 'true',
    'aws:cdk:bundling-stacks': [],
  });
}, SYNTH_TIMEOUT);

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('the stack', () => {
  it('is named Merzim-<stage>', () => {
    expect(stackNames).toEqual(['Merzim-dev', 'Merzim-prod']);
  });

  it('refuses an unknown stage with a clear error', () => {
    expect(() => buildApp({ outdir: outdirFor('bad-stage'), context: { stage: 'staging' } })).toThrow(ConfigError);
    expect(() => buildApp({ outdir: outdirFor('bad-stage'), context: { stage: 'staging' } })).toThrow(/"stage" must be one of dev, prod, got "staging"/);
  });
});

describe('the table', () => {
  it('has the contract keys, PAY_PER_REQUEST billing and TTL on expiresAt', () => {
    dev.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TABLE.ttl, Enabled: true },
    });
  });

  it('has the indexes of the contract, string keys; the work lists copy the listed attributes, never the plan', () => {
    const [table] = Object.values(dev.findResources('AWS::DynamoDB::Table') as Resources);
    const indexes = table!.Properties['GlobalSecondaryIndexes'] as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    const listed = { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LISTED_ATTRIBUTES] };
    const projections: Record<keyof typeof TABLE.indexes, unknown> = {
      byOrg: listed,
      byAssignee: listed,
      byIssuer: listed,
      byCase: listed,
      live: { ProjectionType: 'KEYS_ONLY' },
      notices: { ProjectionType: 'ALL' },
    };
    for (const [name, keys] of Object.entries(TABLE.indexes)) {
      expect(indexes.find((index) => index.IndexName === name)).toEqual({
        IndexName: name,
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projections[name as keyof typeof TABLE.indexes],
      });
    }
    // What the lists read: a card's fields and the plan's deadline, the case search's caseRef, the report's tally; never the plan.
    expect(LISTED_ATTRIBUTES).not.toContain('plan');
    expect(LISTED_ATTRIBUTES).toEqual(expect.arrayContaining(['id', 'caseRef', 'org', 'issuedBy', 'assignee', 'status', 'dueAt', 'tally', TABLE.deadline]));
    const attributes = table!.Properties['AttributeDefinitions'] as { AttributeName: string; AttributeType: string }[];
    expect(attributes.every((attribute) => attribute.AttributeType === 'S')).toBe(true);
    expect(attributes).toHaveLength(2 + 2 * Object.keys(TABLE.indexes).length);
  });

  it('is destroyed with a dev stack and retained with a prod stack', () => {
    dev.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    prod.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the functions', () => {
  const functions = (): Resources => contractFunctions(dev);

  it('are those of the contract, Node.js 22 on arm64, named merzim-<stage>-<name>', () => {
    dev.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length + 1);
    expect(Object.keys(functions())).toHaveLength(FUNCTIONS.length);
    const names = Object.values(functions()).map((fn) => fn.Properties['FunctionName']);
    expect(names.sort()).toEqual(FUNCTIONS.map((name) => `merzim-dev-${name}`).sort());
    for (const fn of Object.values(functions())) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  it('all receive the same environment: the ENV names plus NODE_OPTIONS', () => {
    const environments = Object.values(functions()).map((fn) => (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables);
    for (const variables of environments) {
      expect(Object.keys(variables).sort()).toEqual([...Object.values(ENV), 'NODE_OPTIONS'].sort());
      expect(variables).toEqual(environments[0]);
    }
    expect(environments[0]).toMatchObject({ [ENV.mailFrom]: 'merzim@example.kz', [ENV.stage]: 'dev', NODE_OPTIONS: '--enable-source-maps' });
    expect(JSON.stringify(environments[0]![ENV.stateMachinePrefix])).toContain(':stateMachine:merzim-dev-');
    // Mails link to the dashboard's distribution.
    expect(JSON.stringify(environments[0]![ENV.dashboardUrl])).toMatch(/https:\/\/.*DomainName/);
  });

  it('take the mail sender and the stage from the context', () => {
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.mailFrom]: 'noreply@merzim.gov.kz', [ENV.stage]: 'prod' }) },
    });
  });

  it('are sized: api 512 MB and 10 s, steps 30 s, batches 5 minutes', () => {
    const byName = Object.fromEntries(Object.values(functions()).map((fn) => [fn.Properties['FunctionName'], fn.Properties]));
    expect(byName['merzim-dev-api']).toMatchObject({ MemorySize: 512, Timeout: 10 });
    for (const step of ['timer', 'notify', 'escalate']) expect(byName[`merzim-dev-${step}`]).toMatchObject({ MemorySize: 256, Timeout: 30 });
    for (const batch of ['digest', 'reconcile', 'provision', 'snapshot']) expect(byName[`merzim-dev-${batch}`]).toMatchObject({ MemorySize: 256, Timeout: 300 });
  });

  it('may start, describe and stop executions of the stage’s machines, and send mail as the SES identity', () => {
    const policies = JSON.stringify(dev.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':stateMachine:merzim-dev-*');
    expect(policies).toContain(':execution:merzim-dev-*:*');
    expect(policies).toContain(':identity/example.kz');
  });
});

describe('the state machines', () => {
  it('are one per rule of the catalog, named merzim-<stage>-<rule id>', () => {
    dev.resourceCountIs('AWS::StepFunctions::StateMachine', catalog.length);
    const names = Object.values(dev.findResources('AWS::StepFunctions::StateMachine') as Resources).map((machine) => machine.Properties['StateMachineName']);
    expect(names.sort()).toEqual(catalog.map((rule) => `merzim-dev-${rule.id}`).sort());
    expect(names.length).toBeGreaterThanOrEqual(10);
  });
});

describe('the HTTP API', () => {
  it('has every route of the contract, behind the JWT authorizer where auth is true', () => {
    const routes = Object.values(dev.findResources('AWS::ApiGatewayV2::Route') as Resources).map((route) => route.Properties);
    expect(routes.map((route) => route['RouteKey']).sort()).toEqual(API_ROUTES.map((entry) => entry.route).sort());
    for (const { route, auth } of API_ROUTES) {
      const properties = routes.find((candidate) => candidate['RouteKey'] === route)!;
      expect(properties['AuthorizationType'], route).toBe(auth ? 'JWT' : 'NONE');
      expect(properties['AuthorizerId'] !== undefined, route).toBe(auth);
    }
  });

  it('sends every route to the api function with payload format 2.0', () => {
    dev.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    dev.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionsApi'), 'Arn'] },
    });
  });

  it('verifies Cognito tokens of the stack’s user pool and app client', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: Match.stringLikeRegexp('^ApiUsersWeb') }], Issuer: Match.anyValue() },
    });
  });

  it('answers CORS preflights for the methods and headers the dashboard uses', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT', 'DELETE']),
        AllowHeaders: Match.arrayWith(['Authorization', 'Content-Type', 'Idempotency-Key']),
      }),
    });
  });

  it('has a user pool without self sign-up, a custom org attribute and one group per role', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'org', AttributeDataType: 'String', Mutable: true })]),
    });
    const groups = Object.values(dev.findResources('AWS::Cognito::UserPoolGroup') as Resources).map((group) => group.Properties['GroupName']);
    expect(groups.sort()).toEqual([...GROUPS].sort());
    dev.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: Match.not(Match.arrayWith(['custom:org'])) });
  });
});

describe('the schedules', () => {
  it('are one per SCHEDULES entry, in Asia/Almaty time, passing the scheduled time', () => {
    const schedules = Object.values(dev.findResources('AWS::Scheduler::Schedule') as Resources).map((schedule) => schedule.Properties);
    expect(schedules).toHaveLength(Object.keys(SCHEDULES).length);
    const byName = Object.fromEntries(schedules.map((schedule) => [schedule['Name'], schedule]));
    expect(byName['merzim-dev-digest']).toMatchObject({ ScheduleExpression: 'cron(30 9 * * ? *)' });
    expect(byName['merzim-dev-reconcile']).toMatchObject({ ScheduleExpression: 'rate(1 hour)' });
    expect(byName['merzim-dev-provision']).toMatchObject({ ScheduleExpression: 'cron(5 0 * * ? *)' });
    for (const [name, spec] of Object.entries(SCHEDULES)) {
      const schedule = byName[`merzim-dev-${name}`]!;
      expect(schedule['ScheduleExpressionTimezone']).toBe(SCHEDULE_TIME_ZONE);
      const target = schedule['Target'] as { Arn: unknown; Input: string };
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^Functions${spec.function[0]!.toUpperCase()}${spec.function.slice(1)}`)), 'Arn'] });
      expect(JSON.parse(target.Input)).toEqual({ scheduledAt: '<aws.scheduler.scheduled-time>' });
    }
  });
});

describe('the outputs', () => {
  it('name the API URL, the table, the user pool and its client', () => {
    for (const output of ['ApiUrl', 'TableName', 'UserPoolId', 'UserPoolClientId']) dev.hasOutput(output, {});
  });
});

describe('the configuration', () => {
  it('refuses a malformed alarm address, log retention or flag', () => {
    const build = (context: Record<string, unknown>) => () => buildApp({ outdir: outdirFor('bad-context'), context });
    expect(build({ alarmEmail: 'duty' })).toThrow(/"alarmEmail" must be an e-mail address/);
    expect(build({ logRetentionDays: 100 })).toThrow(/"logRetentionDays" must be one of/);
    expect(build({ createMailIdentity: 'yes' })).toThrow(/"createMailIdentity" must be true or false/);
  });
});

describe('encryption at rest', () => {
  it('is one customer-managed key, rotated, retained with a prod stack', () => {
    dev.resourceCountIs('AWS::KMS::Key', 1);
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    prod.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/merzim-dev' });
  });

  it('encrypts the table with that key', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId(template), 'Arn'] } },
      });
    }
  });

  it('lets CloudWatch and SES, from this account only, use the key for the encrypted topics', () => {
    const [key] = Object.values(dev.findResources('AWS::KMS::Key') as Resources);
    const statements = (key!.Properties['KeyPolicy'] as PolicyDocument).Statement;
    for (const service of ['cloudwatch.amazonaws.com', 'ses.amazonaws.com']) {
      expect(statements).toContainEqual(
        expect.objectContaining({
          Principal: { Service: service },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      );
    }
  });
});

describe('the table’s protection', () => {
  it('has point-in-time recovery in both stages', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    }
  });

  it('has deletion protection in prod only', () => {
    prod.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    const [table] = Object.values(dev.findResources('AWS::DynamoDB::Table') as Resources);
    expect(table!.Properties['DeletionProtectionEnabled']).not.toBe(true);
  });

  it('expires the outbox’s items on expiresAt (TTL) in prod too', () => {
    prod.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});

describe('failed deliveries', () => {
  const queueId = (template: Template, name: string): string => {
    const found = Object.entries(template.findResources('AWS::SQS::Queue') as Resources).find(([, queue]) => queue.Properties['QueueName'] === name);
    expect(found, name).toBeDefined();
    return found![0];
  };

  it('go to two dead-letter queues encrypted with the key, kept 14 days, TLS only', () => {
    dev.resourceCountIs('AWS::SQS::Queue', 2);
    for (const name of ['merzim-dev-failed-invocations', 'merzim-dev-failed-schedules']) {
      const id = queueId(dev, name);
      dev.hasResourceProperties('AWS::SQS::Queue', { QueueName: name, KmsMasterKeyId: { 'Fn::GetAtt': [keyId(dev), 'Arn'] }, MessageRetentionPeriod: 14 * 24 * 3600 });
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    prod.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
  });

  it('of the asynchronously invoked functions (the scheduled ones, mail-events) go to the failed-invocations queue after two retries', () => {
    const configs = Object.values(dev.findResources('AWS::Lambda::EventInvokeConfig') as Resources).map((config) => config.Properties);
    const functionIds = functionIdsByName(dev);
    expect(configs.map((config) => (config['FunctionName'] as { Ref: string }).Ref).sort()).toEqual(
      ['digest', 'reconcile', 'provision', 'mail-events', 'snapshot'].map((name) => functionIds[`merzim-dev-${name}`]).sort(),
    );
    for (const config of configs) {
      expect(config).toMatchObject({
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(dev, 'merzim-dev-failed-invocations'), 'Arn'] } } },
      });
    }
  });

  it('of the schedules are retried twice within an hour, then go to the failed-schedules queue', () => {
    for (const schedule of Object.values(dev.findResources('AWS::Scheduler::Schedule') as Resources)) {
      expect(schedule.Properties['Target']).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId(dev, 'merzim-dev-failed-schedules'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      });
    }
  });
});

describe('logs', () => {
  it('of each function go to a log group of its own, in JSON, application INFO and system WARN', () => {
    const groups = dev.findResources('AWS::Logs::LogGroup') as Resources;
    for (const fn of Object.values(contractFunctions(dev))) {
      const config = fn.Properties['LoggingConfig'] as { LogGroup: { Ref: string } };
      expect(config).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
      const name = String(fn.Properties['FunctionName']).replace('merzim-dev-', '');
      expect(groups[config.LogGroup.Ref]?.Properties['LogGroupName']).toBe(`/merzim/dev/functions/${name}`);
    }
  });

  it('are kept 90 days in dev and a year in prod, every log group, retained with a prod stack', () => {
    for (const [template, days] of [[dev, 90], [prod, 365]] as const) {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup') as Resources);
      // One per function, the executions' and the API's access logs.
      expect(groups).toHaveLength(FUNCTIONS.length + 2);
      for (const group of groups) expect(group.Properties['RetentionInDays'], String(group.Properties['LogGroupName'])).toBe(days);
    }
    for (const group of Object.values(prod.findResources('AWS::Logs::LogGroup') as Resources)) expect(group.DeletionPolicy).toBe('Retain');
    for (const group of Object.values(dev.findResources('AWS::Logs::LogGroup') as Resources)) expect(group.DeletionPolicy).toBe('Delete');
  });

  it('take their retention from the context', () => {
    const app = buildApp({ outdir: outdirFor('retention'), context: { stage: 'dev', logRetentionDays: '30', 'aws:cdk:bundling-stacks': [] } });
    const template = Template.fromStack(app.node.children.find((child): child is Stack => child instanceof Stack)!);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup') as Resources)) expect(group.Properties['RetentionInDays']).toBe(30);
  });
});

describe('the state machines’ logs', () => {
  it('are Standard machines logging errors without execution data to one vended-logs group', () => {
    const groups = Object.entries(dev.findResources('AWS::Logs::LogGroup') as Resources);
    const [groupId] = groups.find(([, group]) => group.Properties['LogGroupName'] === '/aws/vendedlogs/states/merzim-dev')!;
    for (const machine of Object.values(dev.findResources('AWS::StepFunctions::StateMachine') as Resources)) {
      expect(machine.Properties['StateMachineType']).toBe('STANDARD');
      expect(machine.Properties['LoggingConfiguration']).toEqual({
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [groupId, 'Arn'] } } }],
      });
    }
  });
});

describe('the alarms', () => {
  const alarms = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map((alarm) => alarm.Properties);
  const topicId = (template: Template): string =>
    Object.entries(template.findResources('AWS::SNS::Topic') as Resources).find(([, topic]) => String(topic.Properties['TopicName']).endsWith('-alarms'))![0];

  it('watch every machine (failed, timed out), every function (errors, throttles) and every dead-letter queue (a message waits)', () => {
    const all = alarms(dev);
    expect(all).toHaveLength(2 * catalog.length + 2 * FUNCTIONS.length + 2);
    const count = (namespace: string, metric: string) => all.filter((alarm) => alarm['Namespace'] === namespace && alarm['MetricName'] === metric).length;
    expect(count('AWS/States', 'ExecutionsFailed')).toBe(catalog.length);
    expect(count('AWS/States', 'ExecutionsTimedOut')).toBe(catalog.length);
    expect(count('AWS/Lambda', 'Errors')).toBe(FUNCTIONS.length);
    expect(count('AWS/Lambda', 'Throttles')).toBe(FUNCTIONS.length);
    expect(count('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toBe(2);
    for (const alarm of all) {
      expect(alarm, String(alarm['AlarmName'])).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, EvaluationPeriods: 1, Period: 300, TreatMissingData: 'notBreaching' });
    }
    const machineArns = all.filter((alarm) => alarm['Namespace'] === 'AWS/States').map((alarm) => JSON.stringify(alarm['Dimensions']));
    expect(new Set(machineArns).size).toBe(catalog.length);
  });

  it('are sent to the alarm topic, encrypted with the key, TLS only', () => {
    for (const template of [dev, prod]) {
      const topic = topicId(template);
      for (const alarm of alarms(template)) expect(alarm['AlarmActions'], String(alarm['AlarmName'])).toEqual([{ Ref: topic }]);
      template.hasResourceProperties('AWS::SNS::Topic', { TopicName: `merzim-${template === dev ? 'dev' : 'prod'}-alarms`, KmsMasterKeyId: { 'Fn::GetAtt': [keyId(template), 'Arn'] } });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
    prod.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Retain' });
  });

  it('are e-mailed to context alarmEmail, and to no one without it', () => {
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'duty@merzim.gov.kz', TopicArn: { Ref: topicId(prod) } });
    expect(Object.values(dev.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }))).toHaveLength(0);
  });
});

describe('mail', () => {
  it('has the configuration set merzim-<stage>, named in every function’s environment as a plain string', () => {
    dev.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'merzim-dev' });
    prod.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'merzim-prod' });
    for (const fn of Object.values(contractFunctions(dev))) {
      expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables[ENV.mailConfigurationSet]).toBe('merzim-dev');
    }
  });

  it('publishes sends, bounces and complaints to an encrypted topic that mail-events is subscribed to', () => {
    const topics = Object.entries(dev.findResources('AWS::SNS::Topic') as Resources);
    const [topic] = topics.find(([, candidate]) => candidate.Properties['TopicName'] === 'merzim-dev-mail-events')!;
    dev.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'merzim-dev-mail-events', KmsMasterKeyId: { 'Fn::GetAtt': [keyId(dev), 'Arn'] } });
    dev.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topic } },
      },
    });
    dev.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [functionIdsByName(dev)['merzim-dev-mail-events'], 'Arn'] },
    });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topic },
    });
  });

  it('creates the SES identity only when context createMailIdentity=true, with the configuration set as its default', () => {
    dev.resourceCountIs('AWS::SES::EmailIdentity', 0);
    prod.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'merzim.gov.kz',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') } },
    });
  });

  it('may be sent by the api (a hand-over, a breach found), notify, escalate and digest, on the identity and on the configuration set', () => {
    const sends = statements(dev).filter((statement) => actionsOf(statement).includes('ses:SendEmail'));
    expect(sends.length).toBe(4);
    const senders = Object.values(dev.findResources('AWS::IAM::Policy') as Resources)
      .filter((policy) => (policy.Properties['PolicyDocument'] as PolicyDocument).Statement.some((statement) => actionsOf(statement).includes('ses:SendEmail')))
      .flatMap((policy) => (policy.Properties['Roles'] as { Ref: string }[]).map((role) => role.Ref));
    expect(senders.map((role) => /^Functions([A-Za-z]+?)Role[0-9A-F]{8}$/.exec(role)?.[1] ?? role).sort()).toEqual(['Api', 'Digest', 'Escalate', 'Notify']);
    for (const statement of sends) {
      expect(actionsOf(statement).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(':identity/example.kz');
      expect(resources).toContain(':configuration-set/merzim-dev');
    }
  });
});

describe('IAM', () => {
  it('has no statement with a * action or a service:* action, and no states:*, kms:* or ses:*', () => {
    for (const template of [dev, prod]) {
      const actions = statements(template).flatMap(actionsOf);
      expect(actions.length).toBeGreaterThan(50);
      expect(actions.filter((action) => action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action))).toEqual([]);
      for (const forbidden of ['states:*', 'kms:*', 'ses:*', 'dynamodb:*', 'sqs:*', 'lambda:*', 'logs:*']) expect(actions).not.toContain(forbidden);
    }
  });

  it('gives every role only its own grants: no AWS managed policy (but on CDK’s BucketDeployment role)', () => {
    for (const [id, role] of Object.entries(dev.findResources('AWS::IAM::Role') as Resources)) {
      if (!BUCKET_DEPLOYMENT.test(id)) expect(role.Properties['ManagedPolicyArns'], id).toBeUndefined();
    }
  });

  it('names the table and each index, never index/*, and never grants Scan', () => {
    // The Pipe's reading of the table's stream (infra/timer-start.ts) is on the stream alone.
    const streamActions = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
    const streamStatements = statements(dev).filter((statement) => actionsOf(statement).some((action) => streamActions.includes(action)));
    expect(streamStatements).toHaveLength(1);
    for (const statement of streamStatements) {
      expect(actionsOf(statement).sort()).toEqual(streamActions);
      expect(JSON.stringify(statement.Resource)).toContain('StreamArn');
    }
    const tableStatements = statements(dev).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:') && !streamActions.includes(action)));
    expect(tableStatements).toHaveLength(FUNCTIONS.length);
    for (const statement of tableStatements) {
      expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      const resources = JSON.stringify(statement.Resource);
      expect(resources).not.toContain('/index/*');
      for (const index of Object.keys(TABLE.indexes)) expect(resources).toContain(`/index/${index}`);
    }
  });

  it('describes and stops executions on execution ARNs, starts them on state machine ARNs', () => {
    const all = statements(dev);
    const start = all.filter((statement) => actionsOf(statement).includes('states:StartExecution'));
    const describeStop = all.filter((statement) => actionsOf(statement).includes('states:DescribeExecution'));
    // api, timer, reconcile, provision, and the stream's start function, which only starts.
    expect(start.length).toBe(5);
    for (const statement of start) {
      expect(actionsOf(statement)).toEqual(['states:StartExecution']);
      expect(JSON.stringify(statement.Resource)).toContain(':stateMachine:merzim-dev-*');
    }
    expect(describeStop.length).toBe(4);
    for (const statement of describeStop) {
      expect(actionsOf(statement).sort()).toEqual(['states:DescribeExecution', 'states:StopExecution']);
      expect(JSON.stringify(statement.Resource)).toContain(':execution:merzim-dev-*:*');
    }
  });
});

describe('identity', () => {
  it('asks for strong passwords and offers TOTP (no SMS)', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
      });
    }
  });

  it('has threat protection (Plus plan, enforced) in prod', () => {
    prod.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    dev.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
  });

  it('puts custom:org in the ID token, and lets no one but an administrator write it', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ReadAttributes: Match.arrayWith(['custom:org']),
        WriteAttributes: Match.not(Match.arrayWith(['custom:org'])),
      });
    }
  });

  it('keeps the prod user pool', () => {
    prod.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    prod.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });
});

describe('the API’s access logs', () => {
  it('are JSON lines of the $default stage, without IP or user agent, in a log group of their own', () => {
    const groups = Object.entries(dev.findResources('AWS::Logs::LogGroup') as Resources);
    const [groupId] = groups.find(([, group]) => group.Properties['LogGroupName'] === '/merzim/dev/api/access')!;
    dev.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const [stage] = Object.values(dev.findResources('AWS::ApiGatewayV2::Stage') as Resources);
    expect(stage!.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [groupId, 'Arn'] } } });
    const format = (stage!.Properties['AccessLogSettings'] as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(format).not.toMatch(/sourceIp|userAgent/);
  });
});

describe('the API’s limits (issue 17)', () => {
  it('the $default stage throttles every route: 50 requests a second, bursts of 100, in dev and prod', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    }
  });

  it('a 429’s Retry-After is readable by the dashboard across origins', () => {
    prod.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ ExposeHeaders: ['Retry-After'] }) });
  });
});

type PolicyStatement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: unknown };
type PolicyDocument = { Statement: PolicyStatement[] };

/** Every statement of every identity policy (IAM policies, managed policies, roles' inline policies). */
function statements(template: Template): PolicyStatement[] {
  const documents: PolicyDocument[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy') as Resources)) documents.push(policy.Properties['PolicyDocument'] as PolicyDocument);
  for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy') as Resources)) documents.push(policy.Properties['PolicyDocument'] as PolicyDocument);
  for (const role of Object.values(template.findResources('AWS::IAM::Role') as Resources)) {
    for (const inline of (role.Properties['Policies'] as { PolicyDocument: PolicyDocument }[] | undefined) ?? []) documents.push(inline.PolicyDocument);
  }
  return documents.flatMap((document) => document.Statement);
}

function actionsOf(statement: PolicyStatement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

function keyId(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::KMS::Key'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function functionIdsByName(template: Template): Record<string, string> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Lambda::Function') as Resources).map(([id, fn]) => [String(fn.Properties['FunctionName']), id]));
}

function outdirFor(name: string): string {
  const outdir = mkdtempSync(path.join(tmpdir(), `merzim-cdk-${name}-`));
  outdirs.push(outdir);
  return outdir;
}
