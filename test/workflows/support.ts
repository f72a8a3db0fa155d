import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Rule } from '../../shared/rules/index.ts';
import { TimerStateMachine } from '../../workflows/timer-state-machine.ts';

export const region = 'eu-central-1';

/** The names the fake functions have in tests; the local service runs handlers registered under them. */
export const FUNCTION_NAMES = { timer: 'merzim-test-timer', notify: 'merzim-test-notify', escalate: 'merzim-test-escalate' } as const;

export const fakeLambdaArn = (name: string): string => `arn:aws:lambda:${region}:000000000000:function:${name}`;

/** A state of the ASL, as loose as the tests need it. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly ResultPath?: string | null;
  readonly TimestampPath?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Choices?: readonly { readonly Variable?: string; readonly StringEquals?: string; readonly IsPresent?: boolean; readonly Next: string }[];
  readonly Default?: string;
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[]; readonly MaxAttempts?: number; readonly IntervalSeconds?: number; readonly BackoffRate?: number; readonly MaxDelaySeconds?: number; readonly JitterStrategy?: string }[];
  readonly Catch?: unknown;
}

export interface Asl {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

export interface SynthesizedMachine {
  readonly asl: Asl;
  readonly template: Template;
}

/**
 * Synthesizes the machine of `rule` in a bare stack with three inline functions, and reads its
 * ASL back from the template, with the functions' `Fn::GetAtt … Arn` replaced by fake ARNs.
 */
export function synthesizeTimer(rule: Rule): SynthesizedMachine {
  const stack = new Stack(new App(), 'WorkflowTest', { env: { region, account: '000000000000' } });
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ next: "continue" });'),
    });
  const functions = { timer: fn('Timer'), notify: fn('Notify'), escalate: fn('Escalate') };
  new TimerStateMachine(stack, 'Timer-' + rule.id, { rule, stateMachineName: `merzim-test-${rule.id}`, functions });

  const template = Template.fromStack(stack);
  const arnOf = new Map<string, string>();
  for (const [key, construct] of Object.entries(functions)) {
    const logicalId = stack.resolve(stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction)) as string;
    arnOf.set(logicalId, fakeLambdaArn(FUNCTION_NAMES[key as keyof typeof FUNCTION_NAMES]));
  }
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties.DefinitionString;
  return { asl: JSON.parse(resolveJoin(definition, arnOf)) as Asl, template };
}

function resolveJoin(value: unknown, arnOf: ReadonlyMap<string, string>): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  const [separator, parts] = join;
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      const arn = getAtt?.[1] === 'Arn' ? arnOf.get(getAtt[0]) : undefined;
      if (arn === undefined) throw new Error(`cannot resolve ${JSON.stringify(part)}`);
      return arn;
    })
    .join(separator);
}
