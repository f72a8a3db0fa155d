import { expect, test } from 'vitest';
import { describeStack } from '../../local/system/stack.ts';
import { TemplateError, TemplateResolver } from '../../local/system/template.ts';
import { fixtureAssembly, fixtureTemplate } from './support.ts';

test('pseudo parameters, Ref, GetAtt, Join, Sub, Select, Split, If, FindInMap and NoValue resolve', () => {
  const resolver = new TemplateResolver(fixtureTemplate());
  const api = resolver.properties('ApiFn0F1E2D3C') as { FunctionName: string; MemorySize: string; Role: string; Environment: { Variables: Record<string, string> } };
  expect(api.FunctionName).toBe('merzim-dev-api');
  expect(api.MemorySize).toBe('256');
  expect(api.Role).toBe('arn:aws:iam::000000000000:role/ApiFnServiceRole1A2B3C4D');
  expect(api.Environment.Variables).toEqual({
    TABLE_NAME: 'DataTableFDBAD0F2',
    STATE_MACHINE_ARN_PREFIX: 'arn:aws:states:eu-central-1:000000000000:stateMachine:merzim-dev-',
    STAGE: 'dev',
    MAIL_FROM: 'merzim@example.kz',
  });
  expect(resolver.resolve({ 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}-${AWS::Partition}.${AWS::URLSuffix} ${AWS::StackName} ${!Literal}' })).toBe(
    'cdk-000000000000-eu-central-1-aws.amazonaws.com Merzim-dev ${Literal}',
  );
  expect(resolver.resolve({ 'Fn::Sub': '${ApiFn0F1E2D3C.Arn}|${ApiFn0F1E2D3C}' })).toBe(
    'arn:aws:lambda:eu-central-1:000000000000:function:merzim-dev-api|merzim-dev-api',
  );
  expect(resolver.resolve({ 'Fn::GetAtt': 'DataTableFDBAD0F2.Arn' })).toBe('arn:aws:dynamodb:eu-central-1:000000000000:table/DataTableFDBAD0F2');
  expect(resolver.resolve({ Ref: 'TimerSssDecisionStateMachine12AB' })).toBe('arn:aws:states:eu-central-1:000000000000:stateMachine:merzim-dev-sss-decision');
  expect(resolver.resolve({ Ref: 'BootstrapVersion' })).toBe('/cdk-bootstrap/hnb659fds/version');
});

test('conditions: false ones drop their resources, one that cannot be evaluated counts as false', () => {
  const resolver = new TemplateResolver(fixtureTemplate(), { region: 'eu-west-1', account: '111111111111' });
  expect(resolver.condition('IsProd')).toBe(false);
  expect(resolver.condition('InFrankfurt')).toBe(true);
  expect(resolver.condition('Unknowable')).toBe(false);
  expect(resolver.resourcesOfType('AWS::SQS::Queue')).toEqual([]);
  expect(resolver.getAtt('ApiFn0F1E2D3C', 'Arn')).toBe('arn:aws:lambda:eu-west-1:111111111111:function:merzim-dev-api');
  expect(new TemplateResolver(fixtureTemplate(), { parameters: { Stage: 'prod' } }).condition('IsProd')).toBe(true);
});

test('an unknown reference or attribute is an error that says where', () => {
  const resolver = new TemplateResolver(fixtureTemplate());
  expect(() => resolver.resolve({ Ref: 'Nowhere' }, 'X')).toThrow(/X\.Ref: Ref to unknown "Nowhere"/);
  expect(() => resolver.resolve({ 'Fn::GetAtt': ['UserPool6BA7E5F2', 'ProviderURL'] })).toThrow(TemplateError);
  expect(() => resolver.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue is not known/);
});

test('the stack read from the fixture: table, functions with their bundle and role, machine, routes, schedule', () => {
  const stack = describeStack(fixtureTemplate(), fixtureAssembly);
  expect(stack.tables).toEqual([
    expect.objectContaining({ name: 'DataTableFDBAD0F2', ttlAttribute: 'expiresAt', globalIndexes: [expect.objectContaining({ IndexName: 'byOrg' })] }),
  ]);
  expect(stack.functions.map((fn) => [fn.name, fn.role, fn.timeoutMs])).toEqual([
    ['merzim-dev-api', 'api', 10_000],
    ['DigestFn9A8B7C6D', 'digest', 3_000],
  ]);
  expect(stack.functions[0]?.entry).toMatch(/asset\.echo\/index\.mjs$/);
  expect(stack.stateMachines).toEqual([
    {
      logicalId: 'TimerSssDecisionStateMachine12AB',
      name: 'merzim-dev-sss-decision',
      definition: '{"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"arn:aws:lambda:eu-central-1:000000000000:function:DigestFn9A8B7C6D","End":true}}}',
    },
  ]);
  expect(stack.routes).toEqual([
    { routeKey: 'POST /obligations/{id}/events', auth: 'JWT', functionName: 'merzim-dev-api' },
    { routeKey: 'GET /openapi.json', auth: 'NONE', functionName: 'merzim-dev-api' },
  ]);
  expect(stack.schedules).toEqual([
    {
      name: 'merzim-dev-digest',
      expression: 'cron(0 8 * * ? *)',
      timezone: 'Asia/Almaty',
      enabled: true,
      functionName: 'DigestFn9A8B7C6D',
      input: '{"scheduledAt":"<aws.scheduler.scheduled-time>"}',
    },
  ]);
});
