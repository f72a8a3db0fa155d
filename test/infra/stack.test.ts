import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, ENV, FUNCTIONS, GROUPS, SCHEDULE_TIME_ZONE, SCHEDULES, TABLE } from '../../functions/contract.ts';
import { buildApp } from '../../infra/app.ts';
import { ConfigError } from '../../infra/config.ts';
import { catalog } from '../../shared/rules/catalog.ts';

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

let dev: Template;
let prod: Template;

beforeAll(() => {
  dev = synthesize({ stage: 'dev' });
  // The prod stack's checks need no bundles: CDK's own switch leaves bundling out for it.
  prod = synthesize({ stage: 'prod', mailFrom: 'noreply@merzim.gov.kz', 'aws:cdk:bundling-stacks': [] });
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

  it('has the four indexes of the contract, string keys, projection ALL', () => {
    const [table] = Object.values(dev.findResources('AWS::DynamoDB::Table') as Resources);
    const indexes = table!.Properties['GlobalSecondaryIndexes'] as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    for (const [name, keys] of Object.entries(TABLE.indexes)) {
      expect(indexes.find((index) => index.IndexName === name)).toEqual({
        IndexName: name,
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
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
  const functions = (): Resources => dev.findResources('AWS::Lambda::Function') as Resources;

  it('are the seven of the contract, Node.js 22 on arm64, named merzim-<stage>-<name>', () => {
    dev.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
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
    for (const batch of ['digest', 'reconcile', 'provision']) expect(byName[`merzim-dev-${batch}`]).toMatchObject({ MemorySize: 256, Timeout: 300 });
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
    expect(byName['merzim-dev-digest']).toMatchObject({ ScheduleExpression: 'cron(0 8 * * ? *)' });
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

function outdirFor(name: string): string {
  const outdir = mkdtempSync(path.join(tmpdir(), `merzim-cdk-${name}-`));
  outdirs.push(outdir);
  return outdir;
}
