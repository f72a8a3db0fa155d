/**
 * Every state machine of the synthesized stack is valid Amazon States Language, as asl-validator
 * reads it: the definition's Fn::Join resolved first, with fake but well-formed ARNs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { catalog } from '../../shared/rules/index.ts';

interface AslValidation {
  readonly isValid: boolean;
  readonly errors: readonly unknown[];
  errorsText(separator?: string): string;
}
type AslValidator = (definition: unknown, options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean }) => AslValidation;
// asl-validator is CommonJS without types.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';

const outdir = mkdtempSync(path.join(tmpdir(), 'merzim-asl-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const app = buildApp({ outdir, context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(app.node.children.find((child): child is Stack => child instanceof Stack)!);
const resources = template.toJSON()['Resources'] as Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Resolves the intrinsics a definition holds: the pseudo parameters, and Fn::GetAtt <function>.Arn. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(separator);
  }
  if ('Ref' in object) {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
    const name = String(object['Ref']);
    const resolved = pseudo[name];
    if (resolved === undefined) throw new Error(`unexpected Ref ${name} in a definition`);
    return resolved;
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    const resource = resources[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function' || attribute !== 'Arn') throw new Error(`unexpected Fn::GetAtt ${logicalId}.${attribute} in a definition`);
    return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${String(resource.Properties['FunctionName'])}`;
  }
  throw new Error(`unexpected ${JSON.stringify(value)} in a definition`);
}

const machines = Object.values(resources)
  .filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine')
  .map((resource) => ({ name: String(resource.Properties['StateMachineName']), definition: resolve(resource.Properties['DefinitionString']) }));

describe('the state machines’ ASL', () => {
  it('is one definition per rule of the catalog', () => {
    expect(machines.map((machine) => machine.name).sort()).toEqual(catalog.map((rule) => `merzim-dev-${rule.id}`).sort());
  });

  it.each(machines)('$name is valid for asl-validator, ARNs and paths checked', ({ definition }) => {
    expect(definition).not.toMatch(/\$\{Token|Fn::/);
    const parsed = JSON.parse(definition) as { States: Record<string, { Resource?: string }> };
    const validation = aslValidator(parsed, { checkPaths: true, checkArn: true });
    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);
    const tasks = Object.values(parsed.States).filter((state) => state.Resource !== undefined);
    expect(tasks.length).toBeGreaterThan(0);
  });
});
